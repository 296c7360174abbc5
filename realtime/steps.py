"""A session's steps, frozen from its workshop's program when the live state is made."""

from workshops.steps import STEP_KIND


def session_part(session):
    """Which part of the program this session runs: its position among the workshop's sessions (1-based)."""
    ordered = list(session.workshop.sessions.order_by("starts_at", "id").values_list("id", flat=True))
    return ordered.index(session.pk) + 1


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
        for step in item.exercise.steps.all():
            steps.append(
                {
                    "exercise": item.exercise.title,
                    "kind": step.kind,
                    "title": step.title,
                    "duration_minutes": step.duration_minutes,
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
