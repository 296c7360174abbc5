from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from workshops.steps import KIND_LABELS, STEP_KINDS


class Exercise(models.Model):
    """An exercise: ordered steps. Built-in ones have no organization and cannot be edited; copy them."""

    organization = models.ForeignKey(
        "workshops.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="exercises"
    )
    key = models.SlugField(max_length=60, blank=True, help_text="Stable key of a built-in exercise.")
    title = models.CharField(max_length=120)
    summary = models.TextField(max_length=600, blank=True)
    practice = models.CharField(max_length=120, blank=True)
    # The language its texts are written in (an organization's own: its author's), and the same texts in other
    # languages: {"de": {"title": ..., "summary": ..., "practice": ...}} (workshops/library_i18n.py).
    language = models.CharField(max_length=8, default="en")
    translations = models.JSONField(default=dict, blank=True)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(organization__isnull=True), name="unique_builtin_exercise_key"
            )
        ]

    @property
    def is_builtin(self):
        return self.organization_id is None

    def total_minutes(self):
        return self.steps.aggregate(total=Sum("duration_minutes"))["total"] or 0

    def __str__(self):
        return self.title


class Step(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=[(k, KIND_LABELS[k]) for k in STEP_KINDS])
    title = models.CharField(max_length=120)
    duration_minutes = models.PositiveSmallIntegerField()
    participant_text = models.TextField(blank=True)
    facilitator_notes = models.TextField(blank=True)
    content_note = models.TextField(blank=True)
    # Validated against the kind's model in workshops.steps before every save (services).
    config = models.JSONField(default=dict, blank=True)
    # Its texts in other languages than its exercise's: {"de": {"title", "participant_text", "facilitator_notes",
    # "content_note", "config"}} (the whole config, so a phone swaps it as it is).
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["exercise_id", "position"]
        constraints = [models.UniqueConstraint(fields=["exercise", "position"], name="unique_step_position")]

    def as_spec(self):
        return {
            "kind": self.kind,
            "title": self.title,
            "duration_minutes": self.duration_minutes,
            "participant_text": self.participant_text,
            "facilitator_notes": self.facilitator_notes,
            "content_note": self.content_note,
            "config": self.config,
        }


class Program(models.Model):
    """An ordered list of exercises with durations and notes. Built-in ones have no organization."""

    FORMATS = [("in_person", _("In person")), ("online", _("Online")), ("hybrid", _("Hybrid"))]

    organization = models.ForeignKey(
        "workshops.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="programs"
    )
    key = models.SlugField(max_length=60, blank=True)
    title = models.CharField(max_length=120)
    description = models.TextField(max_length=2000, blank=True)
    format = models.CharField(max_length=16, choices=FORMATS, default="in_person")
    language = models.CharField(max_length=8, default="en")
    translations = models.JSONField(default=dict, blank=True)  # {"de": {"title": ..., "description": ...}}
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(organization__isnull=True), name="unique_builtin_program_key"
            )
        ]

    @property
    def is_builtin(self):
        return self.organization_id is None

    def __str__(self):
        return self.title


class ProgramItem(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="program_items")
    position = models.PositiveSmallIntegerField()
    # Which session of a multi-session workshop runs this item (1 = the first).
    part = models.PositiveSmallIntegerField(default=1)
    duration_minutes = models.PositiveSmallIntegerField()
    facilitator_notes = models.TextField(blank=True)
    translations = models.JSONField(default=dict, blank=True)  # {"de": {"facilitator_notes": ...}}

    class Meta:
        ordering = ["program_id", "position"]
        constraints = [models.UniqueConstraint(fields=["program", "position"], name="unique_item_position")]
