"""Every channel-layer group name, in one place, split by audience."""


def user_echo(user_id: int) -> str:
    """All sockets of one signed-in user, on any server process (the stack's self-test)."""
    return f"echo.user.{user_id}"
