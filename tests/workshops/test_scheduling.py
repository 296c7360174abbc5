"""Scheduling rules: no overlapping sessions, no double-booked facilitator, times right across DST."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from tests import factories
from workshops.errors import DomainError
from workshops.models import Session
from workshops.models.scheduling import JOIN_CODE_ALPHABET
from workshops.services import scheduling

pytestmark = pytest.mark.django_db


def test_sessions_of_one_workshop_cannot_overlap():
    ws = factories.workshop(factories.organization())
    start = factories.future()
    factories.session(ws, start, hours=3, title="Morning")
    with pytest.raises(DomainError, match="This overlaps Morning") as caught:
        factories.session(ws, start + timedelta(hours=2), hours=2)
    assert caught.value.field == "starts_at"
    factories.session(ws, start + timedelta(hours=3), hours=2)  # back to back is fine
    assert ws.sessions.count() == 2


def test_a_facilitator_is_not_double_booked_across_the_organization():
    org = factories.organization()
    facilitator = factories.member(org, "facilitator")
    first = factories.workshop(org, title="Spring retreat")
    start = factories.future()
    factories.session(first, start, hours=4)
    scheduling.workshop_set_facilitators(workshop=first, users=[facilitator])

    second = factories.workshop(org, title="Evening course")
    factories.session(second, start + timedelta(hours=1), hours=2)
    with pytest.raises(DomainError, match="already facilitates 'Spring retreat'") as caught:
        scheduling.workshop_set_facilitators(workshop=second, users=[facilitator])
    assert caught.value.code == "facilitator_double_booked"
    assert list(second.facilitators.all()) == []


def test_adding_a_session_that_double_books_an_assigned_facilitator_is_refused():
    org = factories.organization()
    facilitator = factories.member(org, "facilitator")
    first, second = factories.workshop(org, title="A"), factories.workshop(org, title="B")
    start = factories.future()
    factories.session(first, start)
    scheduling.workshop_set_facilitators(workshop=first, users=[facilitator])
    scheduling.workshop_set_facilitators(workshop=second, users=[facilitator])
    with pytest.raises(DomainError, match="already facilitates 'A'"):
        factories.session(second, start + timedelta(minutes=30))
    factories.session(second, start + timedelta(days=1))
    assert second.sessions.count() == 1


def test_a_cancelled_workshop_does_not_block_its_facilitator():
    org = factories.organization()
    facilitator = factories.member(org, "facilitator")
    first = factories.published_workshop(org)
    scheduling.workshop_set_facilitators(workshop=first, users=[facilitator])
    scheduling.workshop_cancel(workshop=first)
    second = factories.workshop(org)
    factories.session(second, first.sessions.get().starts_at)
    scheduling.workshop_set_facilitators(workshop=second, users=[facilitator])
    assert list(second.facilitators.all()) == [facilitator]


def test_facilitators_must_be_staff_of_the_organization():
    ws = factories.workshop(factories.organization())
    outsider = factories.user()
    with pytest.raises(DomainError, match="staff of this organization"):
        scheduling.workshop_set_facilitators(workshop=ws, users=[outsider])


def test_local_times_are_stored_in_utc_on_both_sides_of_the_dst_change():
    ws = factories.workshop(factories.organization(), timezone_name="Europe/Berlin")
    # Berlin leaves summer time on 2037-10-25 at 03:00 CEST -> 02:00 CET (years ahead: a session must end in the
    # future).
    before = scheduling.session_create(
        workshop=ws, starts_at=datetime(2037, 10, 24, 10), ends_at=datetime(2037, 10, 24, 12)
    )
    after = scheduling.session_create(
        workshop=ws, starts_at=datetime(2037, 10, 25, 10), ends_at=datetime(2037, 10, 25, 12)
    )
    before.refresh_from_db()
    after.refresh_from_db()
    assert before.starts_at == datetime(2037, 10, 24, 8, tzinfo=UTC)
    assert after.starts_at == datetime(2037, 10, 25, 9, tzinfo=UTC)
    assert after.starts_at - before.starts_at == timedelta(hours=25)


def test_a_wall_clock_time_skipped_by_dst_is_refused():
    ws = factories.workshop(factories.organization(), timezone_name="Europe/Berlin")
    # 2037-03-29 02:30 does not exist in Berlin: clocks jump from 02:00 to 03:00.
    with pytest.raises(DomainError, match="does not exist in Europe/Berlin") as caught:
        scheduling.session_create(workshop=ws, starts_at=datetime(2037, 3, 29, 2, 30), ends_at=datetime(2037, 3, 29, 4))
    assert caught.value.field == "starts_at"


def test_an_ambiguous_wall_clock_time_is_refused_not_guessed():
    utc = scheduling.local_to_utc(datetime(2027, 10, 31, 2, 30), "America/New_York", field="starts_at")
    assert utc == datetime(2027, 10, 31, 6, 30, tzinfo=UTC)  # New York is still on EDT then: nothing repeats
    # 2027-10-31 02:30 happens twice in Berlin (00:30 and 01:30 UTC): which one was meant can't be known.
    with pytest.raises(DomainError, match="happens twice in Europe/Berlin") as refused:
        scheduling.local_to_utc(datetime(2027, 10, 31, 2, 30), "Europe/Berlin", field="starts_at")
    assert refused.value.field == "starts_at"


def test_join_codes_are_unambiguous_and_unique_among_sessions_not_over():
    ws = factories.workshop(factories.organization())
    sessions = [factories.session(ws, factories.future(days=10 + n)) for n in range(30)]
    codes = [s.join_code for s in sessions]
    assert len(set(codes)) == 30
    assert all(len(c) == 6 and set(c) <= set(JOIN_CODE_ALPHABET) for c in codes)
    assert not set("01IOL5S2Z8B") & set(JOIN_CODE_ALPHABET)


def test_a_join_code_of_a_finished_session_may_be_reused(monkeypatch):
    ws = factories.workshop(factories.organization())
    past = Session.objects.create(
        workshop=ws,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=1),
        join_code="ACDEFG",
    )
    choices = iter("ACDEFG")
    monkeypatch.setattr(scheduling.secrets, "choice", lambda alphabet: next(choices))
    fresh = factories.session(ws)
    assert fresh.join_code == past.join_code == "ACDEFG"


def test_publishing_needs_sessions_for_every_part_and_a_venue():
    org = factories.organization()
    ws = factories.workshop(org, parts=3)
    with pytest.raises(DomainError, match="Schedule at least one session"):
        scheduling.workshop_publish(workshop=ws)
    factories.session(ws, factories.future(days=10))
    with pytest.raises(DomainError, match="The program has 3 parts; schedule 3 sessions"):
        scheduling.workshop_publish(workshop=ws)
    factories.session(ws, factories.future(days=11))
    factories.session(ws, factories.future(days=12))
    online = scheduling.workshop_update(workshop=ws, format="online", venue="")
    with pytest.raises(DomainError, match="video call link") as caught:
        scheduling.workshop_publish(workshop=online)
    assert caught.value.field == "video_link"
    scheduling.workshop_update(workshop=ws, video_link="https://meet.example/room")
    assert scheduling.workshop_publish(workshop=ws).status == "published"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"capacity_couples": 0}, "capacity_couples"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"format": "telepathy"}, "format"),
        ({"title": "  "}, "title"),
    ],
)
def test_workshop_field_errors_name_the_field(changes, field):
    ws = factories.workshop(factories.organization())
    with pytest.raises(DomainError) as caught:
        scheduling.workshop_update(workshop=ws, **changes)
    assert caught.value.field == field


def test_a_program_of_another_organization_cannot_be_used():
    mine, theirs = factories.organization(), factories.organization()
    with pytest.raises(DomainError, match="program of your library"):
        factories.workshop(mine, program=factories.program(theirs))
