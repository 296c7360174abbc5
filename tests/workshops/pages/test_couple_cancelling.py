"""A couple cancels from their own page: it asks first, can be undone for a while (honestly refused once the place
has gone to another couple), and stops at the workshop's cancellation deadline, saying whom to write to."""

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.mailbox import mailbox
from workshops.models import Enrollment
from workshops.services import enrollment as enrollment_services
from workshops.services import scheduling as scheduling_services

from .helpers import link_path, mails_to, page_text, text_of


def couple(workshop, name):
    """A couple registered on the public page, holding their personal link's cookie."""
    client = Client()
    email = f"{name.lower()}@example.net"
    response = client.post(f"/w/{workshop.public_id}/", {"display_name": name, "contact_email": email})
    assert response.status_code == 302
    message = [m for m in mails_to(email) if "/i/" in m.body][-1]
    assert client.get(link_path(message, "/i/")).status_code == 302
    return client


def status_of(name):
    return Enrollment.objects.get(display_name=name).status


@pytest.fixture
def published(workshop):
    scheduling_services.workshop_publish(workshop=workshop)  # capacity 2, Fri 10 May 2030, 18:00 in Berlin
    return workshop


@pytest.mark.django_db
def test_cancel_asks_first_and_can_be_undone(published):
    ada = couple(published, "Ada")
    page = ada.get("/me/")
    assert text_of(page, "cancelling") == "Can't come? Cancel our place…"
    assert 'action="/me/cancel"' not in page.content.decode()  # a link to the question, not a one-click form

    question = ada.get("/me/cancel")
    assert page_text(question).startswith("Cancel your place at Spring evening?")
    assert text_of(question, "cancel-effect") == (
        "Your place goes to the next couple on the waitlist, if anyone is waiting, and we'll e-mail you that it is "
        "cancelled. You can undo this for 30 minutes, as long as the place hasn't gone to another couple by then."
    )
    assert status_of("Ada") == "confirmed"  # asking changed nothing

    mailbox().clear()
    page = ada.post("/me/cancel", follow=True)
    assert status_of("Ada") == "cancelled"
    assert "Your place is cancelled. Thank you for letting us know." in page_text(page)
    undo = text_of(page, "undo")
    until = Enrollment.objects.get(display_name="Ada").cancelled_at + timedelta(minutes=30)
    local = until.astimezone(zoneinfo.ZoneInfo("Europe/Berlin"))
    assert undo == (
        f"Changed your mind? You can undo the cancellation until {local:%H:%M} (Europe/Berlin), as long as the "
        "place hasn't gone to another couple. Undo: keep our place"
    )

    page = ada.post("/me/cancel/undo", follow=True)
    assert "Undone: your place is yours again." in page_text(page)
    assert status_of("Ada") == "confirmed"
    assert text_of(page, "place-status") == "Hello Ada. Your place is confirmed."
    assert [m.subject for m in mails_to("ada@example.net")] == [
        "Your place at Spring evening is cancelled",
        "Your cancellation for Spring evening is undone",
    ]
    assert "The personal link from your earlier e-mail works as before." in mails_to("ada@example.net")[1].body


@pytest.mark.django_db
def test_undo_is_refused_honestly_once_the_place_was_offered_to_the_waitlist(published):
    ada = couple(published, "Ada")
    couple(published, "Bo")
    couple(published, "Cy")  # waiting
    ada.post("/me/cancel")  # Cy is offered Ada's seat at once

    page = ada.get("/me/")
    assert text_of(page, "undo") == (
        "Changed your mind? Your place has already been offered to the next couple on the waitlist, so it can't be "
        "given back. You can register again to join the waitlist. Register again"
    )
    page = ada.post("/me/cancel/undo", follow=True)
    assert "Your place has already been offered to the next couple on the waitlist" in page_text(page)
    assert (status_of("Ada"), status_of("Cy")) == ("cancelled", "waitlisted")


@pytest.mark.django_db
def test_undo_is_refused_when_a_new_couple_took_the_free_place(published):
    ada = couple(published, "Ada")
    couple(published, "Bo")
    ada.post("/me/cancel")
    couple(published, "Cy")  # registers in the meantime and gets the free seat
    page = ada.post("/me/cancel/undo", follow=True)
    assert "Your place has already been taken by a couple who registered since" in page_text(page)
    assert (status_of("Ada"), status_of("Cy")) == ("cancelled", "confirmed")


@pytest.mark.django_db
def test_undo_ends_after_thirty_minutes(published):
    ada = couple(published, "Ada")
    ada.post("/me/cancel")
    Enrollment.objects.filter(display_name="Ada").update(cancelled_at=timezone.now() - timedelta(minutes=31))
    page = ada.get("/me/")
    assert 'id="undo"' not in page.content.decode()
    assert text_of(page, "place-status") == "Hello Ada. This place is cancelled."
    page = ada.post("/me/cancel/undo", follow=True)
    assert "It's too late to undo the cancellation" in page_text(page)
    assert status_of("Ada") == "cancelled"


@pytest.mark.django_db
def test_leaving_the_waitlist_is_undone_back_to_the_same_position(published):
    couple(published, "Ada")
    couple(published, "Bo")
    cy = couple(published, "Cy")
    couple(published, "Di")
    assert "Leave the waitlist for Spring evening?" in page_text(cy.get("/me/cancel"))
    page = cy.post("/me/cancel", follow=True)
    assert "You have left the waitlist. Thank you for letting us know." in page_text(page)
    page = cy.post("/me/cancel/undo", follow=True)
    assert "Undone: you are back on the waitlist, where you were." in page_text(page)
    order = Enrollment.objects.filter(status="waitlisted").order_by("waitlisted_at", "id")
    assert [e.display_name for e in order] == ["Cy", "Di"]


@pytest.mark.django_db
def test_after_the_cancellation_deadline_the_pages_say_whom_to_write_to(team, published):
    scheduling_services.workshop_update(
        workshop=published,
        cancellation_deadline=datetime(2030, 5, 3, 16, 0, tzinfo=UTC),  # 18:00 in Berlin
        contact_email="hello@openhearts.example",
    )
    register_page = Client().get(f"/w/{published.public_id}/")
    assert text_of(register_page, "cancel-terms") == (
        "You can cancel your place online until Friday 3 May 2030, 18:00 (Europe/Berlin). "
        "After that, write to hello@openhearts.example."
    )
    ada = couple(published, "Ada")
    confirmation = mails_to("ada@example.net")[0]
    assert (
        "You can cancel online until 3 May 2030, 18:00 (Europe/Berlin); after that, write to "
        "hello@openhearts.example." in confirmation.body
    )
    assert text_of(ada.get("/me/"), "cancel-terms") == text_of(register_page, "cancel-terms")

    # The deadline passes.
    deadline = timezone.now() - timedelta(hours=1)
    published.__class__.objects.filter(pk=published.pk).update(cancellation_deadline=deadline)
    local = deadline.astimezone(zoneinfo.ZoneInfo("Europe/Berlin"))
    closed = (
        f"Places can no longer be cancelled online: that was possible until {local:%-d %B %Y, %H:%M} "
        "(Europe/Berlin). To cancel, write to hello@openhearts.example."
    )
    page = ada.get("/me/")
    assert text_of(page, "cancelling") == f"Can't come? {closed}"
    assert "Cancel our place" not in page_text(page)
    assert text_of(ada.get("/me/cancel"), "cancel-terms") == closed
    page = ada.post("/me/cancel", follow=True)
    assert closed in page_text(page)
    assert status_of("Ada") == "confirmed"

    # The organizer can still cancel it, and a waitlisted couple can still leave.
    couple(published, "Bo")
    cy = couple(published, "Cy")
    cy.post("/me/cancel")
    assert status_of("Cy") == "cancelled"
    ada_enrollment = Enrollment.objects.get(display_name="Ada")
    enrollment_services.enrollment_cancel(enrollment=ada_enrollment, by="organizer")
    assert status_of("Ada") == "cancelled"


def workshop_form(workshop, **changes):
    data = {
        "title": workshop.title,
        "program": str(workshop.program_id),
        "format": workshop.format,
        "venue": workshop.venue,
        "video_link": "",
        "timezone": workshop.timezone,
        "capacity_couples": str(workshop.capacity_couples),
        "registration_opens_at": "",
        "registration_closes_at": "",
        "cancellation_deadline": "",
        "contact_email": "",
        "description": "",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_the_organizer_sets_a_deadline_with_a_contact_and_bad_input_is_refused_in_place(team, workshop):
    client = team.client("organizer")
    url = team.url(f"workshops/{workshop.pk}/edit/")
    response = client.post(url, workshop_form(workshop, cancellation_deadline="2030-05-08T12:00"))
    assert response.status_code == 400
    assert text_of(response, "id_contact_email_error") == (
        "Give an e-mail address: after the cancellation deadline couples write to it to cancel."
    )
    assert 'value="2030-05-08T12:00"' in response.content.decode()

    response = client.post(
        url, workshop_form(workshop, cancellation_deadline="2030-05-11T12:00", contact_email="hi@example.org")
    )
    assert response.status_code == 400
    assert text_of(response, "id_cancellation_deadline_error") == (
        "The cancellation deadline must be by the time the first session starts (Fri 10 May 2030, 18:00 "
        "(Europe/Berlin))."
    )

    response = client.post(url, workshop_form(workshop, contact_email="not an address"))
    assert response.status_code == 400
    assert text_of(response, "id_contact_email_error") == "Enter a valid email address."

    response = client.post(
        url, workshop_form(workshop, cancellation_deadline="2030-05-08T12:00", contact_email="hi@example.org")
    )
    assert response.status_code == 302
    page = client.get(team.url(f"workshops/{workshop.pk}/"))
    assert text_of(page, "cancel-terms") == "online until Wed 8 May 2030, 12:00, then by writing to hi@example.org"
    assert text_of(page, "contact-email") == "hi@example.org"
