"""Issue 16: a brand-new account's home page said "Welcome back" on the very first visit. The first session of an
account (its sign-up, or its first sign-in ever) now says welcome and what to do first; later sessions say welcome
back. Everything goes through the pages, as a browser would."""

import pytest
from django.test import Client

from tests import factories
from tests.workshops.pages.helpers import text_of
from workshops.services import organizations

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-42"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(client, email):
    response = client.post("/accounts/login/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def greeting(client):
    home = client.get("/")
    assert home.status_code == 200
    first_step = text_of(home, "first-step") if 'id="first-step"' in home.content.decode() else None
    return text_of(home, "greeting"), first_step


def test_a_new_account_is_welcomed_for_the_first_time_until_it_signs_in_again():
    client = Client()
    signed_up = client.post(
        "/accounts/signup/", {"email": "robin@example.test", "first_name": "Robin", "password": PASSWORD}
    )
    assert signed_up["Location"] == "/o/new/"
    assert greeting(client) == (
        "Welcome to Attune, Robin! This is your home page: your organizations and the sessions you facilitate are "
        "listed here.",
        "First, create your organization for your own workshops. Or, if a team invited you, open the invitation "
        "link from your e-mail.",
    )

    created = client.post("/o/new/", {"name": "Open Hearts", "timezone": "Europe/Berlin"})
    assert created["Location"] == "/o/open-hearts/"
    # Still the first visit: its next step is the organization just made.
    assert greeting(client)[1] == "First, open Open Hearts: its overview shows what to do next."

    client.post("/accounts/logout/")
    sign_in(client, "robin@example.test")
    assert greeting(client) == ("Welcome back, Robin.", None)
    # Another browser, another day: still welcome back.
    other = Client()
    sign_in(other, "Robin@Example.test")
    assert greeting(other) == ("Welcome back, Robin.", None)


def test_an_account_made_for_someone_is_new_on_its_first_sign_in_however_old():
    factories.user("made@example.test", password=PASSWORD)  # e.g. by the demo loader, never signed in
    client = Client()
    sign_in(client, "made@example.test")
    text, first_step = greeting(client)
    assert text.startswith("Welcome to Attune! This is your home page")
    assert first_step.startswith("First, create your organization")
    second = Client()
    sign_in(second, "made@example.test")
    assert greeting(second) == ("Welcome back.", None)


def test_a_first_visit_from_an_invitation_points_to_the_invitation(django_capture_on_commit_callbacks):
    owner = factories.user("owner@example.test", password=PASSWORD)
    org = factories.organization(owner=owner, name="Harbor Counseling")
    _, raw = organizations.staff_invite(
        organization=org, email="fay@example.test", role="facilitator", invited_by=owner
    )
    client = Client()
    assert client.get(f"/staff/invitation/{raw}")["Location"] == "/staff/invitation/"
    client.post(
        "/accounts/signup/",
        {"email": "fay@example.test", "first_name": "Fay", "password": PASSWORD, "next": "/staff/invitation/"},
    )
    home = client.get("/")
    assert text_of(home, "first-step") == "First, join Harbor Counseling: you opened its invitation to its staff."
    assert text_of(home, "your-invitation") == (
        "Your invitation Harbor Counseling invites you to its staff as Facilitator. "
        "See the invitation to Harbor Counseling"
    )
    assert '<a class="button" href="/staff/invitation/">See the invitation' in home.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/staff/invitation/")["Location"] == f"/o/{org.slug}/"
    home = client.get("/")
    assert 'id="your-invitation"' not in home.content.decode()
    assert text_of(home, "first-step") == "First, open Harbor Counseling: its overview shows what to do next."
