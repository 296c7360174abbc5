"""Anonymous feedback: storage that cannot be linked back to who answered.

- A Receipt says that a participant answered (or passed) a prompt, so nobody answers twice. It has no time.
- A PendingAnswer holds an answer until it is released. It has no participant, couple, time, device or
  sequence: its key is random, and every write re-inserts all pending rows of the prompt in random order,
  so neither insertion order, PostgreSQL's xmin/ctid nor a dump's row order tells which came when.
  Receipts are rewritten the same way.
- A Release moves pending answers, shuffled, into ReleasedAnswer in one transaction and deletes them, but
  only if it adds at least k answers from at least three couples.
"""

import uuid

from django.db import models


class Survey(models.Model):
    """An organization's post-session survey, designed in the organizer pages."""

    organization = models.ForeignKey("workshops.Organization", on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(max_length=120)
    # [{"kind", "question", "options", "scale"}] validated by feedback.prompts.validate_prompt
    prompts = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.title


class Prompt(models.Model):
    class Source(models.TextChoices):
        STEP = "step", "Program step"
        LIVE = "live", "Added live"
        SURVEY = "survey", "Post-session survey"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    session = models.ForeignKey("workshops.Session", on_delete=models.CASCADE, related_name="prompts")
    source = models.CharField(max_length=8, choices=Source.choices)
    step_index = models.IntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10)  # scale, single, multiple, words, text
    question = models.CharField(max_length=300)
    options = models.JSONField(default=list, blank=True)
    scale = models.JSONField(null=True, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    on_projector = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "step_index"], condition=models.Q(source="step"), name="one_prompt_per_poll_step"
            )
        ]


class Receipt(models.Model):
    """That a participant answered or passed a prompt. No time, no answer, no order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="receipts")
    participant = models.ForeignKey("realtime.Participant", on_delete=models.CASCADE, related_name="+")
    couple_id_at_answer = models.IntegerField(null=True)  # to count couples in a release; never joined to answers
    answered = models.BooleanField()  # False: passed
    released = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prompt", "participant"], name="one_receipt_per_person")]


class PendingAnswer(models.Model):
    """An answer waiting for a release. Nothing here says who, when or in what order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="+")
    value = models.JSONField()


class Release(models.Model):
    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="releases")
    answers = models.PositiveIntegerField()
    couples = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)


class ReleasedAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="released")
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="+")
    value = models.JSONField()
    hidden = models.BooleanField(default=False)  # a word or text the facilitator keeps off the projector
