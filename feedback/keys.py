"""The ephemeral keys that seal a prompt's pending answers (feedback/pending.py): one per prompt and batch, kept
where every server process reaches it but never in PostgreSQL, so the database, its old row versions, its WAL and
its backups hold pending answers only as ciphertext. Redis holds them in production (with an expiry, in case a
prompt is never closed); on the embedded defaults (one process, no Redis) this process's memory does.

A key is destroyed when its answers are released or the prompt closes: from then on, no old version of the
sealed set can be read by anyone. If a key is gone while answers wait under it (Redis or every process restarted),
those answers cannot be read either: feedback/pending.py drops them and their authors may answer again.
"""

import secrets

from django.conf import settings
from django.utils.translation import gettext as _

from realtime.errors import LiveError

KEY_BYTES = 32
KEY_TTL_S = 3 * 24 * 3600  # a prompt left open longer loses its pending answers (their authors may answer again)


def _name(prompt_id):
    return f"attune:feedback:pending-key:{prompt_id}"


class _Memory:
    """One process's keys (the embedded defaults)."""

    def __init__(self):
        self.keys = {}

    def get(self, name):
        return self.keys.get(name)

    def add(self, name, key):
        return self.keys.setdefault(name, key)

    def delete(self, name):
        self.keys.pop(name, None)


def _unavailable():
    return LiveError("feedback_unavailable", _("Anonymous answers can't be taken just now. Try again in a moment."))


class _Redis:
    """Every process's keys, in Redis. Unlike the cache (config/cache.py), a failure here refuses the command (an
    error frame; the person sends it again): answering while Redis fails would store an answer nobody could read,
    and releasing would lose the answers."""

    def __init__(self, url):
        import redis

        self.client = redis.Redis.from_url(url, socket_connect_timeout=1.0, socket_timeout=1.0)

    def _call(self, method, *args, **kwargs):
        from redis.exceptions import RedisError

        try:
            return getattr(self.client, method)(*args, **kwargs)
        except RedisError:
            raise _unavailable() from None

    def get(self, name):
        return self._call("get", name)

    def add(self, name, key):
        self._call("set", name, key, nx=True, ex=KEY_TTL_S)
        return self._call("get", name)

    def delete(self, name):
        self._call("delete", name)


_store = None


def store():
    global _store
    if _store is None:
        _store = _Redis(settings.REDIS_URL) if settings.REDIS_URL else _Memory()
    return _store


def current(prompt_id):
    """The prompt's key for the answers waiting now, or None (none waits, or the key is lost)."""
    return store().get(_name(prompt_id))


def current_or_new(prompt_id):
    """The prompt's key, made now if it has none (two processes making one at once agree on the first)."""
    return current(prompt_id) or store().add(_name(prompt_id), secrets.token_bytes(KEY_BYTES))


def destroy(prompt_id):
    store().delete(_name(prompt_id))
