"""Sessions and the clock, through the API: a session that would be over already is refused on create and on a
move; one under way is fine; a session that is over can be deleted if it never ran, and one that ran stays on
record and says so. No dead ends."""

from datetime import timedelta

import pytest
from django.utils import timezone

from realtime.services.session import session_command
from workshops.models import Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(own, api_as):
    return api_as(own.users["owner"])


def iso(moment):
    return moment.isoformat()


def sessions_url(world, workshop=None):
    return f"{world.base}/workshops/{(workshop or world.draft).pk}/sessions/"


def into_the_past(session, days=3):
    """Time passes: the session now lies `days` in the past (set-up, not under test)."""
    start = timezone.now().replace(microsecond=0) - timedelta(days=days)
    Session.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    session.refresh_from_db()
    return session


def test_a_session_in_the_past_is_refused_and_nothing_is_created(own, owner):
    before = Session.objects.count()
    response = owner.post(
        sessions_url(own), {"starts_at": "2020-03-01T18:00:00+01:00", "ends_at": "2020-03-01T20:00:00+01:00"}
    )
    assert response.status_code == 400
    body = response.json()
    assert (body["field"], body["code"]) == ("ends_at", "session_in_past")
    assert body["detail"].startswith(
        "This session would be over already: it ends 2020-03-01 20:00 (Europe/Berlin), and it is now "
    )
    assert body["detail"].endswith("(Europe/Berlin). Choose times still to come.")
    assert Session.objects.count() == before


def test_a_session_under_way_can_be_added(own, owner):
    start = timezone.now() - timedelta(minutes=10)
    response = owner.post(sessions_url(own), {"starts_at": iso(start), "ends_at": iso(start + timedelta(hours=2))})
    assert response.status_code == 201, response.content


def test_moving_a_session_into_the_past_is_refused_and_it_stays_where_it_was(own, owner):
    session = own.draft_session
    response = owner.patch(
        f"{sessions_url(own)}{session.pk}/",
        {"starts_at": "2021-06-01T09:00:00Z", "ends_at": "2021-06-01T10:00:00Z"},
    )
    assert response.status_code == 400
    assert (response.json()["field"], response.json()["code"]) == ("ends_at", "session_in_past")
    session_before = session.starts_at
    session.refresh_from_db()
    assert session.starts_at == session_before


def test_a_past_session_that_never_ran_can_be_moved_to_the_future_renamed_or_deleted(own, owner):
    session = into_the_past(own.draft_session)
    url = f"{sessions_url(own)}{session.pk}/"
    renamed = owner.patch(url, {"title": "Planned by mistake"})
    assert renamed.status_code == 200
    assert renamed.json()["title"] == "Planned by mistake"
    start = timezone.now().replace(microsecond=0) + timedelta(days=20)
    moved = owner.patch(url, {"starts_at": iso(start), "ends_at": iso(start + timedelta(hours=2))})
    assert moved.status_code == 200, moved.content
    assert moved.json()["starts_at"] == start.isoformat().replace("+00:00", "Z")

    into_the_past(session)
    assert owner.delete(url).status_code == 204
    assert not Session.objects.filter(pk=session.pk).exists()
    assert owner.get(url).status_code == 404


def test_a_session_that_ran_stays_on_record_and_says_why(own, owner):
    session = own.live_session
    session_command(session=session, action="start", expected_version=1, args={"early": True})
    into_the_past(session)
    url = f"{sessions_url(own, own.live)}{session.pk}/"

    deleted = owner.delete(url)
    assert deleted.status_code == 400
    assert deleted.json() == {
        "detail": "This session took place and stays on record: its run and its feedback report are kept. "
        "Nothing more will happen in it.",
        "field": None,
        "code": "past_session",
    }
    start = timezone.now() + timedelta(days=5)
    moved = owner.patch(url, {"starts_at": iso(start), "ends_at": iso(start + timedelta(hours=1))})
    assert moved.json() == {
        "detail": "This session took place and stays on record: its times can't change (its title can).",
        "field": "starts_at",
        "code": "past_session",
    }
    renamed = owner.patch(url, {"title": "Evening one"})
    assert renamed.status_code == 200
    assert renamed.json()["title"] == "Evening one"
    assert owner.get(url).status_code == 200
