"""The session's snapshots, public and staff: pure reads, each built once per change.

Reading never writes: a session whose live state has not been made yet (no command has reached it) shows as
an unsaved lobby state, which its first command makes for real (realtime.services.session.state_for).
"""

from django.utils import timezone

from realtime.models import SessionState
from realtime.prepared import Prepared
from realtime.rules import effective_breakout
from realtime.steps import STAFF_TEXTS, freeze_steps, in_languages, public_step

_state = Prepared(lambda session_id: SessionState.objects.filter(session_id=session_id))
_state_without_steps = Prepared(lambda session_id: SessionState.objects.filter(session_id=session_id).defer("steps"))
_version = Prepared(lambda session_id: SessionState.objects.filter(session_id=session_id).values_list("version"))
_step_index = Prepared(lambda session_id: SessionState.objects.filter(session_id=session_id).values_list("step_index"))

# What a session's state reads before its first command (an unsaved lobby_state), without freezing the program
# for it: the reads that need only these (every ping, every couple frame, the roster) stay one column.
LOBBY_VERSION = SessionState._meta.get_field("version").default
LOBBY_STEP_INDEX = SessionState._meta.get_field("step_index").default


def stored_state(session):
    """The session's live state as stored, or None before its first command.

    The frozen steps (the whole program, the largest part of the row) never change once made, so they are read
    once per session instance and kept on it: a process's live sockets share one instance of their session
    (realtime.identity.shared_session), and every command and snapshot reads the state. Treat them as read-only."""
    prepared, args = stored_state_read(session)
    return stored_state_from(session, prepared(*args))


def stored_state_read(session):
    """stored_state's read, as (prepared read, its arguments) for realtime.prepared.read_together."""
    return (_state if session.__dict__.get("_frozen_steps") is None else _state_without_steps), (session.pk,)


def stored_state_from(session, rows):
    """stored_state from the rows of its read (stored_state_read)."""
    state = rows[0] if rows else None
    if state is not None:
        steps = session.__dict__.get("_frozen_steps")
        if steps is None:
            session.__dict__["_frozen_steps"] = state.steps
        else:
            state.steps = steps
    return state


def lobby_state(session):
    """The state a session starts from, unsaved: in the lobby at version 1, its steps frozen from the program as
    it is now (and frozen for good when its first command saves it)."""
    return SessionState(
        session=session, steps=freeze_steps(session), anonymity_k=session.workshop.organization.anonymity_k
    )


def current_state(session):
    """The session's live state: as stored, or the unsaved lobby state it starts from."""
    return stored_state(session) or lobby_state(session)


def current_version(session):
    """The session state's version (a pong carries it): one column read."""
    return version_from(_version(session.pk))


def version_read(session):
    """current_version's read, as (prepared read, its arguments) for realtime.prepared.read_together."""
    return _version, (session.pk,)


def version_from(rows):
    """current_version from the rows of its read."""
    return rows[0][0] if rows else LOBBY_VERSION


def current_step_index(session):
    """The index of the step the session shows (or will show first): one column read."""
    return step_index_from(_step_index(session.pk))


def step_index_read(session):
    """current_step_index's read, as (prepared read, its arguments) for realtime.prepared.read_together."""
    return _step_index, (session.pk,)


def step_index_from(rows):
    """current_step_index from the rows of its read."""
    return rows[0][0] if rows else LOBBY_STEP_INDEX


def iso(value):
    return value.isoformat() if value else None


def session_public(state, now=None):
    now = now or timezone.now()
    step = state.steps[state.step_index] if state.steps and state.status != "lobby" else None
    return {
        "session_id": state.session_id,
        "version": state.version,
        "status": state.status,
        "step_index": state.step_index if step else None,
        "step_count": len(state.steps),
        "step": public_step(step) if step else None,
        "timer": {
            "deadline": iso(state.timer_deadline),
            "paused_remaining_ms": state.timer_remaining_ms,
        },
        "breakout": {
            "state": effective_breakout(state, now),
            "deadline": iso(state.breakout_deadline),
            "closes_at": iso(state.breakout_closes_at),
        },
        "broadcast": {"text": state.broadcast, "at": iso(state.broadcast_at)} if state.broadcast else None,
        "started_at": iso(state.started_at),
        "ended_at": iso(state.ended_at),
    }


def session_staff(state, now=None):
    snapshot = session_public(state, now)
    snapshot["run_of_show"] = [
        {
            "index": index,
            "exercise": step["exercise"],
            "kind": step["kind"],
            "title": step["title"],
            "planned_minutes": step["duration_minutes"],
            "facilitator_notes": step["facilitator_notes"],
            "content_note": step["content_note"],
            # a poll step's kind of question: the console says in advance when it could never show a result
            "poll_kind": (step.get("config") or {}).get("poll_kind"),
            **in_languages(step, STAFF_TEXTS),
        }
        for index, step in enumerate(state.steps)
    ]
    snapshot["step_log"] = state.step_log
    snapshot["anonymity_k"] = state.anonymity_k
    return snapshot


def session_public_frame(state, now=None):
    return {"type": "session", "version": state.version, "state": session_public(state, now)}


def session_frames(state):
    """(public frame, staff frame) of one state, at one moment."""
    now = timezone.now()
    return session_public_frame(state, now), {
        "type": "session",
        "version": state.version,
        "state": session_staff(state, now),
    }
