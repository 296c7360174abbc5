"""Organizer pages for feedback: the report (released answers only) and the post-session survey editor."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from feedback import report as reports
from feedback.prompts import KIND_LABELS, KINDS
from feedback.survey_form import KIND_HINTS, QuestionForm, describe
from feedback.surveys import MAX_PROMPTS, survey_of, too_many
from workshops.views.organizer.base import org_page, render_page


def _filters(request, organization):
    """The page leaves out a filter that names nothing (a stale link shows the whole report, as before)."""
    choices, picked, _ = reports.pick_filters(organization, request.GET)
    return choices, picked


def _bars(group):
    """Rows for the report's SVG bar chart: label, count, width as a share of the largest."""
    body = group["result"]
    if group["kind"] == "scale":
        rows = [(str(c["value"]), c["count"]) for c in body["counts"]]
    elif group["kind"] in ("single", "multiple"):
        rows = [(c["option"], c["count"]) for c in body["counts"]]
    elif group["kind"] == "words":
        rows = [(w["word"], w["count"]) for w in body["words"][:15]]
    else:
        return []
    top = max((count for _, count in rows), default=0) or 1
    return [
        {"label": label, "count": count, "width": round(100 * count / top, 1), "y": 28 * n}
        for n, (label, count) in enumerate(rows)
    ]


@org_page("feedback.report", section="feedback")
def report_page(request, organization):
    choices, picked = _filters(request, organization)
    groups = reports.report(organization, **picked)
    for group in groups:
        group["bars"] = _bars(group)
        group["chart_height"] = 28 * len(group["bars"])
    return render_page(
        request,
        "feedback/report.html",
        organization,
        "feedback",
        groups=groups,
        choices=choices,
        picked=picked,
        query=request.GET.urlencode(),
    )


@org_page("feedback.report", section="feedback")
def report_csv(request, organization):
    _, picked = _filters(request, organization)
    response = HttpResponse(reports.as_csv(reports.report(organization, **picked)), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="attune-feedback.csv"'
    return response


def _move_or_remove(prompts, action):
    """Applies "up:<n>", "down:<n>" or "remove:<n>" to the list; anything else, or an index off the end: no change."""
    if not (action.startswith(("up:", "down:", "remove:")) and action.split(":")[1].isdigit()):
        return
    verb, index = action.split(":")[0], int(action.split(":")[1])
    if not 0 <= index < len(prompts):
        return
    if verb == "remove":
        prompts.pop(index)
        return
    other = index - 1 if verb == "up" else index + 1
    if 0 <= other < len(prompts):
        prompts[index], prompts[other] = prompts[other], prompts[index]


def _index(text, prompts):
    """The question a request names by its position, or None."""
    if not (isinstance(text, str) and text.isdigit() and len(text) < 6):
        return None
    return int(text) if int(text) < len(prompts) else None


def _question_form_for(query, prompts):
    """The question form a GET asks for: ?add=<kind> a new question of that kind, ?edit=<n> question n; or none."""
    if query.get("add") in KINDS:
        return QuestionForm.blank(query["add"]), None
    editing = _index(query.get("edit"), prompts)
    if editing is not None:
        return QuestionForm.from_prompt(prompts[editing]), editing
    return None, None


def _render_survey(request, organization, survey, form=None, editing=None, *, notice=None, status=200):
    questions = [
        {"prompt": p, "kind": KIND_LABELS.get(p.get("kind"), ""), "details": describe(p)} for p in survey.prompts
    ]
    return render_page(
        request,
        "feedback/survey.html",
        organization,
        "feedback",
        survey=survey,
        questions=questions,
        kinds=[(kind, KIND_LABELS[kind], KIND_HINTS[kind]) for kind in KINDS],
        form=form,
        editing=editing,
        notice=notice,
        status=status,
    )


def _save_question(request, organization, survey, prompts):
    """Add the posted question to ``prompts``, or put it in place of the one it edits. Returns (what was done, None),
    or (None, the page again) when there is something to correct or a changed kind's fields to fill in first."""
    form = QuestionForm.from_post(request.POST)
    editing = _index(request.POST.get("editing", ""), prompts)
    if request.POST.get("editing") and editing is None:
        form.errors["question"] = _("That question was removed meanwhile: saving adds it as a new one.")
        return None, _render_survey(request, organization, survey, form, None, status=400)
    if form.switched_from or request.POST.get("action") == "kind":
        notice = None
        if form.switched_from:
            notice = _("The question is now “%(kind)s”: fill in its fields.") % {"kind": form.kind_label}
        return None, _render_survey(request, organization, survey, form, editing, notice=notice)
    prompt = form.clean()
    if prompt is None:
        return None, _render_survey(request, organization, survey, form, editing, status=400)
    if editing is None and len(prompts) >= MAX_PROMPTS:
        form.errors["question"] = too_many()
        return None, _render_survey(request, organization, survey, form, None, status=400)
    if editing is None:
        prompts.append(prompt)
        return _("Question added."), None
    prompts[editing] = prompt
    return _("Question %(number)s saved.") % {"number": editing + 1}, None


@org_page("feedback.design", methods=("GET", "POST"), section="feedback")
def survey_page(request, organization):
    survey = survey_of(organization)
    if request.method != "POST":
        return _render_survey(request, organization, survey, *_question_form_for(request.GET, survey.prompts))
    prompts = list(survey.prompts)
    action = request.POST.get("action", "")
    if action in ("add", "save", "kind"):
        done, page = _save_question(request, organization, survey, prompts)
        if page is not None:
            return page
    else:
        _move_or_remove(prompts, action)
        done = _("Survey saved.")
    survey.prompts = prompts
    survey.save()
    messages.success(
        request, _("%(done)s Couples see the survey on their phones when a session ends.") % {"done": done}
    )
    return redirect("feedback_survey", slug=organization.slug)
