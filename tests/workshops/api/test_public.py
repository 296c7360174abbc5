"""The unauthenticated endpoints for couples: a published workshop, registration, waitlist offers."""

import logging
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.mailbox import mailbox
from workshops.models import Enrollment, WaitlistOffer
from workshops.services import enrollment as enrollment_services

OFFER_LINK = re.compile(r"/offer/([\w-]+)")
THANKS = {"detail": "Thank you. Check your e-mail: your personal link is on its way."}


def register_url(workshop):
    return f"/api/v1/public/workshops/{workshop.public_id}/register/"


def fill_and_offer(world, api_as):
    """Fill the live workshop (5 seats, Ana holds one), waitlist Fay, cancel Ana: Fay gets an offer."""
    for name in ("b", "c", "d", "e", "fay"):
        enrollment_services.registration_submit(
            workshop=world.live, contact_email=f"{name}@example.test", display_name=name
        )
    mailbox().clear()
    owner = api_as(world.users["owner"])
    cancelled = owner.post(f"{world.base}/workshops/{world.live.pk}/enrollments/{world.enrollment.pk}/cancel/")
    assert cancelled.status_code == 200
    offer_mail = next(m for m in mailbox() if m.to == ["fay@example.test"])
    return OFFER_LINK.search(offer_mail.body).group(1)


def test_a_published_workshop_shows_what_couples_need_and_nothing_more(own, anonymous):
    response = anonymous.get(f"/api/v1/public/workshops/{own.live.public_id}/")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Live evening"
    assert body["organization"] == "Acme"
    assert (body["registration_open"], body["registration_note"]) == (True, "")
    assert len(body["sessions"]) == 1
    assert set(body) == {
        "public_id",
        "organization",
        "title",
        "description",
        "format",
        "venue",
        "timezone",
        "sessions",
        "registration_open",
        "registration_note",
        "questions",
        "cancellation_deadline",
        "contact_email",
    }
    assert (body["questions"], body["cancellation_deadline"], body["contact_email"]) == ([], None, "")
    assert set(body["sessions"][0]) == {"title", "starts_at", "ends_at", "starts_at_local", "ends_at_local"}


@pytest.mark.parametrize("which", ["draft", "unknown"])
def test_a_draft_or_unknown_workshop_is_not_found(which, own, anonymous):
    public_id = own.draft.public_id if which == "draft" else "nope"
    assert anonymous.get(f"/api/v1/public/workshops/{public_id}/").status_code == 404
    response = anonymous.post(
        f"/api/v1/public/workshops/{public_id}/register/", {"contact_email": "a@b.test", "display_name": "A"}
    )
    assert response.status_code == 404


def test_registration_answers_alike_for_a_new_and_a_known_address(own, anonymous):
    new = anonymous.post(register_url(own.live), {"contact_email": "bo@example.test", "display_name": "Bo"})
    known = anonymous.post(register_url(own.live), {"contact_email": "ana@acme.test", "display_name": "Ana"})
    assert (new.status_code, new.json()) == (202, THANKS)
    assert (known.status_code, known.json()) == (202, THANKS)
    assert Enrollment.objects.filter(workshop=own.live, contact_email="ana@acme.test").count() == 1
    # The known address gets its personal link again, by e-mail only.
    assert [(m.to, m.subject) for m in mailbox()] == [
        (["bo@example.test"], "Your place at Live evening"),
        (["ana@acme.test"], "Your place at Live evening"),
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"display_name": "Bo"}, "contact_email"),
        ({"contact_email": "not-an-address", "display_name": "Bo"}, "contact_email"),
        ({"contact_email": "bo@example.test", "display_name": "   "}, "display_name"),
        ({"contact_email": "bo@example.test", "display_name": "B" * 61}, "display_name"),
        ({"contact_email": ["bo@example.test"], "display_name": "Bo"}, "contact_email"),
    ],
)
def test_registration_refuses_bad_input_naming_the_field(body, field, own, anonymous):
    response = anonymous.post(register_url(own.live), body)
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_registration_outside_its_window_is_refused(own, api_as, anonymous):
    owner = api_as(own.users["owner"])
    closed = owner.patch(
        f"{own.base}/workshops/{own.live.pk}/",
        {"registration_opens_at": "2020-01-01T00:00:00Z", "registration_closes_at": "2020-02-01T00:00:00Z"},
    )
    assert closed.status_code == 200
    response = anonymous.post(register_url(own.live), {"contact_email": "bo@example.test", "display_name": "Bo"})
    assert response.status_code == 400
    assert response.json() == {"detail": "Registration has closed.", "field": None, "code": "registration_closed"}
    assert anonymous.get(f"/api/v1/public/workshops/{own.live.public_id}/").json()["registration_open"] is False


def test_declining_an_offer_passes_the_seat_on(own, api_as, anonymous):
    token = fill_and_offer(own, api_as)
    enrollment_services.registration_submit(workshop=own.live, contact_email="gus@example.test", display_name="Gus")
    mailbox().clear()
    response = anonymous.post("/api/v1/public/waitlist-offers/decline/", {"token": token})
    assert response.status_code == 200
    assert response.json() == {
        "status": "cancelled",
        "workshop": "Live evening",
        "detail": "Thank you: the place passes to the next couple.",
    }
    assert [(m.to, m.subject) for m in mailbox()] == [
        (["gus@example.test"], "A place at Live evening is yours if you want it")
    ]
    assert WaitlistOffer.objects.get(enrollment__contact_email="fay@example.test").status == "declined"


def test_reading_the_waitlist_applies_an_expired_offer_and_offers_the_seat_on(own, api_as):
    fill_and_offer(own, api_as)
    enrollment_services.registration_submit(workshop=own.live, contact_email="gus@example.test", display_name="Gus")
    WaitlistOffer.objects.filter(status="pending").update(expires_at=timezone.now() - timedelta(minutes=1))
    mailbox().clear()
    owner = api_as(own.users["owner"])
    waitlist = owner.get(f"{own.base}/workshops/{own.live.pk}/waitlist/").json()
    assert waitlist["counts"] == {"confirmed": 4, "waitlisted": 0, "cancelled": 2, "offered": 1, "free": 0}
    assert [(e["enrollment"]["display_name"], e["offer"]["status"]) for e in waitlist["entries"]] == [
        ("Gus", "pending")
    ]
    assert [(m.to, m.subject) for m in mailbox()] == [
        (["fay@example.test"], "The place at Live evening has passed on"),
        (["gus@example.test"], "A place at Live evening is yours if you want it"),
    ]
    fay = Enrollment.objects.get(contact_email="fay@example.test")
    assert (fay.status, fay.cancel_reason) == ("cancelled", "offer_expired")


@pytest.mark.parametrize("endpoint", ["accept", "decline"])
def test_an_unknown_offer_token_names_the_token(endpoint, anonymous, db):
    response = anonymous.post(f"/api/v1/public/waitlist-offers/{endpoint}/", {"token": "not-a-real-token"})
    assert response.status_code == 400
    assert response.json() == {"detail": "This offer link is not valid.", "field": "token", "code": "invalid_token"}


@pytest.mark.parametrize("endpoint", ["accept", "decline"])
def test_offer_tokens_travel_only_in_the_body(endpoint, anonymous, db):
    response = anonymous.get(f"/api/v1/public/waitlist-offers/{endpoint}/?token=abc")
    assert response.status_code == 405


def test_no_token_or_address_reaches_the_logs(own, api_as, anonymous, caplog):
    token = fill_and_offer(own, api_as)
    with caplog.at_level(logging.DEBUG):
        anonymous.post(register_url(own.live), {"contact_email": "zed@example.test", "display_name": "Zed"})
        assert anonymous.post("/api/v1/public/waitlist-offers/accept/", {"token": token}).status_code == 200
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "POST /api/v1/public/waitlist-offers/accept/ 200" in logged
    assert token not in logged
    assert "zed@example.test" not in logged
    assert own.live.public_id not in logged


def test_public_endpoints_are_throttled_per_address(own, anonymous):
    url = f"/api/v1/public/workshops/{own.live.public_id}/"
    statuses = [anonymous.get(url).status_code for _ in range(31)]
    assert statuses == [200] * 30 + [429]
    throttled = anonymous.get(url)
    assert throttled.json()["code"] == "throttled"
    assert int(throttled["Retry-After"]) > 0


def test_public_endpoints_ignore_staff_credentials(own, api_as):
    """A staff token or cookie changes nothing: the endpoints read neither (and need no CSRF token)."""
    response = api_as(own.users["owner"]).post(
        register_url(own.live), {"contact_email": "bo@example.test", "display_name": "Bo"}
    )
    assert response.status_code == 202
