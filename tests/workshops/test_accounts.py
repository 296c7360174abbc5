"""Organizer accounts: sign up, sign in, password reset by e-mail."""

import re

import pytest
from django.conf import settings

from tests import factories
from tests.mailbox import mailbox

pytestmark = pytest.mark.django_db


def test_sign_up_then_sign_in_lands_on_the_organization_list(client):
    response = client.post("/accounts/signup/", {"email": "new@example.test", "password": "a-long-test-password-42"})
    assert response["Location"] == "/o/new/"
    client.logout()
    signed_in = client.post("/accounts/login/", {"username": "new@example.test", "password": "a-long-test-password-42"})
    assert signed_in["Location"] == "/o/new/"


def test_password_reset_by_email(client):
    factories.user("forgot@example.test", password="the-old-password-42")
    assert client.get("/accounts/password_reset/").status_code == 200
    response = client.post("/accounts/password_reset/", {"email": "forgot@example.test"})
    assert response["Location"] == "/accounts/password_reset/done/"
    link = re.search(re.escape(settings.PUBLIC_BASE_URL) + r"(/accounts/reset/\S+/)", mailbox()[0].body).group(1)
    form_url = client.get(link)["Location"]  # Django swaps the token for a session value: a clean URL
    done = client.post(
        form_url, {"new_password1": "a-brand-new-password-77", "new_password2": "a-brand-new-password-77"}
    )
    assert done["Location"] == "/accounts/reset/done/"
    signed_in = client.post(
        "/accounts/login/", {"username": "forgot@example.test", "password": "a-brand-new-password-77"}
    )
    assert signed_in["Location"] == "/o/new/"
