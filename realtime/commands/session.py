"""Facilitators' commands for the session as a whole: moving it, and admitting or removing a couple."""

from typing import Annotated, Literal

from django.utils.translation import gettext as _
from pydantic import Field

from realtime.errors import LiveError
from realtime.models import Couple
from realtime.registry import FACILITATOR, Command, Version, command
from realtime.services import joining
from realtime.services.session import COMMANDS, session_command

SessionAction = Literal[tuple(COMMANDS)]  # type: ignore[valid-type]


@command(FACILITATOR)
class SessionCommand(Command):
    """Move the session, if it is still at `expected_version`. `start` more than an hour before the planned start
    is refused (`too_early`, saying when it is planned) unless `early` is true; `goto` takes `index`;
    `timer.start` `seconds` (default: the step's duration); `timer.extend` and `breakout.open` `seconds`;
    `breakout.close` `warning_seconds` (default 60); `broadcast` `text` (empty clears it; a new step clears it
    too)."""

    type: Literal["session.command"]
    action: SessionAction
    expected_version: Version
    index: Annotated[int, Field(ge=0, le=500)] | None = None
    seconds: Annotated[int, Field(ge=0, le=4 * 3600)] | None = None
    warning_seconds: Annotated[int, Field(ge=0, le=600)] | None = None
    text: Annotated[str, Field(max_length=280)] | None = None
    early: bool | None = None

    def apply(self, caller):
        args = self.model_dump(include={"index", "seconds", "warning_seconds", "text", "early"}, exclude_none=True)
        session_command(session=caller.session, action=self.action, expected_version=self.expected_version, args=args)


def _couple(caller, couple_id):
    couple = Couple.objects.filter(pk=couple_id, workshop_id=caller.session.workshop_id).first()
    if couple is None:
        raise LiveError("no_couple", _("No such couple in this workshop."))
    return couple


@command(FACILITATOR)
class CoupleAdmit(Command):
    """Admit a walk-in couple to the group's anonymous feedback: it may answer the questions that open from now
    on (enrolled couples need no admitting). Admitting twice changes nothing."""

    type: Literal["couple.admit"]
    couple_id: Annotated[int, Field(ge=1)]

    def apply(self, caller):
        joining.couple_admit(couple=_couple(caller, self.couple_id), session=caller.session)


@command(FACILITATOR)
class CoupleRemove(Command):
    """Remove a couple from the workshop: their sockets get `removed` and close with 4410. The questions open now
    keep counting it among the couples who can answer."""

    type: Literal["couple.remove"]
    couple_id: Annotated[int, Field(ge=1)]

    def apply(self, caller):
        joining.couple_remove(couple=_couple(caller, self.couple_id), session=caller.session)
