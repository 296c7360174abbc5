"""Security headers (config/csp.py, Django's SecurityMiddleware) and the absence of Django's admin."""

import pytest
from django.conf import settings
from django.test import Client, override_settings

from config.csp import PERMISSIONS_POLICY
from tests.support import ROOT, python_with_settings

pytestmark = pytest.mark.django_db

BEHIND_TLS = {"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"), "SECURE_HSTS_SECONDS": 31536000}


@pytest.mark.parametrize("path", ["/", "/healthz", "/accounts/login/", "/no-such-page/", "/live/protocol.json"])
def test_every_response_carries_the_permissions_policy(path):
    response = Client().get(path)
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_the_permissions_policy_denies_devices_and_allows_only_the_wake_lock_the_live_apps_use():
    features = dict(item.split("=", 1) for item in PERMISSIONS_POLICY.split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "display-capture", "fullscreen"):
        assert features[feature] == "()"
    assert [name for name, allowed in features.items() if allowed != "()"] == ["screen-wake-lock"]
    assert features["screen-wake-lock"] == "(self)"
    wake_lock = (ROOT / "frontend" / "src" / "shared" / "ui.tsx").read_text()
    assert 'wakeLock!.request("screen")' in wake_lock  # why it is allowed: remove it here if the apps stop using it


def test_hsts_is_sent_on_requests_that_came_over_tls_only():
    with override_settings(**BEHIND_TLS):
        over_tls = Client().get("/", HTTP_X_FORWARDED_PROTO="https")
        plain = Client().get("/")
    assert over_tls["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in plain


def test_hsts_names_subdomains_only_when_asked():
    with override_settings(**BEHIND_TLS, SECURE_HSTS_INCLUDE_SUBDOMAINS=True):
        response = Client().get("/", HTTP_X_FORWARDED_PROTO="https")
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


PRINT_HSTS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
)
PRODUCTION = {
    "ATTUNE_MODE": "production",
    "SECRET_KEY": "k" * 40,
    "ALLOWED_HOSTS": "attune.example",
    "PUBLIC_BASE_URL": "https://attune.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/attune",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        (PRODUCTION, "31536000 False"),  # production: cookies are secure, TLS is in front
        ({**PRODUCTION, "SECURE_COOKIES": "false"}, "0 False"),  # plain HTTP (e.g. a LAN): no HSTS
        ({**PRODUCTION, "SECURE_HSTS_SECONDS": "600", "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true"}, "600 True"),
        ({}, "0 False"),  # development
    ],
)
def test_hsts_settings_follow_the_environment(environ, expected):
    result = python_with_settings(PRINT_HSTS, environ)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.parametrize("path", ["/admin/", "/admin/login/", "/admin/auth/user/"])
def test_there_is_no_admin(path):
    assert Client().get(path).status_code == 404
    assert "django.contrib.admin" not in settings.INSTALLED_APPS


@pytest.mark.parametrize(
    "path", ["/accounts/password_reset/", "/accounts/password_reset/done/", "/accounts/reset/done/"]
)
def test_the_password_pages_are_attunes_own(path):
    response = Client().get(path)
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert b"attune.css" in response.content and b"admin/" not in response.content
