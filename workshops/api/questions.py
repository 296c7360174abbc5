"""A workshop's registration questions over the REST API: the questions the organizer's questions page adds, edits,
moves and deletes, with its permissions (schedule.view to read, schedule.manage to change) and its rules
(workshops.services.registration_questions), and the couples' answers at public registration, checked by the same
function as the public registration form (answers_clean) and stored by the same one (registration_submit).

Answers are personal data: no refusal quotes one (a refusal names the question by its id and its label, which the
organizer wrote)."""

from django.db.models import Count
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from workshops.api.base import Pagination, get_or_404
from workshops.api.common import READ, WRITE, errors, example
from workshops.api.fields import InputSerializer, StrictBooleanField, StrictCharField, StrictChoiceField
from workshops.api.scheduling import WorkshopView
from workshops.models import RegistrationQuestion
from workshops.services import registration_questions as services

Kind = RegistrationQuestion.Kind

LABEL_HELP = f"The question, e.g. Any dietary needs? At most {services.MAX_LABEL} characters."
HINT_HELP = f"Shown under the question; optional, at most {services.MAX_LABEL} characters."
KIND_HELP = "short_text: couples type a short answer; choice: they choose one of `choices`."
CHOICES_HELP = (
    f"A choice question's options, in order: 2 to {services.MAX_CHOICES}, each of at most {services.MAX_CHOICE} "
    "characters (a repeated one is kept once). A short text question has none."
)
REQUIRED_HELP = "Whether couples must answer it to register."
LEFT_OUT = " Left out: {} when adding or replacing a question, unchanged by a PATCH."

QUESTION_EXAMPLE = example(
    "A choice",
    {
        "label": "Room for the retreat",
        "hint": "Two nights at the venue.",
        "kind": "choice",
        "choices": ["Shared room", "Single room"],
        "required": True,
    },
)


# ---- Output ------------------------------------------------------------------------------------------------------


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField(help_text="Where the form asks it: 1 first.")
    label = serializers.CharField(help_text="The question.")
    hint = serializers.CharField(help_text="Shown under the question; may be empty.")
    kind = serializers.ChoiceField(choices=Kind.choices, help_text=KIND_HELP)
    choices = serializers.ListField(child=serializers.CharField(), help_text="The options of a choice; else empty.")
    required = serializers.BooleanField(help_text=REQUIRED_HELP)
    answer_count = serializers.IntegerField(
        help_text="How many registrations answered it; deleting the question deletes their answers."
    )


class PublicQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The key of its answer in the registration's `answers`.")
    label = serializers.CharField(help_text="The question.")
    hint = serializers.CharField(help_text="Shown under the question; may be empty.")
    kind = serializers.ChoiceField(
        choices=Kind.choices, help_text="short_text: a short answer; choice: exactly one of `choices`."
    )
    choices = serializers.ListField(child=serializers.CharField(), help_text="The options of a choice; else empty.")
    required = serializers.BooleanField(help_text="Whether it must be answered to register.")


def questions_of(workshop):
    """The workshop's questions in the form's order, each with its `position` (from 1) and `answer_count`."""
    questions = list(workshop.questions.annotate(answer_count=Count("answers")).order_by("position", "id"))
    for position, question in enumerate(questions, 1):
        question.position = position
    return questions


# ---- Input -------------------------------------------------------------------------------------------------------


class QuestionInputSerializer(InputSerializer):
    # The rules (a label, a choice's options, the lengths once white space is tidied) are the service's, as on the
    # questions page; the lengths here are the page form's, on what was sent, untrimmed, as the schema states them
    # (a trimmed length would take a text the schema says is too long).
    label = StrictCharField(max_length=services.MAX_LABEL, trim_whitespace=False, help_text=LABEL_HELP)
    hint = StrictCharField(
        max_length=services.MAX_LABEL,
        trim_whitespace=False,
        required=False,
        allow_blank=True,
        help_text=HINT_HELP + LEFT_OUT.format('""'),
    )
    kind = StrictChoiceField(choices=Kind.choices, required=False, help_text=KIND_HELP + LEFT_OUT.format("short_text"))
    choices = serializers.ListField(
        child=StrictCharField(max_length=services.MAX_CHOICE, trim_whitespace=False),
        max_length=services.MAX_CHOICES,
        required=False,
        help_text=CHOICES_HELP + LEFT_OUT.format("[]"),
    )
    required = StrictBooleanField(required=False, help_text=REQUIRED_HELP + LEFT_OUT.format("false"))


MOVE_DIRECTIONS = ["up", "down"]


class MoveInputSerializer(InputSerializer):
    direction = StrictChoiceField(
        choices=MOVE_DIRECTIONS,
        help_text="up: asked one place earlier; down: one place later. At either end it stays where it is.",
    )


def _question_fields(data, question=None):
    """The service's arguments: what was sent, over the question's current values (a PATCH) or the defaults."""
    fields = {
        "label": question.label if question else "",
        "hint": question.hint if question else "",
        "kind": question.kind if question else Kind.SHORT_TEXT,
        "choices": list(question.choices) if question else [],
        "required": question.required if question else False,
    }
    fields.update(data)
    if data.get("choices") and fields["kind"] != Kind.CHOICE:
        # The page ignores the options of a short text question; here what would be ignored is refused.
        raise serializers.ValidationError(
            {"choices": [serializers.ErrorDetail(_("Only a choice question has options."), code="not_for_kind")]}
        )
    return fields


# ---- Views -------------------------------------------------------------------------------------------------------


class QuestionListView(WorkshopView):
    reads_body = ("post",)
    workshop_kwarg = "workshop_pk"
    pagination_class = Pagination

    @extend_schema(tags=["questions"], responses={200: QuestionSerializer(many=True), **errors(400, *READ)})
    def get(self, request, slug, workshop_pk):
        """The questions the workshop's registration form asks, besides an e-mail and a name, in the form's order."""
        return self.paginated(questions_of(self.workshop("schedule.view")), QuestionSerializer)

    @extend_schema(
        tags=["questions"],
        request=QuestionInputSerializer,
        responses={201: QuestionSerializer, **errors(*WRITE)},
        examples=[QUESTION_EXAMPLE, example("A short text", {"label": "Any dietary needs?", "required": True})],
    )
    def post(self, request, slug, workshop_pk):
        """Add a question at the end of the form (at most 20). Checked as the questions page checks it: a refusal
        names the field at fault (label, hint, kind or choices)."""
        workshop = self.workshop("schedule.manage")
        question = services.question_add(workshop=workshop, **_question_fields(self.parse(QuestionInputSerializer)))
        return Response(_shown(workshop, question.pk), status=status.HTTP_201_CREATED)


def _shown(workshop, pk):
    return QuestionSerializer(next(q for q in questions_of(workshop) if q.pk == pk)).data


class QuestionView(WorkshopView):
    workshop_kwarg = "workshop_pk"

    def question(self, action):
        workshop = self.workshop(action)
        return workshop, get_or_404(workshop.questions.all(), pk=self.kwargs["pk"])


class QuestionDetailView(QuestionView):
    reads_body = ("put", "patch")

    @extend_schema(tags=["questions"], responses={200: QuestionSerializer, **errors(*READ)})
    def get(self, request, slug, workshop_pk, pk):
        workshop, question = self.question("schedule.view")
        return Response(_shown(workshop, question.pk))

    @extend_schema(
        tags=["questions"],
        request=QuestionInputSerializer,
        responses={200: QuestionSerializer, **errors(*WRITE)},
        examples=[QUESTION_EXAMPLE],
    )
    def put(self, request, slug, workshop_pk, pk):
        """Replace the question (what is left out takes its default, as on the page's form). Answers given before
        stay as they were answered."""
        workshop, question = self.question("schedule.manage")
        services.question_update(question=question, **_question_fields(self.parse(QuestionInputSerializer)))
        return Response(_shown(workshop, question.pk))

    @extend_schema(
        tags=["questions"],
        request=QuestionInputSerializer(partial=True),
        responses={200: QuestionSerializer, **errors(*WRITE)},
    )
    def patch(self, request, slug, workshop_pk, pk):
        """Change what is sent; the rest stays. Answers given before stay as they were answered."""
        workshop, question = self.question("schedule.manage")
        data = self.parse(QuestionInputSerializer, partial=True)
        services.question_update(question=question, **_question_fields(data, question))
        return Response(_shown(workshop, question.pk))

    @extend_schema(tags=["questions"], responses={204: None, **errors(*WRITE)})
    def delete(self, request, slug, workshop_pk, pk):
        """Delete the question and every answer couples gave to it."""
        _workshop, question = self.question("schedule.manage")
        services.question_delete(question=question)
        return Response(status=status.HTTP_204_NO_CONTENT)


class QuestionMoveView(QuestionView):
    reads_body = ("post",)

    @extend_schema(
        tags=["questions"],
        request=MoveInputSerializer,
        responses={200: QuestionSerializer(many=True), **errors(*WRITE)},
        examples=[example("One place earlier", {"direction": "up"})],
    )
    def post(self, request, slug, workshop_pk, pk):
        """Move the question one place up or down the form, as the page's arrows do. Answers the whole form's
        questions in their new order."""
        workshop, question = self.question("schedule.manage")
        direction = self.parse(MoveInputSerializer)["direction"]
        services.question_move(question=question, up=direction == "up")
        return Response(QuestionSerializer(questions_of(workshop), many=True).data)


# ---- Answers at public registration ---------------------------------------------------------------------------------


class AnswerField(StrictCharField):
    """An answer's text, as sent: its rules (control characters included, which DRF would refuse first in words
    of its own) are the registration form's, checked by answers_clean."""

    def __init__(self, **kwargs):
        super().__init__(allow_blank=True, trim_whitespace=False, **kwargs)
        self.validators = []


def answers_of_registration(questions, answers):
    """A registration's answers sent over the API ({question id: text}) as the public form's fields
    ({services.field_name(question): text}), checked by the form's own function (services.answers_clean). Refused
    with every error, each at answers.<id> and naming its question: an id of no question of the workshop, an answer
    missing or invalid. Nothing here quotes an answer."""
    by_id = {str(question.pk): question for question in questions}
    refused = {
        key: [
            serializers.ErrorDetail(
                _("No such question on this workshop's registration form; its questions are listed with the workshop."),
                code="unknown_question",
            )
        ]
        for key in answers
        if key not in by_id
    }
    fields = {services.field_name(question): answers.get(key, "") for key, question in by_id.items()}
    _answers, problems = services.answers_clean(questions, fields)
    for key, question in by_id.items():
        problem = problems.get(services.field_name(question))
        if problem:
            refused[key] = [answer_refusal(question, problem)]
    if refused:
        raise serializers.ValidationError({"answers": refused})
    return fields


def answer_refusal(question, message):
    """The form's message for a question, naming the question (the form shows it under the question instead)."""
    refusal = _("%(problem)s (“%(question)s”).") % {"problem": message.removesuffix("."), "question": question.label}
    return serializers.ErrorDetail(refusal, code="invalid_answer")


def refusal_of_question(questions, error):
    """A DomainError of registration_submit about a question's form field, as the API's refusal of its answer; None
    when the error is not about a question."""
    for question in questions:
        if error.field == services.field_name(question):
            refusal = answer_refusal(question, error.message)
            return serializers.ValidationError({"answers": {str(question.pk): [refusal]}})
    return None
