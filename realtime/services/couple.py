"""A couple's private space in a session: what they write, reveal, agree, and the signals they send.

Payloads are opaque to the server: stored and returned as given (at most 16 KiB
of JSON each), never logged, never sent to staff or projectors. Staff see
progress only: done, paused, needs help.
"""

import json
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from realtime import groups
from realtime.errors import LiveError
from realtime.models import CoupleEntry, CoupleSpace, HelpRequest, Participant, SessionState
from realtime.prepared import Prepared, save_fields
from realtime.services.publish import publish
from realtime.services.session import effective_breakout, state_for

MAX_PAYLOAD_BYTES = 16 * 1024
MAX_ITEMS_PER_STEP = 60


_space = Prepared(lambda session_id, couple_id: CoupleSpace.objects.filter(session_id=session_id, couple_id=couple_id))
_locked = Prepared(
    lambda session_id, couple_id: CoupleSpace.objects.select_for_update().filter(
        session_id=session_id, couple_id=couple_id
    )
)


def space_for(session, couple):
    space = _space.first(session.pk, couple.pk)
    if space is None:
        with transaction.atomic():
            space, _ = CoupleSpace.objects.get_or_create(session=session, couple=couple)
    return space


def _locked_space(session, couple):
    """The couple's space in this session (made on first use), locked until the transaction ends."""
    space = _locked.first(session.pk, couple.pk)
    if space is None:
        space = CoupleSpace.objects.select_for_update().get(pk=space_for(session, couple).pk)
    return space


def _bump(space):
    """The next version of a space this transaction has not locked (one UPDATE, then a read of what it made)."""
    CoupleSpace.objects.filter(pk=space.pk).update(version=F("version") + 1, updated_at=timezone.now())
    space.refresh_from_db()


def _save_bumped(space, *fields):
    """Save a locked space's changed `fields` with its next version in one UPDATE: the lock (_locked_space)
    makes the version read with it the latest, and keeps every other writer waiting until this one commits."""
    space.version += 1
    space.updated_at = timezone.now()
    save_fields(space, *fields, "version", "updated_at")


def _check_payload(payload):
    try:
        size = len(json.dumps(payload, separators=(",", ":")).encode())
    except (TypeError, ValueError):
        raise LiveError("bad_payload", "The content must be JSON.") from None
    if size > MAX_PAYLOAD_BYTES:
        raise LiveError("too_large", f"That is too long to save (at most {MAX_PAYLOAD_BYTES // 1024} KiB).")


def _writable_step(state, space, step_index, kind):
    """Couple content is written during the step's couple phase (or while the couple has paused)."""
    if state.status not in ("running", "paused"):
        raise LiveError("not_running", "The session is not running.")
    if step_index != state.step_index:
        raise LiveError("wrong_step", "That step is no longer showing.")
    step = state.steps[step_index]
    allowed = {
        "reflection": {"reflection"},
        "answer_reveal": {"answer"},
        "worksheet": {"item"},
        "agreement": {"agreement"},
        "dialogue": {"item"},
    }.get(step["kind"], set())
    if kind not in allowed:
        raise LiveError("wrong_kind", "This step doesn't take that kind of entry.")
    phase = effective_breakout(state)
    if phase == "closed" and space.paused_by_id is None:
        raise LiveError("breakout_closed", "The breakout has closed; what you saved is kept.")


def _private(kind):
    return kind in (CoupleEntry.Kind.REFLECTION, CoupleEntry.Kind.ANSWER)


@transaction.atomic
def entry_put(
    *, session, participant, step_index, kind, key, payload=None, passed=False, expected_version=None, as_partner=1
):
    """Save one entry. Shared items carry their own version, so two edits never overwrite each other silently.

    On a couple's single phone (one-phone mode) the second partner's private entries use as_partner=2."""
    if participant.couple_id is None:
        raise LiveError("not_paired", "Pair with your partner (or continue alone) first.")
    key = str(key or "")[:40]
    if not key:
        raise LiveError("bad_key", "An entry needs a key.")
    if not passed:
        _check_payload(payload)
    state = state_for(session)
    space = _locked_space(session, participant.couple)
    _writable_step(state, space, step_index, kind)
    if as_partner not in (1, 2) or (as_partner == 2 and not participant.couple.one_phone):
        raise LiveError("bad_partner", "as_partner=2 is only for a couple sharing one phone.")
    scope = private_scope(participant, as_partner) if _private(kind) else "shared"
    entry = CoupleEntry.objects.filter(space=space, step_index=step_index, kind=kind, key=key, scope=scope).first()
    now = timezone.now()
    if entry is None:
        if expected_version not in (None, 0):
            raise LiveError("stale_item", "That item was removed by your partner.")
        if (
            not _private(kind)
            and space.entries.filter(step_index=step_index, deleted=False).count() >= MAX_ITEMS_PER_STEP
        ):
            raise LiveError("too_many", f"A step holds at most {MAX_ITEMS_PER_STEP} items.")
        entry = CoupleEntry.objects.create(
            space=space,
            step_index=step_index,
            kind=kind,
            key=key,
            scope=scope,
            author=participant,
            payload=None if passed else payload,
            passed=passed,
        )
    else:
        if not _private(kind) and expected_version != entry.version:
            raise LiveError("stale_item", "Your partner changed this item just now; here is their version.")
        if kind == CoupleEntry.Kind.ANSWER and _revealed(space, state.steps[step_index], step_index, key):
            raise LiveError("revealed", "Both answers are showing; an answer can't change after the reveal.")
        entry.payload = None if passed else payload
        entry.passed = passed
        entry.deleted = False
        entry.version += 1
        entry.updated_at = now
        entry.author = participant
        entry.save()
    _save_bumped(space)
    publish_couple(session, participant.couple_id, state=state, space=space, couple=participant.couple)
    return entry


@transaction.atomic
def entry_delete(*, session, participant, step_index, key, expected_version):
    state = state_for(session)
    space = _locked_space(session, participant.couple)
    _writable_step(state, space, step_index, "item")
    entry = CoupleEntry.objects.filter(
        space=space, step_index=step_index, kind="item", key=key, scope="shared", deleted=False
    ).first()
    if entry is None:
        raise LiveError("no_item", "That item is already gone.")
    if entry.version != expected_version:
        raise LiveError("stale_item", "Your partner changed this item just now; here is their version.")
    entry.deleted, entry.payload, entry.version = True, None, entry.version + 1
    entry.save(update_fields=["deleted", "payload", "version"])
    _save_bumped(space)
    publish_couple(session, participant.couple_id, state=state, space=space, couple=participant.couple)


@transaction.atomic
def answer_keep_back(*, session, participant, step_index, key, kept_back, as_partner=1):
    """Either partner may keep their answer back from the reveal."""
    space = space_for(session, participant.couple)
    updated = CoupleEntry.objects.filter(
        space=space,
        step_index=step_index,
        kind="answer",
        key=str(key),
        scope=private_scope(participant, as_partner),
    ).update(kept_back=bool(kept_back))
    if not updated:
        raise LiveError("no_answer", "Answer (or pass) first.")
    _bump(space)
    publish_couple(session, participant.couple_id)


def private_scope(participant, as_partner=1):
    return f"p{participant.pk}" if as_partner == 1 else f"p{participant.pk}.2"


def expected_answers(couple):
    """Two people answer, on one phone or two; a participant continuing alone reveals to themself."""
    if couple.one_phone:
        return 2
    return max(1, Participant.objects.filter(couple_id=couple.pk).count())


def _revealed(space, step, step_index, key):
    """An answer is revealed once every partner has answered or passed."""
    answered = CoupleEntry.objects.filter(space=space, step_index=step_index, kind="answer", key=key).count()
    return answered >= expected_answers(space.couple)


@transaction.atomic
def mark_done(*, session, participant, done):
    space = _locked_space(session, participant.couple)
    state = state_for(session)
    space.done_step = state.step_index if done else None
    _save_bumped(space, "done_step")
    publish_couple(session, participant.couple_id, state=state, space=space, couple=participant.couple)
    _staff_changed(session)


@transaction.atomic
def pause_signal(*, session, participant, raised):
    """Either partner raises the pause; the partner's phone shows it gently, staff see only 'paused'."""
    space = _locked_space(session, participant.couple)
    if raised:
        space.paused_by, space.paused_at = participant, timezone.now()
    else:
        space.paused_by, space.paused_at = None, None
    _save_bumped(space, "paused_by", "paused_at")
    publish_couple(session, participant.couple_id, space=space, couple=participant.couple)
    _staff_changed(session)


@transaction.atomic
def help_request(*, session, participant, private):
    """Ask a facilitator: as a couple (both phones see it) or privately (the partner's phone never shows it)."""
    existing = HelpRequest.objects.filter(session=session, resolved_at__isnull=True, private=bool(private))
    existing = existing.filter(participant=participant) if private else existing.filter(couple_id=participant.couple_id)
    if existing.exists():
        raise LiveError("already_asked", "A facilitator has been asked and will come to you.")
    request = HelpRequest.objects.create(
        session=session,
        couple_id=participant.couple_id,
        participant=participant if private else None,
        private=bool(private),
    )
    if not private and participant.couple_id:
        _bump(space_for(session, participant.couple))
        publish_couple(session, participant.couple_id)
    else:
        publish_participant(session, participant)
    _staff_changed(session)
    return request


@transaction.atomic
def help_cancel(*, session, participant, private):
    qs = HelpRequest.objects.filter(session=session, resolved_at__isnull=True, private=bool(private))
    qs = qs.filter(participant=participant) if private else qs.filter(couple_id=participant.couple_id)
    qs.update(resolved_at=timezone.now())
    if private or not participant.couple_id:
        publish_participant(session, participant)
    else:
        _bump(space_for(session, participant.couple))
        publish_couple(session, participant.couple_id)
    _staff_changed(session)


@transaction.atomic
def help_acknowledge(*, session, request_id, user, resolve=False):
    request = HelpRequest.objects.filter(session=session, pk=request_id, resolved_at__isnull=True).first()
    if request is None:
        raise LiveError("no_request", "That request is already resolved.")
    now = timezone.now()
    request.acknowledged_at = request.acknowledged_at or now
    request.acknowledged_by = request.acknowledged_by or user
    if resolve:
        request.resolved_at = now
    request.save(update_fields=["acknowledged_at", "acknowledged_by", "resolved_at"])
    if request.private:
        publish_participant(session, request.participant)
    elif request.couple_id:
        space = space_for(session, request.couple)
        _bump(space)
        publish_couple(session, request.couple_id)
    _staff_changed(session)


DIALOGUE_PHASES_FALLBACK = ["summarize", "state", "explore", "agree"]


@transaction.atomic
def dialogue_command(*, session, participant, action, expected_version):
    """Turn-taking: start, next phase (the speaker hands over when the phase ends), or swap roles."""
    state = state_for(session)
    space = _locked_space(session, participant.couple)
    if space.version != expected_version:
        raise LiveError("stale_version", "Your partner moved the dialogue on; here is where it is.")
    step = state.steps[state.step_index] if state.status in ("running", "paused") else None
    if not step or step["kind"] != "dialogue":
        raise LiveError("wrong_kind", "This step is not a dialogue.")
    phases = step["config"]["phases"]
    rounds = step["config"].get("rounds", 2)
    partners = list(
        Participant.objects.filter(couple_id=participant.couple_id).order_by("pk").values_list("pk", flat=True)
    )
    now = timezone.now()
    current = space.dialogue if space.dialogue.get("step") == state.step_index else None

    def speaking(partner_number):
        # Partner 1 and 2 are the couple's participants in the order they joined; on one shared phone (or
        # for a participant continuing alone) there is no second participant, only a second person.
        index = partner_number - 1
        return {"speaker_partner": partner_number, "speaker": partners[index] if index < len(partners) else None}

    if action == "start" or current is None:
        first = partners.index(participant.pk) + 1 if participant.pk in partners else 1
        turn = {"step": state.step_index, "round": 1, "phase": 0, **speaking(first)}
    elif action == "next":
        turn = dict(current)
        if turn["phase"] + 1 < len(phases):
            turn["phase"] += 1
        elif turn["round"] < rounds:
            turn.update(round=turn["round"] + 1, phase=0, **speaking(3 - turn["speaker_partner"]))
        else:
            turn["finished"] = True
    elif action == "swap":
        turn = dict(current)
        turn.update(speaking(3 - turn["speaker_partner"]))
    else:
        raise LiveError("bad_action", "Dialogue actions are start, next and swap.")
    if not turn.get("finished"):
        turn["deadline"] = (now + timedelta(seconds=phases[turn["phase"]]["seconds"])).isoformat()
    space.dialogue = turn
    _save_bumped(space, "dialogue")
    publish_couple(session, participant.couple_id, state=state, space=space, couple=participant.couple)
    return turn


def publish_couple(session, couple_id, *, state=None, space=None, couple=None):
    """Both partners' couple frames, after commit. `state`, `space` and `couple`: the session's state, the couple's
    space and the couple as this transaction has them already (not read again)."""
    from realtime.snapshots_couple import couple_frames

    publish(
        [
            (groups.participant(session.pk, participant.pk), frame)
            for participant, frame in couple_frames(session, couple_id, state, space=space, couple=couple)
        ]
    )


def publish_participant(session, participant):
    from realtime.snapshots_couple import couple_frame_for

    publish([(groups.participant(session.pk, participant.pk), couple_frame_for(session, participant))])


def _staff_changed(session):
    from realtime.services.presence import mark_dirty

    transaction.on_commit(lambda: mark_dirty(session.pk))


__all__ = ["SessionState"]
