"""A waitlist offer answered twice, or late: each answer tells the couple the truth about their place."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.mailbox import mailbox
from tests.workshops.api.test_public import fill_and_offer
from workshops.models import Enrollment, WaitlistOffer

pytestmark = pytest.mark.django_db

ACCEPT = "/api/v1/public/waitlist-offers/accept/"
DECLINE = "/api/v1/public/waitlist-offers/decline/"


def error(detail, code):
    return {"detail": detail, "field": None, "code": code}


def test_accepting_twice_says_the_place_is_already_yours_and_sends_nothing(own, api_as, anonymous):
    token = fill_and_offer(own, api_as)
    assert anonymous.post(ACCEPT, {"token": token}).status_code == 200
    mailbox().clear()
    again = anonymous.post(ACCEPT, {"token": token})
    assert again.status_code == 200
    assert again.json() == {
        "status": "confirmed",
        "workshop": "Live evening",
        "detail": "This place is already yours: you accepted it before. Your personal link is in our e-mail.",
    }
    assert mailbox() == []
    assert Enrollment.objects.get(contact_email="fay@example.test").status == "confirmed"


def test_declining_an_accepted_offer_says_how_to_give_the_place_up(own, api_as, anonymous):
    token = fill_and_offer(own, api_as)
    anonymous.post(ACCEPT, {"token": token})
    response = anonymous.post(DECLINE, {"token": token})
    assert response.status_code == 400
    assert response.json() == error(
        "This place is already yours: you accepted it. To give it up, cancel it from your personal link.",
        "offer_accepted",
    )
    assert Enrollment.objects.get(contact_email="fay@example.test").status == "confirmed"


def test_accepting_after_the_place_was_cancelled_says_so(own, api_as, anonymous):
    token = fill_and_offer(own, api_as)
    anonymous.post(ACCEPT, {"token": token})
    fay = Enrollment.objects.get(contact_email="fay@example.test")
    owner = api_as(own.users["owner"])
    assert owner.post(f"{own.base}/workshops/{own.live.pk}/enrollments/{fay.pk}/cancel/").status_code == 200
    response = anonymous.post(ACCEPT, {"token": token})
    assert response.status_code == 400
    assert response.json() == error(
        "You accepted this place and it was cancelled afterwards. Register again if you'd like to come.",
        "offer_accepted",
    )


def test_accepting_a_declined_offer_says_the_place_went_on(own, api_as, anonymous):
    token = fill_and_offer(own, api_as)
    anonymous.post(DECLINE, {"token": token})
    for endpoint in (ACCEPT, DECLINE):
        response = anonymous.post(endpoint, {"token": token})
        assert response.status_code == 400
        assert response.json() == error(
            "You passed on this offer, so the place went to the next couple.", "offer_declined"
        )


def test_an_offer_ended_by_the_organizer_says_who_ended_it(own, api_as, anonymous):
    token = fill_and_offer(own, api_as)
    fay = Enrollment.objects.get(contact_email="fay@example.test")
    api_as(own.users["owner"]).post(f"{own.base}/workshops/{own.live.pk}/enrollments/{fay.pk}/cancel/")
    response = anonymous.post(ACCEPT, {"token": token})
    assert response.json() == error(
        "The organizer cancelled your waitlist spot, which ended this offer.", "offer_declined"
    )


def test_accepting_an_expired_offer_says_when_it_expired(own, api_as, anonymous):
    token = fill_and_offer(own, api_as)
    expired_at = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=1)
    WaitlistOffer.objects.filter(status="pending").update(expires_at=expired_at)
    response = anonymous.post(ACCEPT, {"token": token})
    assert response.status_code == 400
    local = expired_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert response.json() == error(
        f"This offer expired on {local:%Y-%m-%d at %H:%M} (Europe/Berlin) and the place went to the next couple. "
        "Register again if you'd like to come.",
        "offer_expired",
    )
