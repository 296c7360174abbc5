"""One builder per live state. Each snapshot is small, complete, and built once per change."""

from django.utils import timezone

from realtime.steps import public_step


def _iso(value):
    return value.isoformat() if value else None


def session_public(state, now=None):
    from realtime.services.session import effective_breakout

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
            "deadline": _iso(state.timer_deadline),
            "paused_remaining_ms": state.timer_remaining_ms,
        },
        "breakout": {
            "state": effective_breakout(state, now),
            "deadline": _iso(state.breakout_deadline),
            "closes_at": _iso(state.breakout_closes_at),
        },
        "broadcast": {"text": state.broadcast, "at": _iso(state.broadcast_at)} if state.broadcast else None,
        "started_at": _iso(state.started_at),
        "ended_at": _iso(state.ended_at),
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
        }
        for index, step in enumerate(state.steps)
    ]
    snapshot["step_log"] = state.step_log
    snapshot["anonymity_k"] = state.anonymity_k
    return snapshot


def session_public_frame(state, now=None):
    return {"type": "session", "version": state.version, "state": session_public(state, now)}


def session_frames(state):
    now = timezone.now()
    return (
        {"type": "session", "version": state.version, "state": session_public(state, now)},
        {"type": "session", "version": state.version, "state": session_staff(state, now)},
    )
