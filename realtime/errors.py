"""Errors a live command can meet. Each has a stable code (docs/protocol.md) and a human message.

A LiveError is the domain's refusal (workshops.errors.DomainError) as the live engine words it: one kind of error
for every refused write, so a rule shared with the pages (what a feedback prompt may ask, feedback/prompts.py)
is caught there as any other DomainError.

The message is in the reader's language: it is translated where the error is raised, with the language of the
socket (realtime.sockets activates it for the socket's task, and the database threads it calls copy that context:
realtime.threads) or of the request (config.i18n.AccountLocaleMiddleware). The code stays English."""

from django.utils.translation import gettext as _

from workshops.errors import DomainError


class LiveError(DomainError):
    def __init__(self, code, message, *, field=None):
        super().__init__(message, code=code, field=field)


def stale(current_version):
    return LiveError(
        "stale_version",
        _("The session moved on (now at version %(version)s); showing the latest.") % {"version": current_version},
    )
