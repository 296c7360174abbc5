"""The socket protocol: every client message (the transport's ping and sync, and the commands of the registry,
realtime/registry.py), parsed and validated at the socket boundary; the server frames; the close codes.

Every client message is an object with a client-generated `id` (used to acknowledge it and to apply a retry only
once) and a `type`. docs/protocol.md describes the protocol (its tables generated from here); `protocol_schema()`
is its machine-readable JSON Schema, served at /live/protocol.json.
"""

import re
from functools import reduce
from operator import or_
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from pydantic import Field, TypeAdapter, ValidationError

from config import json_input
from feedback import commands as feedback_commands
from realtime.commands import couple as couple_commands
from realtime.commands import session as session_commands
from realtime.registry import MESSAGE_ID, REGISTRY, Message

# The modules whose commands the socket takes: importing one registers its commands (realtime.registry).
FEATURES = (session_commands, couple_commands, feedback_commands)


class Ping(Message):
    """Ask for the versions (a `pong`); a client behind on one sends `sync`."""

    type: Literal["ping"]


class Sync(Message):
    """Ask for every snapshot again (after a version mismatch)."""

    type: Literal["sync"]


# Every command, in the order of FEATURES and, within a module, as declared there (the docs list them so).
COMMANDS = [cls for module in FEATURES for cls in REGISTRY.values() if cls.__module__ == module.__name__]
if len(COMMANDS) != len(REGISTRY):
    raise ImportError("A command is registered outside realtime.protocol.FEATURES: add its module there.")

ClientMessage = Annotated[reduce(or_, [Ping, Sync, *COMMANDS]), Field(discriminator="type")]
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
        raise Refused("bad_message", refusal(exc.errors()[0]), message_id(document)) from None


def refusal(error):
    """One of pydantic's errors in words, in the reader's language: the field as pydantic names it (its path in
    the message, as sent), then what is wrong with it. The value sent is never repeated."""
    field = ".".join(str(part) for part in error["loc"][1:] or error["loc"]) or "message"
    ctx, kind = error.get("ctx") or {}, error["type"]
    if kind in _PROBLEMS:
        return _PROBLEMS[kind] % {"field": field}
    message, limit = _LIMITS.get(kind, (None, None))
    if limit in ctx:
        return message % {"field": field, "count": ctx[limit]}
    message, expected = _CHOICES.get(kind, (None, None))
    if expected in ctx:
        return message % {"field": field, "values": ", ".join(_choices(ctx[expected]))}
    # Anything else pydantic can refuse: its own (English) words, after the field.
    return _("%(field)s: %(problem)s") % {"field": field, "problem": error["msg"]}


def _choices(expected):
    """pydantic's list of what it expected ("'a', 'b' or 'c'") as the values alone, whatever the language."""
    return [value for value in re.split(r", | or ", expected) if value]


# What pydantic refuses in a message (realtime.registry's models), by its error type.
_PROBLEMS = {
    "missing": gettext_lazy("%(field)s: this is required."),
    "extra_forbidden": gettext_lazy("%(field)s: this message has no such field."),
    "union_tag_not_found": gettext_lazy("%(field)s: say which message this is (its type)."),
    "model_type": gettext_lazy("%(field)s: send a JSON object."),
    "model_attributes_type": gettext_lazy("%(field)s: send a JSON object."),
    "dict_type": gettext_lazy("%(field)s must be an object."),
    "list_type": gettext_lazy("%(field)s must be a list."),
    "string_type": gettext_lazy("%(field)s must be text."),
    "string_pattern_mismatch": gettext_lazy("%(field)s is not in the form it must have."),
    "int_type": gettext_lazy("%(field)s must be a whole number."),
    "int_parsing": gettext_lazy("%(field)s must be a whole number."),
    "int_from_float": gettext_lazy("%(field)s must be a whole number."),
    "bool_type": gettext_lazy("%(field)s must be true or false."),
    "bool_parsing": gettext_lazy("%(field)s must be true or false."),
}
_LIMITS = {
    "string_too_short": (
        ngettext_lazy(
            "%(field)s must have at least %(count)s character.",
            "%(field)s must have at least %(count)s characters.",
            "count",
        ),
        "min_length",
    ),
    "string_too_long": (
        ngettext_lazy(
            "%(field)s must have at most %(count)s character.",
            "%(field)s must have at most %(count)s characters.",
            "count",
        ),
        "max_length",
    ),
    "too_short": (
        ngettext_lazy(
            "%(field)s must have at least %(count)s item.", "%(field)s must have at least %(count)s items.", "count"
        ),
        "min_length",
    ),
    "too_long": (
        ngettext_lazy(
            "%(field)s must have at most %(count)s item.", "%(field)s must have at most %(count)s items.", "count"
        ),
        "max_length",
    ),
    "greater_than_equal": (gettext_lazy("%(field)s must be at least %(count)s."), "ge"),
    "less_than_equal": (gettext_lazy("%(field)s must be at most %(count)s."), "le"),
    "greater_than": (gettext_lazy("%(field)s must be more than %(count)s."), "gt"),
    "less_than": (gettext_lazy("%(field)s must be less than %(count)s."), "lt"),
}
_CHOICES = {
    "literal_error": (gettext_lazy("%(field)s must be one of: %(values)s."), "expected"),
    "union_tag_invalid": (
        gettext_lazy("%(field)s: no message has this type; the types are: %(values)s."),
        "expected_tags",
    ),
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
    "my_feedback": "A participant's own sockets only: {type, done: [prompt ids answered or passed], done_second:"
    " [the same for the second person on a shared phone], again?: [prompt ids whose pending answers were lost with"
    " their key: ask again]}.",
    "release": "Reply to feedback.show/close before its ack: {type, id, prompt_id, released}; released=false "
    "means not enough answers yet.",
    "removed": "The couple was removed by a facilitator; the socket closes with 4410.",
}


CLOSE_CODES = {
    CLOSE_UNAUTHENTICATED: "no participant or staff identity on this device",
    CLOSE_FORBIDDEN: "staff not allowed in this session",
    CLOSE_NOT_FOUND: "no such session",
    CLOSE_REMOVED: "the couple was removed by a facilitator",
    CLOSE_ABUSE: "abuse: a frame over 256 KiB, or more than 100 messages dropped within 10 s",
}


def protocol_schema():
    """The client messages' JSON Schema, with which role sends each command, the server frames and the close
    codes: served at /live/protocol.json."""
    schema = client_message.json_schema()
    schema["title"] = "Attune live protocol: client messages"
    schema["x-commands"] = {name: {"role": cls.role} for name, cls in REGISTRY.items()}
    schema["x-server-frames"] = SERVER_FRAMES
    schema["x-close-codes"] = {str(code): meaning for code, meaning in CLOSE_CODES.items()}
    return schema
