"""Organizer pages for feedback: the report (released answers only) and the post-session survey editor."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from config import json_input
from feedback import report as reports
from feedback.models import Survey
from feedback.prompts import KINDS, validate_prompt
from workshops.errors import DomainError
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


def _survey(organization):
    survey = Survey.objects.filter(organization=organization).order_by("-updated_at").first()
    return survey or Survey.objects.create(organization=organization, title="After the session")


ADD_FORM_FIELDS = ("kind", "question", "options", "min", "max", "min_label", "max_label")


def _new_prompt(post):
    """The prompt the Add form describes: (the fields as typed, the valid prompt or None, errors by field)."""
    values = {k: post.get(k, "") for k in ADD_FORM_FIELDS}
    data = {
        "kind": values["kind"],
        "question": values["question"],
        "options": [line.strip() for line in values["options"].splitlines() if line.strip()],
    }
    errors = {}
    try:  # a NUL cannot be stored in the survey's JSON (PostgreSQL refuses it): the form says so instead
        json_input.check(values)
    except json_input.BadJSON as refused:
        errors["question"] = refused.message
    if values["kind"] == "scale" and not errors:
        try:
            data["scale"] = {
                "min": int(values["min"] or 1),
                "max": int(values["max"] or 5),
                "min_label": values["min_label"],
                "max_label": values["max_label"],
            }
        except ValueError:
            errors["scale"] = "The scale's ends are whole numbers."
    if errors:
        return values, None, errors
    try:
        return values, validate_prompt(data), errors
    except DomainError as error:
        errors["question"] = error.message
        return values, None, errors


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


@org_page("feedback.design", methods=("GET", "POST"), section="feedback")
def survey_page(request, organization):
    survey = _survey(organization)
    errors, values = {}, {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        prompts = list(survey.prompts)
        if action == "add":
            values, prompt, errors = _new_prompt(request.POST)
            if prompt is not None:
                prompts.append(prompt)
        else:
            _move_or_remove(prompts, action)
        if not errors:
            survey.prompts = prompts
            survey.save()
            messages.success(request, "Survey saved. Couples see it on their phones when a session ends.")
            return redirect("feedback_survey", slug=organization.slug)
    return render_page(
        request,
        "feedback/survey.html",
        organization,
        "feedback",
        survey=survey,
        kinds=KINDS,
        errors=errors,
        values=values,
        status=400 if errors else 200,
    )
