"""Organizer pages for a workshop's registration questions: list, add, edit, reorder, delete."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workshops import forms
from workshops.errors import DomainError
from workshops.services import registration_questions as services
from workshops.views.organizer.base import confirm_page, form_status, org_page, post_data, render_page
from workshops.views.organizer.scheduling import workshop_or_404


def _question_fields(form):
    data = form.cleaned_data
    return {
        "label": data["label"],
        "hint": data["hint"],
        "kind": data["kind"],
        "choices": data["choices"],
        "required": data["required"],
    }


def _questions_page(request, organization, workshop, form, status=200):
    return render_page(
        request,
        "organizer/questions.html",
        organization,
        "workshops",
        status=status,
        workshop=workshop,
        questions=list(workshop.questions.all()),
        form=form,
        max_questions=services.MAX_QUESTIONS,
    )


@org_page("schedule.view", section="workshops")
def questions(request, organization, pk):
    workshop = workshop_or_404(organization, pk)
    return _questions_page(request, organization, workshop, forms.QuestionForm())


@org_page("schedule.manage", methods=("GET", "POST"), section="workshops")
def question_add(request, organization, pk):
    workshop = workshop_or_404(organization, pk)
    form = forms.QuestionForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_add(workshop=workshop, **_question_fields(form))
        except DomainError as error:
            forms.apply_error(form, error)
        else:
            messages.success(request, _("Question added: “%(question)s”.") % {"question": question.label})
            return redirect("questions", slug=organization.slug, pk=workshop.pk)
    return _questions_page(request, organization, workshop, form, status=form_status(form))


def _question(workshop, question_pk):
    return get_object_or_404(workshop.questions, pk=question_pk)


@org_page("schedule.manage", methods=("GET", "POST"), section="workshops")
def question_edit(request, organization, pk, question_pk):
    workshop = workshop_or_404(organization, pk)
    question = _question(workshop, question_pk)
    initial = {
        "label": question.label,
        "hint": question.hint,
        "kind": question.kind,
        "choices": "\n".join(question.choices),
        "required": question.required,
    }
    form = forms.QuestionForm(post_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(question=question, **_question_fields(form))
        except DomainError as error:
            forms.apply_error(form, error)
        else:
            messages.success(request, _("Question saved."))
            return redirect("questions", slug=organization.slug, pk=workshop.pk)
    return render_page(
        request,
        "organizer/question_form.html",
        organization,
        "workshops",
        status=form_status(form),
        workshop=workshop,
        question=question,
        form=form,
        answered=question.answers.count(),
    )


@org_page("schedule.manage", methods=("GET", "POST"), section="workshops")
def question_delete(request, organization, pk, question_pk):
    workshop = workshop_or_404(organization, pk)
    question = _question(workshop, question_pk)
    back = reverse("questions", args=[organization.slug, workshop.pk])
    if request.method == "GET":
        answered = question.answers.count()
        return confirm_page(
            request,
            organization,
            "workshops",
            title=_("Delete the question “%(question)s”?") % {"question": question.label},
            text=(
                ngettext(
                    "The answers %(count)s couple gave to it are deleted with it.",
                    "The answers %(count)s couples gave to it are deleted with it.",
                    answered,
                )
                % {"count": answered}
                if answered
                else _("Nobody has answered it yet.")
            ),
            button=_("Delete the question"),
            cancel_url=back,
        )
    try:
        services.question_delete(question=question)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Question deleted."))
    return redirect(back)


@org_page("schedule.manage", methods=("POST",), section="workshops")
def question_move(request, organization, pk, question_pk):
    workshop = workshop_or_404(organization, pk)
    question = _question(workshop, question_pk)
    services.question_move(question=question, up=request.POST.get("direction") != "down")
    return redirect(reverse("questions", args=[organization.slug, workshop.pk]) + f"#question-{question.pk}")
