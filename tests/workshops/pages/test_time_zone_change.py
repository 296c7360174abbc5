"""Issue 16, time and seats: changing a published workshop's time zone moved every session silently (10:00 in Berlin
became 04:00 in New York) and told no one; the hour repeated when clocks go back was taken silently (02:30-03:30 on
31 October 2027 became a two-hour session)."""

from datetime import UTC, datetime

import pytest
from django.core import mail

from workshops.models import Session, Workshop
from workshops.services import enrollment as enrollment_services
from workshops.services import scheduling as scheduling_services

from .helpers import field_value, text_of
from .test_workshop_pages import workshop_post

pytestmark = pytest.mark.django_db


def test_a_new_time_zone_keeps_the_sessions_local_times_and_tells_the_couples_with_a_place(team, workshop):
    scheduling_services.workshop_publish(workshop=workshop)
    enrollment_services.registration_submit(workshop=workshop, contact_email="ana@example.net", display_name="Ana")
    mail.outbox.clear()
    client = team.client("organizer")
    edit = team.url(f"workshops/{workshop.pk}/edit/")
    assert "keeps each session at the same local time" in client.get(edit).content.decode()

    data = workshop_post(workshop.program, title="Spring evening", timezone="America/New_York", capacity_couples="2")
    assert client.post(edit, data).status_code == 302
    session = Session.objects.get(workshop=workshop)
    # 18:00-21:00 on 10 May 2030 stays 18:00-21:00, now in New York (UTC-4 then).
    assert (session.starts_at, session.ends_at) == (
        datetime(2030, 5, 10, 22, 0, tzinfo=UTC),
        datetime(2030, 5, 11, 1, 0, tzinfo=UTC),
    )
    page = client.get(team.url(f"workshops/{workshop.pk}/sessions/{session.pk}/edit/"))
    assert field_value(page, "starts_at") == "2030-05-10T18:00"

    from post_office.models import Email

    sent = Email.objects.filter(to="ana@example.net", subject="New times for Spring evening").get()
    assert "18:00–21:00" in sent.message and "times in America/New_York" in sent.message
    assert sent.attachments.filter(name="attune-workshop.ics").exists()


def test_a_draft_workshop_moves_without_mail_and_an_unchanged_zone_moves_nothing(team, workshop):
    client = team.client("organizer")
    edit = team.url(f"workshops/{workshop.pk}/edit/")
    before = Session.objects.get(workshop=workshop).starts_at
    data = workshop_post(workshop.program, title="Spring evening", timezone="Europe/Berlin", capacity_couples="2")
    assert client.post(edit, data).status_code == 302
    assert Session.objects.get(workshop=workshop).starts_at == before
    data["timezone"] = "Asia/Tokyo"
    assert client.post(edit, data).status_code == 302
    assert Session.objects.get(workshop=workshop).starts_at == datetime(2030, 5, 10, 9, 0, tzinfo=UTC)  # 18:00 Tokyo
    assert Workshop.objects.get(pk=workshop.pk).timezone == "Asia/Tokyo"


def test_a_time_in_the_hour_that_happens_twice_is_refused_with_the_reason(team, workshop):
    client = team.client("organizer")
    response = client.post(
        team.url(f"workshops/{workshop.pk}/sessions/new/"),
        {"title": "Night", "starts_at": "2027-10-31T02:30", "ends_at": "2027-10-31T03:30"},
    )
    assert response.status_code == 400
    assert text_of(response, "id_starts_at_error") == (
        "2027-10-31 02:30 happens twice in Europe/Berlin: the clocks go back an hour then. "
        "Choose a time outside the repeated hour."
    )
    assert field_value(response, "starts_at") == "2027-10-31T02:30"
    assert Session.objects.filter(workshop=workshop).count() == 1
