import signal
import time

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings
from redis.exceptions import TimeoutError as RedisTimeout

from tests.support import private_redis


@pytest.mark.redis
@pytest.mark.slow
def test_a_cache_call_gives_up_within_a_second_when_redis_hangs():
    """A stopped (SIGSTOP) Redis accepts connections and answers nothing: a cache call (rate-limit counters, from a
    request's thread) fails within its time limit instead of holding the thread forever."""
    with private_redis() as (process, url):
        cache_settings = {"default": {**settings.CACHES["default"], "LOCATION": url}}
        with override_settings(CACHES=cache_settings):
            cache = caches["default"]
            cache.set("attune-probe", 1)
            assert cache.get("attune-probe") == 1
            process.send_signal(signal.SIGSTOP)
            try:
                started = time.monotonic()
                with pytest.raises(RedisTimeout):
                    cache.get("attune-probe")
                took = time.monotonic() - started
            finally:
                process.send_signal(signal.SIGCONT)
            cache.close()
    assert settings.CACHES["default"]["OPTIONS"] == {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}
    assert 1.0 <= took < 1.5
