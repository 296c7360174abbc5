"""Errors a live command can meet. Each has a stable code (docs/protocol.md) and a human message.

A LiveError is the domain's refusal (workshops.errors.DomainError) as the live engine words it: one kind of error
for every refused write, so a rule shared with the pages (what a feedback prompt may ask, feedback/prompts.py)
is caught there as any other DomainError."""

from workshops.errors import DomainError


class LiveError(DomainError):
    def __init__(self, code, message, *, field=None):
        super().__init__(message, code=code, field=field)


def stale(current_version):
    return LiveError("stale_version", f"The session moved on (now at version {current_version}); showing the latest.")
