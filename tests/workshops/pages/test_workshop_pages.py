"""Workshop and session pages: local times in the workshop's zone (DST included), errors in place."""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.test import Client

from workshops.calendar import workshop_feed_token
from workshops.models import Session, Workshop
from workshops.services import scheduling as scheduling_services

from .helpers import field_value, page_text, text_of


def workshop_post(program, **changes):
    data = {
        "title": "Autumn day",
        "program": str(program.pk),
        "format": "in_person",
        "venue": "Loft, Lisbon",
        "video_link": "",
        "timezone": "Europe/Lisbon",
        "capacity_couples": "8",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "description": "A day for two.",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_workshop_form_errors_show_next_to_their_fields_and_keep_the_input(team, program):
    client = team.client("organizer")
    url = team.url("workshops/new/")
    assert field_value(client.get(url), "timezone") == "Europe/Berlin"  # the organization's zone by default

    response = client.post(url, workshop_post(program, capacity_couples="0"))
    assert response.status_code == 400
    assert text_of(response, "id_capacity_couples_error") == "Capacity is a number of couples from 1 to 5000."
    assert [field_value(response, n) for n in ("title", "venue", "timezone", "capacity_couples")] == [
        "Autumn day",
        "Loft, Lisbon",
        "Europe/Lisbon",
        "0",
    ]
    assert field_value(response, "description") == "A day for two."

    response = client.post(
        url,
        workshop_post(program, registration_opens_at="2030-06-01T10:00", registration_closes_at="2030-05-01T10:00"),
    )
    assert text_of(response, "id_registration_closes_at_error") == "Registration must close after it opens."
    assert field_value(response, "registration_opens_at") == "2030-06-01T10:00"

    # 01:30 on 31 March 2030 does not exist in Lisbon (clocks jump from 01:00 to 02:00).
    response = client.post(url, workshop_post(program, registration_opens_at="2030-03-31T01:30"))
    assert text_of(response, "id_registration_opens_at_error") == (
        "2030-03-31 01:30 does not exist in Europe/Lisbon: the clocks skip that hour."
    )

    response = client.post(url, workshop_post(program, timezone="Europe/Lisbonn", registration_opens_at="soon"))
    assert text_of(response, "id_timezone_error") == "'Europe/Lisbonn' is not a time zone name such as Europe/Berlin."
    assert text_of(response, "id_registration_opens_at_error") == "Enter a date and time, such as 2030-05-10 10:00."
    assert Workshop.objects.filter(organization=team.organization).count() == 0

    response = client.post(url, workshop_post(program, registration_opens_at="2030-03-31T02:30"))
    workshop = Workshop.objects.get(organization=team.organization)
    assert response.status_code == 302
    assert workshop.registration_opens_at == datetime(2030, 3, 31, 1, 30, tzinfo=UTC)
    assert field_value(client.get(team.url(f"workshops/{workshop.pk}/edit/")), "registration_opens_at") == (
        "2030-03-31T02:30"
    )


@pytest.mark.django_db
def test_workshop_edit_saves_and_refuses_capacity_below_the_places_taken(team, workshop):
    from workshops.services import enrollment as enrollment_services

    scheduling_services.workshop_publish(workshop=workshop)
    for n in range(2):
        enrollment_services.registration_submit(workshop=workshop, contact_email=f"c{n}@example.net", display_name="C")
    client = team.client("organizer")
    url = team.url(f"workshops/{workshop.pk}/edit/")
    response = client.get(url)
    assert [field_value(response, n) for n in ("title", "capacity_couples", "timezone")] == [
        "Spring evening",
        "2",
        "Europe/Berlin",
    ]
    data = workshop_post(workshop.program, title="Spring evening", timezone="Europe/Berlin", capacity_couples="1")
    response = client.post(url, data)
    assert response.status_code == 400
    assert (
        text_of(response, "id_capacity_couples_error") == "2 couples already hold places; capacity can't go below that."
    )
    data["capacity_couples"] = "12"
    assert client.post(url, data).status_code == 302
    workshop.refresh_from_db()
    assert (workshop.capacity_couples, workshop.venue, workshop.timezone) == (12, "Loft, Lisbon", "Europe/Berlin")


@pytest.mark.django_db
def test_session_across_a_dst_change_is_stored_in_utc_and_shown_in_local_time(team, workshop):
    client = team.client("organizer")
    # Berlin moves its clocks from 02:00 to 03:00 on 31 March 2030: 01:00-04:00 local lasts two hours.
    response = client.post(
        team.url(f"workshops/{workshop.pk}/sessions/new/"),
        {"title": "Night owls", "starts_at": "2030-03-31T01:00", "ends_at": "2030-03-31T04:00"},
    )
    assert response.status_code == 302
    session = Session.objects.get(workshop=workshop, title="Night owls")
    assert (session.starts_at, session.ends_at) == (
        datetime(2030, 3, 31, 0, 0, tzinfo=UTC),
        datetime(2030, 3, 31, 2, 0, tzinfo=UTC),
    )
    assert "Session added: Sun 31 Mar 2030, 01:00 (Europe/Berlin)." in page_text(client.get(response["Location"]))
    response = client.get(team.url(f"workshops/{workshop.pk}/"))
    assert text_of(response, f"session-{session.pk}").startswith("Night owls Sun 31 Mar 2030, 01:00–04:00 Join code")
    edit = client.get(team.url(f"workshops/{workshop.pk}/sessions/{session.pk}/edit/"))
    assert (field_value(edit, "starts_at"), field_value(edit, "ends_at")) == ("2030-03-31T01:00", "2030-03-31T04:00")

    # And back in October: 02:30 happens twice, so it is refused with the reason; 01:30 (summer time) is not.
    edit_url = team.url(f"workshops/{workshop.pk}/sessions/{session.pk}/edit/")
    response = client.post(
        edit_url, {"title": "Night owls", "starts_at": "2030-10-27T02:30", "ends_at": "2030-10-27T05:00"}
    )
    assert response.status_code == 400
    assert "happens twice in Europe/Berlin" in text_of(response, "id_starts_at_error")
    response = client.post(
        edit_url, {"title": "Night owls", "starts_at": "2030-10-27T01:30", "ends_at": "2030-10-27T05:00"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.starts_at, session.ends_at) == (
        datetime(2030, 10, 26, 23, 30, tzinfo=UTC),
        datetime(2030, 10, 27, 4, 0, tzinfo=UTC),
    )


@pytest.mark.django_db
def test_session_errors_dst_gap_and_overlap_show_next_to_the_field(team, workshop):
    client = team.client("organizer")
    url = team.url(f"workshops/{workshop.pk}/sessions/new/")
    response = client.post(url, {"title": "Gap", "starts_at": "2030-03-31T02:30", "ends_at": "2030-03-31T05:00"})
    assert response.status_code == 400
    assert text_of(response, "id_starts_at_error") == (
        "2030-03-31 02:30 does not exist in Europe/Berlin: the clocks skip that hour."
    )
    assert [field_value(response, n) for n in ("title", "starts_at", "ends_at")] == [
        "Gap",
        "2030-03-31T02:30",
        "2030-03-31T05:00",
    ]
    response = client.post(url, {"title": "Clash", "starts_at": "2030-05-10T20:00", "ends_at": "2030-05-10T22:00"})
    assert text_of(response, "id_starts_at_error") == "This overlaps another session (2030-05-10 18:00–21:00)."
    response = client.post(url, {"title": "Backwards", "starts_at": "2030-05-12T20:00", "ends_at": "2030-05-12T19:00"})
    assert text_of(response, "id_ends_at_error") == "A session must end after it starts."
    assert workshop.sessions.count() == 1


@pytest.mark.django_db
def test_facilitator_double_booking_is_refused_next_to_the_field(team, workshop, program):
    client = team.client("organizer")
    scheduling_services.workshop_set_facilitators(workshop=workshop, users=[team.facilitator])
    other = scheduling_services.workshop_create(
        organization=team.organization,
        program=program,
        title="Same night",
        timezone_name="Europe/Berlin",
        capacity_couples=3,
    )
    scheduling_services.session_create(
        workshop=other, starts_at=datetime(2030, 5, 10, 20, 0), ends_at=datetime(2030, 5, 10, 22, 0)
    )
    page = team.url(f"workshops/{other.pk}/")
    fac = str(team.facilitator.pk)
    assert f'value="{fac}"' in client.get(page).content.decode()
    response = client.post(team.url(f"workshops/{other.pk}/facilitators/"), {"facilitators": [fac]})
    assert response.status_code == 400
    assert text_of(response, "id_facilitators_error") == (
        "Fay already facilitates 'Spring evening' from 2030-05-10 18:00 to 21:00 (Europe/Berlin)."
    )
    assert "checked" in response.content.decode().split(f'value="{fac}"')[1].split(">")[0]
    assert list(other.facilitators.all()) == []

    owner = str(team.owner.pk)
    response = client.post(team.url(f"workshops/{other.pk}/facilitators/"), {"facilitators": [owner]})
    assert (response.status_code, response["Location"]) == (302, page + "#facilitators")
    assert list(other.facilitators.all()) == [team.owner]

    # A facilitator assigned before there are sessions: the clash shows when the session is added.
    later = scheduling_services.workshop_create(
        organization=team.organization, program=program, title="Late", timezone_name="Europe/Berlin", capacity_couples=3
    )
    scheduling_services.workshop_set_facilitators(workshop=later, users=[team.facilitator])
    response = client.post(
        team.url(f"workshops/{later.pk}/sessions/new/"),
        {"title": "", "starts_at": "2030-05-10T20:30", "ends_at": "2030-05-10T23:00"},
    )
    assert response.status_code == 400
    assert text_of(response, "id_starts_at_error") == (
        "Fay already facilitates 'Spring evening' from 2030-05-10 18:00 to 21:00 (Europe/Berlin)."
    )
    assert later.sessions.count() == 0


@pytest.mark.django_db
def test_publish_needs_a_venue_then_opens_registration_and_cancel_confirms(team, program):
    workshop = scheduling_services.workshop_create(
        organization=team.organization, program=program, title="Pop-up", timezone_name="UTC", capacity_couples=4
    )
    scheduling_services.session_create(
        workshop=workshop, starts_at=datetime(2030, 6, 1, 9, 0), ends_at=datetime(2030, 6, 1, 12, 0)
    )
    client = team.client("organizer")
    url = team.url(f"workshops/{workshop.pk}/")
    response = client.post(url + "publish/")
    assert (response.status_code, response["Location"]) == (302, url)
    assert "Not published: Say where the workshop takes place." in page_text(client.get(url))
    workshop.refresh_from_db()
    assert workshop.status == "draft"

    scheduling_services.workshop_update(workshop=workshop, venue="Garden room")
    client.post(url + "publish/")
    assert text_of(client.get(url), "workshop-status") == "Published"

    assert "Cancel “Pop-up”?" in page_text(client.get(url + "cancel/"))
    workshop.refresh_from_db()
    assert workshop.status == "published"
    response = client.post(url + "cancel/")
    assert (response.status_code, response["Location"]) == (302, url)
    response = client.get(url)
    assert text_of(response, "workshop-status") == "Cancelled"
    assert "“Pop-up” is cancelled." in page_text(response)
    assert "Add a session" not in page_text(response)


@pytest.mark.django_db
def test_calendar_link_is_shown_and_rotating_it_retires_the_old_one(team, workshop):
    client = team.client("organizer")
    url = team.url(f"workshops/{workshop.pk}/")
    old = f"/ical/workshop/{workshop.pk}/{workshop_feed_token(workshop)}.ics"
    assert text_of(client.get(url), "feed-url") == f"{settings.PUBLIC_BASE_URL}{old}"
    assert Client().get(old).status_code == 200
    response = client.post(url + "calendar/rotate/")
    assert (response.status_code, response["Location"]) == (302, url + "#links")
    workshop.refresh_from_db()
    new = f"/ical/workshop/{workshop.pk}/{workshop_feed_token(workshop)}.ics"
    assert new != old
    assert text_of(client.get(url), "feed-url") == f"{settings.PUBLIC_BASE_URL}{new}"
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


@pytest.mark.django_db
def test_session_is_edited_and_deleted_after_confirmation(team, workshop):
    client = team.client("organizer")
    session = workshop.sessions.get()
    url = team.url(f"workshops/{workshop.pk}/sessions/{session.pk}/")
    response = client.post(
        url + "edit/", {"title": "Evening", "starts_at": "2030-05-10T19:00", "ends_at": "2030-05-10T22:00"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.title, session.starts_at) == ("Evening", datetime(2030, 5, 10, 17, 0, tzinfo=UTC))
    assert "Evening on Fri 10 May 2030, 19:00 (Europe/Berlin)" in page_text(client.get(url + "delete/"))
    response = client.post(url + "delete/")
    assert (response.status_code, response["Location"]) == (302, team.url(f"workshops/{workshop.pk}/#sessions"))
    assert not Session.objects.filter(pk=session.pk).exists()


@pytest.mark.django_db
def test_dashboard_shows_each_workshops_sessions_in_its_own_time_zone(team, workshop, program):
    new_york = scheduling_services.workshop_create(
        organization=team.organization,
        program=program,
        title="NYC evening",
        timezone_name="America/New_York",
        capacity_couples=3,
    )
    # The same instant as the Berlin session (16:00 UTC), in New York's wall-clock time.
    scheduling_services.session_create(
        workshop=new_york, starts_at=datetime(2030, 5, 10, 12, 0), ends_at=datetime(2030, 5, 10, 15, 0)
    )
    response = team.client("facilitator").get(team.url())
    assert text_of(response, "upcoming-sessions") == (
        "Upcoming sessions "
        "Spring evening Draft Fri 10 May 2030, 18:00–21:00 (Europe/Berlin) "
        "NYC evening Draft Fri 10 May 2030, 12:00–15:00 (America/New_York)"
    )
    workshops = text_of(response, "upcoming-workshops")
    assert "Spring evening Draft Fri 10 May 2030, 18:00–21:00 (Europe/Berlin) · 1 session" in workshops
    assert "NYC evening Draft Fri 10 May 2030, 12:00–15:00 (America/New_York) · 1 session" in workshops
