from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationQuestion(models.Model):
    """A question an organizer adds to a workshop's registration form (diet, accessibility, rooms for a retreat)."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        CHOICE = "choice", _("One choice from a list")

    workshop = models.ForeignKey("workshops.Workshop", on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)
    hint = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SHORT_TEXT)
    # The options of a choice question, in order (validated by services.registration_questions).
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=False)

    class Meta:
        ordering = ["workshop_id", "position", "id"]

    def __str__(self):
        return self.label


class RegistrationAnswer(models.Model):
    """A couple's answer to a registration question. Personal data: shown to the workshop's organizers and in
    their export only, never logged, and deleted with its enrollment (at the latest when the workshop's
    retention period ends)."""

    enrollment = models.ForeignKey("workshops.Enrollment", on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(RegistrationQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.CharField(max_length=200)

    class Meta:
        ordering = ["question__position", "question_id"]
        constraints = [models.UniqueConstraint(fields=["enrollment", "question"], name="one_answer_per_question")]
