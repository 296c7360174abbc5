"""iCalendar feeds per workshop and per facilitator, behind a rotatable secret."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from tests import factories
from workshops import calendar
from workshops.services import organizations, scheduling

pytestmark = pytest.mark.django_db


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    return [(str(e["summary"]), e.decoded("dtstart"), e.decoded("dtend")) for e in cal.walk("VEVENT")]


def test_workshop_feed_lists_its_sessions_in_utc_across_dst(client):
    ws = factories.workshop(factories.organization(), title="Retreat", timezone_name="Europe/Berlin")
    scheduling.session_create(
        workshop=ws, starts_at=datetime(2027, 10, 30, 10), ends_at=datetime(2027, 10, 30, 12), title="Day 1"
    )
    scheduling.session_create(
        workshop=ws, starts_at=datetime(2027, 10, 31, 10), ends_at=datetime(2027, 10, 31, 12), title="Day 2"
    )
    url = reverse("workshop_feed", args=[ws.pk, calendar.workshop_feed_token(ws)])
    assert events(client.get(url)) == [
        ("Retreat: Day 1", datetime(2027, 10, 30, 8, tzinfo=UTC), datetime(2027, 10, 30, 10, tzinfo=UTC)),
        ("Retreat: Day 2", datetime(2027, 10, 31, 9, tzinfo=UTC), datetime(2027, 10, 31, 11, tzinfo=UTC)),
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
