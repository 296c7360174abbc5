"""The session's live state: start, advance, back, go to, pause, end, timers, breakouts, broadcast.

Every command reads the state, computes the change, and applies it as a conditional
UPDATE ... WHERE version = expected, so two facilitators pressing "next" at once
advance once, on PostgreSQL and on SQLite alike. What it changed is recorded with
realtime.events (sent after commit).
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from feedback import services as feedback_services
from realtime import events
from realtime.errors import LiveError, stale
from realtime.models import SessionState
from realtime.rules import breakout_closed_by_deadline, current_step, effective_breakout
from realtime.services import spaces
from realtime.snapshots import iso, lobby_state, stored_state
from workshops import dates

BREAKOUT_WARNING_S = 60
MAX_TIMER_S = 4 * 3600
# What a command is refused with when the session's status does not allow it (by that status).
_NOT_WHILE = {
    "lobby": gettext_lazy("Not possible while the session is in the lobby."),
    "running": gettext_lazy("Not possible while the session is running."),
    "paused": gettext_lazy("Not possible while the session is paused."),
    "ended": gettext_lazy("Not possible while the session is over."),
}


def state_for(session):
    """The session's live state, made (in the lobby, with its steps frozen) if no command has made it yet: what
    a command acts on. Reading it without making it: realtime.snapshots.current_state."""
    state = stored_state(session)
    if state is None:
        with transaction.atomic():
            unsaved = lobby_state(session)
            state, _ = SessionState.objects.get_or_create(
                session=session, defaults={"steps": unsaved.steps, "anonymity_k": unsaved.anonymity_k}
            )
    return state


def _close_log(log, now):
    log = [dict(entry) for entry in log]
    if log and log[-1]["ended_at"] is None:
        log[-1]["ended_at"] = iso(now)
    return log


def _step_change(state, index, now):
    if not 0 <= index < len(state.steps):
        count = len(state.steps)
        message = ngettext(
            "There is no step %(step)s; the program has %(count)s step.",
            "There is no step %(step)s; the program has %(count)s steps.",
            count,
        )
        raise LiveError("no_such_step", message % {"step": index + 1, "count": count})
    log = _close_log(state.step_log, now)
    log.append({"index": index, "started_at": iso(now), "ended_at": None})
    return {
        "step_index": index,
        "step_log": log,
        # A broadcast is about the moment it was sent: a new step clears it from every phone and the projector.
        "broadcast": "",
        "broadcast_at": None,
        "timer_deadline": None,
        "timer_remaining_ms": None,
        "breakout_open": False,
        "breakout_deadline": None,
        "breakout_closes_at": None,
    }


def _require_status(state, *allowed):
    if state.status not in allowed:
        raise LiveError("wrong_status", str(_NOT_WHILE[state.status]))


EARLY_START = timedelta(hours=1)  # starting sooner than this before the planned start asks the facilitator first


def _start(state, now, args):
    _require_status(state, "lobby")
    if not state.steps:
        raise LiveError("no_steps", _("This session's part of the program has no steps."))
    session = state.session
    if now < session.starts_at - EARLY_START and not args.get("early"):
        planned = dates.named(session.starts_at, session.workshop.timezone)
        raise LiveError(
            "too_early", _("This session is planned for %(when)s. Start it now anyway?") % {"when": planned}
        )
    changes = _step_change(state, 0, now)
    changes.update(status="running", started_at=now)
    return changes


def _advance(state, now, args):
    _require_status(state, "running", "paused")
    if state.step_index + 1 >= len(state.steps):
        raise LiveError("last_step", _("This is the last step; end the session when you're ready."))
    return _step_change(state, state.step_index + 1, now)


def _back(state, now, args):
    _require_status(state, "running", "paused")
    if state.step_index == 0:
        raise LiveError("first_step", _("This is the first step."))
    return _step_change(state, state.step_index - 1, now)


def _goto(state, now, args):
    _require_status(state, "running", "paused")
    index = args.get("index")
    if index == state.step_index:
        raise LiveError("same_step", _("That step is already showing."))
    return _step_change(state, index, now)


def _pause(state, now, args):
    _require_status(state, "running")
    changes = {"status": "paused"}
    if state.timer_deadline:
        changes.update(_timer_pause_fields(state, now))
    return changes


def _resume(state, now, args):
    _require_status(state, "paused")
    return {"status": "running"}


def _end(state, now, args):
    _require_status(state, "lobby", "running", "paused")
    return {
        "status": "ended",
        "ended_at": now,
        "step_log": _close_log(state.step_log, now),
        "timer_deadline": None,
        "timer_remaining_ms": None,
        "breakout_open": False,
        "breakout_closes_at": None,
    }


def _seconds(args, name, default=None, low=1, high=MAX_TIMER_S):
    value = args.get(name, default)
    if value is None or not low <= value <= high:
        message = _("%(field)s must be %(low)s to %(high)s seconds.")
        raise LiveError(
            "bad_value", message % {"field": name, "low": low, "high": number_format(high, force_grouping=True)}
        )
    return value


def _timer_start(state, now, args):
    _require_status(state, "running")
    default = state.steps[state.step_index]["duration_minutes"] * 60
    seconds = _seconds(args, "seconds", default)
    return {"timer_deadline": now + timedelta(seconds=seconds), "timer_remaining_ms": None}


def _timer_pause_fields(state, now):
    remaining = max(0, int((state.timer_deadline - now).total_seconds() * 1000))
    return {"timer_deadline": None, "timer_remaining_ms": remaining}


def _timer_pause(state, now, args):
    if not state.timer_deadline:
        raise LiveError("no_timer", _("No timer is running."))
    return _timer_pause_fields(state, now)


def _timer_resume(state, now, args):
    _require_status(state, "running")
    if state.timer_remaining_ms is None:
        raise LiveError("no_timer", _("No timer is paused."))
    return {"timer_deadline": now + timedelta(milliseconds=state.timer_remaining_ms), "timer_remaining_ms": None}


def _timer_extend(state, now, args):
    seconds = _seconds(args, "seconds")
    if state.timer_deadline:
        return {"timer_deadline": max(state.timer_deadline, now) + timedelta(seconds=seconds)}
    if state.timer_remaining_ms is not None:
        return {"timer_remaining_ms": state.timer_remaining_ms + seconds * 1000}
    raise LiveError("no_timer", _("Start a timer first."))


def _breakout_open(state, now, args):
    _require_status(state, "running")
    if not state.steps[state.step_index]["couple_phase"]:
        raise LiveError("not_a_couple_step", _("This step has no couple phase; breakouts open on couple steps."))
    if effective_breakout(state, now) != "closed":
        raise LiveError("breakout_open", _("The breakout is already open."))
    default = state.steps[state.step_index]["duration_minutes"] * 60
    seconds = _seconds(args, "seconds", default)
    deadline = now + timedelta(seconds=seconds)
    return {
        "breakout_open": True,
        "breakout_deadline": deadline,
        "breakout_closes_at": None,
        "timer_deadline": deadline,
        "timer_remaining_ms": None,
    }


def _breakout_close(state, now, args):
    if effective_breakout(state, now) != "open":
        raise LiveError("breakout_not_open", _("No breakout is open."))
    warning = _seconds(args, "warning_seconds", BREAKOUT_WARNING_S, low=0, high=600)
    closes = now + timedelta(seconds=warning)
    return {"breakout_closes_at": closes, "timer_deadline": closes, "timer_remaining_ms": None}


def _broadcast(state, now, args):
    text = " ".join(str(args.get("text") or "").split())
    if len(text) > 280:
        raise LiveError("too_long", _("Keep a broadcast to 280 characters."))
    return {"broadcast": text, "broadcast_at": now if text else None}


COMMANDS = {
    "start": _start,
    "advance": _advance,
    "back": _back,
    "goto": _goto,
    "pause": _pause,
    "resume": _resume,
    "end": _end,
    "timer.start": _timer_start,
    "timer.pause": _timer_pause,
    "timer.resume": _timer_resume,
    "timer.extend": _timer_extend,
    "breakout.open": _breakout_open,
    "breakout.close": _breakout_close,
    "broadcast": _broadcast,
}


def session_command(*, session, action, expected_version, args=None):
    """Apply one facilitator command to the session's state if it is still at `expected_version`."""
    handler = COMMANDS[action]
    now = timezone.now()
    with transaction.atomic():
        state = state_for(session)
        state.refresh_from_db()
        if expected_version != state.version:
            raise stale(state.version)
        changes = handler(state, now, args or {})
        if breakout_closed_by_deadline(state, now) and "breakout_open" not in changes:
            # Record a breakout that closed by its deadline since the last write.
            changes.update(breakout_open=False, breakout_closes_at=None)
        updated = SessionState.objects.filter(pk=state.pk, version=expected_version).update(
            version=F("version") + 1, updated_at=now, **changes
        )
        if updated != 1:
            raise stale(SessionState.objects.get(pk=state.pk).version)
        previous_step = current_step(state)
        state.refresh_from_db()
        _make_what_comes(session, state, action)
        events.session_changed(session, state, previous_step)
    return state


def _make_what_comes(session, state, action):
    """The rows the new state shows, made with it (reading never makes them): each couple's space when the
    session starts, the prompt of a poll step now showing, and the organization's survey once it has ended."""
    if action == "start":
        spaces.make_workshop_spaces(session)
    feedback_services.prompt_for_step(session, state)
    if state.status == "ended":
        feedback_services.survey_prompts(session)


@transaction.atomic
def session_set_k(*, session, k):
    """Raise a running session's threshold. Lowering it during a session is refused: a release already made
    under the higher k would become a differencing target. Everyone's feedback frames show the new one."""
    state = state_for(session)
    if not isinstance(k, int) or k < state.anonymity_k:
        message = _("The anonymity threshold can only go up during a session (now %(k)s).")
        raise LiveError("k_lowered", message % {"k": state.anonymity_k})
    SessionState.objects.filter(pk=state.pk).update(anonymity_k=k)
    events.feedback_changed(session)
    return k
