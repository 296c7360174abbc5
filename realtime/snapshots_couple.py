"""The couple snapshot, as one participant may see it: pure reads.

Partners see each other's shared items and, after the reveal, each other's answers (unless kept back); a
private reflection is only ever its author's; a private help request shows only on the phone that asked. Who
may see what is decided by realtime/rules.py.
"""

from typing import NamedTuple

from django.db.models import Q

from realtime import rules
from realtime.identity import couple_by_id, participant_with_couple
from realtime.models import CoupleEntry, CoupleSpace, HelpRequest, Participant
from realtime.prepared import Prepared, read_together
from realtime.snapshots import current_step_index, step_index_from, step_index_read
from workshops.steps import REVEALED_ENTRIES

NO_SPACE = 0  # no space has this id: what a couple that has not written yet has of this session's entries

# The reads of a couple's snapshots, compiled once (realtime/prepared.py): a phone's connect and every change of
# a couple make them.
# A couple's space; also the rows a change of the space returns (realtime.services.couple._space_change).
SPACE = Prepared(lambda session_id, couple_id: CoupleSpace.objects.filter(session_id=session_id, couple_id=couple_id))
_partners = Prepared(lambda couple_id: Participant.objects.filter(couple_id=couple_id).order_by("pk"))
# What a couple built together and keeps from session to session (a retreat): its agreements and its shared items
# (a boundary map, a check-in plan, a dialogue's topic). Never a private entry of an earlier session.
CARRIED = (CoupleEntry.Kind.AGREEMENT, CoupleEntry.Kind.ITEM)
# This session's entries and, in one query with them, what the couple built in the workshop's earlier sessions,
# which stays theirs to see and keep (sealed as it was written: the phones open it for its own session and step).
_entries = Prepared(
    lambda session_id, couple_id: CoupleEntry.objects.filter(
        Q(space__session_id=session_id) | Q(kind__in=CARRIED), space__couple_id=couple_id, deleted=False
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


def space_of(session, couple):
    """The couple's space in this session as stored, or, before their first write, an unsaved one at version 0
    (the first write makes it: realtime.services.couple)."""
    return _stored_or_new(session, couple, SPACE(session.pk, couple.pk))


def _stored_or_new(session, couple, rows):
    return rows[0] if rows else CoupleSpace(session=session, couple=couple, version=0)


class _Step(NamedTuple):
    step_index: int


def _step_of(session):
    """All a couple snapshot needs of the session's state: its step (one column read, not the whole row)."""
    return _Step(current_step_index(session))


class _Loaded:
    """What a couple's snapshots are built from, read once for both partners."""

    def __init__(self, session, couple, space=None, also=(), change=None, writes=()):
        # Read together (realtime.prepared.read_together): the entries, the help requests, the partners, the space
        # unless the caller has it or changes it (`change`: a Write returning SPACE's rows, sent first so that the
        # reads see what it wrote), and the caller's own statements `also` (their results: self.also). `writes`:
        # the caller's Writes of the change, not run yet, sent before everything (the reads see what they wrote).
        both = (session.pk, couple.pk)
        reads = {"entries": (_entries, both), "helps": (_couple_helps, both), "partners": (_partners, (couple.pk,))}
        if change is not None:
            reads = {"space": change, **reads}
        elif space is None:
            reads["space"] = (SPACE, both)
        results = read_together(*writes, *reads.values(), *also)[len(writes) :]
        read = dict(zip(reads, results[: len(reads)], strict=True))
        self.also = results[len(reads) :]
        self.space = space or _stored_or_new(session, couple, read["space"])
        self.partners = read["partners"]
        self.helps = read["helps"]
        rows = read["entries"]
        space_id = self.space.pk or NO_SPACE
        self.entries = [e for e in rows if e.space_id == space_id]
        earlier = [e for e in rows if e.space_id != space_id]
        self.sessions = {}  # space id -> (session id, its start) of the earlier agreements and items
        if earlier:
            spaces = CoupleSpace.objects.filter(pk__in={e.space_id for e in earlier})
            self.sessions = {
                pk: (sid, starts) for pk, sid, starts in spaces.values_list("pk", "session_id", "session__starts_at")
            }
        self.earlier = sorted(earlier, key=lambda e: (self.sessions[e.space_id][1], e.step_index, e.pk))


def _entry(entry, *, with_payload=True):
    return {
        "kind": entry.kind,
        "step_index": entry.step_index,
        "key": entry.key,
        "scope": entry.scope,  # with the rest, what the phone binds the ciphertext to (associated data)
        "mine": None,
        "passed": entry.passed,
        "kept_back": entry.kept_back,
        "version": entry.version,
        "payload": entry.payload if with_payload and not entry.passed else None,
    }


def _help(helps, *, private, participant=None):
    """The newest open request: the couple's, or this participant's private one."""
    for request in helps:
        if request.private == private and (not private or request.participant_id == participant.pk):
            return {"id": request.pk, "acknowledged": request.acknowledged_at is not None}
    return None


def _shared_visible(entry, participant, partner_ids):
    return rules.shared_visible(entry.author_id, entry.updated_at, partner_ids, participant.couple_since)


def _visible_entry(entry, participant, mine, partners_now, revealed_keys, partner_ids):
    """What `participant` may see of one entry of this session, or None (rules.py decides)."""
    if not rules.is_private(entry.kind):  # the couple's shared items and agreements
        if not _shared_visible(entry, participant, partner_ids):
            return None
        return dict(_entry(entry), mine=entry.author_id == participant.pk)
    own = entry.scope in mine
    if not own and entry.scope not in partners_now:  # a former partner's: never shown
        return None
    if entry.kind not in REVEALED_ENTRIES:  # a reflection: its author's only, ever
        return dict(_entry(entry), mine=True, as_partner=rules.scope_partner(entry.scope)) if own else None
    revealed = revealed_keys[(entry.step_index, entry.key)]
    if own:
        return dict(_entry(entry), mine=True, revealed=revealed, as_partner=rules.scope_partner(entry.scope))
    if revealed:
        return dict(_entry(entry, with_payload=not entry.kept_back), mine=False, revealed=True)
    answered_only = {"kind": entry.kind, "step_index": entry.step_index, "key": entry.key}
    return {**answered_only, "mine": False, "revealed": False, "answered": True}


def _visible_entries(loaded, participant, couple):
    mine = {rules.private_scope(participant.pk, 1), rules.private_scope(participant.pk, 2)}
    partner_ids = [p.pk for p in loaded.partners]
    partners_now = rules.partner_scopes(partner_ids, one_phone=couple.one_phone)
    answer_scopes = {}  # (step, key) -> the scopes of its answers
    for entry in loaded.entries:
        if entry.kind in REVEALED_ENTRIES:
            answer_scopes.setdefault((entry.step_index, entry.key), []).append(entry.scope)
    revealed_keys = {
        key: rules.is_revealed(scopes, partner_ids, one_phone=couple.one_phone) for key, scopes in answer_scopes.items()
    }
    visible = [
        _visible_entry(entry, participant, mine, partners_now, revealed_keys, partner_ids) for entry in loaded.entries
    ]
    visible = [entry for entry in visible if entry is not None]
    for entry in loaded.earlier:
        if not _shared_visible(entry, participant, partner_ids):
            continue
        session_id = loaded.sessions[entry.space_id][0]
        visible.append(dict(_entry(entry), mine=entry.author_id == participant.pk, session_id=session_id))
    return visible


def _unpaired_state(session, participant, private_helps=None):
    """A participant in no couple (or in a removed one) sees only themself and their private help request.
    `private_helps`: its rows, if read already."""
    couple = participant.couple
    if private_helps is None:
        private_helps = _private_helps(session.pk, participant.pk)
    return 0, {
        "participant": {"id": participant.pk, "name": participant.display_name},
        "couple": None,
        "removed": couple is not None,
        "private_help": _help(private_helps, private=True, participant=participant),
    }


def _unpaired(participant):
    couple = participant.couple
    return couple is None or couple.removed_at is not None


def couple_state_for(session, participant, state=None, loaded=None):
    """(version, state) of the participant's couple snapshot."""
    couple = participant.couple
    if _unpaired(participant):
        return _unpaired_state(session, participant)
    state = state or _step_of(session)
    loaded = loaded or _Loaded(session, couple)
    space, partners = loaded.space, loaded.partners
    paused_by = space.paused_by_id
    return space.version, {
        "participant": {"id": participant.pk, "name": participant.display_name},
        "couple": {
            "id": couple.pk,
            "partners": [{"id": p.pk, "name": p.display_name} for p in partners],
            "one_phone": couple.one_phone,
            "alone": len(partners) == 1 and not couple.one_phone,
            # A walk-in couple nobody has admitted yet answers no anonymous question (feedback.services).
            "admitted": couple.admitted,
        },
        "step_index": state.step_index,
        "done": space.done_step is not None and space.done_step == state.step_index,
        "pause": {"raised": paused_by is not None, "by_me": paused_by == participant.pk},
        "dialogue": space.dialogue or None,
        "couple_help": _help(loaded.helps, private=False),
        "private_help": _help(loaded.helps, private=True, participant=participant),
        "entries": _visible_entries(loaded, participant, couple),
    }


def couple_frame_for(session, participant, state=None, *, reload=True, loaded=None):
    """The participant's couple frame; `reload=False` when `participant` (with its couple) was just read."""
    if reload:
        participant = participant_with_couple(participant.pk)
        if participant is None:
            raise Participant.DoesNotExist
    version, body = couple_state_for(session, participant, state, loaded)
    return {"type": "couple", "version": version, "state": body}


def couple_frame_with(session, participant, state, *also):
    """(the participant's couple frame, the results of `also`): `participant` just read with their couple, and
    `state` the session's; the frame's reads are sent to the database together with the caller's own statements
    `also` (realtime.prepared.read_together: a phone's connect sends its presence and its feedback receipts with
    them, in one round trip)."""
    if _unpaired(participant):
        helps, *results = read_together((_private_helps, (session.pk, participant.pk)), *also)
        version, body = _unpaired_state(session, participant, helps)
    else:
        loaded = _Loaded(session, participant.couple, also=also)
        version, body = couple_state_for(session, participant, state, loaded)
        results = loaded.also
    return {"type": "couple", "version": version, "state": body}, results


def couple_frames(session, couple_id, state=None, *, space=None, couple=None, change=None, writes=()):
    """[(participant, frame)] for every partner of a couple, from one read of the couple's space. `space` and
    `couple`: the couple's space and the couple as the caller's transaction has them already. The session's step,
    unless `state` is given, is read with the couple's rows (one round trip). `change`: a Write that changes the
    couple's space and returns it (as SPACE reads it), sent first in that round trip; `writes`: other Writes of
    the change, sent before it."""
    couple = couple or couple_by_id.first(couple_id)
    if couple is None:
        return []
    if couple.removed_at is not None:  # each partner sees only themself: nothing of the couple is read
        for write in (*writes, change):
            if write is not None:
                write.run()
        partners, loaded = _partners(couple_id), None
    else:
        step = [step_index_read(session)] if state is None else []
        loaded = _Loaded(session, couple, space=space, also=step, change=change, writes=writes)
        partners = loaded.partners
        if state is None:
            state = _Step(step_index_from(loaded.also[0]))
    for partner in partners:
        partner.couple = couple
    return [(p, couple_frame_for(session, p, state, reload=False, loaded=loaded)) for p in partners]
