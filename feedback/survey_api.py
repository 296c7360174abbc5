"""The post-session survey over the REST API: the survey the designer page edits (feedback.surveys.survey_of), with
its permission (feedback.design) and its rules (feedback.prompts.validate_prompt), the whole list of questions at
once, as programs' items are (workshops/api/library.py)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings

from feedback import surveys
from feedback.prompts import (
    KIND_LABELS,
    KINDS,
    LABEL_LENGTH,
    OPTION_LENGTH,
    OPTIONS,
    QUESTION_LENGTH,
    SCALE_ENDS,
    validate_prompt,
)
from workshops.api.base import OrgView
from workshops.api.common import READ, WRITE, errors, example
from workshops.api.fields import InputSerializer, StrictCharField, StrictChoiceField, StrictIntegerField
from workshops.errors import DomainError

PROMPT_KIND_CHOICES = [(kind, KIND_LABELS[kind]) for kind in KINDS]
CHOICE_KINDS = ("single", "multiple")
LOW, HIGH = SCALE_ENDS

SURVEY_EXAMPLE = example(
    "Three questions",
    {
        "title": "After the session",
        "prompts": [
            {
                "kind": "scale",
                "question": "How useful was today?",
                "scale": {"min": 1, "max": 5, "min_label": "Not at all", "max_label": "Very"},
            },
            {"kind": "single", "question": "Would you come again?", "options": ["Yes", "Not sure", "No"]},
            {"kind": "words", "question": "One word for today?"},
        ],
    },
)
REORDERED_EXAMPLE = example(
    "New questions only",
    {
        "prompts": [
            {"kind": "words", "question": "One word for today?"},
            {"kind": "text", "question": "Anything we should change?"},
        ]
    },
)

KIND_HELP = "What couples answer: a number on a scale, one option, any options, one word or a few sentences."
QUESTION_HELP = f"At most {QUESTION_LENGTH} characters; runs of white space are made one space."
OPTIONS_HELP = (
    f"A single or multiple choice question's options, in order: {OPTIONS[0]} to {OPTIONS[1]}, each of 1 to "
    f"{OPTION_LENGTH} characters. Other kinds have none (leave it out, or send [])."
)
SCALE_HELP = (
    "A scale question's numbers and the labels of its ends; left out or null, it is 1 to 5 without labels. "
    "Other kinds have none (leave it out, or send null)."
)


# ---- Output ------------------------------------------------------------------------------------------------------


class SurveyScaleSerializer(serializers.Serializer):
    min = serializers.IntegerField()
    max = serializers.IntegerField()
    min_label = serializers.CharField()
    max_label = serializers.CharField()


# What GET answers is what PUT takes, as it is: no field here that a body would refuse.
class SurveyPromptSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PROMPT_KIND_CHOICES)
    question = serializers.CharField()
    options = serializers.ListField(child=serializers.CharField(), help_text="Empty unless single or multiple.")
    scale = SurveyScaleSerializer(allow_null=True, help_text="Null unless a scale.")


class SurveySerializer(serializers.Serializer):
    title = serializers.CharField()
    prompts = SurveyPromptSerializer(many=True, help_text="The questions, in the order couples answer them.")


def _shown(survey):
    prompts = [
        {
            "kind": prompt.get("kind", ""),
            "question": prompt.get("question", ""),
            "options": prompt.get("options") or [],
            "scale": prompt.get("scale") or None,
        }
        for prompt in survey.prompts
    ]
    return SurveySerializer({"title": survey.title, "prompts": prompts}).data


# ---- Input -------------------------------------------------------------------------------------------------------


class SurveyScaleInputSerializer(InputSerializer):
    min = StrictIntegerField(min_value=LOW, max_value=HIGH - 1, help_text="The lowest number, below the highest.")
    max = StrictIntegerField(min_value=LOW + 1, max_value=HIGH, help_text="The highest number.")
    min_label = StrictCharField(max_length=LABEL_LENGTH, required=False, allow_blank=True, help_text="e.g. Not at all")
    max_label = StrictCharField(max_length=LABEL_LENGTH, required=False, allow_blank=True, help_text="e.g. Completely")


def _refusal(field, message, code):
    return serializers.ValidationError({field: [serializers.ErrorDetail(message, code=code)]})


class SurveyPromptInputSerializer(InputSerializer):
    kind = StrictChoiceField(choices=PROMPT_KIND_CHOICES, help_text=KIND_HELP)
    # The question's rules are validate_prompt's (it counts the length once white space is tidied).
    question = StrictCharField(allow_blank=True, trim_whitespace=False, help_text=QUESTION_HELP)
    options = serializers.ListField(
        child=StrictCharField(allow_blank=True, trim_whitespace=False), required=False, help_text=OPTIONS_HELP
    )
    scale = SurveyScaleInputSerializer(required=False, allow_null=True, help_text=SCALE_HELP)

    def validate(self, data):
        """The question as the survey stores it: validate_prompt's, whose refusal names its part (question,
        options, scale). A part of another kind is refused rather than dropped."""
        kind = data["kind"]
        if data.get("options") and kind not in CHOICE_KINDS:
            raise _refusal("options", _("Only a single or multiple choice question has options."), "not_for_kind")
        if data.get("scale") is not None and kind != "scale":
            raise _refusal("scale", _("Only a scale question has a scale."), "not_for_kind")
        try:
            return validate_prompt({**data, "scale": dict(data["scale"]) if data.get("scale") else None})
        except DomainError as refused:
            raise _refusal(refused.field or api_settings.NON_FIELD_ERRORS_KEY, refused.message, refused.code) from None


class SurveyInputSerializer(InputSerializer):
    title = StrictCharField(max_length=surveys.TITLE_LENGTH, help_text="For the staff; couples see the questions.")
    prompts = SurveyPromptInputSerializer(
        many=True,
        max_length=surveys.MAX_PROMPTS,
        help_text=f"All the questions (at most {surveys.MAX_PROMPTS}), in their order: this list replaces the "
        "survey's.",
    )


class SurveyChangeInputSerializer(InputSerializer):
    # Not SurveyInputSerializer(partial=True): a partial root would let a question leave out its kind too.
    title = StrictCharField(
        max_length=surveys.TITLE_LENGTH, required=False, help_text="For the staff; couples see the questions."
    )
    prompts = SurveyPromptInputSerializer(
        many=True,
        max_length=surveys.MAX_PROMPTS,
        required=False,
        help_text=f"All the questions (at most {surveys.MAX_PROMPTS}), in their order: when given, this list replaces "
        "the survey's.",
    )

    class Meta:
        ref_name = "SurveyInput"  # the schema names a PATCH's body PatchedSurveyInput


# ---- View --------------------------------------------------------------------------------------------------------


class SurveyView(OrgView):
    reads_body = ("put", "patch")

    def _survey(self):
        return surveys.survey_of(self.organization("feedback.design"))

    @extend_schema(tags=["feedback"], responses={200: SurveySerializer, **errors(*READ)})
    def get(self, request, slug):
        """The post-session survey: its title and its questions in the order couples answer them. It is the one the
        survey designer page shows; owners and organizers design it."""
        return Response(_shown(self._survey()))

    @extend_schema(
        tags=["feedback"],
        request=SurveyInputSerializer,
        responses={200: SurveySerializer, **errors(*WRITE)},
        examples=[SURVEY_EXAMPLE],
    )
    def put(self, request, slug):
        """Replace the survey: its title and all its questions, in order. As on the designer page, a question is
        added by putting it in the list, edited where it is, moved by moving it and removed by leaving it out.
        Each is checked as the page checks it; a refusal names its place, e.g. `prompts.2.scale.min`.

        Couples get the survey's questions when a session ends: a session that has ended keeps the questions it
        asked (its feedback prompts, with their answers and report), whatever changes here."""
        survey = self._survey()
        data = self.parse(SurveyInputSerializer)
        return Response(_shown(surveys.survey_save(survey=survey, title=data["title"], prompts=data["prompts"])))

    @extend_schema(
        tags=["feedback"],
        request=SurveyChangeInputSerializer,
        responses={200: SurveySerializer, **errors(*WRITE)},
        examples=[REORDERED_EXAMPLE],
    )
    def patch(self, request, slug):
        """Change the title, or the questions, or both: `prompts`, when given, replaces all the questions, in its
        order (add, edit, move or remove one by sending the list as it should be). Checked as `PUT` is.

        Couples get the survey's questions when a session ends: a session that has ended keeps the questions it
        asked (its feedback prompts, with their answers and report), whatever changes here."""
        survey = self._survey()
        data = self.parse(SurveyChangeInputSerializer)
        return Response(_shown(surveys.survey_save(survey=survey, **data)))
