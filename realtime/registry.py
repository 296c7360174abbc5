"""The live commands, declared once: each is a message schema (a pydantic model whose `type` is its wire name,
`namespace.action`), the role that may send it, and the service it calls (its `apply`). Feature modules declare
theirs (realtime/commands/, feedback/commands.py) and register them with @command; the socket's dispatch
(realtime.member), the protocol's parsing and role checks (realtime.protocol), /live/protocol.json and the
generated docs and TypeScript types (realtime.protocol_docs) all read this registry, so a command is added in
one place. See docs/architecture.md, "Add a live command".
"""

from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

MESSAGE_ID = r"^[A-Za-z0-9_.:-]{1,64}$"
MessageId = Annotated[str, Field(min_length=1, max_length=64, pattern=MESSAGE_ID)]
Version = Annotated[int, Field(ge=0, le=2**53)]

FACILITATOR = "facilitator"
PARTICIPANT = "participant"
ANYONE = "all"


class Message(BaseModel):
    """A client message: an object with a client-made `id` (to acknowledge it, and to apply a retry only once)
    and a `type`."""

    model_config = ConfigDict(extra="forbid")
    id: MessageId


class AlreadyApplied(Exception):
    """A command that was applied before (a retry): acknowledged as a duplicate, not applied again."""


class Command(Message):
    """A command a socket applies for its role by calling a service: `apply(caller)` runs in a database thread
    and returns the frame to send before its ack, or None. `caller` is the socket's realtime.member.Member:
    its `session`, its `user` (staff) and `participant()` (the participant as they are now, with their couple).

    `once`: the command runs in one transaction with the record of its message id, so a retry is acknowledged as
    a duplicate and not applied twice. A command whose service keeps its own record (a feedback answer's
    receipt) and must not hold one transaction sets it False and raises AlreadyApplied for a retry."""

    role: ClassVar[str]
    once: ClassVar[bool] = True

    def apply(self, caller):  # pragma: no cover - every registered command overrides it
        raise NotImplementedError


REGISTRY: dict[str, type[Command]] = {}


def command(role, *, once=True):
    """Register a Command class under its wire type, for `role` (FACILITATOR or PARTICIPANT)."""

    def register(cls):
        name = wire_type(cls)
        if name in REGISTRY:
            raise ValueError(f"Two commands named {name}")
        cls.role, cls.once = role, once
        REGISTRY[name] = cls
        return cls

    return register


def wire_type(cls) -> str:
    """A message class's `type` on the wire."""
    (name,) = cls.model_fields["type"].annotation.__args__
    return name
