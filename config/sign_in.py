"""Sign-in lockouts: django-axes, per account and per client address (settings AXES_*; docs/privacy.md, section 6).

What axes is told here: which account a sign-in tries, what a lockout answers (429 with Retry-After and the
wait in words, as every other limit in config/ratelimit.py), and to let sign-ins through while the cache is
unreachable, as Attune's own limits do.
"""

import logging

from axes.handlers.cache import AxesCacheHandler
from django.conf import settings
from django.http import JsonResponse

from config.ratelimit import RateLimited, page_answer
from workshops.forms import SignInForm

logger = logging.getLogger("attune.ratelimit")


class SignInCounts(AxesCacheHandler):
    """axes' cache handler (counts in Redis: shared by every process, expiring, no rows of who signed in from where)
    that lets a sign-in through, uncounted, while the cache is unreachable instead of answering 500."""

    def get_failures(self, request, credentials=None):
        try:
            return super().get_failures(request, credentials)
        except Exception:
            logger.warning("sign-in failures not read: the cache is unavailable")
            return 0

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        try:
            super().user_login_failed(sender, credentials, request, **kwargs)
        except Exception:
            logger.warning("sign-in failure not counted: the cache is unavailable")


def username(request, credentials):
    """The account a sign-in tries (AXES_USERNAME_CALLABLE): e-mails are logins, so spelled one way."""
    raw = (credentials or {}).get("username")
    if raw is None:
        raw = request.POST.get("username")
    return " ".join(str(raw or "").split()).lower() or None


def locked_out(request, *args, **kwargs):
    """AXES_LOCKOUT_CALLABLE: 429 with Retry-After; the sign-in page again saying when, or the API's error shape.

    axes counts the cool-off from the last failed try, and a try while locked out is one, so the wait is the
    whole cool-off. (axes calls this with (request, response, credentials) or, on its async path,
    (request, credentials); neither is needed.)
    """
    limited = RateLimited(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": limited.message, "field": None, "code": "locked_out"}, status=429)
        response["Retry-After"] = str(limited.retry_after)
        return response
    form = SignInForm(request, initial={"username": request.POST.get("username", "")})
    return page_answer(request, "registration/login.html", {"form": form}, limited)
