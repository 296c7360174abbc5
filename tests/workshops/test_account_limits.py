"""Limits on the account pages, through the real views: sign-in (django-axes, per account and per client address),
the token API's sign-in, sign-up (per client) and password reset (per client and per e-mail)."""

import time
from datetime import timedelta

import pytest
from django.test import Client, override_settings

from tests import factories
from tests.mailbox import mailbox
from tests.support import free_port

pytestmark = pytest.mark.django_db

RIGHT = "the-right-password-42"
LOCKED_PAGE = "Too many tries. Try again in 15 minutes."


def sign_in(client, username, password, **headers):
    return client.post("/accounts/login/", {"username": username, "password": password}, **headers)


def signed_in(client):
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_refused_for_the_cool_off():
    factories.user("ana@example.test", password=RIGHT)
    client = Client(REMOTE_ADDR="203.0.113.1")
    assert [sign_in(client, "ana@example.test", "wrong").status_code for _ in range(4)] == [200] * 4
    locked = sign_in(client, "ana@example.test", "wrong")
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert LOCKED_PAGE in locked.content.decode()
    right = sign_in(client, "ana@example.test", RIGHT)
    assert right.status_code == 429
    assert right["Retry-After"] == "900"
    assert not signed_in(client)


def test_failed_sign_ins_are_logged_without_the_account_the_address_or_the_browser(caplog):
    client = Client(REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="Firefox/150 (Ana's laptop)")
    with caplog.at_level("INFO"):
        for _ in range(5):
            sign_in(client, "ana@example.test", "hunter2-guess")
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "Locking out" in text  # axes did log the lockout
    for secret in ("ana@example.test", "203.0.113.77", "Ana's laptop", "hunter2-guess"):
        assert secret not in text


def test_the_account_stays_locked_from_another_address_and_other_accounts_are_not_affected():
    factories.user("ana@example.test", password=RIGHT)
    factories.user("ben@example.test", password=RIGHT)
    attacker = Client(REMOTE_ADDR="203.0.113.1")
    for _ in range(5):
        sign_in(attacker, "ANA@example.test ", "wrong")  # spelled any way, it is the same account
    elsewhere = Client(REMOTE_ADDR="198.51.100.2")
    assert sign_in(elsewhere, "ana@example.test", RIGHT).status_code == 429  # per account
    assert not signed_in(elsewhere)
    ben = sign_in(elsewhere, "ben@example.test", RIGHT)
    assert ben.status_code == 302
    assert signed_in(elsewhere)


def test_one_address_trying_many_accounts_is_locked_and_other_addresses_are_not():
    factories.user("ana@example.test", password=RIGHT)
    attacker = Client(REMOTE_ADDR="203.0.113.1")
    statuses = [sign_in(attacker, f"guess{n}@example.test", "wrong").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert sign_in(attacker, "ana@example.test", RIGHT).status_code == 429  # per address
    colleague = Client(REMOTE_ADDR="198.51.100.2")
    assert sign_in(colleague, "ana@example.test", RIGHT).status_code == 302


@override_settings(AXES_COOLOFF_TIME=timedelta(seconds=2))
def test_the_right_password_works_again_once_the_cool_off_has_passed():
    factories.user("ana@example.test", password=RIGHT)
    client = Client(REMOTE_ADDR="203.0.113.1")
    for _ in range(5):
        sign_in(client, "ana@example.test", "wrong")
    refused = sign_in(client, "ana@example.test", RIGHT)
    assert (refused.status_code, refused["Retry-After"]) == (429, "2")
    assert "Too many tries. Try again in 2 seconds." in refused.content.decode()
    time.sleep(2.2)
    assert sign_in(client, "ana@example.test", RIGHT).status_code == 302
    assert signed_in(client)


@override_settings(NUM_PROXIES=1)
def test_behind_the_proxy_a_spoofed_leftmost_address_does_not_escape_the_lock():
    factories.user("ana@example.test", password=RIGHT)
    proxy = Client(REMOTE_ADDR="10.0.0.1")  # every request comes from nginx
    for n in range(5):
        sign_in(proxy, f"guess{n}@example.test", "wrong", HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 203.0.113.1")
    spoofed = sign_in(proxy, "ana@example.test", RIGHT, HTTP_X_FORWARDED_FOR="7.7.7.7, 203.0.113.1")
    assert spoofed.status_code == 429
    other = sign_in(proxy, "ana@example.test", RIGHT, HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert other.status_code == 302


@pytest.fixture
def cache_unreachable():
    """The cache pointed at a port where nothing listens (Redis down); axes' handler made again on it."""
    from axes.handlers.proxy import AxesProxyHandler

    nowhere = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                           "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}}  # fmt: skip
    with override_settings(CACHES=nowhere):
        AxesProxyHandler.get_implementation(force=True)
        yield
    AxesProxyHandler.get_implementation(force=True)


def test_with_the_cache_unreachable_sign_in_still_works_uncounted(cache_unreachable, caplog):
    factories.user("ana@example.test", password=RIGHT)
    client = Client(REMOTE_ADDR="203.0.113.1")
    assert [sign_in(client, "ana@example.test", "wrong").status_code for _ in range(6)] == [200] * 6
    assert sign_in(client, "ana@example.test", RIGHT).status_code == 302
    assert signed_in(client)
    assert "sign-in failure not counted: the cache is unavailable" in caplog.text


def test_the_token_api_answers_a_lockout_with_429_in_its_error_shape():
    factories.user("ana@example.test", password=RIGHT)
    client = Client(REMOTE_ADDR="203.0.113.1")

    def token(password):
        body = {"email": "ana@example.test", "password": password}
        return client.post("/api/v1/auth/token/", body, content_type="application/json")

    assert [token("wrong").status_code for _ in range(5)] == [400, 400, 400, 400, 429]
    locked = token(RIGHT)
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert locked.json() == {"detail": LOCKED_PAGE, "field": None, "code": "locked_out"}


def test_sign_up_allows_ten_tries_an_hour_per_address():
    client = Client(REMOTE_ADDR="203.0.113.1")
    statuses = [client.post("/accounts/signup/", {"email": "nope", "password": "x"}).status_code for _ in range(10)]
    assert statuses == [400] * 10
    refused = client.post("/accounts/signup/", {"email": "real@example.test", "password": "a-long-test-password-42"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) in (3599, 3600)
    assert "Too many tries. Try again in 1 hour." in refused.content.decode()
    other = Client(REMOTE_ADDR="198.51.100.2")
    made = other.post("/accounts/signup/", {"email": "real@example.test", "password": "a-long-test-password-42"})
    assert made.status_code == 302


def reset(client, email):
    return client.post("/accounts/password_reset/", {"email": email})


def test_password_reset_sends_at_most_three_mails_an_hour_to_one_address_from_anywhere():
    factories.user("ana@example.test", password=RIGHT)
    sent = [reset(Client(REMOTE_ADDR=f"203.0.113.{n}"), "ana@example.test").status_code for n in range(1, 4)]
    assert sent == [302] * 3
    refused = reset(Client(REMOTE_ADDR="203.0.113.9"), "Ana@Example.test")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) in (3599, 3600)
    assert "Too many tries. Try again in 1 hour." in refused.content.decode()
    assert len(mailbox()) == 3
    factories.user("ben@example.test", password=RIGHT)
    assert reset(Client(REMOTE_ADDR="203.0.113.9"), "ben@example.test").status_code == 302  # another target


def test_password_reset_answers_an_unknown_address_the_same_as_a_known_one():
    factories.user("ana@example.test", password=RIGHT)
    known = [reset(Client(REMOTE_ADDR=f"203.0.113.{n}"), "ana@example.test").status_code for n in range(1, 5)]
    unknown = [reset(Client(REMOTE_ADDR=f"198.51.100.{n}"), "nobody@example.test").status_code for n in range(1, 5)]
    assert known == unknown == [302, 302, 302, 429]


def test_password_reset_allows_ten_tries_an_hour_per_address():
    client = Client(REMOTE_ADDR="203.0.113.1")
    assert [reset(client, f"p{n}@example.test").status_code for n in range(10)] == [302] * 10
    refused = reset(client, "p10@example.test")
    assert refused.status_code == 429
    assert "Too many tries. Try again in 1 hour." in refused.content.decode()
    assert reset(Client(REMOTE_ADDR="198.51.100.2"), "p10@example.test").status_code == 302
