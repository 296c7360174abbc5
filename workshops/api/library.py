"""The exercise library and programs: the built-in ones (read-only, copy them) plus the organization's own."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from workshops.api.base import LIST_BACKENDS, OrgView, Pagination, get_or_404
from workshops.api.common import READ, WRITE, errors, example
from workshops.api.fields import (
    IdField,
    InputSerializer,
    StepConfigField,
    StrictCharField,
    StrictChoiceField,
    StrictIntegerField,
)
from workshops.models import Exercise, Program
from workshops.selectors.organizations import (
    exercises_visible,
    program_minutes_by_part,
    program_total_minutes,
    programs_visible,
)
from workshops.services import library as services
from workshops.steps import KIND_LABELS, STEP_KINDS

EXERCISE_EXAMPLE = example(
    "A boundary map",
    {
        "title": "Boundary map",
        "summary": "Each partner sorts what is and isn't up for negotiation.",
        "practice": "Boundaries",
        "steps": [
            {
                "kind": "instruction",
                "title": "Why boundaries help",
                "duration_minutes": 5,
                "participant_text": "A boundary is information, not a verdict.",
            },
            {
                "kind": "worksheet",
                "title": "Map them together",
                "duration_minutes": 20,
                "config": {
                    "sections": [
                        {"key": "non_negotiables", "label": "Non-negotiables"},
                        {"key": "negotiables", "label": "Negotiables"},
                    ]
                },
            },
        ],
    },
)
PROGRAM_EXAMPLE = example(
    "An evening",
    {
        "title": "An evening on boundaries",
        "format": "in_person",
        "items": [{"exercise": 1, "part": 1, "duration_minutes": 30, "facilitator_notes": "Keep it light."}],
    },
)
STEP_KIND_CHOICES = [(kind, KIND_LABELS[kind]) for kind in STEP_KINDS]
BUILTIN_CHOICES = [("true", "built-in only"), ("false", "the organization's own only")]


def _filter_builtin(queryset, name, value):
    return queryset.filter(organization__isnull=value == "true")


# ---- Exercises ------------------------------------------------------------------------------------------------


class StepInputSerializer(InputSerializer):
    kind = StrictChoiceField(choices=STEP_KIND_CHOICES)
    title = StrictCharField(max_length=120)
    duration_minutes = StrictIntegerField(min_value=1, max_value=240)
    participant_text = StrictCharField(max_length=4000, required=False, allow_blank=True)
    facilitator_notes = StrictCharField(max_length=4000, required=False, allow_blank=True)
    content_note = StrictCharField(max_length=1000, required=False, allow_blank=True)
    config = StepConfigField(required=False)


class StepOutputSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=STEP_KIND_CHOICES)
    kind_label = serializers.SerializerMethodField()
    title = serializers.CharField()
    duration_minutes = serializers.IntegerField()
    participant_text = serializers.CharField()
    facilitator_notes = serializers.CharField()
    content_note = serializers.CharField()
    config = serializers.DictField()

    def get_kind_label(self, step) -> str:
        return KIND_LABELS.get(step.kind, step.kind)


class ExerciseInputSerializer(InputSerializer):
    title = StrictCharField(max_length=120)
    summary = StrictCharField(max_length=600, required=False, allow_blank=True)
    practice = StrictCharField(max_length=120, required=False, allow_blank=True)
    steps = StepInputSerializer(many=True, allow_empty=False, max_length=services.MAX_STEPS)


class ExerciseOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField(help_text="Stable key of a built-in exercise; empty for your own.")
    title = serializers.CharField()
    summary = serializers.CharField()
    practice = serializers.CharField()
    is_builtin = serializers.BooleanField()
    copied_from = serializers.IntegerField(source="copied_from_id", allow_null=True)
    step_count = serializers.SerializerMethodField()
    total_minutes = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_step_count(self, exercise) -> int:
        return len(exercise.steps.all())

    def get_total_minutes(self, exercise) -> int:
        return sum(step.duration_minutes for step in exercise.steps.all())


class ExerciseDetailSerializer(ExerciseOutputSerializer):
    steps = StepOutputSerializer(many=True)


class ExerciseFilter(django_filters.FilterSet):
    builtin = django_filters.ChoiceFilter(choices=BUILTIN_CHOICES, method=_filter_builtin)
    practice = django_filters.CharFilter(max_length=120)

    class Meta:
        model = Exercise
        fields = ["builtin", "practice"]


def _exercise_data(data):
    steps = [dict(step) for step in data["steps"]] if "steps" in data else None
    return {k: v for k, v in data.items() if k != "steps"}, steps


class ExerciseListView(OrgView):
    reads_body = ("post",)
    filter_backends = LIST_BACKENDS
    filterset_class = ExerciseFilter
    ordering_fields = ["title", "created_at"]
    pagination_class = Pagination

    def get_queryset(self):
        if self.is_schema_view():
            return Exercise.objects.none()
        return exercises_visible(self.organization("library.view"))

    @extend_schema(tags=["library"], responses={200: ExerciseOutputSerializer(many=True), **errors(400, *READ)})
    def get(self, request, slug):
        """The built-in exercises and the organization's own."""
        return self.paginated(self.get_queryset(), ExerciseOutputSerializer)

    @extend_schema(
        tags=["library"],
        request=ExerciseInputSerializer,
        responses={201: ExerciseDetailSerializer, **errors(*WRITE)},
        examples=[EXERCISE_EXAMPLE],
    )
    def post(self, request, slug):
        """Create an exercise; each step is checked against its kind (a step the live apps can't run is refused)."""
        organization = self.organization("library.manage")
        fields, steps = _exercise_data(self.parse(ExerciseInputSerializer))
        exercise = services.exercise_create(organization=organization, steps=steps, **fields)
        return Response(ExerciseDetailSerializer(exercise).data, status=status.HTTP_201_CREATED)


class ExerciseDetailView(OrgView):
    reads_body = ("patch",)

    def _exercise(self, organization):
        return get_or_404(exercises_visible(organization), pk=self.kwargs["pk"])

    @extend_schema(tags=["library"], responses={200: ExerciseDetailSerializer, **errors(*READ)})
    def get(self, request, slug, pk):
        return Response(ExerciseDetailSerializer(self._exercise(self.organization("library.view"))).data)

    @extend_schema(
        tags=["library"],
        request=ExerciseInputSerializer(partial=True),
        responses={200: ExerciseDetailSerializer, **errors(*WRITE)},
    )
    def patch(self, request, slug, pk):
        """Change your own exercise; `steps`, when given, replaces all steps. Built-in ones are read-only."""
        organization = self.organization("library.manage")
        exercise = self._exercise(organization)
        fields, steps = _exercise_data(self.parse(ExerciseInputSerializer, partial=True))
        exercise = services.exercise_update(exercise=exercise, organization=organization, steps=steps, **fields)
        return Response(ExerciseDetailSerializer(self._exercise(organization)).data)

    @extend_schema(tags=["library"], responses={204: None, **errors(*WRITE)})
    def delete(self, request, slug, pk):
        """Delete your own exercise (not while a program uses it)."""
        organization = self.organization("library.manage")
        services.exercise_delete(exercise=self._exercise(organization), organization=organization)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExerciseCopyView(OrgView):
    @extend_schema(tags=["library"], request=None, responses={201: ExerciseDetailSerializer, **errors(*WRITE)})
    def post(self, request, slug, pk):
        """Copy a built-in (or your own) exercise into the organization, to change it."""
        organization = self.organization("library.manage")
        exercise = get_or_404(exercises_visible(organization), pk=pk)
        copy = services.exercise_copy(exercise=exercise, organization=organization)
        return Response(
            ExerciseDetailSerializer(get_or_404(exercises_visible(organization), pk=copy.pk)).data,
            status=status.HTTP_201_CREATED,
        )


# ---- Programs ---------------------------------------------------------------------------------------------------


class ProgramItemInputSerializer(InputSerializer):
    exercise = IdField(help_text="A built-in exercise or one of your own.")
    part = StrictIntegerField(min_value=1, max_value=14, required=False, help_text="Which session runs it (1 first).")
    duration_minutes = StrictIntegerField(
        min_value=1, max_value=600, required=False, help_text="Defaults to the exercise's steps' total."
    )
    facilitator_notes = StrictCharField(max_length=4000, required=False, allow_blank=True)


class ProgramItemOutputSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    exercise = serializers.IntegerField(source="exercise_id")
    exercise_title = serializers.CharField(source="exercise.title")
    part = serializers.IntegerField()
    duration_minutes = serializers.IntegerField()
    facilitator_notes = serializers.CharField()


class PartMinutesSerializer(serializers.Serializer):
    part = serializers.IntegerField()
    minutes = serializers.IntegerField()


class ProgramInputSerializer(InputSerializer):
    title = StrictCharField(max_length=120)
    description = StrictCharField(max_length=2000, required=False, allow_blank=True)
    format = StrictChoiceField(choices=Program.FORMATS, required=False)
    items = ProgramItemInputSerializer(many=True, allow_empty=False, max_length=services.MAX_ITEMS)


class ProgramOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField(help_text="Stable key of a built-in program; empty for your own.")
    title = serializers.CharField()
    description = serializers.CharField()
    format = serializers.ChoiceField(choices=Program.FORMATS)
    is_builtin = serializers.BooleanField()
    copied_from = serializers.IntegerField(source="copied_from_id", allow_null=True)
    item_count = serializers.SerializerMethodField()
    planned_total_minutes = serializers.SerializerMethodField()
    minutes_by_part = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_item_count(self, program) -> int:
        return len(program.items.all())

    def get_planned_total_minutes(self, program) -> int:
        return program_total_minutes(program)

    @extend_schema_field(PartMinutesSerializer(many=True))
    def get_minutes_by_part(self, program):
        return [{"part": part, "minutes": minutes} for part, minutes in program_minutes_by_part(program).items()]


class ProgramDetailSerializer(ProgramOutputSerializer):
    items = ProgramItemOutputSerializer(many=True)


class ProgramFilter(django_filters.FilterSet):
    builtin = django_filters.ChoiceFilter(choices=BUILTIN_CHOICES, method=_filter_builtin)
    format = django_filters.ChoiceFilter(choices=Program.FORMATS)

    class Meta:
        model = Program
        fields = ["builtin", "format"]


def _program_data(data):
    items = [dict(item) for item in data["items"]] if "items" in data else None
    return {k: v for k, v in data.items() if k != "items"}, items


class ProgramListView(OrgView):
    reads_body = ("post",)
    filter_backends = LIST_BACKENDS
    filterset_class = ProgramFilter
    ordering_fields = ["title", "created_at"]
    pagination_class = Pagination

    def get_queryset(self):
        if self.is_schema_view():
            return Program.objects.none()
        return programs_visible(self.organization("library.view"))

    @extend_schema(tags=["library"], responses={200: ProgramOutputSerializer(many=True), **errors(400, *READ)})
    def get(self, request, slug):
        """The built-in programs and the organization's own, with planned minutes in total and per part."""
        return self.paginated(self.get_queryset(), ProgramOutputSerializer)

    @extend_schema(
        tags=["library"],
        request=ProgramInputSerializer,
        responses={201: ProgramDetailSerializer, **errors(*WRITE)},
        examples=[PROGRAM_EXAMPLE],
    )
    def post(self, request, slug):
        """Build a program from exercises of your library, in order, each with its part and duration."""
        organization = self.organization("library.manage")
        fields, items = _program_data(self.parse(ProgramInputSerializer))
        program = services.program_create(organization=organization, items=items, **fields)
        return Response(
            ProgramDetailSerializer(get_or_404(programs_visible(organization), pk=program.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class ProgramDetailView(OrgView):
    reads_body = ("patch",)

    def _program(self, organization):
        return get_or_404(programs_visible(organization), pk=self.kwargs["pk"])

    @extend_schema(tags=["library"], responses={200: ProgramDetailSerializer, **errors(*READ)})
    def get(self, request, slug, pk):
        return Response(ProgramDetailSerializer(self._program(self.organization("library.view"))).data)

    @extend_schema(
        tags=["library"],
        request=ProgramInputSerializer(partial=True),
        responses={200: ProgramDetailSerializer, **errors(*WRITE)},
    )
    def patch(self, request, slug, pk):
        """Change your own program; `items`, when given, replaces all items. Built-in ones are read-only."""
        organization = self.organization("library.manage")
        program = self._program(organization)
        fields, items = _program_data(self.parse(ProgramInputSerializer, partial=True))
        services.program_update(program=program, organization=organization, items=items, **fields)
        return Response(ProgramDetailSerializer(self._program(organization)).data)

    @extend_schema(tags=["library"], responses={204: None, **errors(*WRITE)})
    def delete(self, request, slug, pk):
        """Delete your own program (not while a workshop uses it)."""
        organization = self.organization("library.manage")
        services.program_delete(program=self._program(organization), organization=organization)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProgramCopyView(OrgView):
    @extend_schema(tags=["library"], request=None, responses={201: ProgramDetailSerializer, **errors(*WRITE)})
    def post(self, request, slug, pk):
        """Copy a built-in (or your own) program into the organization, to adapt it."""
        organization = self.organization("library.manage")
        program = get_or_404(programs_visible(organization), pk=pk)
        copy = services.program_copy(program=program, organization=organization)
        return Response(
            ProgramDetailSerializer(get_or_404(programs_visible(organization), pk=copy.pk)).data,
            status=status.HTTP_201_CREATED,
        )
