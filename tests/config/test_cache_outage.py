"""While the cache's Redis is down or hangs, every page and endpoint that counts tries in it keeps answering:
reads miss, writes are dropped (config/cache.py), each call within its 1 s time limit. Against a Redis of the
test's own, killed or stopped (SIGSTOP) for real."""

import contextlib
import signal
import time

import pytest
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings
from redis.exceptions import ConnectionError as RedisConnectionError

from tests.support import private_redis, stop

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


@pytest.fixture
def dead_redis_url():
    with private_redis() as (process, url):
        stop(process)
        yield url


@contextlib.contextmanager
def cache_on(url):
    """The settings' cache (backend and time limits) on `url`. axes keeps the cache it was made with, so its
    handler is made again inside and after (else later tests would count sign-ins in this Redis)."""
    with override_settings(CACHES={"default": {**settings.CACHES["default"], "LOCATION": url}}):
        AxesProxyHandler.get_implementation(force=True)
        try:
            yield caches["default"]
        finally:
            caches["default"].close()
    AxesProxyHandler.get_implementation(force=True)


def test_the_settings_cache_is_the_fail_open_one():
    assert settings.CACHES["default"]["BACKEND"] == "config.cache.FailOpenRedisCache"
    assert settings.CACHES["default"]["OPTIONS"] == {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}


def test_a_dead_redis_raises_underneath(dead_redis_url):
    plain = RedisCache(dead_redis_url, {"OPTIONS": {"socket_connect_timeout": 1.0}})
    with pytest.raises(RedisConnectionError):
        plain.get("anything")


def test_reads_miss_and_writes_are_dropped(dead_redis_url):
    with cache_on(dead_redis_url) as cache:
        assert cache.get("k") is None
        assert cache.get("k", "fallback") == "fallback"
        assert cache.add("k", 1) is False
        assert cache.set("k", 1) is None
        assert cache.get_many(["a", "b"]) == {}
        assert cache.has_key("k") is False
        with pytest.raises(ValueError):
            cache.incr("k")


def test_throttled_and_limited_endpoints_answer_while_redis_is_down(client, dead_redis_url):
    with cache_on(dead_redis_url):
        # DRF's throttles (the token endpoint and the public API), axes' sign-in counting and the limited pages.
        token = client.post(
            "/api/v1/auth/token/",
            {"username": "nobody@example.test", "password": "wrong-one"},
            content_type="application/json",
        )
        assert token.status_code == 400, token.content
        public = client.get("/api/v1/public/workshops/no-such-workshop/")
        assert public.status_code == 404
        signup = client.get("/accounts/signup/")
        assert signup.status_code == 200
        login = client.post("/accounts/login/", {"username": "nobody@example.test", "password": "wrong-one"})
        assert login.status_code == 200
        reset = client.post("/accounts/password_reset/", {"email": "nobody@example.test"})
        assert reset.status_code == 302
        join = client.post("/live/api/join/code", {"code": "NOPE-NOPE"}, content_type="application/json")
        assert join.status_code == 404


@pytest.mark.slow
def test_a_cache_call_to_a_redis_that_hangs_misses_within_its_time_limit():
    """A stopped (SIGSTOP) Redis accepts connections and answers nothing: the call gives up after 1 s (a request's
    thread is never held) and answers as a miss."""
    with private_redis() as (process, url), cache_on(url) as cache:
        cache.set("attune-probe", 1)
        assert cache.get("attune-probe") == 1
        process.send_signal(signal.SIGSTOP)
        try:
            started = time.monotonic()
            assert cache.get("attune-probe") is None
            took = time.monotonic() - started
        finally:
            process.send_signal(signal.SIGCONT)
    assert 1.0 <= took < 1.5
