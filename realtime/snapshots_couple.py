"""The couple snapshot, as one participant may see it.

Partners see each other's shared items and, after the reveal, each other's
answers (unless kept back); a private reflection is only ever its author's; a
private help request shows only on the phone that asked.
"""

from typing import NamedTuple

from django.db.models import Q

from realtime.identity import couple_by_id, participant_with_couple
from realtime.models import CoupleEntry, CoupleSpace, HelpRequest, Participant, SessionState
from realtime.prepared import Prepared
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


# The reads of a couple's snapshots, compiled once (realtime/prepared.py): a phone's connect and every change of
# a couple make them.
_partners = Prepared(lambda couple_id: Participant.objects.filter(couple_id=couple_id).order_by("pk"))
# This session's entries and, in one query with them, the couple's agreements from the workshop's earlier sessions
# (a retreat), which stay theirs to see and keep.
_entries = Prepared(
    lambda space_id, couple_id: CoupleEntry.objects.filter(
        Q(space_id=space_id) | Q(kind=CoupleEntry.Kind.AGREEMENT), space__couple_id=couple_id, deleted=False
    ).order_by("step_index", "created_at", "pk")
)
_couple_helps = Prepared(
    lambda session_id, couple_id: HelpRequest.objects.filter(
        session_id=session_id, couple_id=couple_id, resolved_at__isnull=True
    ).order_by("-created_at", "-pk")
)
_private_helps = Prepared(
    lambda session_id, participant_id: HelpRequest.objects.filter(
        session_id=session_id, private=True, participant_id=participant_id, resolved_at__isnull=True
    ).order_by("-created_at", "-pk")
)


_step_index = Prepared(lambda session_id: SessionState.objects.filter(session_id=session_id).values_list("step_index"))


class _Step(NamedTuple):
    step_index: int


def _step_of(session):
    """All a couple snapshot needs of the session's state: its step (one column read, not the whole row)."""
    row = _step_index.first(session.pk)
    return _Step(row[0]) if row is not None else state_for(session)  # the state is made on first use


class _Loaded:
    """What a couple's snapshots are built from, read once for both partners."""

    def __init__(self, session, couple, partners=None, space=None):
        from realtime.services.couple import space_for

        self.space = space or space_for(session, couple)
        self.partners = _partners(couple.pk) if partners is None else partners
        rows = _entries(self.space.pk, couple.pk)
        self.entries = [e for e in rows if e.space_id == self.space.pk]
        earlier = [e for e in rows if e.space_id != self.space.pk]
        self.sessions = {}  # space id -> (session id, its start) of the earlier agreements
        if earlier:
            spaces = CoupleSpace.objects.filter(pk__in={e.space_id for e in earlier})
            self.sessions = {
                pk: (sid, starts) for pk, sid, starts in spaces.values_list("pk", "session_id", "session__starts_at")
            }
        self.earlier = sorted(earlier, key=lambda e: (self.sessions[e.space_id][1], e.step_index, e.pk))
        self.helps = _couple_helps(session.pk, couple.pk)


def _help(helps, *, private, participant=None):
    """The newest open request: the couple's, or this participant's private one."""
    for request in helps:
        if request.private == private and (not private or request.participant_id == participant.pk):
            return {"id": request.pk, "acknowledged": request.acknowledged_at is not None}
    return None


def couple_state_for(session, participant, state=None, loaded=None):
    from realtime.services.couple import private_scope

    state = state or _step_of(session)
    couple = participant.couple
    if couple is None or couple.removed_at is not None:
        return 0, {
            "participant": {"id": participant.pk, "name": participant.display_name},
            "couple": None,
            "removed": couple is not None,
            "private_help": _help(_private_helps(session.pk, participant.pk), private=True, participant=participant),
        }
    loaded = loaded or _Loaded(session, couple)
    space, partners = loaded.space, loaded.partners
    mine = {private_scope(participant, 1), private_scope(participant, 2)}
    expected = 2 if couple.one_phone else max(1, len(partners))  # as services.couple.expected_answers
    answers_by_key = {}
    for entry in loaded.entries:
        if entry.kind == CoupleEntry.Kind.ANSWER:
            answers_by_key.setdefault((entry.step_index, entry.key), []).append(entry)
    visible = []
    for entry in loaded.entries:
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
    for entry in loaded.earlier:
        session_id = loaded.sessions[entry.space_id][0]
        visible.append(dict(_entry(entry), mine=entry.author_id == participant.pk, session_id=session_id))
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
        "couple_help": _help(loaded.helps, private=False),
        "private_help": _help(loaded.helps, private=True, participant=participant),
        "entries": visible,
    }


def couple_frame_for(session, participant, state=None, *, reload=True, loaded=None):
    """The participant's couple frame; `reload=False` when `participant` (with its couple) was just read."""
    if reload:
        participant = participant_with_couple(participant.pk)
        if participant is None:
            raise Participant.DoesNotExist
    version, body = couple_state_for(session, participant, state, loaded)
    return {"type": "couple", "version": version, "state": body}


def couple_frames(session, couple_id, state=None, *, space=None, couple=None):
    """[(participant, frame)] for every partner of a couple, from one read of the couple's space. `space` and
    `couple`: the couple's space and the couple as the caller's transaction has them already."""
    state = state or _step_of(session)
    couple = couple or couple_by_id.first(couple_id)
    partners = _partners(couple_id) if couple is not None else []
    if not partners:
        return []
    for partner in partners:
        partner.couple = couple
    loaded = None if couple.removed_at is not None else _Loaded(session, couple, partners, space)
    return [(p, couple_frame_for(session, p, state, reload=False, loaded=loaded)) for p in partners]


__all__ = ["CoupleSpace", "couple_frame_for", "couple_frames"]
