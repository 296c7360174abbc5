"""The cache on Redis, open when Redis is not there.

Attune's cache holds only counters that can start again (the per-client limits of config.ratelimit, axes'
sign-in failures, DRF's throttles): nothing is lost when a read misses. So while Redis is down or hangs (each call
gives up after the 1 s of its socket timeout, settings.CACHES), a read answers its default and a write is dropped,
and every page and endpoint keeps answering instead of failing with a 500: a minute without limits beats a room
that cannot join or an organizer locked out of the schedule. The outage is logged once a minute, without keys.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("attune.cache")
LOG_EVERY_S = 60.0


class FailOpenRedisCache(RedisCache):
    _last_logged = 0.0

    def _outage(self, exc):
        now = time.monotonic()
        if now - FailOpenRedisCache._last_logged >= LOG_EVERY_S:
            FailOpenRedisCache._last_logged = now
            logger.warning("cache: Redis does not answer (%s); reads miss and writes are dropped", type(exc).__name__)


def _open(answer):
    """A cache method that answers `answer(args, kwargs)` instead of raising when Redis fails."""

    def wrap(method):
        @functools.wraps(method)
        def guarded(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError as exc:
                self._outage(exc)
                return answer(args, kwargs)

        return guarded

    return wrap


def _default(args, kwargs):
    return kwargs.get("default", args[1] if len(args) > 1 else None)


def _missing_key(args, kwargs):
    raise ValueError("the cache is unavailable: no such key")  # what incr says of a key it does not hold


for _name, _answer in {
    "get": _default,
    "get_many": lambda a, k: {},
    "has_key": lambda a, k: False,
    "add": lambda a, k: False,
    "set": lambda a, k: None,
    "set_many": lambda a, k: list(a[0]) if a else [],
    "touch": lambda a, k: False,
    "delete": lambda a, k: False,
    "delete_many": lambda a, k: None,
    "clear": lambda a, k: False,
    "incr": _missing_key,
}.items():
    setattr(FailOpenRedisCache, _name, _open(_answer)(getattr(RedisCache, _name)))
