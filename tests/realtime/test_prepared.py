"""Prepared queries (realtime/prepared.py): the ORM's rows, without compiling the ORM's query each time."""

import json

import pytest
from django.db.models import Q
from django.utils import timezone

from realtime.models import CoupleEntry, CoupleSpace, Participant, Presence, ProcessedCommand, SessionState
from realtime.prepared import Prepared, insert_row, save_fields
from realtime.services.session import state_for
from tests.realtime.conftest import _couple, _live_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def space_with_entries(builtin_library):
    session, _, _ = _live_workshop()
    _couple(session, ["Ana", "Ben"])
    participant = Participant.objects.get(workshop=session.workshop, display_name="Ana")
    space, _ = CoupleSpace.objects.get_or_create(session=session, couple=participant.couple)
    for n, payload in enumerate([{"text": "first", "n": [1, 2]}, None, {"text": "ü ✓"}]):
        CoupleEntry.objects.create(
            space=space, step_index=n, kind="item", key=f"k{n}", scope="shared", author=participant, payload=payload
        )
    return session, space, participant


def test_model_rows_equal_the_orms_with_every_field_converted(space_with_entries):
    _, space, _ = space_with_entries

    def build(space_id, step):
        return CoupleEntry.objects.filter(space_id=space_id, step_index__gte=step).order_by("pk")

    prepared = Prepared(build)
    for step in (0, 1, 3):  # the same compiled SQL, new values each time
        got = prepared(space.pk, step)
        expected = list(build(space.pk, step))
        assert [e.pk for e in got] == [e.pk for e in expected]
        for a, b in zip(got, expected, strict=True):
            assert (a.payload, a.created_at, a.author_id, a.passed) == (b.payload, b.created_at, b.author_id, b.passed)
            assert isinstance(a.created_at, type(timezone.now())) and a.created_at.tzinfo is not None
    assert [e.payload for e in prepared(space.pk, 0)] == [{"text": "first", "n": [1, 2]}, None, {"text": "ü ✓"}]
    assert prepared(space.pk + 1000, 0) == []


def test_values_rows_deferred_fields_and_text_arguments(space_with_entries):
    session, space, _ = space_with_entries
    rows = Prepared(
        lambda space_id, key: (
            CoupleEntry.objects.filter(Q(space_id=space_id) | Q(kind="agreement"), key=key)
            .values_list("key", "payload")
            .order_by("pk")
        )
    )
    assert rows(space.pk, "k0") == [("k0", {"text": "first", "n": [1, 2]})]
    assert rows(space.pk, "k2") == [("k2", {"text": "ü ✓"})]
    assert rows(space.pk, "nothing") == []

    full = state_for(session)
    deferred = Prepared(lambda session_id: SessionState.objects.filter(session_id=session_id).defer("steps"))
    state = deferred.first(session.pk)
    assert (state.pk, state.version, state.status, state.step_log) == (full.pk, full.version, "lobby", [])
    assert "steps" in state.get_deferred_fields()
    assert json.dumps(state.steps) == json.dumps(full.steps)  # a deferred field still loads when read


def test_queries_it_cannot_prepare_are_refused_when_first_run(space_with_entries):
    _, space, _ = space_with_entries
    joined = Prepared(lambda space_id: CoupleEntry.objects.select_related("space").filter(space_id=space_id))
    with pytest.raises(ValueError, match="select_related"):
        joined(space.pk)
    unused = Prepared(lambda space_id, other: CoupleEntry.objects.filter(space_id=space_id))
    with pytest.raises(ValueError, match="Every argument"):
        unused(space.pk, 3)


def test_save_fields_writes_what_save_would(space_with_entries):
    _, space, participant = space_with_entries
    space.dialogue = {"step": 2, "speaker": participant.pk, "deadline": "2026-11-24T12:00:00+00:00"}
    space.paused_by, space.paused_at, space.version = participant, timezone.now(), space.version + 5
    assert save_fields(space, "dialogue", "paused_by", "paused_at", "version") == 1
    again = CoupleSpace.objects.get(pk=space.pk)
    assert (again.dialogue, again.paused_by_id, again.paused_at, again.version) == (
        space.dialogue,
        participant.pk,
        space.paused_at,
        space.version,
    )
    space.paused_by = None
    save_fields(space, "paused_by")
    assert CoupleSpace.objects.get(pk=space.pk).paused_by_id is None


def test_insert_row_inserts_once_and_tells_whether_it_did(space_with_entries):
    _, space, participant = space_with_entries
    now = timezone.now()
    assert insert_row(ProcessedCommand, unless_exists=True, client="p1", message_id="m1", created_at=now) is True
    assert insert_row(ProcessedCommand, unless_exists=True, client="p1", message_id="m1", created_at=now) is False
    assert insert_row(ProcessedCommand, unless_exists=True, client="p2", message_id="m1", created_at=now) is True
    assert list(ProcessedCommand.objects.order_by("client").values_list("client", "message_id", "created_at")) == [
        ("p1", "m1", now),
        ("p2", "m1", now),
    ]
    insert_row(
        Presence,
        channel_name="live!x",
        session_id=space.session_id,
        participant_id=participant.pk,
        role="participant",
        last_seen=now,
    )
    row = Presence.objects.get(channel_name="live!x")
    assert (row.session_id, row.participant_id, row.role, row.last_seen) == (
        space.session_id,
        participant.pk,
        "participant",
        now,
    )
