"""Commands inside a couple's private space (participants), and the help requests that leave it (both roles)."""

from typing import Annotated, Literal

from pydantic import Field

from realtime.registry import FACILITATOR, PARTICIPANT, Command, Version, command
from realtime.services import couple as couple_services
from workshops.steps import ENTRY_KINDS

StepIndex = Annotated[int, Field(ge=0, le=500)]
EntryKey = Annotated[str, Field(min_length=1, max_length=40)]
Partner = Literal[1, 2]
EntryKind = Literal[ENTRY_KINDS]  # type: ignore[valid-type]


@command(PARTICIPANT)
class EntryPut(Command):
    """Save an entry of the current step during its breakout (or while the couple has paused). The payload is
    sealed on the phone: `<key id>.<base64url>`, at most 16 KiB (docs/privacy.md); null with `passed`.
    It is saved as version `expected_version` + 1, the version it was sealed for: a shared item's
    `expected_version` is the version the phone saw (0 for a new one), a private entry's that or a later one
    (edits still on their way). `as_partner` 2 for the second person on a shared phone."""

    type: Literal["entry.put"]
    step_index: StepIndex
    kind: EntryKind
    key: EntryKey
    payload: str | None = None
    passed: bool = False
    expected_version: Version | None = None
    as_partner: Partner = 1

    def apply(self, caller):
        fields = self.model_dump(exclude={"id", "type"})
        couple_services.entry_put(session=caller.session, participant=caller.participant(), **fields)


@command(PARTICIPANT)
class EntryDelete(Command):
    """Remove a worksheet item."""

    type: Literal["entry.delete"]
    step_index: StepIndex
    key: EntryKey
    expected_version: Version

    def apply(self, caller):
        fields = self.model_dump(exclude={"id", "type"})
        couple_services.entry_delete(session=caller.session, participant=caller.participant(), **fields)


@command(PARTICIPANT)
class AnswerKeepBack(Command):
    """Keep my answer out of the reveal (or put it back in)."""

    type: Literal["answer.keep_back"]
    step_index: StepIndex
    key: EntryKey
    kept_back: bool
    as_partner: Partner = 1

    def apply(self, caller):
        fields = self.model_dump(exclude={"id", "type"})
        couple_services.answer_keep_back(session=caller.session, participant=caller.participant(), **fields)


@command(PARTICIPANT)
class CoupleDone(Command):
    """ "We're done" with this step (or not any more)."""

    type: Literal["couple.done"]
    done: bool

    def apply(self, caller):
        couple_services.mark_done(session=caller.session, participant=caller.participant(), done=self.done)


@command(PARTICIPANT)
class CouplePause(Command):
    """Raise or lower the couple's pause signal: the partner's phone shows it, staff see "paused"."""

    type: Literal["couple.pause"]
    raised: bool

    def apply(self, caller):
        couple_services.pause_signal(session=caller.session, participant=caller.participant(), raised=self.raised)


@command(PARTICIPANT)
class Dialogue(Command):
    """Turn-taking dialogue: `start`, `next` phase, `swap` roles. `expected_version` is the couple version it
    acts on."""

    type: Literal["dialogue"]
    action: Literal["start", "next", "swap"]
    expected_version: Version

    def apply(self, caller):
        couple_services.dialogue_command(
            session=caller.session,
            participant=caller.participant(),
            action=self.action,
            expected_version=self.expected_version,
        )


@command(PARTICIPANT)
class HelpAsk(Command):
    """Ask a facilitator, as a couple or privately (the partner's phone never shows it)."""

    type: Literal["help.ask"]
    private: bool = False

    def apply(self, caller):
        couple_services.help_request(session=caller.session, participant=caller.participant(), private=self.private)


@command(PARTICIPANT)
class HelpCancel(Command):
    """Withdraw my (private) or our (couple) request for a facilitator."""

    type: Literal["help.cancel"]
    private: bool = False

    def apply(self, caller):
        couple_services.help_cancel(session=caller.session, participant=caller.participant(), private=self.private)


@command(FACILITATOR)
class HelpAcknowledge(Command):
    """Acknowledge (and optionally resolve) a help request."""

    type: Literal["help.acknowledge"]
    request_id: Annotated[int, Field(ge=1)]
    resolve: bool = False

    def apply(self, caller):
        couple_services.help_acknowledge(
            session=caller.session, request_id=self.request_id, user=caller.user, resolve=self.resolve
        )
