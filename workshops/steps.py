"""The step kinds of the exercise engine and what each one's configuration holds.

An exercise is data: ordered steps, each of a kind the live apps know how to
run. Every step has the common fields of ``StepSpec``; its ``config`` is checked
against the model of its kind, so a step that the live apps could not run is
refused with a message naming the field.
"""

from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal

from django.utils.translation import gettext_noop
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

# No NUL or other control characters except tab and newlines: PostgreSQL refuses NUL in text and jsonb.
_PRINTABLE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"
_KEY = r"^[a-z][a-z0-9_]{0,39}$"
Text = Annotated[str, Field(min_length=1, max_length=2000, pattern=_PRINTABLE)]
Label = Annotated[str, Field(min_length=1, max_length=120, pattern=_PRINTABLE)]
Key = Annotated[str, Field(pattern=_KEY)]
# What each pattern asks, in words (for the organizer's editor).
PATTERN_WORDS = {
    _PRINTABLE: gettext_noop("Remove the control character (such as a NUL) from it."),
    _KEY: gettext_noop("Use lower-case letters a to z, digits and _, starting with a letter (at most 40)."),
}


class _Config(BaseModel):
    """A kind's configuration. The organizer's editor (workshops/forms_library.py) makes its form from the fields:
    each field's title is its label; ``hints`` says more under a field, ``choices`` names a Literal's values.

    Titles, hints, choices' names and the validators' refusals are marked for translation (gettext_noop) but stay
    English here: the JSON Schemas made from these models (the API's, the live protocol's) are English and must
    serialise, which lazy translations would not. The editor translates them where it shows them."""

    # Strict: a JSON number for a number, text for text ("2" is not 2), as the published schema says (the config
    # is stored as given, so a coerced value would reach the live apps unconverted).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    hints: ClassVar[dict[str, str]] = {}
    choices: ClassVar[dict[str, dict[str, str]]] = {}


class ScaleRange(_Config):
    min: int = Field(ge=0, le=1, title=gettext_noop("Lowest number"))
    max: int = Field(ge=3, le=10, title=gettext_noop("Highest number"))
    min_label: Label = Field(title=gettext_noop("Label of the lowest"))
    max_label: Label = Field(title=gettext_noop("Label of the highest"))


class InstructionConfig(_Config):
    """Plenary: the facilitator speaks, phones show the participant text."""


class ReflectionConfig(_Config):
    """Each partner writes privately; never revealed to anyone, the partner included."""

    prompts: list[Text] = Field(min_length=1, max_length=6, title=gettext_noop("Prompts"))
    hints: ClassVar = {"prompts": gettext_noop("Each partner writes on each prompt, privately.")}


class AnswerRevealConfig(_Config):
    """Each partner answers privately; both answers show together once both answered or passed."""

    prompt: Text = Field(title=gettext_noop("Question"))
    answer_kind: Literal["text", "choice", "scale"] = Field(default="text", title=gettext_noop("Answered with"))
    options: list[Label] = Field(default_factory=list, max_length=8, title=gettext_noop("Options"))
    scale: ScaleRange | None = Field(default=None, title=gettext_noop("Scale"))
    hints: ClassVar = {
        "options": gettext_noop("For a choice answer only."),
        "scale": gettext_noop("For a scale answer only."),
    }
    choices: ClassVar = {
        "answer_kind": {
            "text": gettext_noop("Written answer"),
            "choice": gettext_noop("A choice"),
            "scale": gettext_noop("A scale"),
        }
    }

    @model_validator(mode="after")
    def _kind_fields(self):
        if self.answer_kind == "choice" and len(self.options) < 2:
            raise ValueError(gettext_noop("a choice answer needs at least two options"))
        if self.answer_kind != "choice" and self.options:
            raise ValueError(gettext_noop("options are only for a choice answer: remove them, or answer with a choice"))
        if self.answer_kind == "scale" and self.scale is None:
            raise ValueError(gettext_noop("a scale answer needs a scale: its numbers and the labels of its ends"))
        if self.answer_kind != "scale" and self.scale is not None:
            raise ValueError(gettext_noop("a scale is only for a scale answer: remove it, or answer with a scale"))
        return self


class WorksheetSection(_Config):
    key: Key = Field(title=gettext_noop("Short name"))
    label: Label = Field(title=gettext_noop("Label"))
    hint: Text | None = Field(default=None, title=gettext_noop("Hint"))
    hints: ClassVar = {"key": gettext_noop("Lower-case letters, digits and _; made from the label when left empty.")}


class WorksheetConfig(_Config):
    """A list the couple builds together, in sections (e.g. non-negotiables and negotiables)."""

    sections: list[WorksheetSection] = Field(min_length=1, max_length=6, title=gettext_noop("Sections"))

    @model_validator(mode="after")
    def _unique_keys(self):
        keys = [section.key for section in self.sections]
        if len(keys) != len(set(keys)):
            raise ValueError(gettext_noop("two sections have the same short name: give each its own"))
        return self


DialoguePhaseKey = Literal["summarize", "state", "explore", "agree"]


class DialoguePhase(_Config):
    key: DialoguePhaseKey = Field(title=gettext_noop("Phase"))
    label: Label = Field(title=gettext_noop("Label"))
    instructions: Text = Field(title=gettext_noop("Instructions"))
    seconds: int = Field(ge=15, le=1800, title=gettext_noop("Seconds"))
    choices: ClassVar = {
        "key": {
            "summarize": gettext_noop("Summarize"),
            "state": gettext_noop("State"),
            "explore": gettext_noop("Explore"),
            "agree": gettext_noop("Agree"),
        },
    }


class DialogueConfig(_Config):
    """Turn-taking: a speaker and a listener, in timed phases; the roles swap each round."""

    topic_prompt: Text = Field(title=gettext_noop("Topic"))
    phases: list[DialoguePhase] = Field(min_length=1, max_length=6, title=gettext_noop("Phases"))
    rounds: int = Field(default=2, ge=1, le=6, title=gettext_noop("Rounds"))
    hints: ClassVar = {
        "phases": gettext_noop("Each turn runs them in order."),
        "rounds": gettext_noop("The roles swap after each round."),
    }


class AgreementConfig(_Config):
    """Something the couple agrees on and keeps: a trial period, a pause signal, a ritual, a conflict plan."""

    agreement_kind: Literal["trial_period", "pause_signal", "ritual", "conflict_plan"] = Field(
        title=gettext_noop("Kind of agreement")
    )
    prompt: Text = Field(title=gettext_noop("Prompt"))
    suggestions: list[Label] = Field(default_factory=list, max_length=10, title=gettext_noop("Suggestions"))
    default_trial_days: int | None = Field(default=None, ge=1, le=365, title=gettext_noop("Days of the trial"))
    hints: ClassVar = {
        "suggestions": gettext_noop("Ideas the couple can pick from."),
        "default_trial_days": gettext_noop("For a trial period only."),
    }
    choices: ClassVar = {
        "agreement_kind": {
            "trial_period": gettext_noop("A trial period"),
            "pause_signal": gettext_noop("A pause signal"),
            "ritual": gettext_noop("A ritual"),
            "conflict_plan": gettext_noop("A conflict plan"),
        }
    }

    @model_validator(mode="after")
    def _trial_days(self):
        if (self.agreement_kind == "trial_period") != (self.default_trial_days is not None):
            raise ValueError(gettext_noop("a trial period needs its number of days, and only a trial period has one"))
        return self


class PollConfig(_Config):
    """An anonymous pulse or poll; results show only in aggregate (the feedback issue)."""

    question: Text = Field(title=gettext_noop("Question"))
    poll_kind: Literal["scale", "single", "multiple", "words", "text"] = Field(title=gettext_noop("Kind of question"))
    options: list[Label] = Field(default_factory=list, max_length=10, title=gettext_noop("Options"))
    scale: ScaleRange | None = Field(default=None, title=gettext_noop("Scale"))
    hints: ClassVar = {
        "options": gettext_noop("For single and multiple choice only."),
        "scale": gettext_noop("For a scale only."),
    }
    choices: ClassVar = {
        "poll_kind": {
            "scale": gettext_noop("Scale"),
            "single": gettext_noop("Single choice"),
            "multiple": gettext_noop("Multiple choice"),
            "words": gettext_noop("One word"),
            "text": gettext_noop("Free text"),
        }
    }

    @model_validator(mode="after")
    def _kind_fields(self):
        if self.poll_kind in ("single", "multiple") and len(self.options) < 2:
            raise ValueError(gettext_noop("a choice poll needs at least two options"))
        if self.poll_kind not in ("single", "multiple") and self.options:
            raise ValueError(
                gettext_noop("options are only for a choice poll: remove them, or choose single or multiple choice")
            )
        if self.poll_kind == "scale" and self.scale is None:
            raise ValueError(gettext_noop("a scale poll needs a scale: its numbers and the labels of its ends"))
        if self.poll_kind != "scale" and self.scale is not None:
            raise ValueError(gettext_noop("a scale is only for a scale poll: remove it, or choose a scale"))
        return self


class BreakConfig(_Config):
    """A pause for everyone."""


@dataclass(frozen=True)
class StepKind:
    """Everything about one kind of step, declared in one place: the server's rules (realtime/rules.py), the
    organizer's editor and the frontend's generated types (frontend/src/shared/protocol.ts) read it from here.

    entry: the kind of couple entry the step accepts (none: the step has no couple phase).
    private: its entries are each partner's own (a reflection, an answer), not the couple's shared items.
    reveal: a private entry shows to the partner once every partner has answered or passed.
    poll: the step asks the room an anonymous question (a feedback prompt made when the step is shown)."""

    name: str
    label: str
    config: type[_Config]
    entry: str | None = None
    private: bool = False
    reveal: bool = False
    poll: bool = False

    @property
    def couple_phase(self) -> bool:
        """The step's work happens in each couple's private space (a breakout)."""
        return self.entry is not None


KINDS = (
    StepKind("instruction", gettext_noop("Instruction"), InstructionConfig),
    StepKind("reflection", gettext_noop("Private reflection"), ReflectionConfig, entry="reflection", private=True),
    StepKind(
        "answer_reveal",
        gettext_noop("Answer, then reveal"),
        AnswerRevealConfig,
        entry="answer",
        private=True,
        reveal=True,
    ),
    StepKind("worksheet", gettext_noop("Shared worksheet"), WorksheetConfig, entry="item"),
    StepKind("dialogue", gettext_noop("Turn-taking dialogue"), DialogueConfig, entry="item"),
    StepKind("agreement", gettext_noop("Agreement"), AgreementConfig, entry="agreement"),
    StepKind("poll", gettext_noop("Anonymous pulse or poll"), PollConfig, poll=True),
    StepKind("break", gettext_noop("Break"), BreakConfig),
)
STEP_KIND = {kind.name: kind for kind in KINDS}
STEP_KINDS = tuple(STEP_KIND)
CONFIG_BY_KIND: dict[str, type[_Config]] = {kind.name: kind.config for kind in KINDS}
KIND_LABELS = {kind.name: kind.label for kind in KINDS}
COUPLE_KINDS = frozenset(kind.name for kind in KINDS if kind.couple_phase)
# Couple entry kinds: those each partner keeps to themself (until a reveal), and those revealed.
ENTRY_KINDS = tuple(dict.fromkeys(kind.entry for kind in KINDS if kind.entry))
PRIVATE_ENTRIES = frozenset(kind.entry for kind in KINDS if kind.private)
REVEALED_ENTRIES = frozenset(kind.entry for kind in KINDS if kind.reveal)


def poll_prompt(step: dict) -> dict | None:
    """The feedback prompt a frozen poll step asks ({kind, question, options, scale}), or None for other kinds."""
    if not STEP_KIND[step["kind"]].poll:
        return None
    config = step["config"]
    return {
        "kind": config["poll_kind"],
        "question": config["question"],
        "options": config.get("options"),
        "scale": config.get("scale"),
    }


class StepSpec(_Config):
    kind: Literal[STEP_KINDS] = Field(title=gettext_noop("Kind"))  # type: ignore[valid-type]
    title: Label = Field(title=gettext_noop("Title"))
    duration_minutes: int = Field(ge=1, le=240, title=gettext_noop("Minutes"))
    participant_text: Annotated[str, Field(max_length=4000, pattern=_PRINTABLE)] = Field(
        default="", title=gettext_noop("Participant text")
    )
    facilitator_notes: Annotated[str, Field(max_length=4000, pattern=_PRINTABLE)] = Field(
        default="", title=gettext_noop("Facilitator notes")
    )
    content_note: Annotated[str, Field(max_length=1000, pattern=_PRINTABLE)] = Field(
        default="", title=gettext_noop("Content note")
    )
    config: dict = Field(default_factory=dict)
    hints: ClassVar = {
        "participant_text": gettext_noop("Shown on the phones."),
        "facilitator_notes": gettext_noop("Only staff see these."),
        "content_note": gettext_noop("What this step touches on, so people can prepare or choose to pass."),
    }


class StepError(ValueError):
    """A step that does not fit its kind; ``errors`` maps field paths to messages."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))


def _errors(exc: ValidationError, prefix: str = "") -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        path = ".".join(str(part) for part in error["loc"])
        key = f"{prefix}.{path}" if prefix and path else (prefix or path or "step")
        errors.setdefault(key, error["msg"].removeprefix("Value error, "))
    return errors


def validate_step(data: dict) -> StepSpec:
    """Check one step, its common fields and its kind's config; raise StepError naming each bad field."""
    errors: dict[str, str] = {}
    spec = None
    try:
        spec = StepSpec.model_validate(data)
    except ValidationError as exc:
        errors.update(_errors(exc))
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind in CONFIG_BY_KIND:
        try:
            CONFIG_BY_KIND[kind].model_validate(data.get("config") or {})
        except ValidationError as exc:
            errors.update(_errors(exc, "config"))
    if errors:
        raise StepError(errors)
    return spec
