"""The live commands of anonymous feedback: participants answer, facilitators add, show, close and hide."""

from collections.abc import Callable
from typing import Annotated, Any, ClassVar, Literal

from django.utils.translation import gettext as _
from pydantic import Field

from feedback import services
from feedback.models import Prompt
from feedback.prompts import KINDS
from realtime.errors import LiveError
from realtime.registry import FACILITATOR, PARTICIPANT, AlreadyApplied, Command, command
from realtime.services.session import session_set_k

PromptId = Annotated[int, Field(ge=1)]


def _prompt(caller, prompt_id):
    prompt = (
        Prompt.objects.select_related("session__workshop__organization")
        .filter(pk=prompt_id, session=caller.session)
        .first()
    )
    if prompt is None:
        raise LiveError("no_prompt", _("No such question in this session."))
    return prompt


@command(PARTICIPANT, once=False)
class FeedbackAnswer(Command):
    """Answer (or pass) an anonymous prompt: acknowledged to the sender only, it changes nothing anyone else
    sees; a second answer is acknowledged as `duplicate` and not stored. On a couple's shared phone the second
    person answers for themself with `as_partner` 2. Its receipt, not the record of its
    message id (which has a time), is what stops a second answer."""

    type: Literal["feedback.answer"]
    prompt_id: PromptId
    value: Any = None
    passed: bool = False
    as_partner: Literal[1, 2] = 1

    def apply(self, caller):
        try:
            services.answer(
                prompt=_prompt(caller, self.prompt_id),
                participant=caller.participant(),
                value=self.value,
                passed=self.passed,
                as_partner=self.as_partner,
            )
        except LiveError as error:
            if error.code == "already_answered":
                raise AlreadyApplied from None
            raise


@command(FACILITATOR)
class FeedbackAdd(Command):
    """Add a live prompt."""

    type: Literal["feedback.add"]
    kind: Literal[KINDS]  # type: ignore[valid-type]
    question: Annotated[str, Field(min_length=1, max_length=300)]
    options: list[Annotated[str, Field(max_length=120)]] = Field(default_factory=list, max_length=10)
    scale: dict | None = None

    def apply(self, caller):
        services.prompt_add_live(
            session=caller.session, data=self.model_dump(include={"kind", "question", "options", "scale"})
        )


class _Release(Command):
    """A command that releases what can be released of a prompt (`release`: the service that does it, with what
    else it does); its `release` reply says whether anything was."""

    prompt_id: PromptId
    release: ClassVar[Callable]

    def apply(self, caller):
        prompt = _prompt(caller, self.prompt_id)
        made = type(self).release(prompt=prompt)
        return {"type": "release", "prompt_id": prompt.pk, "released": made is not None}


@command(FACILITATOR)
class FeedbackShow(_Release):
    """Release what can be released and show the prompt's results on the projector; the `release` reply says
    whether anything was released."""

    type: Literal["feedback.show"]
    release = services.show


@command(FACILITATOR)
class FeedbackClose(_Release):
    """Close the prompt, releasing what can be released (what cannot is deleted); the `release` reply says whether
    anything was released."""

    type: Literal["feedback.close"]
    release = services.close


@command(FACILITATOR)
class FeedbackThreshold(Command):
    """Raise the session's anonymity threshold k (it never goes down during a session): phones, the projector
    and the console show the new threshold."""

    type: Literal["feedback.k"]
    k: Annotated[int, Field(ge=3, le=100)]

    def apply(self, caller):
        session_set_k(session=caller.session, k=self.k)


@command(FACILITATOR)
class FeedbackHide(Command):
    """Keep a released word or text off the projector (or show it again)."""

    type: Literal["feedback.hide"]
    prompt_id: PromptId
    answer_id: Annotated[str, Field(min_length=1, max_length=40)]
    hidden: bool

    def apply(self, caller):
        services.hide(prompt=_prompt(caller, self.prompt_id), answer_id=self.answer_id, hidden=self.hidden)
