"""The limiter (config/ratelimit.py) and the one answer to "what is this client's address" (config/client_address.py),
on the configured cache: the local-memory one on a laptop, Redis with REDIS_URL (and across processes there)."""

import logging
import os
import re
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings
from django.utils import translation
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from config import ratelimit
from config.client_address import client_address
from tests.support import ROOT, free_port

FORWARDED = [
    # (proxies, REMOTE_ADDR, X-Forwarded-For or None, the client)
    (0, "127.0.0.9", "203.0.113.7", "127.0.0.9"),  # no proxy configured: the header is the client's own words
    (1, "10.0.0.1", "203.0.113.7", "203.0.113.7"),  # nginx appended what it saw
    (1, "10.0.0.1", "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # a spoofed leftmost entry is not taken
    (1, "10.0.0.1", "6.6.6.6,5.5.5.5 , 203.0.113.7", "203.0.113.7"),
    (2, "10.0.0.1", "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),  # a CDN, then nginx
    (2, "10.0.0.1", "203.0.113.7", "203.0.113.7"),  # fewer entries than proxies: the leftmost there is
    (1, "10.0.0.1", None, "10.0.0.1"),  # came past the proxy without the header: the connection's address
]


@pytest.mark.parametrize(("proxies", "remote", "forwarded", "client"), FORWARDED)
def test_the_client_address_is_read_from_forwarded_for_only_as_deep_as_the_configured_proxies(
    proxies, remote, forwarded, client
):
    headers = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    request = RequestFactory().get("/", **headers)
    with override_settings(NUM_PROXIES=proxies, REST_FRAMEWORK={**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}):
        assert client_address(request) == client
        assert BaseThrottle().get_ident(request) == client  # DRF's throttles see the same client
    api_settings.reload()


def test_one_setting_drives_drf_axes_and_attunes_limits():
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.NUM_PROXIES
    assert settings.AXES_CLIENT_IP_CALLABLE == "config.client_address.client_address"


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "Too many tries. Try again in 1 second."),
        (45, "Too many tries. Try again in 45 seconds."),
        (60, "Too many tries. Try again in 1 minute."),
        (61, "Too many tries. Try again in 2 minutes."),
        (900, "Too many tries. Try again in 15 minutes."),
        (3600, "Too many tries. Try again in 1 hour."),
        (3601, "Too many tries. Try again in 2 hours."),
    ],
)
def test_the_wait_is_said_in_words(seconds, words):
    assert ratelimit.too_many_tries(seconds) == words


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "Zu viele Versuche. Versuch es in 1 Sekunde noch einmal."),
        (45, "Zu viele Versuche. Versuch es in 45 Sekunden noch einmal."),
        (60, "Zu viele Versuche. Versuch es in 1 Minute noch einmal."),
        (61, "Zu viele Versuche. Versuch es in 2 Minuten noch einmal."),
        (3600, "Zu viele Versuche. Versuch es in 1 Stunde noch einmal."),
        (3601, "Zu viele Versuche. Versuch es in 2 Stunden noch einmal."),
    ],
)
def test_the_wait_is_said_in_the_readers_language_with_its_plural(seconds, words):
    with translation.override("de"):
        assert ratelimit.too_many_tries(seconds) == words
        assert ratelimit.RateLimited(seconds).message == words  # worded where the limit is met


def test_a_limit_refuses_the_try_after_the_last_allowed_one_and_says_how_long_is_left():
    limit = ratelimit.Limit("test:three", 3, 60)
    for _ in range(3):
        ratelimit.hit(limit, "203.0.113.7")
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.hit(limit, "203.0.113.7")
    assert refused.value.retry_after in (59, 60)
    assert refused.value.message == ratelimit.too_many_tries(refused.value.retry_after)
    ratelimit.hit(limit, "203.0.113.8")  # another key has its own count
    ratelimit.hit(ratelimit.Limit("test:other", 3, 60), "203.0.113.7")  # another limit too


def test_a_limit_opens_again_when_its_window_has_passed():
    limit = ratelimit.Limit("test:short", 2, 1)
    ratelimit.hit(limit, "k")
    ratelimit.hit(limit, "k")
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.hit(limit, "k")
    assert refused.value.retry_after == 1
    time.sleep(1.2)
    ratelimit.hit(limit, "k")


@override_settings(RATE_LIMITS=False)
def test_rate_limits_false_counts_nothing():
    limit = ratelimit.Limit("test:off", 1, 60)
    for _ in range(5):
        ratelimit.hit(limit, "k")


def test_with_the_cache_unreachable_a_try_is_let_through_and_logged_without_its_key(caplog):
    unreachable = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                               "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}}  # fmt: skip
    with override_settings(CACHES=unreachable), caplog.at_level(logging.WARNING, logger="attune.ratelimit"):
        ratelimit.hit(ratelimit.Limit("test:down", 1, 60), "ana@example.test")
        ratelimit.hit(ratelimit.Limit("test:down", 1, 60), "ana@example.test")
    assert [r.getMessage() for r in caplog.records] == ["limit test:down not counted: the cache is unavailable"] * 2


@pytest.mark.redis
def test_processes_count_into_the_same_window_in_redis():
    """Two processes, one Redis: three tries in a child process and two here use up a limit of five."""
    child = (
        "import django; django.setup()\n"
        "from config import ratelimit\n"
        "for _ in range(3): ratelimit.hit(ratelimit.Limit('test:shared', 5, 60), '203.0.113.7')\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", child], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    limit = ratelimit.Limit("test:shared", 5, 60)
    ratelimit.hit(limit, "203.0.113.7")
    ratelimit.hit(limit, "203.0.113.7")
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.hit(limit, "203.0.113.7")


@pytest.mark.redis
def test_redis_holds_digests_never_an_address_or_an_email():
    import redis

    ratelimit.hit(ratelimit.Limit("test:digest", 5, 60), "ana@example.test")
    ratelimit.hit(ratelimit.Limit("test:digest", 5, 60), "203.0.113.7")
    keys = sorted(k.decode() for k in redis.Redis.from_url(settings.REDIS_URL).keys("*attune:limit:test:digest*"))
    assert len(keys) == 4  # a count and its window's start, for each
    assert all(re.fullmatch(r":1:attune:limit:test:digest:[0-9a-f]{32}(:since)?", key) for key in keys), keys
