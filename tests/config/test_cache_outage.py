"""While the cache's Redis is down, every page and endpoint that counts tries in it keeps answering: reads miss,
writes are dropped (config/cache.py). Against a Redis of the test's own, killed for real."""

import pytest
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


def cache_on(url):
    options = {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}
    return {"default": {"BACKEND": "config.cache.FailOpenRedisCache", "LOCATION": url, "OPTIONS": options}}


def test_a_dead_redis_raises_underneath(dead_redis_url):
    plain = RedisCache(dead_redis_url, {"OPTIONS": {"socket_connect_timeout": 1.0}})
    with pytest.raises(RedisConnectionError):
        plain.get("anything")


def test_reads_miss_and_writes_are_dropped(dead_redis_url):
    with override_settings(CACHES=cache_on(dead_redis_url)):
        cache = caches["default"]
        assert cache.get("k") is None
        assert cache.get("k", "fallback") == "fallback"
        assert cache.add("k", 1) is False
        assert cache.set("k", 1) is None
        assert cache.get_many(["a", "b"]) == {}
        assert cache.has_key("k") is False
        with pytest.raises(ValueError):
            cache.incr("k")


def test_throttled_and_limited_endpoints_answer_while_redis_is_down(client, dead_redis_url):
    with override_settings(CACHES=cache_on(dead_redis_url)):
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
