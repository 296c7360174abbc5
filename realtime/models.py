"""The live engine's state. The database is the source of truth; Redis only fans out.

Couple and Participant belong to a workshop, so a retreat's next session finds
them. SessionState holds one session's live state, CoupleSpace one couple's
state in a session, CoupleEntry what a couple wrote (opaque to the server).
Every live state carries a version that each write bumps with a conditional
UPDATE, so a stale command is refused and never applied twice.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from realtime.prepared import insert_statement


class Couple(models.Model):
    workshop = models.ForeignKey("workshops.Workshop", on_delete=models.CASCADE, related_name="couples")
    enrollment = models.OneToOneField(
        "workshops.Enrollment", null=True, blank=True, on_delete=models.SET_NULL, related_name="couple"
    )
    # One phone passed between the partners (no second device will pair).
    one_phone = models.BooleanField(default=False)
    pairing_digest = models.CharField(max_length=64, blank=True, db_index=True)
    pairing_expires_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    # When a facilitator admitted this walk-in couple to the group's anonymous feedback (enrolled couples need
    # no admitting): a couple nobody vouched for must not make up the numbers that hide a real answer.
    admitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    # Who may be counted among those who can answer anonymous feedback (docs/privacy.md §3): enrolled couples by
    # their place, walk-ins once a facilitator admitted them. ADMITTED filters couples; is_admitted reads a row.
    ADMITTED = models.Q(enrollment__isnull=False) | models.Q(admitted_at__isnull=False)

    def __str__(self):
        return f"Couple {self.pk}"

    @staticmethod
    def is_admitted(enrollment_id, admitted_at):
        return enrollment_id is not None or admitted_at is not None

    @property
    def admitted(self):
        return Couple.is_admitted(self.enrollment_id, self.admitted_at)


class Participant(models.Model):
    """One person on one device: a first name or pseudonym and their consent, nothing else."""

    workshop = models.ForeignKey("workshops.Workshop", on_delete=models.CASCADE, related_name="participants")
    couple = models.ForeignKey(Couple, null=True, blank=True, on_delete=models.SET_NULL, related_name="participants")
    # When this participant entered their couple: what a former partner wrote before then is not theirs to see.
    couple_since = models.DateTimeField(null=True, blank=True)
    display_name = models.CharField(max_length=60)
    consented_at = models.DateTimeField()
    feedback_consent = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.display_name


class PairingRequest(models.Model):
    """A phone asks to join a couple (by its code, or by the couple's invitation link), or a partner's phone that
    lost the couple key asks for it again: the two phones run the key exchange through this row (docs/privacy.md).
    The server relays public values only; the words both phones show are derived on the phones, and the couple
    key crosses it wrapped under the exchange."""

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="pairing_requests")
    joiner = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    # base64url: the joiner's hash commitment to its public key, then the two X25519 public keys in the order
    # they must come (the first phone's, then the joiner's), then the couple key wrapped for the joiner.
    commitment = models.CharField(max_length=64, blank=True)
    creator_key = models.CharField(max_length=64, blank=True)
    joiner_key = models.CharField(max_length=64, blank=True)
    wrapped_key = models.CharField(max_length=200, blank=True)
    creator_confirmed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()


class SessionState(models.Model):
    class Status(models.TextChoices):
        LOBBY = "lobby", "Lobby"
        RUNNING = "running", "Running"
        PAUSED = "paused", "Paused"
        ENDED = "ended", "Ended"

    session = models.OneToOneField("workshops.Session", on_delete=models.CASCADE, related_name="live")
    version = models.PositiveBigIntegerField(default=1)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.LOBBY)
    # The program's steps for this session, frozen when the state is made: edits to the library
    # never change a session that is under way.
    steps = models.JSONField(default=list)
    step_index = models.IntegerField(default=0)
    # [{"index": i, "started_at": iso, "ended_at": iso|None}] in the order steps were shown.
    step_log = models.JSONField(default=list)
    timer_deadline = models.DateTimeField(null=True, blank=True)
    timer_remaining_ms = models.PositiveIntegerField(null=True, blank=True)  # set while the timer is paused
    breakout_open = models.BooleanField(default=False)
    breakout_deadline = models.DateTimeField(null=True, blank=True)  # planned end of the couple phase
    breakout_closes_at = models.DateTimeField(null=True, blank=True)  # set when closing: end of the warning
    broadcast = models.CharField(max_length=280, blank=True)
    broadcast_at = models.DateTimeField(null=True, blank=True)
    anonymity_k = models.PositiveSmallIntegerField(default=5)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)


class CoupleSpace(models.Model):
    """One couple's live state in one session: progress only (content lives in CoupleEntry)."""

    session = models.ForeignKey("workshops.Session", on_delete=models.CASCADE, related_name="couple_spaces")
    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="spaces")
    version = models.PositiveBigIntegerField(default=1)
    done_step = models.IntegerField(null=True, blank=True)  # "we're done" for this step index
    paused_by = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    paused_at = models.DateTimeField(null=True, blank=True)
    # Turn-taking dialogue state for the current step: {"step": i, "round": n, "phase": k, "speaker": pid,
    # "deadline": iso}
    dialogue = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "couple"], name="one_space_per_couple_session")]


class CoupleEntry(models.Model):
    """Something a couple wrote, sealed on a phone: the server holds ciphertext and the structure around it
    (step, kind, key, scope, version and the flags), never the content (docs/privacy.md)."""

    class Kind(models.TextChoices):
        REFLECTION = "reflection"  # private to its author, never revealed
        ANSWER = "answer"  # private until both answered or passed, then revealed to both
        ITEM = "item"  # a shared worksheet item
        AGREEMENT = "agreement"  # a shared agreement

    space = models.ForeignKey(CoupleSpace, on_delete=models.CASCADE, related_name="entries")
    step_index = models.IntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    key = models.CharField(max_length=40)  # the client's id for the item (worksheet) or the prompt index
    # "p<participant id>" for a private entry (reflection, answer), "shared" for the couple's own items.
    scope = models.CharField(max_length=24)
    author = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # "<key id>.<base64url(nonce, ciphertext, tag)>" sealed with the couple key (a reflection: its author's device
    # key), bound to the couple, session, step, kind, key, scope and version; None for a pass or a removed item.
    payload = models.TextField(null=True, blank=True)
    passed = models.BooleanField(default=False)
    kept_back = models.BooleanField(default=False)  # an answer its author chose not to reveal
    version = models.PositiveIntegerField(default=1)
    deleted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["space", "step_index", "kind", "key", "scope"], name="one_entry_per_key")
        ]


class HelpRequest(models.Model):
    """A couple asks for a facilitator, or one participant asks privately (the partner never sees it)."""

    session = models.ForeignKey("workshops.Session", on_delete=models.CASCADE, related_name="help_requests")
    couple = models.ForeignKey(Couple, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    private = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)


# A socket's presence is renewed every PRESENCE_RENEW_S (by its server process, for all its sockets at once:
# realtime.services.presence.Renewals); a row not renewed for PRESENCE_TTL_S is offline.
PRESENCE_RENEW_S = 15
PRESENCE_TTL_S = 22


class Presence(models.Model):
    """One open socket, renewed every PRESENCE_RENEW_S; a row not renewed for PRESENCE_TTL_S is offline."""

    session = models.ForeignKey("workshops.Session", on_delete=models.CASCADE, related_name="+")
    channel_name = models.CharField(max_length=200, unique=True)
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=12)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)


class ProcessedCommand(models.Model):
    """Client message ids already applied, so a retried command is acknowledged and not applied twice."""

    client = models.CharField(max_length=80)  # "p<participant id>" or "u<user id>"
    message_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "message_id"], name="command_once")]

    @classmethod
    def record(cls, client, message_id):
        """The statement that records a command as applied, in the caller's transaction (rolled back with it),
        to run or to send with reads (realtime.prepared.Write): it changes no row if the command was applied
        already. One statement instead of a look and an insert: a concurrent transaction recording the same
        command makes this one wait for its outcome (the unique constraint), so a command is applied once."""
        return insert_statement(
            cls, unless_exists=True, client=client, message_id=message_id, created_at=timezone.now()
        )
