"""Anonymous feedback: storage that cannot be linked back to who answered.

- A Receipt says that a participant answered (or passed) a prompt, so nobody answers twice. It has no time.
- A PendingSet holds a prompt's answers until they are released: one row per prompt, the whole set shuffled,
  padded and sealed afresh with each answer under an ephemeral key PostgreSQL never holds (feedback/pending.py,
  feedback/keys.py). No row, old row version, WAL record or backup tells which answer came when, or what
  anyone answered, and once the key is destroyed (at the release, or when the prompt closes) nobody can read
  any version of it. Receipts are rewritten in random order with each answer too.
- A Release moves the pending answers, shuffled, into ReleasedAnswer in one transaction and deletes the set,
  but only if it adds at least k answers from at least three couples.
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
    # The language the question is in ("" when unknown: a survey's), and the same question in others:
    # {"de": {"question", "options", "scale"}} (a poll step's, from its exercise; options in the same places, so
    # an answer means the same in each).
    language = models.CharField(max_length=8, blank=True, default="")
    translations = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    on_projector = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    # The couples who may answer, frozen when the prompt opened (feedback.services.who_can_answer): everyone sees
    # how many, and how many of them are walk-ins, before they answer, and neither number ever changes.
    eligible = models.JSONField(default=list)
    walk_ins = models.PositiveSmallIntegerField(default=0)
    # How many couples its released answers came from (each couple once), counted at each release: every result
    # says "N answers from M couples", also after the workshop's participants and receipts are deleted.
    released_couples = models.PositiveIntegerField(default=0)

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
    # 2: the second person on a couple's shared phone (one-phone mode), who answers for themself.
    partner = models.PositiveSmallIntegerField(default=1)
    couple_id_at_answer = models.IntegerField(null=True)  # to count couples in a release; never joined to answers
    answered = models.BooleanField()  # False: passed
    released = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prompt", "participant", "partner"], name="one_receipt_per_person")
        ]


class PendingSet(models.Model):
    """A prompt's answers waiting for a release, sealed as one set (feedback/pending.py). Nothing here says who,
    when, in what order or what."""

    prompt = models.OneToOneField(Prompt, primary_key=True, on_delete=models.CASCADE, related_name="+")
    sealed = models.BinaryField()


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
