import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import Env
from tests.support import ROOT, python_with_settings


def test_development_mode_uses_defaults_for_missing_values():
    env = Env({})
    assert env.production is False
    assert env.raw("SECRET_KEY", "fallback", required_in_production=True) == "fallback"
    assert env.list("ALLOWED_HOSTS", ["localhost"], required_in_production=True) == ["localhost"]


def test_production_mode_names_a_missing_required_value():
    env = Env({"ATTUNE_MODE": "production"})
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL must be set when ATTUNE_MODE=production"):
        env.url("REDIS_URL", ("redis",), required_in_production=True)


@pytest.mark.parametrize(
    ("environ", "call", "message"),
    [
        ({"DEBUG": "maybe"}, lambda e: e.bool("DEBUG", False), "DEBUG must be a boolean"),
        ({"PORT": "eighty"}, lambda e: e.int("PORT", 8000), "PORT must be a whole number"),
        ({"PORT": "0"}, lambda e: e.int("PORT", 8000, minimum=1), "PORT must be at least 1"),
        ({"REDIS_URL": "localhost:6379"}, lambda e: e.url("REDIS_URL", ("redis",)), "REDIS_URL must be a URL"),
        ({"ATTUNE_MODE": "prod"}, lambda e: e, "ATTUNE_MODE must be one of development, production"),
    ],
)
def test_malformed_values_are_named(environ, call, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        call(Env(environ))


def test_malformed_url_error_does_not_echo_the_secret_inside_it():
    with pytest.raises(ImproperlyConfigured) as caught:
        Env({"DATABASE_URL": "mysql://user:hunter2@db/attune"}).url("DATABASE_URL", ("postgres",))
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "SECRET_KEY must be set when ATTUNE_MODE=production"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be a random string of at least 32 characters"),
        ({"SECRET_KEY": "k" * 40}, "ALLOWED_HOSTS must be set"),
        ({"SECRET_KEY": "k" * 40, "ALLOWED_HOSTS": "attune.example"}, "DATABASE_URL must be set"),
        (
            {"SECRET_KEY": "k" * 40, "ALLOWED_HOSTS": "attune.example", "DATABASE_URL": "postgres://db/attune"},
            "REDIS_URL must be set",
        ),
        (
            {
                "SECRET_KEY": "k" * 40,
                "ALLOWED_HOSTS": "attune.example",
                "DATABASE_URL": "postgres://db/attune",
                "REDIS_URL": "redis://redis:6379/0",
            },
            "PUBLIC_BASE_URL must be set when ATTUNE_MODE=production",
        ),
        (
            {
                "SECRET_KEY": "k" * 40,
                "ALLOWED_HOSTS": "attune.example",
                "DATABASE_URL": "postgres://db/attune",
                "REDIS_URL": "redis://redis:6379/0",
                "PUBLIC_BASE_URL": "attune.example",
            },
            "PUBLIC_BASE_URL must be a URL starting with http:// or https://",
        ),
    ],
)
def test_production_start_up_fails_clearly(environ, expected):
    base = {"PATH": "/usr/bin:/bin", "ATTUNE_MODE": "production", "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**base, **environ},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert expected in result.stderr


PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; print(settings.DEBUG, "
    "settings.CHANNEL_LAYERS['default']['BACKEND'], settings.DATABASES['default']['ENGINE'])"
)


def test_production_start_up_succeeds_with_every_required_value():
    environ = {
        "PATH": "/usr/bin:/bin",
        "ATTUNE_MODE": "production",
        "SECRET_KEY": "k" * 40,
        "ALLOWED_HOSTS": "attune.example",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/attune",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "PUBLIC_BASE_URL": "https://attune.example/",
    }
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS + "; print(settings.PUBLIC_BASE_URL)"],
        cwd=ROOT,
        env={**environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "channels_redis.pubsub.RedisPubSubChannelLayer",
        "django.db.backends.postgresql",
        "https://attune.example",
    ]


PRINT_POOL = "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default'])"


def _settings_with(environ):
    return python_with_settings(PRINT_POOL, environ)


def test_postgresql_gets_a_bounded_connection_pool_per_process_and_sqlite_none():
    pooled = _settings_with({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/attune", "DATABASE_POOL_MAX": "7"})
    assert pooled.returncode == 0, pooled.stderr
    assert "'pool': {'min_size': 2, 'max_size': 7, 'timeout': 10}" in pooled.stdout
    assert "'CONN_MAX_AGE': 0" in pooled.stdout  # Django refuses persistent connections with a pool
    embedded = _settings_with({})
    assert embedded.returncode == 0, embedded.stderr
    assert "'pool'" not in embedded.stdout


def test_a_pool_smaller_than_its_minimum_is_refused_by_name():
    result = _settings_with(
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/attune",
            "DATABASE_POOL_MIN": "5",
            "DATABASE_POOL_MAX": "3",
        }
    )
    assert result.returncode != 0
    assert "DATABASE_POOL_MAX (3) must be at least DATABASE_POOL_MIN (5)" in result.stderr
