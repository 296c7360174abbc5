"""A session's steps, frozen from its workshop's program when the live state is made."""

from realtime.models import SessionState
from workshops.steps import STEP_KIND

ITEM_ENTRY = "item"


def session_part(session):
    """Which part of the program this session runs: its position among the workshop's sessions (1-based)."""
    ordered = list(session.workshop.sessions.order_by("starts_at", "id").values_list("id", flat=True))
    return ordered.index(session.pk) + 1


def planned_minutes(item_minutes, step_minutes):
    """The program gives an exercise its own length (a 30-minute exercise may get 40 in one program, 20 in another):
    its steps share that time as they share their own, in whole minutes (at least one each) that add up to it,
    the largest remainders rounded up."""
    own = sum(step_minutes)
    if not step_minutes or own == item_minutes or item_minutes < len(step_minutes):
        return list(step_minutes)
    exact = [minutes * item_minutes / own for minutes in step_minutes]
    shares = [max(1, int(share)) for share in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: exact[i] - int(exact[i]), reverse=True)
    for i in by_remainder[: max(0, item_minutes - sum(shares))]:
        shares[i] += 1
    while sum(shares) > item_minutes:  # the one-minute floors took more than the rounding left: the longest give
        shares[shares.index(max(shares))] -= 1
    return shares


def freeze_steps(session):
    """The steps of this session's part, in order, with what each audience may see of them."""
    part = session_part(session)
    items = (
        session.workshop.program.items.filter(part=part)
        .select_related("exercise")
        .prefetch_related("exercise__steps")
        .order_by("position")
    )
    steps = []
    for item in items:
        exercise_steps = list(item.exercise.steps.all())
        minutes = planned_minutes(item.duration_minutes, [step.duration_minutes for step in exercise_steps])
        for step, duration in zip(exercise_steps, minutes, strict=True):
            steps.append(
                {
                    "exercise": item.exercise.title,
                    "kind": step.kind,
                    "title": step.title,
                    "duration_minutes": duration,
                    "participant_text": step.participant_text,
                    "config": step.config,
                    "couple_phase": STEP_KIND[step.kind].couple_phase,
                    # Staff only:
                    "facilitator_notes": "\n\n".join(n for n in (item.facilitator_notes, step.facilitator_notes) if n),
                    "content_note": step.content_note,
                }
            )
    return steps


PUBLIC_STEP_FIELDS = ("exercise", "kind", "title", "duration_minutes", "participant_text", "config", "couple_phase")


def public_step(step):
    return {field: step[field] for field in PUBLIC_STEP_FIELDS}


def _item_step(session_id, starts_at, index, step):
    sections = (step.get("config") or {}).get("sections") or []
    return {
        "session_id": session_id,
        "starts_at": starts_at.isoformat(),
        "step_index": index,
        "kind": step["kind"],
        "exercise": step["exercise"],
        "title": step["title"],
        "sections": [{"key": section["key"], "label": section["label"]} for section in sections],
    }


def item_steps(session):
    """The steps at which couples build shared items (a worksheet, a dialogue's topic) in the workshop's sessions
    that have run or are running, and in this one (as its first command will freeze them): what a phone lays a
    couple's items out by, in this session and in its takeaway, for a retreat's earlier sessions too. Program
    structure only (titles and section labels, as every phone of the session sees them), never what anyone wrote."""
    rows = SessionState.objects.filter(session__workshop_id=session.workshop_id).values_list(
        "session_id", "session__starts_at", "steps"
    )
    frozen = {session_id: (starts_at, steps) for session_id, starts_at, steps in rows}
    if session.pk not in frozen:
        frozen[session.pk] = (session.starts_at, freeze_steps(session))
    ordered = sorted(frozen.items(), key=lambda item: (item[1][0], item[0]))
    return [
        _item_step(session_id, starts_at, index, step)
        for session_id, (starts_at, steps) in ordered
        for index, step in enumerate(steps or [])
        if STEP_KIND[step["kind"]].entry == ITEM_ENTRY
    ]
