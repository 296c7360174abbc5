"""Building a snapshot or a frame only reads: the rows a snapshot shows are made by the command that changes
them (a session's state by its first command, a couple's space by its first write, a poll step's prompt when the
step shows, the survey's when the session ends), never by a socket that connects, pings or syncs."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback import services as feedback_services
from feedback import snapshots as feedback_snapshots
from realtime import snapshots, snapshots_couple, snapshots_roster
from realtime.member import PROJECTOR, Member, PublicFrames
from realtime.models import CoupleSpace, Participant, SessionState
from realtime.registry import FACILITATOR, PARTICIPANT
from realtime.services import couple as couple_services
from realtime.services.session import session_command
from tests.realtime.conftest import _couple, _live_workshop

pytestmark = pytest.mark.django_db

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def _member(session, role, participant=None, user=None):
    """A socket's member as its connect leaves it (identify writes its presence; that is not a snapshot)."""
    member = Member("specific.test!read-only", role)
    member.session, member.role, member.identity, member.user = session, role, participant, user
    return member


def _build_everything(session, participant, facilitator):
    """Every snapshot and frame the live engine builds, for each audience."""
    state = snapshots.current_state(session)
    snapshots.session_frames(state)
    snapshots_couple.couple_frame_for(session, participant)
    snapshots_couple.couple_frames(session, participant.couple_id)
    snapshots_roster.roster(session, state.step_index)
    snapshots_roster.couples_present(session)
    feedback_snapshots.feedback_frames(session)
    feedback_snapshots.feedback_public(session)
    feedback_snapshots.feedback_staff(session)
    feedback_snapshots.my_feedback(session, participant)
    PublicFrames.read(session)
    for member in (
        _member(session, PARTICIPANT, participant),
        _member(session, PROJECTOR),
        _member(session, FACILITATOR, user=facilitator),
    ):
        member.first_frames(fresh=True)
        member.first_frames()  # again, as on a sync
        member.versions()
        member.roster_if_changed()
        member.couple_count_if_changed()


def _writes(session, participant, facilitator):
    with CaptureQueriesContext(connection) as queries:
        _build_everything(session, participant, facilitator)
    assert len(queries) > 20  # it did read
    return [query["sql"] for query in queries if WRITES.match(query["sql"])]


def test_a_lobby_without_a_state_and_a_couple_without_a_space_are_read_not_made(builtin_library):
    session, facilitator, _ = _live_workshop()
    _couple(session, ["Ana", "Ben"])
    ana = Participant.objects.select_related("couple").get(workshop=session.workshop, display_name="Ana")
    CoupleSpace.objects.filter(session=session).delete()  # as for a couple that paired in another session
    assert _writes(session, ana, facilitator) == []
    assert not SessionState.objects.filter(session=session).exists()
    assert not CoupleSpace.objects.filter(session=session).exists()


def test_a_running_session_with_a_poll_a_couple_at_work_and_feedback_is_read_without_a_write(builtin_library):
    session, facilitator, _ = _live_workshop()
    _couple(session, ["Ana", "Ben"])
    ana = Participant.objects.select_related("couple").get(workshop=session.workshop, display_name="Ana")
    state = session_command(session=session, action="start", expected_version=1)
    poll = next(i for i, step in enumerate(state.steps) if step["kind"] == "poll")
    state = session_command(session=session, action="goto", expected_version=state.version, args={"index": poll})
    couple_services.mark_done(session=session, participant=ana, done=True)
    feedback_services.prompt_add_live(session=session, data={"kind": "words", "question": "One word?"})
    assert _writes(session, ana, facilitator) == []


def test_an_ended_session_shows_the_survey_made_when_it_ended(builtin_library):
    from feedback.models import Prompt, Survey

    session, facilitator, org = _live_workshop()
    Survey.objects.create(organization=org, prompts=[{"kind": "scale", "question": "How was today?"}])
    _couple(session, ["Ana", "Ben"])
    ana = Participant.objects.select_related("couple").get(workshop=session.workshop, display_name="Ana")
    session_command(session=session, action="end", expected_version=1)
    assert Prompt.objects.filter(session=session, source=Prompt.Source.SURVEY).count() == 1
    assert _writes(session, ana, facilitator) == []
    public, _ = feedback_snapshots.feedback_public(session)
    assert [p["question"] for p in public["prompts"]] == ["How was today?"]
