"""The questions a workshop asks at registration, and the couples' answers.

Answers are personal data (a diet, an accessibility need, who shares a room): they are checked here, stored
with the enrollment in the registration's transaction, shown to the workshop's organizers and in their export,
and deleted with the enrollment. No error message quotes an answer, and nothing here logs one.
"""

import re

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from workshops.errors import DomainError
from workshops.models import RegistrationAnswer, RegistrationQuestion, Workshop

MAX_QUESTIONS = 20
MAX_CHOICES = 20
MAX_LABEL = 200
MAX_CHOICE = 100
MAX_ANSWER = 200
# PostgreSQL refuses NUL in text; other control characters have no place in an answer either.
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def field_name(question):
    """The form field of a question on the registration page."""
    return f"q-{question.pk}"


def _clean_question(*, label, kind, choices, hint):
    label = " ".join((label or "").split())
    if not label:
        raise DomainError(_("Write the question."), field="label")
    if len(label) > MAX_LABEL:
        raise DomainError(_("Keep the question to %(count)s characters.") % {"count": MAX_LABEL}, field="label")
    hint = " ".join((hint or "").split())
    if len(hint) > MAX_LABEL:
        raise DomainError(_("Keep the hint to %(count)s characters.") % {"count": MAX_LABEL}, field="hint")
    if kind not in RegistrationQuestion.Kind.values:
        raise DomainError(_("Choose short text or a choice."), field="kind")
    if kind == RegistrationQuestion.Kind.SHORT_TEXT:
        return label, hint, []
    options = []
    for option in choices or []:
        option = " ".join(str(option).split())
        if option and option not in options:
            options.append(option)
    if len(options) < 2:
        raise DomainError(_("A choice needs at least two options, one per line."), field="choices")
    if len(options) > MAX_CHOICES:
        raise DomainError(_("Give at most %(count)s options.") % {"count": MAX_CHOICES}, field="choices")
    if any(len(option) > MAX_CHOICE for option in options):
        raise DomainError(_("Keep each option to %(count)s characters.") % {"count": MAX_CHOICE}, field="choices")
    return label, hint, options


def _changeable(workshop):
    if workshop.status == Workshop.Status.CANCELLED:
        raise DomainError(_("A cancelled workshop can't be changed."), code="cancelled")


@transaction.atomic
def question_add(*, workshop, label, kind, choices=(), required=False, hint=""):
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    _changeable(workshop)
    if workshop.questions.count() >= MAX_QUESTIONS:
        raise DomainError(
            _("A registration form asks at most %(count)s questions.") % {"count": MAX_QUESTIONS}, code="too_many"
        )
    label, hint, options = _clean_question(label=label, kind=kind, choices=choices, hint=hint)
    last = workshop.questions.aggregate(last=Max("position"))["last"] or 0
    return RegistrationQuestion.objects.create(
        workshop=workshop, position=last + 1, label=label, hint=hint, kind=kind, choices=options, required=required
    )


@transaction.atomic
def question_update(*, question, label, kind, choices=(), required=False, hint=""):
    """Change a question. Answers given before keep what was answered (shown as they were)."""
    workshop = Workshop.objects.select_for_update().get(pk=question.workshop_id)
    _changeable(workshop)
    label, hint, options = _clean_question(label=label, kind=kind, choices=choices, hint=hint)
    question.label, question.hint, question.kind, question.choices = label, hint, kind, options
    question.required = bool(required)
    question.save()
    return question


@transaction.atomic
def question_delete(*, question):
    """Delete a question and every answer to it."""
    workshop = Workshop.objects.select_for_update().get(pk=question.workshop_id)
    _changeable(workshop)
    question.delete()


@transaction.atomic
def question_move(*, question, up):
    """Swap a question with the one before (up) or after it."""
    Workshop.objects.select_for_update().get(pk=question.workshop_id)
    siblings = list(RegistrationQuestion.objects.filter(workshop_id=question.workshop_id))
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, item in enumerate(siblings, start=1):
        if item.position != position:
            RegistrationQuestion.objects.filter(pk=item.pk).update(position=position)


def answers_clean(questions, data):
    """Check a registration's answers: ({question id: answer}, {form field: error}). ``data`` maps form field names
    (``field_name``) to what was typed or chosen. An unanswered optional question has no answer."""
    answers, errors = {}, {}
    for question in questions:
        name = field_name(question)
        value = " ".join(str(data.get(name) or "").split())
        if not value:
            if question.required:
                errors[name] = _("Please answer this question.") if question.kind == "short_text" else _("Choose one.")
            continue
        if question.kind == RegistrationQuestion.Kind.CHOICE and value not in question.choices:
            errors[name] = _("Choose one of the options.")
        elif UNSTORABLE.search(value):
            errors[name] = _("Use plain text: control characters can't be stored.")
        elif len(value) > MAX_ANSWER:
            errors[name] = _("Keep the answer to %(count)s characters.") % {"count": MAX_ANSWER}
        else:
            answers[question.pk] = value
    return answers, errors


def answers_save(*, enrollment, answers):
    """Store checked answers ({question id: answer}) with a new enrollment (inside its transaction)."""
    RegistrationAnswer.objects.bulk_create(
        RegistrationAnswer(enrollment=enrollment, question_id=question_id, value=value)
        for question_id, value in answers.items()
    )
