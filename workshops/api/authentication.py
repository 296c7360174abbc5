"""DRF's session authentication with its CSRF refusal in the caller's language (DRF's own is "CSRF Failed: " and
Django's reason, in English). A module of its own, free of DRF's views: REST_FRAMEWORK's
DEFAULT_AUTHENTICATION_CLASSES names it, and DRF reads that setting while its views are being imported."""

from django.utils.translation import gettext as _
from drf_spectacular.authentication import SessionScheme
from rest_framework import authentication, exceptions


class SessionAuthentication(authentication.SessionAuthentication):
    """A signed-in browser's session. Django's reason for a CSRF refusal says which check failed, for a developer;
    the caller is told what to do."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as refused:
            raise exceptions.PermissionDenied(
                _(
                    "This request lacks the CSRF token that a signed-in browser must send (the csrftoken cookie's "
                    "value in an X-CSRFToken header). Reload the page and try again, or use an API token."
                ),
                code="csrf_failed",
            ) from refused


class SessionAuthenticationScheme(SessionScheme):
    """The schema describes it as DRF's: the session cookie (drf-spectacular matches the exact class only)."""

    target_class = "workshops.api.authentication.SessionAuthentication"
