"""Entering a live session, consent, and pairing the two partners' phones.

A device is identified by its Django session cookie: capability links are
exchanged for it, and it maps each workshop to that device's participant, so a
reload or a retreat's next session finds the same person. The services that
change a couple or the room take the live session the device is in, whose
phones and staff are told (realtime.events).
"""

import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config import ratelimit
from realtime import events
from realtime.errors import LiveError
from realtime.exchange import PUBLIC_VALUE, WRAPPED_KEY, commitment_of
from realtime.models import Couple, PairingRequest, Participant, Presence
from realtime.services import spaces
from realtime.snapshots_roster import alive
from workshops import tokens
from workshops.models import Enrollment, Session, Workshop
from workshops.models.scheduling import JOIN_CODE_ALPHABET
from workshops.selectors.enrollment import seats_taken

PAIRING_TTL = timedelta(minutes=10)
PAIRING_CODE_LENGTH = 6
MAX_PARTNERS = 2
_BAD_COMMITMENT = gettext_lazy("The commitment must be 32 bytes in base64url.")
_BAD_PUBLIC_KEY = gettext_lazy("The public key must be 32 bytes in base64url.")


def session_by_join_code(code):
    code = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    session = (
        Session.objects.select_related("workshop__organization")
        .filter(join_code=code, ends_at__gt=timezone.now(), workshop__status=Workshop.Status.PUBLISHED)
        .first()
    )
    if session is None:
        raise LiveError("unknown_code", _("No session is open with that code. Check the code on the screen."))
    return session


WALK_IN_HOLD = timedelta(minutes=15)  # a new walk-in couple keeps its seat this long even with no phone online


def walk_ins_seated(workshop):
    """Walk-in couples that hold a seat: not removed, and admitted by a facilitator, with a phone online now, or
    formed in the last WALK_IN_HOLD. A phone that made a couple and went away gives its seat back, so phones
    reconnecting don't fill the room with empty couples; if it comes back, its couple is still its own."""
    online = Presence.objects.filter(alive(), participant__couple_id=OuterRef("pk"))
    return (
        Couple.objects.filter(workshop=workshop, enrollment__isnull=True, removed_at__isnull=True)
        .filter(Q(admitted_at__isnull=False) | Q(created_at__gt=timezone.now() - WALK_IN_HOLD) | Exists(online))
        .count()
    )


def walk_in_room(workshop):
    """True while a walk-in couple can still form: the places registration holds (confirmed couples and pending
    waitlist offers, as registration counts them) plus the walk-in couples seated, below capacity."""
    return seats_taken(workshop) + walk_ins_seated(workshop) < workshop.capacity_couples


def _clean_name(display_name):
    name = " ".join(str(display_name or "").split())
    if not name:
        raise LiveError("bad_name", _("Give a first name or a pseudonym."))
    if len(name) > 60:
        raise LiveError("bad_name", _("Keep the name to 60 characters."))
    return name


@transaction.atomic
def participant_enter(*, session, display_name, consent, feedback_consent, enrollment=None, existing=None):
    """Consent and a name make a participant of the session's workshop. An invitation link's first phone starts
    its enrolled couple; the second pairs into it through the key exchange, as a typed code does
    (invited_couple)."""
    if existing is not None:
        return existing
    workshop = session.workshop
    if consent is not True:
        raise LiveError("consent_required", _("Taking part needs your consent; you can leave at any time."))
    name = _clean_name(display_name)
    if enrollment is not None and (
        enrollment.workshop_id != workshop.pk or enrollment.status != Enrollment.Status.CONFIRMED
    ):
        raise LiveError("not_enrolled", _("This invitation is not a confirmed place in this workshop."))
    # A walk-in needs a seat only to form a couple (pairing_start): entering takes none, so a walk-in's partner can
    # still come in and join their own couple when the room is full.
    participant = Participant.objects.create(
        workshop=workshop, display_name=name, consented_at=timezone.now(), feedback_consent=bool(feedback_consent)
    )
    if enrollment is not None:
        couple, _created = Couple.objects.get_or_create(workshop=workshop, enrollment=enrollment)
        couple = Couple.objects.select_for_update().get(pk=couple.pk)
        if couple.removed_at is None and not couple.participants.exists():
            participant.couple, participant.couple_since = couple, timezone.now()
            participant.save(update_fields=["couple", "couple_since"])
            spaces.make_spaces(session, [couple.pk])
            events.couple_changed(session, couple.pk, couple=couple)
    events.roster_changed(session.pk)
    return participant


def invited_couple(participant, enrollment_id):
    """The enrolled couple this participant's invitation link leads to, while they are in no couple and it awaits
    its second phone: that phone pairs with the first by the exchange (pairing_join without a code)."""
    if participant is None or participant.couple_id is not None or not enrollment_id:
        return None
    couple = (
        Couple.objects.filter(enrollment_id=enrollment_id, removed_at__isnull=True, one_phone=False)
        .annotate(partners=Count("participants"))
        .first()
    )
    return couple if couple is not None and couple.partners == 1 else None


def _new_pairing_code():
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(PAIRING_CODE_LENGTH))


def _join_invited_couple(participant, invited, session):
    """The second phone of an enrolled couple goes on alone for now: it enters its own couple, without the couple
    key (its phone asks the first one for it later, as a phone that lost the key does), not a new walk-in couple
    that would take another seat. Returns the couple, or None if it no longer awaits a second phone."""
    couple = Couple.objects.select_for_update().get(pk=invited.pk)
    if couple.removed_at is not None or couple.one_phone or couple.participants.count() >= MAX_PARTNERS:
        return None
    participant.couple, participant.couple_since = couple, timezone.now()
    participant.save(update_fields=["couple", "couple_since"])
    spaces.make_spaces(session, [couple.pk])
    events.couple_changed(session, couple.pk, couple=couple, roster=True)
    return couple


@transaction.atomic
def pairing_start(*, participant, session, invited=None):
    """Make (or reuse) the participant's couple and a fresh pairing code. Returns (couple, raw code). In a couple
    of two, the code is for the partner's phone that lost the couple key (it asks for the key again). `invited`:
    the enrolled couple this phone's invitation link leads to (invited_couple), which it enters instead of
    making one."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    couple = participant.couple
    if couple is None and invited is not None:
        couple = _join_invited_couple(participant, invited, session)
    if couple is None:
        if not walk_in_room(participant.workshop):
            raise LiveError("full", _("This workshop is full. Please speak to the facilitator."))
        couple = Couple.objects.create(workshop=participant.workshop)
        participant.couple, participant.couple_since = couple, timezone.now()
        participant.save(update_fields=["couple", "couple_since"])
        spaces.make_spaces(session, [couple.pk])
    couple = Couple.objects.select_for_update().get(pk=couple.pk)
    if couple.one_phone:
        raise LiveError("one_phone", _("This couple uses one phone; turn that off to pair a second phone."))
    code = _new_pairing_code()
    couple.pairing_digest = tokens.digest(code)
    couple.pairing_expires_at = timezone.now() + PAIRING_TTL
    couple.save(update_fields=["pairing_digest", "pairing_expires_at"])
    events.roster_changed(session.pk)
    return couple, code


def _check_public(value, refused):
    if not isinstance(value, str) or not PUBLIC_VALUE.fullmatch(value):
        raise LiveError("bad_key", str(refused))
    return value


def _couple_to_join(participant, code, invited):
    """The couple a typed (or scanned) code names, or the one an invitation link leads to."""
    if code is None and invited is not None:
        return Couple.objects.select_for_update().get(pk=invited.pk)
    normalized = "".join(ch for ch in str(code or "").upper() if ch.isalnum())
    couple = (
        Couple.objects.select_for_update()
        .filter(
            workshop=participant.workshop,
            pairing_digest=tokens.digest(normalized),
            removed_at__isnull=True,
            pairing_expires_at__gt=timezone.now(),
        )
        .first()
    )
    if couple is None or not normalized:
        raise LiveError("bad_code", _("That code doesn't match, or it has expired. Ask your partner for a fresh one."))
    return couple


@transaction.atomic
def pairing_join(*, participant, commitment, code=None, invited=None):
    """A phone typed (or scanned) the couple's code, or opened its invitation link, and commits to its key: the
    exchange begins (the first phone answers with its key). A partner's phone in the couple already, which lost
    the couple key, joins the same way to get it again."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    _check_public(commitment, _BAD_COMMITMENT)
    # Typed codes per participant (config/ratelimit.py); the views count the client across participants too.
    ratelimit.hit(ratelimit.PAIRING_PER_PARTICIPANT, f"participant:{participant.pk}")
    couple = _couple_to_join(participant, code, invited)
    if participant.couple_id not in (None, couple.pk):
        raise LiveError("already_paired", _("This phone is already in a couple; unpair first."))
    if couple.one_phone or (participant.couple_id is None and couple.participants.count() >= MAX_PARTNERS):
        raise LiveError("couple_full", _("That couple already has two phones."))
    PairingRequest.objects.filter(couple=couple).delete()
    return PairingRequest.objects.create(
        couple=couple,
        joiner=participant,
        commitment=commitment,
        expires_at=couple.pairing_expires_at or timezone.now() + PAIRING_TTL,
    )


def couple_by_pairing_code(code):
    """The couple whose live pairing code this is (for the QR link: which workshop to enter), or None."""
    normalized = "".join(ch for ch in str(code or "").upper() if ch.isalnum())
    if not normalized:
        return None
    return (
        Couple.objects.select_related("workshop")
        .filter(
            pairing_digest=tokens.digest(normalized), pairing_expires_at__gt=timezone.now(), removed_at__isnull=True
        )
        .first()
    )


def pairing_pending(*, participant):
    """The exchange this participant takes part in (as a partner of the couple, or as the joiner)."""
    now = timezone.now()
    return (
        PairingRequest.objects.filter(expires_at__gt=now)
        .filter(Q(joiner=participant) | Q(couple_id=participant.couple_id, couple__isnull=False))
        .select_related("joiner")
        .order_by("-created_at")
        .first()
    )


def _request_of(participant, request_id):
    """(request, role) of an exchange under way, locked; role "joiner" or "creator" (the couple's phone)."""
    request = PairingRequest.objects.select_for_update().filter(pk=request_id, expires_at__gt=timezone.now()).first()
    if request is None:
        raise LiveError("no_request", _("That pairing has expired. Start again with a fresh code."))
    if participant.pk == request.joiner_id:
        return request, "joiner"
    if participant.couple_id == request.couple_id:
        return request, "creator"
    raise LiveError("not_yours", _("This pairing is not yours."))


@transaction.atomic
def pairing_key(*, participant, request_id, public_key):
    """A phone's public key for the exchange: the first phone's once the joiner has committed, then the joiner's,
    which must match its commitment (the phones check it too)."""
    _check_public(public_key, _BAD_PUBLIC_KEY)
    request, role = _request_of(participant, request_id)
    if role == "creator":
        if request.creator_key not in ("", public_key):
            raise LiveError("key_sent", _("This phone already sent its key for this pairing."))
        request.creator_key = public_key
    else:
        if not request.creator_key:
            raise LiveError("too_early", _("Wait for your partner's phone to answer first."))
        if commitment_of(public_key) != request.commitment:
            raise LiveError("bad_commitment", _("That key is not the one this phone committed to. Start again."))
        request.joiner_key = public_key
    request.save(update_fields=["creator_key", "joiner_key"])
    return request


@transaction.atomic
def pairing_confirm(*, participant, request_id, session, wrapped_key=None):
    """A phone confirms that both phones show the same words. The first phone confirms with the couple key wrapped
    under the exchange; the joiner confirms last, once it has unwrapped the key, and that makes them a couple (or,
    for a partner's phone that lost the key, gives it back). Returns the couple when paired, else None."""
    request, role = _request_of(participant, request_id)
    if not (request.creator_key and request.joiner_key):
        raise LiveError("too_early", _("Both phones must show the words first."))
    if role == "creator":
        if not isinstance(wrapped_key, str) or not WRAPPED_KEY.fullmatch(wrapped_key):
            raise LiveError("bad_key", _("Confirm with the couple key wrapped for your partner's phone."))
        request.creator_confirmed, request.wrapped_key = True, wrapped_key
        request.save(update_fields=["creator_confirmed", "wrapped_key"])
        return None
    if not request.creator_confirmed:
        raise LiveError("too_early", _("Your partner hasn't confirmed the words yet."))
    couple = Couple.objects.select_for_update().get(pk=request.couple_id)
    if participant.couple_id != couple.pk:
        if couple.participants.count() >= MAX_PARTNERS:
            raise LiveError("couple_full", _("That couple already has two phones."))
        Participant.objects.filter(pk=request.joiner_id).update(couple=couple, couple_since=timezone.now())
    couple.pairing_digest, couple.pairing_expires_at = "", None
    couple.save(update_fields=["pairing_digest", "pairing_expires_at"])
    PairingRequest.objects.filter(couple=couple).delete()
    events.couple_changed(session, couple.pk, couple=couple, roster=True)
    return couple


@transaction.atomic
def unpair(*, participant, session):
    """Leave the couple. The partner stays in it (and can pair again); this phone can start a new couple."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.couple_id is None:
        raise LiveError("not_paired", _("This phone is not in a couple."))
    PairingRequest.objects.filter(Q(joiner=participant) | Q(couple_id=participant.couple_id)).delete()
    former = participant.couple_id
    participant.couple, participant.couple_since = None, None
    participant.save(update_fields=["couple", "couple_since"])
    events.couple_changed(session, former)
    events.participant_changed(session, participant, roster=True)
    return participant


@transaction.atomic
def set_one_phone(*, participant, enabled, session):
    """One phone for the couple: the app shows a 'hand the phone over' screen wherever an answer is private."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.couple_id is None:
        pairing_start(participant=participant, session=session)
        participant.refresh_from_db()
    couple = Couple.objects.select_for_update().get(pk=participant.couple_id)
    if enabled and couple.participants.count() >= MAX_PARTNERS:
        raise LiveError("couple_full", _("Two phones are already paired; one-phone mode is for a single phone."))
    couple.one_phone = bool(enabled)
    couple.pairing_digest, couple.pairing_expires_at = "", None
    couple.save(update_fields=["one_phone", "pairing_digest", "pairing_expires_at"])
    events.couple_changed(session, couple.pk, couple=couple, roster=True)
    return couple


@transaction.atomic
def couple_admit(*, couple, session):
    """A facilitator admits a walk-in couple to the group's anonymous feedback: it can answer the questions that
    open from now on, and each of them counts it among the walk-ins (feedback.services.who_can_answer)."""
    if couple.enrollment_id is not None or couple.removed_at is not None:
        raise LiveError("not_a_walk_in", _("Only a walk-in couple still in the workshop is admitted."))
    if Couple.objects.filter(pk=couple.pk, admitted_at__isnull=True).update(admitted_at=timezone.now()):
        couple.refresh_from_db()
        events.couple_changed(session, couple.pk, couple=couple, roster=True)
    return couple


@transaction.atomic
def couple_remove(*, couple, session):
    """A facilitator removes a couple from the workshop: their phones are shown out at once."""
    Couple.objects.filter(pk=couple.pk).update(removed_at=timezone.now(), pairing_digest="", pairing_expires_at=None)
    couple.refresh_from_db()
    events.couple_removed(session, list(Participant.objects.filter(couple=couple).values_list("pk", flat=True)))
    return couple


def couple_names(couple):
    return list(couple.participants.order_by("pk").values_list("display_name", flat=True))


def couples_of(workshop):
    return Couple.objects.filter(workshop=workshop, removed_at__isnull=True).annotate(partners=Count("participants"))
