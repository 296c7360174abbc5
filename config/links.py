"""Absolute links to Attune, all from one base: settings.PUBLIC_BASE_URL.

E-mails, the projector's QR code, pairing links and calendar/registration links are
opened elsewhere (a phone, a mail client, a calendar app), so they are built from the
configured public address, never from the Host of the request that produced them: a
facilitator's console opened on localhost must still show phones a reachable QR code.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views


def absolute_url(path):
    """`path` (starting with "/", e.g. from reverse()) on Attune's public base URL."""
    if not path.startswith("/"):
        raise ValueError(f"absolute_url needs a path starting with '/', got {path!r}")
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, its e-mailed link on PUBLIC_BASE_URL rather than the request's Host
    (which a client chooses: a forged Host would otherwise send the victim a link to another server)."""

    @property
    def extra_email_context(self):
        base = urlsplit(settings.PUBLIC_BASE_URL)
        # The e-mail template writes {{ protocol }}://{{ domain }}{% url ... %}.
        return {"protocol": base.scheme, "domain": base.netloc + base.path.rstrip("/")}
