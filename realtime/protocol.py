"""The socket protocol's client messages, declared once and validated at the socket boundary.

Every client message is an object with a client-generated `id` (used to
acknowledge it and to apply a retry only once) and a `type`. docs/protocol.md
describes the protocol; `protocol_schema()` is its machine-readable JSON Schema,
served at /live/protocol.json.
"""

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from config import json_input

MESSAGE_ID = r"^[A-Za-z0-9_.:-]{1,64}$"
MessageId = Annotated[str, Field(min_length=1, max_length=64, pattern=MESSAGE_ID)]
Version = Annotated[int, Field(ge=0, le=2**53)]


class _Msg(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: MessageId


class Ping(_Msg):
    type: Literal["ping"]


class Sync(_Msg):
    """Ask for every snapshot again (after a version mismatch)."""

    type: Literal["sync"]


class SessionCommand(_Msg):
    """Facilitator: move the session. `expected_version` is the session version the command acts on."""

    type: Literal["session.command"]
    action: Literal[
        "start",
        "advance",
        "back",
        "goto",
        "pause",
        "resume",
        "end",
        "timer.start",
        "timer.pause",
        "timer.resume",
        "timer.extend",
        "breakout.open",
        "breakout.close",
        "broadcast",
    ]
    expected_version: Version
    index: Annotated[int, Field(ge=0, le=500)] | None = None
    seconds: Annotated[int, Field(ge=0, le=4 * 3600)] | None = None
    warning_seconds: Annotated[int, Field(ge=0, le=600)] | None = None
    text: Annotated[str, Field(max_length=280)] | None = None


class HelpAnswer(_Msg):
    """Facilitator: acknowledge (and optionally resolve) a help request."""

    type: Literal["help.acknowledge"]
    request_id: Annotated[int, Field(ge=1)]
    resolve: bool = False


class CoupleRemove(_Msg):
    """Facilitator: remove a couple from the workshop."""

    type: Literal["couple.remove"]
    couple_id: Annotated[int, Field(ge=1)]


class EntryPut(_Msg):
    """Participant: save an entry of the current step. The payload is opaque JSON (at most 16 KiB)."""

    type: Literal["entry.put"]
    step_index: Annotated[int, Field(ge=0, le=500)]
    kind: Literal["reflection", "answer", "item", "agreement"]
    key: Annotated[str, Field(min_length=1, max_length=40)]
    payload: Any = None
    passed: bool = False
    expected_version: Version | None = None
    as_partner: Literal[1, 2] = 1


class EntryDelete(_Msg):
    type: Literal["entry.delete"]
    step_index: Annotated[int, Field(ge=0, le=500)]
    key: Annotated[str, Field(min_length=1, max_length=40)]
    expected_version: Version


class AnswerKeepBack(_Msg):
    type: Literal["answer.keep_back"]
    step_index: Annotated[int, Field(ge=0, le=500)]
    key: Annotated[str, Field(min_length=1, max_length=40)]
    kept_back: bool
    as_partner: Literal[1, 2] = 1


class CoupleDone(_Msg):
    """Participant: "we're done" with this step (or not any more)."""

    type: Literal["couple.done"]
    done: bool


class CouplePause(_Msg):
    """Participant: raise or lower the couple's pause signal."""

    type: Literal["couple.pause"]
    raised: bool


class HelpAsk(_Msg):
    """Participant: ask a facilitator, as a couple or privately (the partner's phone never shows it)."""

    type: Literal["help.ask", "help.cancel"]
    private: bool = False


class Dialogue(_Msg):
    """Participant: turn-taking dialogue. `expected_version` is the couple version it acts on."""

    type: Literal["dialogue"]
    action: Literal["start", "next", "swap"]
    expected_version: Version


class FeedbackAnswer(_Msg):
    """Participant: answer (or pass) an anonymous prompt. Acknowledged to the sender only; nothing else changes."""

    type: Literal["feedback.answer"]
    prompt_id: Annotated[int, Field(ge=1)]
    value: Any = None
    passed: bool = False


class FeedbackAdd(_Msg):
    """Facilitator: add a live prompt."""

    type: Literal["feedback.add"]
    kind: Literal["scale", "single", "multiple", "words", "text"]
    question: Annotated[str, Field(min_length=1, max_length=300)]
    options: list[Annotated[str, Field(max_length=120)]] = Field(default_factory=list, max_length=10)
    scale: dict | None = None


class FeedbackRelease(_Msg):
    """Facilitator: show a prompt's results on the projector, or close it; either releases what can be."""

    type: Literal["feedback.show", "feedback.close"]
    prompt_id: Annotated[int, Field(ge=1)]


class FeedbackHide(_Msg):
    """Facilitator: keep a released word or text off the projector (or show it again)."""

    type: Literal["feedback.hide"]
    prompt_id: Annotated[int, Field(ge=1)]
    answer_id: Annotated[str, Field(min_length=1, max_length=40)]
    hidden: bool


ClientMessage = Annotated[
    Ping
    | Sync
    | SessionCommand
    | HelpAnswer
    | CoupleRemove
    | EntryPut
    | EntryDelete
    | AnswerKeepBack
    | CoupleDone
    | CouplePause
    | HelpAsk
    | Dialogue
    | FeedbackAnswer
    | FeedbackAdd
    | FeedbackRelease
    | FeedbackHide,
    Field(discriminator="type"),
]
client_message = TypeAdapter(ClientMessage)


class Refused(ValueError):
    """A frame that is not a client message: its error code and message, and the frame's own id if it has a
    valid one (so the client can match the error to what it sent and drop it from its outbox)."""

    def __init__(self, code, message, message_id=None):
        super().__init__(message)
        self.code, self.message, self.message_id = code, message, message_id


def message_id(document):
    value = document.get("id") if isinstance(document, dict) else None
    return value if isinstance(value, str) and re.match(MESSAGE_ID, value) else None


def parse(text):
    """A socket frame's text as a client message, or Refused: not JSON (`bad_json`), nested too deep
    (`too_deep`), a NUL or lone surrogate in a text or key (`bad_text`), a number out of range (`bad_number`)
    (config.json_input), or not one of the messages declared above (`bad_message`, naming the field)."""
    try:
        document = json_input.loads(text)
    except json_input.BadJSON as refused:
        raise Refused(refused.code, refused.message, message_id(refused.document)) from None
    try:
        return client_message.validate_python(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"][1:] or first["loc"]) or "message"
        raise Refused("bad_message", f"{where}: {first['msg']}", message_id(document)) from None


STAFF_TYPES = {
    "session.command",
    "help.acknowledge",
    "couple.remove",
    "feedback.add",
    "feedback.show",
    "feedback.close",
    "feedback.hide",
}
PARTICIPANT_TYPES = {
    "entry.put",
    "entry.delete",
    "answer.keep_back",
    "couple.done",
    "couple.pause",
    "help.ask",
    "help.cancel",
    "dialogue",
    "feedback.answer",
}

# Close codes.
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_REMOVED = 4410
CLOSE_ABUSE = 4429

SERVER_FRAMES = {
    "hello": "First frame: {type, role, server_time, versions: {session, couple}, ping_interval_s}.",
    "pong": "Answer to ping: {type, id, server_time, versions}. A client behind on a version sends sync.",
    "ack": "A command was applied (or was a retry of one already applied: duplicate=true): {type, id, duplicate}.",
    "error": "A command was refused: {type, id, code, message}. The socket stays open.",
    "session": "The session snapshot: {type, version, state}. Staff get run_of_show, step_log and anonymity_k too.",
    "couple": "A participant's view of their couple's space: {type, version, state}.",
    "roster": "Staff only: couples with devices and status, unpaired participants, help queue, ready count.",
    "presence": "Projectors: {type, couples_present}.",
    "feedback": "Open prompts and released results shown on the projector; staff get every prompt's released "
    "result (or null: not enough answers yet) and its threshold. Never a pending count.",
    "my_feedback": "A participant's own sockets only: {type, done: [prompt ids answered or passed]}.",
    "release": "Reply to feedback.show/close before its ack: {type, id, prompt_id, released}; released=false "
    "means not enough answers yet.",
    "removed": "The couple was removed by a facilitator; the socket closes with 4410.",
}


def protocol_schema():
    schema = client_message.json_schema()
    schema["title"] = "Attune live protocol: client messages"
    schema["x-server-frames"] = SERVER_FRAMES
    schema["x-close-codes"] = {
        str(CLOSE_UNAUTHENTICATED): "no participant or staff identity on this device",
        str(CLOSE_FORBIDDEN): "staff not allowed in this session",
        str(CLOSE_NOT_FOUND): "no such session",
        str(CLOSE_REMOVED): "the couple was removed by a facilitator",
        str(CLOSE_ABUSE): "too many messages or oversized frames",
    }
    return schema
