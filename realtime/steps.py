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
                    "facilitator_notes": _notes(item.facilitator_notes, step.facilitator_notes),
                    "content_note": step.content_note,
                    # The language the texts above are in, and the same texts in others (below).
                    "language": item.exercise.language,
                    "translations": _translations(item, step),
                }
            )
    return steps


def _notes(item_notes, step_notes):
    return "\n\n".join(n for n in (item_notes, step_notes) if n)


def _translations(item, step):
    """The step's texts in each language it has them in: each reader's app shows its reader's language where the
    step has it (frontend/src/shared/content.ts), else the language the step was written in. The program's notes
    and the exercise's title come in that language where they have it, else as written."""
    translated = {}
    for code, texts in step.translations.items():
        exercise = item.exercise.translations.get(code, {})
        item_texts = item.translations.get(code, {})
        translated[code] = {
            "exercise": exercise.get("title", item.exercise.title),
            "title": texts.get("title", step.title),
            "participant_text": texts.get("participant_text", step.participant_text),
            "config": texts.get("config", step.config),
            "facilitator_notes": _notes(
                item_texts.get("facilitator_notes", item.facilitator_notes),
                texts.get("facilitator_notes", step.facilitator_notes),
            ),
            "content_note": texts.get("content_note", step.content_note),
        }
    return translated


PUBLIC_STEP_FIELDS = ("exercise", "kind", "title", "duration_minutes", "participant_text", "config", "couple_phase")
PUBLIC_TEXTS = ("exercise", "title", "participant_text", "config")
STAFF_TEXTS = ("exercise", "title", "facilitator_notes", "content_note")


def in_languages(step, fields):
    """The step's language and its translations of ``fields``, for a frame (steps frozen before sessions had
    languages have none: their texts show as written)."""
    return {
        "language": step.get("language", "en"),
        "translations": {
            code: {field: texts[field] for field in fields} for code, texts in (step.get("translations") or {}).items()
        },
    }


def public_step(step):
    return {**{field: step[field] for field in PUBLIC_STEP_FIELDS}, **in_languages(step, PUBLIC_TEXTS)}


def _item_step(session_id, starts_at, index, step):
    def sections(config):
        return [{"key": section["key"], "label": section["label"]} for section in (config or {}).get("sections") or []]

    languages = in_languages(step, ("exercise", "title", "config"))
    return {
        "session_id": session_id,
        "starts_at": starts_at.isoformat(),
        "step_index": index,
        "kind": step["kind"],
        "exercise": step["exercise"],
        "title": step["title"],
        "sections": sections(step.get("config")),
        "language": languages["language"],
        "translations": {
            code: {"exercise": texts["exercise"], "title": texts["title"], "sections": sections(texts["config"])}
            for code, texts in languages["translations"].items()
        },
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
