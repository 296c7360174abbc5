"""The couple snapshot, as one participant may see it.

Partners see each other's shared items and, after the reveal, each other's
answers (unless kept back); a private reflection is only ever its author's; a
private help request shows only on the phone that asked.
"""

from realtime.models import CoupleEntry, CoupleSpace, HelpRequest, Participant
from realtime.services.session import state_for


def _entry(entry, *, with_payload=True):
    return {
        "kind": entry.kind,
        "step_index": entry.step_index,
        "key": entry.key,
        "mine": None,
        "passed": entry.passed,
        "kept_back": entry.kept_back,
        "version": entry.version,
        "payload": entry.payload if with_payload and not entry.passed else None,
    }


def couple_state_for(session, participant):
    from realtime.services.couple import expected_answers, private_scope, space_for

    state = state_for(session)
    couple = participant.couple
    if couple is None or couple.removed_at is not None:
        return 0, {
            "participant": {"id": participant.pk, "name": participant.display_name},
            "couple": None,
            "removed": couple is not None,
            "private_help": _help(session, participant=participant),
        }
    space = space_for(session, couple)
    partners = list(Participant.objects.filter(couple=couple).order_by("pk"))
    mine = {private_scope(participant, 1), private_scope(participant, 2)}
    entries = list(CoupleEntry.objects.filter(space=space, deleted=False).order_by("step_index", "created_at", "pk"))
    # The couple's agreements from the workshop's earlier sessions (a retreat) stay theirs to see and keep.
    earlier = (
        CoupleEntry.objects.filter(space__couple=couple, kind=CoupleEntry.Kind.AGREEMENT, deleted=False)
        .exclude(space=space)
        .select_related("space")
        .order_by("space__session__starts_at", "step_index", "pk")
    )
    expected = expected_answers(couple)
    answers_by_key = {}
    for entry in entries:
        if entry.kind == CoupleEntry.Kind.ANSWER:
            answers_by_key.setdefault((entry.step_index, entry.key), []).append(entry)
    visible = []
    for entry in entries:
        if entry.kind == CoupleEntry.Kind.REFLECTION:
            if entry.scope in mine:
                visible.append(dict(_entry(entry), mine=True, as_partner=2 if entry.scope.endswith(".2") else 1))
        elif entry.kind == CoupleEntry.Kind.ANSWER:
            revealed = len(answers_by_key[(entry.step_index, entry.key)]) >= expected
            if entry.scope in mine:
                visible.append(
                    dict(_entry(entry), mine=True, revealed=revealed, as_partner=2 if entry.scope.endswith(".2") else 1)
                )
            elif revealed:
                visible.append(dict(_entry(entry, with_payload=not entry.kept_back), mine=False, revealed=True))
            else:
                visible.append(
                    {
                        "kind": "answer",
                        "step_index": entry.step_index,
                        "key": entry.key,
                        "mine": False,
                        "revealed": False,
                        "answered": True,
                    }
                )
        else:
            visible.append(dict(_entry(entry), mine=entry.author_id == participant.pk))
    for entry in earlier:
        visible.append(dict(_entry(entry), mine=entry.author_id == participant.pk, session_id=entry.space.session_id))
    paused_by = space.paused_by_id
    return space.version, {
        "participant": {"id": participant.pk, "name": participant.display_name},
        "couple": {
            "id": couple.pk,
            "partners": [{"id": p.pk, "name": p.display_name} for p in partners],
            "one_phone": couple.one_phone,
            "alone": len(partners) == 1 and not couple.one_phone,
        },
        "step_index": state.step_index,
        "done": space.done_step is not None and space.done_step == state.step_index,
        "pause": {"raised": paused_by is not None, "by_me": paused_by == participant.pk},
        "dialogue": space.dialogue or None,
        "couple_help": _help(session, couple=couple),
        "private_help": _help(session, participant=participant),
        "entries": visible,
    }


def _help(session, *, couple=None, participant=None):
    qs = HelpRequest.objects.filter(session=session, resolved_at__isnull=True)
    qs = qs.filter(private=True, participant=participant) if participant else qs.filter(private=False, couple=couple)
    request = qs.order_by("-created_at").first()
    if request is None:
        return None
    return {"id": request.pk, "acknowledged": request.acknowledged_at is not None}


def couple_frame_for(session, participant):
    participant = Participant.objects.select_related("couple").get(pk=participant.pk)
    version, state = couple_state_for(session, participant)
    return {"type": "couple", "version": version, "state": state}


__all__ = ["CoupleSpace", "couple_frame_for"]
