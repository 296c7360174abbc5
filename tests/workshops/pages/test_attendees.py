"""Organizer pages for a workshop's couples: add one by hand, export the attendees as CSV, write to every
confirmed couple or to the waitlist (preview and count first)."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.mailbox import mailbox
from workshops.models import Enrollment
from workshops.services import enrollment as enrollment_services
from workshops.services import registration_questions as question_services
from workshops.services import scheduling as scheduling_services

from .helpers import field_value, link_path, mails_to, page_text, text_of


def register(workshop, name, email=None, answers=None, language="en"):
    return enrollment_services.registration_submit(
        workshop=workshop,
        contact_email=email or f"{name.lower()}@example.net",
        display_name=name,
        answers=answers,
        language=language,
    )[0]


@pytest.fixture
def published(workshop):
    scheduling_services.workshop_publish(workshop=workshop)  # capacity 2
    return workshop


@pytest.mark.django_db
def test_an_organizer_adds_a_couple_by_hand_and_they_get_their_link(team, published):
    client = team.client("organizer")
    url = team.url(f"workshops/{published.pk}/enrollments/add/")
    enrollments_url = team.url(f"workshops/{published.pk}/enrollments/")
    assert "Add a couple…" in page_text(client.get(enrollments_url))

    response = client.post(url, {"display_name": "", "contact_email": "not-an-address"})
    assert response.status_code == 400
    assert text_of(response, "id_display_name_error") == "This field is required."
    assert text_of(response, "id_contact_email_error") == "Enter a valid email address."
    assert field_value(response, "contact_email") == "not-an-address"

    # Registration closed yesterday: a couple on the phone can still be added by hand.
    scheduling_services.workshop_update(workshop=published, registration_closes_at=timezone.now() - timedelta(days=1))
    mailbox().clear()
    response = client.post(url, {"display_name": "Ada", "contact_email": "Ada@Example.net"})
    ada = Enrollment.objects.get(display_name="Ada")
    assert (response.status_code, response["Location"]) == (302, f"{enrollments_url}#enrollment-{ada.pk}")
    assert (ada.status, ada.contact_email) == ("confirmed", "ada@example.net")
    page = client.get(enrollments_url)
    assert "Ada has a place; their e-mail with their personal link is on its way." in page_text(page)
    confirmation = mails_to("ada@example.net")
    assert [m.subject for m in confirmation] == ["Your place at Spring evening"]
    couple = Client()
    assert couple.get(link_path(confirmation[0], "/i/"))["Location"] == "/me/"
    assert text_of(couple.get("/me/"), "place-status") == "Hello Ada. Your place is confirmed."

    response = client.post(url, {"display_name": "Ada again", "contact_email": "ada@example.net"})
    assert response.status_code == 400
    assert text_of(response, "id_contact_email_error") == (
        "This e-mail already holds a place or a waitlist spot here; resend its link from its row instead."
    )

    client.post(url, {"display_name": "Bo", "contact_email": "bo@example.net"})
    client.post(url, {"display_name": "Cy", "contact_email": "cy@example.net"})
    assert Enrollment.objects.get(display_name="Cy").status == "waitlisted"
    assert "The workshop is full, so Cy is on the waitlist" in page_text(client.get(enrollments_url))


@pytest.mark.django_db
def test_a_draft_takes_no_couple_and_a_facilitator_may_not_add_one(team, workshop):
    client = team.client("owner")
    url = team.url(f"workshops/{workshop.pk}/enrollments/add/")
    assert text_of(client.get(url), "add-unavailable") == "Couples can be added once the workshop is published."
    response = client.post(url, {"display_name": "Ada", "contact_email": "ada@example.net"})
    assert response.status_code == 400
    assert "Couples can be added once the workshop is published." in page_text(response)
    scheduling_services.workshop_publish(workshop=workshop)
    response = team.client("facilitator").post(url, {"display_name": "Ada", "contact_email": "ada@example.net"})
    assert response.status_code == 403
    assert Enrollment.objects.count() == 0


def read_csv(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.mark.django_db
def test_the_attendee_export_lists_contacts_status_and_answers_safely(team, published):
    diet = question_services.question_add(workshop=published, label="Diet", kind="short_text")
    room = question_services.question_add(
        workshop=published, label="=Room", kind="choice", choices=["Shared", "-Single"]
    )
    register(published, '=HYPERLINK("http://evil")', "eve@example.net", {f"q-{diet.pk}": "+1 vegan"})
    register(published, "Bo", answers={f"q-{diet.pk}": "@home cooking", f"q-{room.pk}": "-Single"}, language="de")
    cy = register(published, "Cy")
    register(published, "Di")
    gone = register(published, "Ed")
    enrollment_services.enrollment_cancel(enrollment=gone, by="couple")
    Enrollment.objects.filter(pk__in=[e.pk for e in Enrollment.objects.all()]).update(
        created_at=datetime(2030, 4, 1, 8, 30, tzinfo=UTC)  # 10:30 in Berlin
    )

    response = team.client("organizer").get(team.url(f"workshops/{published.pk}/enrollments/export.csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="attendees-{published.public_id}-')
    assert response["Cache-Control"] == "no-store"
    assert read_csv(response) == [
        [
            "Name or pseudonym",
            "E-mail",
            "Status",
            "Language of their e-mails",
            "Registered (Europe/Berlin)",
            "Diet",
            "'=Room",
        ],
        ['\'=HYPERLINK("http://evil")', "eve@example.net", "Confirmed", "English", "2030-04-01 10:30", "'+1 vegan", ""],
        ["Bo", "bo@example.net", "Confirmed", "German", "2030-04-01 10:30", "'@home cooking", "'-Single"],
        ["Cy", "cy@example.net", "Waitlist 1", "English", "2030-04-01 10:30", "", ""],
        ["Di", "di@example.net", "Waitlist 2", "English", "2030-04-01 10:30", "", ""],
    ]

    enrollment_services.enrollment_cancel(enrollment=Enrollment.objects.get(display_name="Bo"), by="organizer")
    rows = read_csv(team.client("owner").get(team.url(f"workshops/{published.pk}/enrollments/export.csv")))
    assert [row[:3] for row in rows[1:]] == [
        ['\'=HYPERLINK("http://evil")', "eve@example.net", "Confirmed"],
        ["Cy", "cy@example.net", "Waitlist 1 (offered a seat)"],
        ["Di", "di@example.net", "Waitlist 2"],
    ]
    assert Enrollment.objects.get(pk=cy.pk).offers.get().status == "pending"  # Bo's seat, offered to Cy

    refused = team.client("facilitator").get(team.url(f"workshops/{published.pk}/enrollments/export.csv"))
    assert refused.status_code == 403


@pytest.mark.django_db
def test_a_message_is_previewed_with_its_count_then_sent_to_every_confirmed_couple(team, published):
    scheduling_services.workshop_update(workshop=published, contact_email="hello@openhearts.example")
    for name in ("Ada", "Bo", "Cy"):
        register(published, name)
    client = team.client("organizer")
    url = team.url(f"workshops/{published.pk}/enrollments/message/")
    page = client.get(url + "?to=confirmed")
    assert re.search(r'<input type="radio" name="audience" value="confirmed"[^>]* checked>', page.content.decode())

    response = client.post(url, {"audience": "confirmed", "subject": " ", "body": "", "action": "preview"})
    assert response.status_code == 400
    assert text_of(response, "id_subject_error") == "This field is required."

    message = {
        "audience": "confirmed",
        "subject": "What to bring on Friday",
        "body": "Bring a cushion\r\nand water.",
        "action": "preview",
    }
    mailbox().clear()
    response = client.post(url, message)
    assert response.status_code == 200
    assert text_of(response, "preview-count") == ("It goes to 2 couples: every confirmed couple, one e-mail each.")
    assert text_of(response, "preview-text") == (
        "Hello Ada, Bring a cushion and water. Open Hearts, for Spring evening To answer, write to "
        "hello@openhearts.example."
    )
    assert mailbox() == []  # a preview sends nothing

    response = client.post(url, {**message, "action": "send", "expected": "2"})
    assert (response.status_code, response["Location"]) == (302, team.url(f"workshops/{published.pk}/enrollments/"))
    assert "Your message is on its way to 2 couples." in page_text(client.get(response["Location"]))
    sent = [m for m in mailbox() if m.subject == "What to bring on Friday"]
    assert sorted(m.to[0] for m in sent) == ["ada@example.net", "bo@example.net"]
    assert sent[0].body.startswith("Hello ")
    assert "Bring a cushion\nand water.\n\nOpen Hearts, for Spring evening\n" in sent[0].body
    assert sent[0].extra_headers.get("Reply-To") == "hello@openhearts.example"


@pytest.mark.django_db
def test_sending_after_the_count_changed_shows_the_preview_again(team, published):
    for name in ("Ada", "Bo", "Cy"):
        register(published, name)
    client = team.client("organizer")
    url = team.url(f"workshops/{published.pk}/enrollments/message/")
    message = {"audience": "waitlist", "subject": "A seat may open", "body": "Hang on.", "action": "preview"}
    assert text_of(client.post(url, message), "preview-count").startswith("It goes to 1 couple:")
    register(published, "Di")  # joins the waitlist between preview and send
    mailbox().clear()
    response = client.post(url, {**message, "action": "send", "expected": "1"})
    assert response.status_code == 200
    assert text_of(response, "count-changed") == (
        "The number of couples changed since your preview; check it and send again."
    )
    assert text_of(response, "preview-count").startswith("It goes to 2 couples:")
    assert [m for m in mailbox() if m.subject == "A seat may open"] == []


@pytest.mark.django_db
def test_a_message_to_nobody_is_refused_in_place(team, published):
    register(published, "Ada")
    response = team.client("organizer").post(
        team.url(f"workshops/{published.pk}/enrollments/message/"),
        {"audience": "waitlist", "subject": "Hi", "body": "Hello", "action": "preview"},
    )
    assert response.status_code == 400
    assert text_of(response, "id_audience_error") == "Nobody to write to: the waitlist is empty."
    assert field_value(response, "subject") == "Hi"
