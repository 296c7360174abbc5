"""Limits on what can be guessed or flooded, per client address and per target (docs/privacy.md has the table).

Sign-in is django-axes' (settings AXES_*, config/sign_in.py). Everything else counts
here: `hit(limit, key)` adds one try of `key` (a client address, an e-mail, a participant) to a counter in the
cache, which is Redis in production, so every process counts into the same number. A window opens at the first
try and lasts `window_s`; past `limit` tries in it, `hit` raises RateLimited with the seconds until it closes,
which pages and the JSON endpoints answer as 429 with Retry-After and the same words ("Too many tries. Try
again in 2 minutes."). Keys are HMAC digests: the cache never holds an address or an e-mail in clear.

Why not django-ratelimit: its block is a 403 (Ratelimited is a PermissionDenied) with no Retry-After and no way
to learn when the window ends, which is what the phones and pages must say; this is about sixty lines.
"""

import hashlib
import hmac
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from config.client_address import client_address

logger = logging.getLogger("attune.ratelimit")


@dataclass(frozen=True)
class Limit:
    name: str
    limit: int  # tries allowed in one window
    window_s: int


# A room is up to 40 couples (80 phones) behind one venue NAT, joining within a minute: the per-client limits
# on entering a session leave room for that; the per-target and per-participant ones stay tight.
JOIN_CODE_PER_CLIENT = Limit("join-code:client", 120, 10 * 60)
PARTICIPANT_PER_CLIENT = Limit("participant:client", 120, 10 * 60)
PAIRING_PER_CLIENT = Limit("pairing:client", 120, 10 * 60)  # typed codes and opened pairing links
PAIRING_PER_PARTICIPANT = Limit("pairing:participant", 5, 10 * 60)  # the life of a pairing code
SIGN_UP_PER_CLIENT = Limit("sign-up:client", 10, 60 * 60)
PASSWORD_RESET_PER_CLIENT = Limit("password-reset:client", 10, 60 * 60)
PASSWORD_RESET_PER_EMAIL = Limit("password-reset:email", 3, 60 * 60)


class RateLimited(Exception):
    code = "rate_limited"

    def __init__(self, retry_after):
        self.retry_after = retry_after
        self.message = too_many_tries(retry_after)
        super().__init__(self.message)


def hit(limit, key):
    """Count one try of `key` against `limit`; raises RateLimited when it is over the limit."""
    if not settings.RATE_LIMITS:
        return
    now = time.time()
    name = f"attune:limit:{limit.name}:{_digest(key)}"
    try:
        count = _count(name, limit.window_s)
        started = cache.get(f"{name}:since", now) if count > limit.limit else now
    except Exception:  # the cache (Redis) is down: a minute without limits beats a room that cannot join
        logger.warning("limit %s not counted: the cache is unavailable", limit.name)
        return
    if count > limit.limit:
        raise RateLimited(max(1, math.ceil(started + limit.window_s - now)))


def hit_client(limit, request):
    hit(limit, client_address(request))


def _count(name, window_s):
    cache.add(f"{name}:since", time.time(), timeout=window_s)
    if cache.add(name, 1, timeout=window_s):
        return 1
    try:
        return cache.incr(name)  # atomic in Redis (INCR) and in the local-memory cache (a lock)
    except ValueError:  # the window ended between add and incr: this try opens the next one
        cache.set(name, 1, timeout=window_s)
        return 1


def _digest(key):
    return hmac.new(settings.SECRET_KEY.encode(), str(key).encode(), hashlib.sha256).hexdigest()[:32]


def too_many_tries(seconds):
    """The words of a limit, in the reader's language: the wait in seconds, minutes or hours (rounded up), each a
    sentence of its own so that every language says it in its own order and plural."""
    if seconds < 60:
        return ngettext(
            "Too many tries. Try again in %(count)s second.", "Too many tries. Try again in %(count)s seconds.", seconds
        ) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        return ngettext(
            "Too many tries. Try again in %(count)s minute.", "Too many tries. Try again in %(count)s minutes.", minutes
        ) % {"count": minutes}
    hours = math.ceil(minutes / 60)
    return ngettext(
        "Too many tries. Try again in %(count)s hour.", "Too many tries. Try again in %(count)s hours.", hours
    ) % {"count": hours}


# --- answers ------------------------------------------------------------------------------------------------


def json_answer(limited):
    """The live JSON endpoints' error shape ({"code", "message"}), with the wait in seconds too."""
    response = JsonResponse(
        {"code": limited.code, "message": limited.message, "retry_after": limited.retry_after}, status=429
    )
    response["Retry-After"] = str(limited.retry_after)
    return response


def page_answer(request, template, context, limited):
    """An HTML page (the form again, or a page of its own) that says when to try again."""
    response = render(request, template, {**context, "too_many": limited.message}, status=429)
    response["Retry-After"] = str(limited.retry_after)
    return response
