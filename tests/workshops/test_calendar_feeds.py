"""iCalendar feeds per workshop and per facilitator, behind a rotatable secret."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from tests import factories
from workshops import calendar
from workshops.services import enrollment as enrollment_services
from workshops.services import organizations, scheduling

pytestmark = pytest.mark.django_db


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    return [(str(e["summary"]), e.decoded("dtstart"), e.decoded("dtend")) for e in cal.walk("VEVENT")]


def test_workshop_feed_lists_its_sessions_in_the_workshops_zone_across_dst(client):
    ws = factories.workshop(factories.organization(), title="Retreat", timezone_name="Europe/Berlin")
    # Berlin leaves summer time on 2037-10-25 (years ahead: a session must end in the future).
    scheduling.session_create(
        workshop=ws, starts_at=datetime(2037, 10, 24, 10), ends_at=datetime(2037, 10, 24, 12), title="Day 1"
    )
    scheduling.session_create(
        workshop=ws, starts_at=datetime(2037, 10, 25, 10), ends_at=datetime(2037, 10, 25, 12), title="Day 2"
    )
    url = reverse("workshop_feed", args=[ws.pk, calendar.workshop_feed_token(ws)])
    assert events(client.get(url)) == [
        ("Retreat: Day 1", datetime(2037, 10, 24, 8, tzinfo=UTC), datetime(2037, 10, 24, 10, tzinfo=UTC)),
        ("Retreat: Day 2", datetime(2037, 10, 25, 9, tzinfo=UTC), datetime(2037, 10, 25, 11, tzinfo=UTC)),
    ]


def test_rotating_the_workshop_feed_retires_the_old_link(client):
    ws = factories.workshop(factories.organization())
    old = reverse("workshop_feed", args=[ws.pk, calendar.workshop_feed_token(ws)])
    scheduling.workshop_rotate_calendar(workshop=ws)
    new = reverse("workshop_feed", args=[ws.pk, calendar.workshop_feed_token(ws)])
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


@pytest.mark.parametrize("token", ["", "0" * 32, "not-the-token"])
def test_a_wrong_feed_secret_is_not_found(client, token):
    ws = factories.workshop(factories.organization())
    assert client.get(f"/ical/workshop/{ws.pk}/{token}.ics").status_code == 404


def test_staff_feed_lists_every_session_the_person_facilitates_and_nothing_else(client):
    org_a, org_b = factories.organization(), factories.organization()
    person = factories.member(org_a, "facilitator")
    from workshops.models import Membership

    Membership.objects.create(organization=org_b, user=person, role="facilitator")
    mine_a = factories.workshop(org_a, title="Mine A")
    mine_b = factories.workshop(org_b, title="Mine B")
    other = factories.workshop(org_a, title="Not mine")
    factories.session(mine_a, factories.future(days=10))
    factories.session(mine_b, factories.future(days=11))
    factories.session(other, factories.future(days=12))
    scheduling.workshop_set_facilitators(workshop=mine_a, users=[person])
    scheduling.workshop_set_facilitators(workshop=mine_b, users=[person])

    feed = organizations.staff_calendar_rotate(user=person)
    url = reverse("staff_feed", args=[person.pk, calendar.staff_feed_token(feed)])
    assert [summary for summary, _, _ in events(client.get(url))] == ["Mine A", "Mine B"]

    organizations.staff_calendar_rotate(user=person)
    assert client.get(url).status_code == 404


def test_the_feed_secret_is_not_stored_in_the_database():
    ws = factories.workshop(factories.organization())
    token = calendar.workshop_feed_token(ws)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM workshops_workshop WHERE id = %s", [ws.pk])
        row = cursor.fetchone()
    assert all(token not in str(value) for value in row)


# ---- What each event carries -----------------------------------------------------------------------------------


def unfolded(response):
    """The feed's lines, continuation lines joined (RFC 5545 folds lines at 75 octets)."""
    return response.content.decode().replace("\r\n ", "").split("\r\n")


def test_each_event_has_its_zone_a_description_a_link_and_an_installation_wide_uid(client, settings):
    settings.PUBLIC_BASE_URL = "https://rooms.example.org"
    org = factories.organization()
    ws = factories.workshop(
        org, title="Retreat", timezone_name="Europe/Berlin", description="Two days on saying yes and no."
    )
    session = scheduling.session_create(
        workshop=ws, starts_at=datetime(2037, 6, 6, 10), ends_at=datetime(2037, 6, 6, 12, 30), title="Day 1"
    )
    response = client.get(reverse("workshop_feed", args=[ws.pk, calendar.workshop_feed_token(ws)]))
    cal = Calendar.from_ical(response.content)
    [zone] = cal.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Europe/Berlin"
    [event] = cal.walk("VEVENT")
    lines = unfolded(response)
    assert "DTSTART;TZID=Europe/Berlin:20370606T100000" in lines
    assert "DTEND;TZID=Europe/Berlin:20370606T123000" in lines
    assert event.decoded("dtstart") == datetime(2037, 6, 6, 8, tzinfo=UTC)
    assert str(event["uid"]) == f"session-{session.pk}-{ws.public_id}@rooms.example.org"
    organizer_page = f"https://rooms.example.org/o/{org.slug}/workshops/{ws.pk}/"
    assert str(event["url"]) == organizer_page
    assert str(event["description"]) == (
        f"Two days on saying yes and no.\n\nWhere: The Garden Room\n\nDetails: {organizer_page}"
    )


def test_a_utc_workshop_gives_utc_times(client):
    ws = factories.workshop(factories.organization(), timezone_name="UTC")
    factories.session(ws, datetime(2037, 6, 6, 10, tzinfo=UTC), hours=2)
    response = client.get(reverse("workshop_feed", args=[ws.pk, calendar.workshop_feed_token(ws)]))
    assert "DTSTART:20370606T100000Z" in unfolded(response)
    assert "DTEND:20370606T120000Z" in unfolded(response)


def test_uids_differ_between_installations_and_stay_put_within_one(client, settings):
    ws = factories.workshop(factories.organization())
    session = factories.session(ws)
    url = reverse("workshop_feed", args=[ws.pk, calendar.workshop_feed_token(ws)])

    def uid():
        [event] = Calendar.from_ical(client.get(url).content).walk("VEVENT")
        return str(event["uid"])

    settings.PUBLIC_BASE_URL = "http://localhost:8000"
    first = uid()
    assert first == uid()
    assert first == f"session-{session.pk}-{ws.public_id}@localhost"
    # Another installation, also on localhost, numbering its sessions from 1 too: its workshop's public id differs.
    other_ws = factories.workshop(factories.organization())
    assert other_ws.public_id != ws.public_id
    settings.PUBLIC_BASE_URL = "https://attune.venue.example"
    assert uid() == f"session-{session.pk}-{ws.public_id}@attune.venue.example"


def test_a_couples_calendar_links_to_the_public_page_and_says_where(client, settings):
    settings.PUBLIC_BASE_URL = "https://rooms.example.org"
    ws = factories.published_workshop(format="hybrid", video_link="https://video.example/room")
    _, raw = enrollment_services.registration_submit(workshop=ws, contact_email="kim@example.test", display_name="Kim")
    assert client.get(f"/i/{raw}").status_code == 302
    response = client.get(reverse("my_calendar"))
    assert response.status_code == 200
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    public_page = f"https://rooms.example.org/w/{ws.public_id}/"
    assert str(event["url"]) == public_page
    assert str(event["description"]) == (
        f"Where: The Garden Room\n\nVideo call: https://video.example/room\n\nDetails: {public_page}"
    )


def test_a_cancelled_workshop_says_so_in_its_events(client):
    ws = factories.published_workshop()
    scheduling.workshop_cancel(workshop=ws)
    response = client.get(reverse("workshop_feed", args=[ws.pk, calendar.workshop_feed_token(ws)]))
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"
    assert str(event["description"]).startswith("This workshop is cancelled.\n\n")


def test_a_staff_feed_links_each_session_to_its_organizer_page(client):
    org = factories.organization()
    person = factories.member(org, "facilitator")
    ws = factories.workshop(org, title="Mine")
    factories.session(ws)
    scheduling.workshop_set_facilitators(workshop=ws, users=[person])
    feed = organizations.staff_calendar_rotate(user=person)
    response = client.get(reverse("staff_feed", args=[person.pk, calendar.staff_feed_token(feed)]))
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["url"]).endswith(f"/o/{org.slug}/workshops/{ws.pk}/")
