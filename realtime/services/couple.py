"""A couple's private space in a session: what they write, reveal, agree, and the signals they send.

Payloads are sealed on the phones (end to end: docs/privacy.md): the server
checks their shape and size only, stores and returns them as given, never logs
them and never sends them to staff or projectors. Staff see
progress only: done, paused, needs help. Every write locks the couple's space,
bumps its version and records the change (realtime.events); what may be written
when, and who sees it, is realtime/rules.py.
"""

import re
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from realtime import events, rules, snapshots_couple
from realtime.errors import LiveError
from realtime.models import CoupleEntry, CoupleSpace, HelpRequest, Participant
from realtime.prepared import Prepared, insert_statement, read_together, update_statement, upsert_statement
from realtime.services.session import state_for
from realtime.services.spaces import space_for_write
from realtime.snapshots import stored_state_from, stored_state_read
from workshops.steps import REVEALED_ENTRIES

# A sealed payload: "<key id>.<base64url(24-byte nonce, ciphertext, 16-byte tag)>" (frontend/src/participant/e2e.ts).
SEALED_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]{54,}")
MAX_SEALED_CHARS = 16 * 1024
MAX_ITEMS_PER_STEP = 60


# Every write here runs as a live command, inside the transaction realtime.member.Member.run opens with the
# command's once-record, so it needs no savepoint of its own (two statements fewer on the hottest path): a
# refusal (LiveError) or failure rolls the whole command back, its record included, as it must anyway. Called
# on its own, each is a transaction.
in_command_transaction = transaction.atomic(savepoint=False)


def _require_couple(participant):
    if participant.couple_id is None:
        raise LiveError("not_paired", _("Pair with your partner (or continue alone) first."))
    return participant.couple


# The read that starts a couple write that checks the space first (an entry, the dialogue), prepared
# (realtime/prepared.py) as the connect's reads are (unprepared, it cost a couple message about 0.5 ms more CPU,
# docs/performance.md). The writes that need not read it first write it in one statement: _space_change.
_locked = Prepared(
    lambda session_id, couple_id: CoupleSpace.objects.select_for_update().filter(
        session_id=session_id, couple_id=couple_id
    )
)


def _locked_space(session, couple):
    """The couple's space in this session, locked until the transaction ends."""
    space = _locked.first(session.pk, couple.pk)
    if space is None:  # the couple formed in a way that made none (realtime/services/spaces.py)
        space = CoupleSpace.objects.select_for_update().get(pk=space_for_write(session, couple).pk)
    return space


# An entry under its key, found by its couple and session (its space's id is read with it, not before it).
_entry_at = Prepared(
    lambda session_id, couple_id, step_index, kind, key, scope: CoupleEntry.objects.filter(
        space__session_id=session_id, space__couple_id=couple_id, step_index=step_index, kind=kind, key=key, scope=scope
    )
)


def _state_space_and_entry(session, couple, step_index, kind, key, scope):
    """The session's state (as state_for), the couple's space, locked (as _locked_space), and the entry under the
    key (None if there is none yet), in one round trip: the entry is read after the lock is held, so it is the
    latest any writer committed."""
    states, spaces, entries = read_together(
        stored_state_read(session),
        (_locked, (session.pk, couple.pk)),
        (_entry_at, (session.pk, couple.pk, step_index, kind, key, scope)),
    )
    state = stored_state_from(session, states) or state_for(session)
    if not spaces:  # a space made now has no entries
        return state, _locked_space(session, couple), None
    return state, spaces[0], (entries[0] if entries else None)


def _save_bumped(space, *fields):
    """Save a locked space's changed `fields` with its next version in one UPDATE: the lock (_locked_space)
    makes the version read with it the latest, and keeps every other writer waiting until this one commits."""
    _bumped(space, *fields).run()


def _bumped(space, *fields):
    """_save_bumped's UPDATE, not run yet (to send with the frames' reads): the space's next version set on it."""
    space.version += 1
    space.updated_at = timezone.now()
    return update_statement(space, *fields, "version", "updated_at")


def _space_change(session, couple, **fields):
    """For a write that sets a few fields of the couple's space whatever they were (the pause, "done"), or only
    its version (a help request, which the couple's frames show), without reading it first: the one statement
    that sets them and the next version, making the space if it is still missing, and returns it
    (realtime.prepared.upsert_statement). It locks the space as _locked_space does; sent with the frames' reads,
    first (events.couple_changed), it makes the write and its frames one round trip, not three."""
    return upsert_statement(
        CoupleSpace,
        key=("session_id", "couple_id"),
        counter="version",
        changed=(*fields, "updated_at"),
        returns=snapshots_couple.SPACE,  # the space as it wrote it, for the frames (events.couple_changed)
        session_id=session.pk,
        couple_id=couple.pk,
        version=1,  # a missing space is at version 0
        updated_at=timezone.now(),
        **fields,
    )


def _check_sealed(payload):
    """The server cannot read a payload; it checks that it has the shape of one sealed on a phone, and its size."""
    if not isinstance(payload, str) or not SEALED_PAYLOAD.fullmatch(payload):
        raise LiveError("bad_payload", _("The content must be sealed on the phone (a key id, a dot and base64url)."))
    if len(payload) > MAX_SEALED_CHARS:
        raise LiveError(
            "too_large",
            _("That is too long to save (at most %(size)s KiB sealed).") % {"size": MAX_SEALED_CHARS // 1024},
        )


def _check_entry(participant, kind, key, payload, passed, as_partner):
    """The entry's own checks, before any lock is taken: its key, its payload, who on the phone it is for."""
    if not str(key or ""):
        raise LiveError("bad_key", _("An entry needs a key."))
    if not passed:
        _check_sealed(payload)
    if as_partner not in (1, 2) or (as_partner == 2 and not participant.couple.one_phone):
        raise LiveError("bad_partner", _("as_partner=2 is only for a couple sharing one phone."))


@in_command_transaction
def entry_put(
    *, session, participant, step_index, kind, key, payload=None, passed=False, expected_version=None, as_partner=1
):
    """Save one entry at version `expected_version` + 1, the version the phone sealed the payload for (it is part
    of the ciphertext's associated data). A shared item is written only from the version the writer saw, so two
    edits never overwrite each other silently; a private entry, which only its author writes, from that version
    or a later one (its phone may have sent edits still on their way), so its versions only ever go up.

    On a couple's single phone (one-phone mode) the second partner's private entries use as_partner=2."""
    couple = _require_couple(participant)
    key = str(key or "")[:40]
    _check_entry(participant, kind, key, payload, passed, as_partner)
    scope = rules.private_scope(participant.pk, as_partner) if rules.is_private(kind) else "shared"
    state, space, entry = _state_space_and_entry(session, couple, step_index, kind, key, scope)
    rules.check_writable(state, step_index, kind, paused=space.paused_by_id is not None)
    new = entry is None
    if new:
        entry = _new_entry(space, step_index, kind, key, scope, expected_version)
    else:
        _check_rewrite(entry, space, couple, expected_version)
    entry.version = (expected_version or 0) + 1
    entry.payload = None if passed else payload
    entry.passed = passed
    entry.author = participant
    # The entry and the space are written with the frames' reads, first: one round trip (events.couple_changed).
    writes = [_entry_write(entry, new), _bumped(space)]
    # An answer may complete the couple's reveal, which staff see as the couple being done (snapshots_roster).
    roster = kind in REVEALED_ENTRIES
    events.couple_changed(session, couple.pk, state=state, space=space, couple=couple, roster=roster, writes=writes)


def _entry_write(entry, new):
    """The statement that saves an entry as entry_put has set it: all of a new one, what a rewrite changes."""
    if new:
        return insert_statement(CoupleEntry, **{f.attname: getattr(entry, f.attname) for f in _ENTRY_FIELDS})
    return update_statement(entry, "version", "payload", "passed", "author", "deleted", "updated_at")


_ENTRY_FIELDS = [field for field in CoupleEntry._meta.concrete_fields if not field.primary_key]


def _new_entry(space, step_index, kind, key, scope, expected_version):
    """A first entry under this key (saved by the caller)."""
    if not rules.is_private(kind) and expected_version not in (None, 0):
        raise LiveError("stale_item", _("That item was removed by your partner."))
    shared_items = 0 if rules.is_private(kind) else space.entries.filter(step_index=step_index, deleted=False).count()
    if shared_items >= MAX_ITEMS_PER_STEP:
        raise LiveError("too_many", _("A step holds at most %(count)s items.") % {"count": MAX_ITEMS_PER_STEP})
    return CoupleEntry(space=space, step_index=step_index, kind=kind, key=key, scope=scope)


def _check_rewrite(entry, space, couple, expected_version):
    """An entry written again: from the version the writer saw (a private one: or a later one), an answer only
    before the reveal (saved by the caller)."""
    if rules.is_private(entry.kind):
        if expected_version is None or expected_version < entry.version:
            raise LiveError("stale_item", _("This changed on another screen just now; here is the latest version."))
    elif expected_version != entry.version:
        raise LiveError("stale_item", _("Your partner changed this item just now; here is their version."))
    if entry.kind in REVEALED_ENTRIES and _revealed(space, couple, entry.step_index, entry.key):
        raise LiveError("revealed", _("Both answers are showing; an answer can't change after the reveal."))
    entry.deleted = False
    entry.updated_at = timezone.now()


@in_command_transaction
def entry_delete(*, session, participant, step_index, key, expected_version):
    couple = _require_couple(participant)
    state = state_for(session)
    space = _locked_space(session, couple)
    rules.check_writable(state, step_index, CoupleEntry.Kind.ITEM, paused=space.paused_by_id is not None)
    entry = CoupleEntry.objects.filter(
        space=space, step_index=step_index, kind=CoupleEntry.Kind.ITEM, key=key, scope="shared", deleted=False
    ).first()
    if entry is None:
        raise LiveError("no_item", _("That item is already gone."))
    if entry.version != expected_version:
        raise LiveError("stale_item", _("Your partner changed this item just now; here is their version."))
    entry.deleted, entry.payload, entry.version = True, None, entry.version + 1
    entry.save(update_fields=["deleted", "payload", "version"])
    _save_bumped(space)
    events.couple_changed(session, couple.pk, state=state, space=space, couple=couple)


@in_command_transaction
def answer_keep_back(*, session, participant, step_index, key, kept_back, as_partner=1):
    """Either partner may keep their answer back from the reveal."""
    couple = _require_couple(participant)
    space = _locked_space(session, couple)
    updated = CoupleEntry.objects.filter(
        space=space,
        step_index=step_index,
        kind=CoupleEntry.Kind.ANSWER,
        key=str(key),
        scope=rules.private_scope(participant.pk, as_partner),
    ).update(kept_back=bool(kept_back))
    if not updated:
        raise LiveError("no_answer", _("Answer (or pass) first."))
    _save_bumped(space)
    events.couple_changed(session, couple.pk, space=space, couple=couple)


def _revealed(space, couple, step_index, key):
    """Whether the answers under this key are revealed (rules.is_revealed, as the couple's snapshots show it)."""
    partners = list(Participant.objects.filter(couple_id=couple.pk).values_list("pk", flat=True))
    scopes = CoupleEntry.objects.filter(
        space=space, step_index=step_index, kind=CoupleEntry.Kind.ANSWER, key=key
    ).values_list("scope", flat=True)
    return rules.is_revealed(list(scopes), partners, one_phone=couple.one_phone)


@in_command_transaction
def mark_done(*, session, participant, done):
    couple = _require_couple(participant)
    state = state_for(session)
    change = _space_change(session, couple, done_step=state.step_index if done else None)
    events.couple_changed(session, couple.pk, state=state, couple=couple, roster=True, change=change)


@in_command_transaction
def pause_signal(*, session, participant, raised):
    """Either partner raises the pause; the partner's phone shows it gently, staff see only 'paused'."""
    couple = _require_couple(participant)
    by, at = (participant.pk, timezone.now()) if raised else (None, None)
    change = _space_change(session, couple, paused_by_id=by, paused_at=at)
    events.couple_changed(session, couple.pk, couple=couple, roster=True, change=change)


def _open_help(session, participant, private):
    """This participant's open private request, or their couple's open request."""
    requests = HelpRequest.objects.filter(session=session, resolved_at__isnull=True, private=bool(private))
    return requests.filter(participant=participant) if private else requests.filter(couple_id=participant.couple_id)


def _help_changed(session, participant, private, couple_id):
    """A help request came, went or was seen: the phones that show it (the asker's alone for a private one, both
    partners' for the couple's), and the staff's help queue."""
    if private or couple_id is None:
        events.participant_changed(session, participant, roster=True)
        return
    change = _space_change(session, participant.couple)  # its next version: the frames carry the request
    events.couple_changed(session, couple_id, couple=participant.couple, roster=True, change=change)


@in_command_transaction
def help_request(*, session, participant, private):
    """Ask a facilitator: as a couple (both phones see it) or privately (the partner's phone never shows it)."""
    if not private and participant.couple_id is None:
        raise LiveError("not_paired", _("Ask privately, or pair with your partner first."))
    if _open_help(session, participant, private).exists():
        raise LiveError("already_asked", _("A facilitator has been asked and will come to you."))
    request = HelpRequest.objects.create(
        session=session,
        couple_id=participant.couple_id,
        participant=participant if private else None,
        private=bool(private),
    )
    _help_changed(session, participant, private, participant.couple_id)
    return request


@in_command_transaction
def help_cancel(*, session, participant, private):
    if not private and participant.couple_id is None:
        raise LiveError("not_paired", _("Ask privately, or pair with your partner first."))
    _open_help(session, participant, private).update(resolved_at=timezone.now())
    _help_changed(session, participant, private, participant.couple_id)


@in_command_transaction
def help_acknowledge(*, session, request_id, user, resolve=False):
    request = (
        HelpRequest.objects.select_related("participant__couple", "couple")
        .filter(session=session, pk=request_id, resolved_at__isnull=True)
        .first()
    )
    if request is None:
        raise LiveError("no_request", _("That request is already resolved."))
    now = timezone.now()
    request.acknowledged_at = request.acknowledged_at or now
    request.acknowledged_by = request.acknowledged_by or user
    if resolve:
        request.resolved_at = now
    request.save(update_fields=["acknowledged_at", "acknowledged_by", "resolved_at"])
    if request.private:
        events.participant_changed(session, request.participant, roster=True)
    elif request.couple_id:
        change = _space_change(session, request.couple)
        events.couple_changed(session, request.couple_id, couple=request.couple, roster=True, change=change)
    else:
        events.roster_changed(session.pk)


def _speaking(partners, partner_number):
    """Who speaks: partner 1 and 2 are the couple's participants in the order they joined; on one shared phone
    (or for a participant continuing alone) there is no second participant, only a second person."""
    index = partner_number - 1
    return {"speaker_partner": partner_number, "speaker": partners[index] if index < len(partners) else None}


def _next_turn(action, current, step_index, step, partners, participant_id):
    """The dialogue's next turn (pure): started by this participant, on to the next phase or round (the speaker
    hands over when a round ends), or with the roles swapped."""
    phases, rounds = step["config"]["phases"], step["config"].get("rounds", 2)
    if action == "start" or current is None:
        first = partners.index(participant_id) + 1 if participant_id in partners else 1
        return {"step": step_index, "round": 1, "phase": 0, **_speaking(partners, first)}
    turn = dict(current)
    if action == "swap":
        turn.update(_speaking(partners, 3 - turn["speaker_partner"]))
    elif turn["phase"] + 1 < len(phases):
        turn["phase"] += 1
    elif turn["round"] < rounds:
        turn.update(round=turn["round"] + 1, phase=0, **_speaking(partners, 3 - turn["speaker_partner"]))
    else:
        turn["finished"] = True
    return turn


@in_command_transaction
def dialogue_command(*, session, participant, action, expected_version):
    """Turn-taking: start, next phase (the speaker hands over when the phase ends), or swap roles."""
    couple = _require_couple(participant)
    state = state_for(session)
    space = _locked_space(session, couple)
    if space.version != expected_version:
        raise LiveError("stale_version", _("Your partner moved the dialogue on; here is where it is."))
    step = rules.current_step(state)
    if not step or step["kind"] != "dialogue":
        raise LiveError("wrong_kind", _("This step is not a dialogue."))
    partners = list(Participant.objects.filter(couple_id=couple.pk).order_by("pk").values_list("pk", flat=True))
    current = space.dialogue if space.dialogue.get("step") == state.step_index else None
    turn = _next_turn(action, current, state.step_index, step, partners, participant.pk)
    if not turn.get("finished"):
        seconds = step["config"]["phases"][turn["phase"]]["seconds"]
        turn["deadline"] = (timezone.now() + timedelta(seconds=seconds)).isoformat()
    space.dialogue = turn
    _save_bumped(space, "dialogue")
    events.couple_changed(session, couple.pk, state=state, space=space, couple=couple)
    return turn
