"""Capability links are exchanged for a cookie and a clean URL, and never logged."""

import logging
import re

import pytest

from tests import factories
from tests.mailbox import mailbox
from workshops.models import WaitlistOffer
from workshops.services import enrollment as services
from workshops.services import organizations

pytestmark = pytest.mark.django_db(transaction=True)  # e-mails go out on commit


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def test_invitation_link_becomes_a_session_and_a_clean_url(client, request_log):
    ws = factories.published_workshop(title="Spring retreat")
    _, raw = factories.register(ws, "Alex")
    fresh = client.__class__()

    response = fresh.get(f"/i/{raw}")
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    assert response["Referrer-Policy"] == "no-referrer"
    page = fresh.get("/me/")
    assert page.status_code == 200
    assert "Hello Alex." in page.content.decode()
    assert raw not in page.content.decode()
    assert all(raw not in record.getMessage() for record in request_log.records)
    assert any(r.name == "attune.request" and "/i/<str:token>" in r.getMessage() for r in request_log.records)


def test_an_unknown_or_replaced_link_is_a_clear_404(client, request_log):
    response = client.get("/i/made-up-token-123")
    assert response.status_code == 404
    assert "This link doesn't work" in response.content.decode()
    assert all("made-up-token-123" not in record.getMessage() for record in request_log.records)


def test_my_page_without_the_link_is_not_found(client):
    assert client.get("/me/").status_code == 404


def test_couple_cancels_from_their_link_and_the_waitlist_moves(client):
    ws = factories.published_workshop(capacity=1)
    _, raw = factories.register(ws, "First")
    waiting, _ = factories.register(ws, "Second")
    client.get(f"/i/{raw}")
    response = client.post("/me/cancel", follow=True)
    assert "Your place is cancelled" in response.content.decode()
    assert WaitlistOffer.objects.get(enrollment=waiting).status == "pending"


def test_offer_link_accept_flow(client):
    ws = factories.published_workshop(capacity=1)
    first, _ = factories.register(ws, "First")
    waiting, _ = factories.register(ws, "Second")
    services.enrollment_cancel(enrollment=first, by="couple")
    token = re.search(r"/offer/([\w-]+)", mailbox()[-1].body).group(1)

    assert client.get(f"/offer/{token}")["Location"] == "/me/offer/"
    assert "Accept the place" in client.get("/me/offer/").content.decode()
    response = client.post("/me/offer/", {"action": "accept"}, follow=True)
    assert "Your place is <strong>confirmed</strong>" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_staff_invitation_link_then_sign_up_then_join(client):
    org = factories.organization(name="Harbor Counseling")
    owner = org.memberships.get().user
    invitation, raw = organizations.staff_invite(
        organization=org, email="fac@example.test", role="facilitator", invited_by=owner
    )
    assert client.get(f"/staff/invitation/{raw}")["Location"] == "/staff/invitation/"
    assert "Create an account" in client.get("/staff/invitation/").content.decode()
    signup = client.post(
        "/accounts/signup/",
        {
            "email": "fac@example.test",
            "password": "a-long-test-password-42",
            "first_name": "Fay",
            "next": "/staff/invitation/",
        },
    )
    assert signup["Location"] == "/staff/invitation/"
    joined = client.post("/staff/invitation/")
    assert joined["Location"] == f"/o/{org.slug}/"
    assert org.memberships.get(user__email="fac@example.test").role == "facilitator"
