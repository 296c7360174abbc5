"""Suite-wide fixtures and the rule for tests that need real services.

A test marked `postgres` or `redis` runs against the configured service. On a
laptop without it, it is skipped with the reason shown; with
ATTUNE_REQUIRE_SERVICES=1 (CI) it fails instead, so CI can never go green by
skipping them.
"""

import os

import pytest
from django.conf import settings

REQUIRE_SERVICES = os.environ.get("ATTUNE_REQUIRE_SERVICES") == "1"


def _missing(marker_name):
    if marker_name == "postgres" and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "PostgreSQL is not configured (set DATABASE_URL=postgres://...)"
    if marker_name == "redis" and not settings.REDIS_URL:
        return "Redis is not configured (set REDIS_URL=redis://...)"
    return None


def pytest_runtest_setup(item):
    for name in ("postgres", "redis"):
        if item.get_closest_marker(name) is None:
            continue
        reason = _missing(name)
        if reason is None:
            continue
        if REQUIRE_SERVICES:
            pytest.fail(f"{reason}, and ATTUNE_REQUIRE_SERVICES=1 forbids skipping", pytrace=False)
        pytest.skip(reason)


@pytest.fixture
def builtin_library(django_db_blocker):
    """The built-in exercises and programs. A data migration installs them, but transactional tests flush
    the database afterwards, so this puts them back (idempotently) for the tests that use them."""
    from workshops import library_content, library_content_de
    from workshops.models import Exercise, Program, ProgramItem, Step
    from workshops.services.library import install_builtin_library

    with django_db_blocker.unblock():
        install_builtin_library(
            exercise_model=Exercise,
            step_model=Step,
            program_model=Program,
            item_model=ProgramItem,
            content=library_content,
            languages={"de": library_content_de},  # as migration 0009 installs them
        )


@pytest.fixture(autouse=True)
def _no_language_left_active():
    """Django's test client runs a request's LocaleMiddleware in the test's own thread, and the request's language
    stays active there after it (a server starts each request afresh): a test that asked in German must not leave
    the tests after it in German."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache (Redis in CI); a test starts with none, whatever ran before."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Each test runs on its own event loop; channels_redis binds its locks to the loop that first used the
    layer, so every test gets a fresh layer instance (a server process has one loop and keeps one layer)."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()
