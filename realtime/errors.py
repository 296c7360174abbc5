"""Errors a live command can meet. Each has a stable code (docs/protocol.md) and a human message."""


class LiveError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def stale(current_version):
    return LiveError("stale_version", f"The session moved on (now at version {current_version}); showing the latest.")
