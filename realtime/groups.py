"""Every channel-layer group name, in one place, split by audience."""


def user_echo(user_id: int) -> str:
    """All sockets of one signed-in user, on any server process (the stack's self-test)."""
    return f"echo.user.{user_id}"


def session_everyone(session_id: int) -> str:
    """Every socket of a session: the public snapshot."""
    return f"live.{session_id}.all"


def session_staff(session_id: int) -> str:
    """The session's facilitators: public snapshot plus run of show, presence and help."""
    return f"live.{session_id}.staff"


def session_projectors(session_id: int) -> str:
    """The room's screen: public snapshot and released results only, never presence or status."""
    return f"live.{session_id}.projector"


def participant(session_id: int, participant_id: int) -> str:
    """One participant's sockets: their view of their couple's space (private entries differ per partner)."""
    return f"live.{session_id}.p.{participant_id}"


def carrier(group: str) -> str:
    """The channel-layer group that carries a group's messages between server processes. A participant's group
    travels inside its session's `everyone` group, to which every process holding phones of the session is
    subscribed already (realtime/fanout.py): no channel-layer membership per phone, and each process's hub hands
    the message to that participant's own sockets only. Every other group carries itself."""
    parts = group.split(".")
    if len(parts) == 4 and parts[0] == "live" and parts[2] == "p":
        return session_everyone(int(parts[1]))
    return group
