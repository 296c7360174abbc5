"""The enrollments page: counts, lists in order, offers with their expiry, each couple's language, cancel and
resend."""

import zoneinfo
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.mailbox import mailbox
from workshops.models import Enrollment, WaitlistOffer
from workshops.services import enrollment as enrollment_services
from workshops.services import scheduling as scheduling_services

from .helpers import link_path, mails_to, page_text, text_of


@pytest.fixture
def full_workshop(workshop):
    """Capacity 2: Ada and Bo confirmed, Cy and Di waiting (in that order)."""
    scheduling_services.workshop_publish(workshop=workshop)
    for name in ("Ada", "Bo", "Cy", "Di"):
        enrollment_services.registration_submit(
            workshop=workshop, contact_email=f"{name.lower()}@example.net", display_name=name
        )
    return workshop


def berlin(moment):
    return f"{moment.astimezone(zoneinfo.ZoneInfo('Europe/Berlin')):%-d %b %Y, %H:%M}"


def enrollment(workshop, name):
    return Enrollment.objects.get(workshop=workshop, display_name=name)


@pytest.mark.django_db
def test_waitlisted_couple_cancelled_and_expired_offer_passes_on_when_the_page_is_read(team, full_workshop):
    client = team.client("organizer")
    url = team.url(f"workshops/{full_workshop.pk}/enrollments/")
    response = client.get(url)
    cy, di = enrollment(full_workshop, "Cy"), enrollment(full_workshop, "Di")
    assert text_of(response, "waitlist") == (
        "Waitlist (2) In the order seats are offered. "
        f"Cy cy@example.net waiting since {berlin(cy.waitlisted_at)} · e-mails in English Resend link to Cy Cancel… Cy "
        f"Di di@example.net waiting since {berlin(di.waitlisted_at)} · e-mails in English Resend link to Di Cancel… Di"
    )

    # Ada cancels herself: Cy is offered the seat. Nobody answers, and the offer lapses.
    enrollment_services.enrollment_cancel(enrollment=enrollment(full_workshop, "Ada"), by="couple")
    offer = WaitlistOffer.objects.get(enrollment__display_name="Cy")
    WaitlistOffer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    response = client.get(url)  # reading the page applies the expiry and offers the seat to Di
    assert [text_of(response, f"count-{k}") for k in ("confirmed", "waitlisted", "offered", "free")] == [
        "1",
        "0",
        "1",
        "0",
    ]
    assert text_of(response, f"enrollment-{enrollment(full_workshop, 'Di').pk}").startswith("Di di@example.net")
    assert "Seat offered until" in text_of(response, "waitlist")
    cancelled = text_of(response, "cancelled")
    assert cancelled.startswith("Cancelled (2)")
    assert "Cy cy@example.net Waitlist offer expired" in cancelled
    assert "Ada ada@example.net Cancelled by the couple" in cancelled

    # The organizer takes Di off the waitlist; the seat stays free (nobody else waits).
    di = enrollment(full_workshop, "Di")
    response = client.post(team.url(f"workshops/{full_workshop.pk}/enrollments/{di.pk}/cancel/"))
    assert (response.status_code, response["Location"]) == (302, url)
    response = client.get(url)
    assert "Di is cancelled." in page_text(response)
    assert [text_of(response, f"count-{k}") for k in ("confirmed", "waitlisted", "offered", "free")] == [
        "1",
        "0",
        "0",
        "1",
    ]
    assert text_of(response, "waitlist") == "Waitlist (0) In the order seats are offered. Nobody is waiting."


@pytest.mark.django_db
def test_resend_invitation_sends_a_new_link_and_retires_the_old_one(
    team, full_workshop, django_capture_on_commit_callbacks
):
    bo = enrollment(full_workshop, "Bo")
    old_digest = bo.invitation_digest
    mailbox().clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = team.client("organizer").post(team.url(f"workshops/{full_workshop.pk}/enrollments/{bo.pk}/resend/"))
    assert response.status_code == 302
    sent = mails_to("bo@example.net")
    assert [m.subject for m in sent] == ["Your place at Spring evening"]
    bo.refresh_from_db()
    assert bo.invitation_digest != old_digest
    response = Client().get(link_path(sent[0], "/i/"))
    assert (response.status_code, response["Location"]) == (302, "/me/")


@pytest.mark.django_db
def test_cancelling_twice_says_so(team, full_workshop):
    ada = enrollment(full_workshop, "Ada")
    client = team.client("owner")
    url = team.url(f"workshops/{full_workshop.pk}/enrollments/{ada.pk}/cancel/")
    client.post(url)
    response = client.post(url, follow=True)
    assert "This place is already cancelled." in page_text(response)
    assert Enrollment.objects.get(pk=ada.pk).cancel_reason == "organizer"


@pytest.mark.django_db
def test_each_couple_s_language_shows_named_in_the_reader_s_language(team, workshop):
    """The language a couple's e-mails are written in (the one they registered in, or the one chosen for them), on
    every list, for those who may see how to reach them."""
    scheduling_services.workshop_publish(workshop=workshop)  # capacity 2
    for name, language in (("Ada", "de"), ("Bo", "en"), ("Cy", "de"), ("Di", "en")):
        enrollment_services.registration_submit(
            workshop=workshop, contact_email=f"{name.lower()}@example.net", display_name=name, language=language
        )
    enrollment_services.enrollment_cancel(enrollment=enrollment(workshop, "Di"), by="couple")
    url = team.url(f"workshops/{workshop.pk}/enrollments/")

    def languages(client):
        response = client.get(url)
        return [
            text_of(response, f"enrollment-{enrollment(workshop, n).pk}-language") for n in ("Ada", "Bo", "Cy", "Di")
        ]

    assert languages(team.client("organizer")) == [
        "· e-mails in German",
        "· e-mails in English",
        "· e-mails in German",  # on the waitlist
        "· e-mails in English",  # cancelled
    ]
    german = team.client("owner")
    german.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert languages(german) == [
        "· E-Mails auf Deutsch",
        "· E-Mails auf Englisch",
        "· E-Mails auf Deutsch",
        "· E-Mails auf Englisch",
    ]
    # A facilitator reads the lists, but not how the couples are reached.
    response = team.client("facilitator").get(url)
    assert response.status_code == 200
    assert "e-mails in" not in page_text(response)
