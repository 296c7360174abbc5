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
from django.db.models import Count, Q
from django.utils import timezone

from config import ratelimit
from realtime import events
from realtime.errors import LiveError
from realtime.models import Couple, PairingRequest, Participant
from realtime.services import spaces
from realtime.words import WORDS
from workshops import tokens
from workshops.models import Enrollment, Session, Workshop
from workshops.models.scheduling import JOIN_CODE_ALPHABET

PAIRING_TTL = timedelta(minutes=10)
PAIRING_CODE_LENGTH = 6
MAX_PARTNERS = 2


def session_by_join_code(code):
    code = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    session = (
        Session.objects.select_related("workshop__organization")
        .filter(join_code=code, ends_at__gt=timezone.now(), workshop__status=Workshop.Status.PUBLISHED)
        .first()
    )
    if session is None:
        raise LiveError("unknown_code", "No session is open with that code. Check the code on the screen.")
    return session


def walk_in_room(workshop):
    """True while a walk-in couple can still join: confirmed places plus walk-in couples below capacity."""
    confirmed = workshop.enrollments.filter(status=Enrollment.Status.CONFIRMED).count()
    walk_ins = Couple.objects.filter(workshop=workshop, enrollment__isnull=True, removed_at__isnull=True).count()
    return confirmed + walk_ins < workshop.capacity_couples


def partner_awaited(workshop):
    """True while a couple waits for its second phone (its pairing code is open): in a full workshop the newcomer
    may be that partner, who must still get in (they join the couple, they make none)."""
    return (
        Couple.objects.filter(
            workshop=workshop, removed_at__isnull=True, one_phone=False, pairing_expires_at__gt=timezone.now()
        )
        .annotate(partners=Count("participants"))
        .filter(partners__lt=MAX_PARTNERS)
        .exists()
    )


def _clean_name(display_name):
    name = " ".join(str(display_name or "").split())
    if not name:
        raise LiveError("bad_name", "Give a first name or a pseudonym.")
    if len(name) > 60:
        raise LiveError("bad_name", "Keep the name to 60 characters.")
    return name


@transaction.atomic
def participant_enter(*, session, display_name, consent, feedback_consent, enrollment=None, existing=None):
    """Consent and a name make a participant of the session's workshop. An invitation link puts them in their
    enrolled couple."""
    if existing is not None:
        return existing
    workshop = session.workshop
    if consent is not True:
        raise LiveError("consent_required", "Taking part needs your consent; you can leave at any time.")
    name = _clean_name(display_name)
    if enrollment is not None:
        if enrollment.workshop_id != workshop.pk or enrollment.status != Enrollment.Status.CONFIRMED:
            raise LiveError("not_enrolled", "This invitation is not a confirmed place in this workshop.")
    elif not walk_in_room(workshop) and not partner_awaited(workshop):
        raise LiveError("full", "This workshop is full. Please speak to the facilitator.")
    participant = Participant.objects.create(
        workshop=workshop, display_name=name, consented_at=timezone.now(), feedback_consent=bool(feedback_consent)
    )
    if enrollment is not None:
        couple, _ = Couple.objects.get_or_create(workshop=workshop, enrollment=enrollment)
        couple = Couple.objects.select_for_update().get(pk=couple.pk)
        if couple.removed_at is None and not couple.one_phone and couple.participants.count() < MAX_PARTNERS:
            participant.couple = couple
            participant.save(update_fields=["couple"])
            spaces.make_spaces(session, [couple.pk])
            events.couple_changed(session, couple.pk, couple=couple)
    events.roster_changed(session.pk)
    return participant


def _new_pairing_code():
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(PAIRING_CODE_LENGTH))


@transaction.atomic
def pairing_start(*, participant, session):
    """Make (or reuse) the participant's couple and a fresh pairing code. Returns (couple, raw code)."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    couple = participant.couple
    if couple is None:
        if not walk_in_room(participant.workshop):
            raise LiveError("full", "This workshop is full. Please speak to the facilitator.")
        couple = Couple.objects.create(workshop=participant.workshop)
        participant.couple = couple
        participant.save(update_fields=["couple"])
        spaces.make_spaces(session, [couple.pk])
    couple = Couple.objects.select_for_update().get(pk=couple.pk)
    if couple.participants.count() >= MAX_PARTNERS:
        raise LiveError("couple_full", "You're already paired.")
    if couple.one_phone:
        raise LiveError("one_phone", "This couple uses one phone; turn that off to pair a second phone.")
    code = _new_pairing_code()
    couple.pairing_digest = tokens.digest(code)
    couple.pairing_expires_at = timezone.now() + PAIRING_TTL
    couple.save(update_fields=["pairing_digest", "pairing_expires_at"])
    events.roster_changed(session.pk)
    return couple, code


@transaction.atomic
def pairing_join(*, participant, code):
    """A partner typed (or scanned) the code: both phones now show the same three words to confirm."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.couple_id is not None:
        raise LiveError("already_paired", "This phone is already in a couple; unpair first.")
    # Typed codes per participant (config/ratelimit.py); the views count the client across participants too.
    ratelimit.hit(ratelimit.PAIRING_PER_PARTICIPANT, f"participant:{participant.pk}")
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
        raise LiveError("bad_code", "That code doesn't match, or it has expired. Ask your partner for a fresh one.")
    if couple.participants.count() >= MAX_PARTNERS or couple.one_phone:
        raise LiveError("couple_full", "That couple already has two phones.")
    PairingRequest.objects.filter(couple=couple).delete()
    words = " ".join(secrets.choice(WORDS) for _ in range(3))
    return PairingRequest.objects.create(
        couple=couple, joiner=participant, words=words, joiner_confirmed=False, expires_at=couple.pairing_expires_at
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
    """The pairing request this participant should confirm (as the couple's first partner, or as the joiner)."""
    now = timezone.now()
    return (
        PairingRequest.objects.filter(expires_at__gt=now)
        .filter(Q(joiner=participant) | Q(couple_id=participant.couple_id, couple__isnull=False))
        .select_related("joiner")
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def pairing_confirm(*, participant, request_id, session):
    """Confirm that both phones show the same words. When both partners have confirmed, they are a couple."""
    request = PairingRequest.objects.select_for_update().filter(pk=request_id, expires_at__gt=timezone.now()).first()
    if request is None:
        raise LiveError("no_request", "That pairing has expired. Start again with a fresh code.")
    if participant.pk == request.joiner_id:
        request.joiner_confirmed = True
    elif participant.couple_id == request.couple_id:
        request.creator_confirmed = True
    else:
        raise LiveError("not_yours", "This pairing is not yours to confirm.")
    request.save(update_fields=["joiner_confirmed", "creator_confirmed"])
    if not (request.joiner_confirmed and request.creator_confirmed):
        return None
    couple = Couple.objects.select_for_update().get(pk=request.couple_id)
    if couple.participants.count() >= MAX_PARTNERS:
        raise LiveError("couple_full", "That couple already has two phones.")
    Participant.objects.filter(pk=request.joiner_id).update(couple=couple)
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
        raise LiveError("not_paired", "This phone is not in a couple.")
    PairingRequest.objects.filter(Q(joiner=participant) | Q(couple_id=participant.couple_id)).delete()
    former = participant.couple_id
    participant.couple = None
    participant.save(update_fields=["couple"])
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
        raise LiveError("couple_full", "Two phones are already paired; one-phone mode is for a single phone.")
    couple.one_phone = bool(enabled)
    couple.pairing_digest, couple.pairing_expires_at = "", None
    couple.save(update_fields=["one_phone", "pairing_digest", "pairing_expires_at"])
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
