"""Registration, cancellation and the waitlist. Seats are counted in couples.

Every write locks the workshop row first (SELECT ... FOR UPDATE on PostgreSQL;
SQLite's immediate transactions serialize writers), so two couples taking the
last seat at once cannot both get it.

Waitlist offers expire without any worker: ``waitlist_refresh`` applies expiry
and offers freed seats whenever the waitlist is read or written, and the
periodic ``run_maintenance`` command does it for every workshop.

E-mails are queued (workshops.mail_queue) inside the same transaction as the
change they report, so a rolled-back change sends nothing. Each couple's are in the
language kept with their enrollment: the one they registered in.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from workshops import dates, emails, tokens
from workshops.errors import DomainError
from workshops.models import Enrollment, WaitlistOffer, Workshop
from workshops.selectors.enrollment import seats_taken
from workshops.services import registration_questions


def _locked(workshop):
    return Workshop.objects.select_for_update().get(pk=workshop.pk)


def registration_state(workshop, now=None):
    """(open?, reason) for the public registration page."""
    now = now or timezone.now()
    if workshop.status != Workshop.Status.PUBLISHED:
        return False, _("Registration is not open for this workshop.")
    if workshop.registration_opens_at and now < workshop.registration_opens_at:
        return False, _("Registration has not opened yet.")
    if workshop.registration_closes_at and now >= workshop.registration_closes_at:
        return False, _("Registration has closed.")
    return True, ""


def _clean_contact(contact_email, display_name):
    contact_email = (contact_email or "").strip().lower()
    try:
        validate_email(contact_email)
    except ValidationError:
        raise DomainError(_("Enter one e-mail address we can reach you at."), field="contact_email") from None
    display_name = " ".join((display_name or "").split())
    if not display_name:
        raise DomainError(_("Give a first name or a pseudonym."), field="display_name")
    if len(display_name) > 60:
        raise DomainError(_("Keep the name to %(count)s characters.") % {"count": 60}, field="display_name")
    if registration_questions.UNSTORABLE.search(display_name):
        raise DomainError(_("Use plain text: control characters can't be stored."), field="display_name")
    return contact_email, display_name


def registration_contact_clean(contact_email, display_name):
    """The contact e-mail and name as stored, or a DomainError naming the field at fault."""
    return _clean_contact(contact_email, display_name)


def enrollment_language(language=None):
    """The language a new enrollment keeps for its e-mails: the one given if Attune speaks it, else the current
    one (the language of the page or request the couple registered through)."""
    return emails.language_or_default(language or get_language())


def registration_submit(*, workshop, contact_email, display_name, answers=None, language=None):
    """Register one couple: confirmed while seats remain, waitlisted after. Returns (enrollment, raw link token).
    Their e-mails are in ``language``, by default the current one (the request's: the language they registered in).

    ``answers`` maps the registration questions' form fields to what was typed (services.registration_questions);
    None when the questions were not asked (an organizer registering a couple through the API). The public page and
    the public API ask them, both through answers_clean.
    An e-mail that already holds a place gets its personal link again (a new one) and a clear error.
    """
    contact_email, display_name = _clean_contact(contact_email, display_name)
    checked = {}
    if answers is not None:
        checked, errors = registration_questions.answers_clean(workshop.questions.all(), answers)
        for name, message in errors.items():
            raise DomainError(message, field=name)
    enrollment, raw = _register(workshop, contact_email, display_name, checked, language=enrollment_language(language))
    if raw is None:
        raise DomainError(
            _("This e-mail already holds a place or a waitlist spot; we've sent its personal link again."),
            field="contact_email",
            code="already_registered",
        )
    return enrollment, raw


def enrollment_add_by_organizer(*, workshop, contact_email, display_name, language=None):
    """An organizer registers a couple by hand (after a phone call, on a paper form): as the public form does, also
    outside the registration window, confirmed while seats remain and waitlisted after. The couple gets the same
    e-mail with their personal link, in ``language`` (the organizer's choice; by default the current language).
    Returns (enrollment, raw link token)."""
    contact_email, display_name = _clean_contact(contact_email, display_name)
    if workshop.enrollments.exclude(status=Enrollment.Status.CANCELLED).filter(contact_email=contact_email).exists():
        raise DomainError(
            _("This e-mail already holds a place or a waitlist spot here; resend its link from its row instead."),
            field="contact_email",
            code="already_registered",
        )
    language = enrollment_language(language)
    return _register(workshop, contact_email, display_name, {}, by_organizer=True, language=language)


@transaction.atomic
def _register(workshop, contact_email, display_name, answers, *, language, by_organizer=False):
    """A new enrollment, or (raw None) an address that holds one already: its link is sent again, in the language
    kept with it."""
    workshop = _locked(workshop)
    is_open, reason = registration_state(workshop)
    if by_organizer and workshop.status != Workshop.Status.PUBLISHED:
        raise DomainError(_("Couples can be added once the workshop is published."), code="not_published")
    if not is_open and not by_organizer:
        raise DomainError(reason, code="registration_closed")
    existing = workshop.enrollments.exclude(status=Enrollment.Status.CANCELLED).filter(contact_email=contact_email)
    for enrollment in existing:
        _rotate_invitation(enrollment)
        return enrollment, None
    _apply_expiry(workshop)
    now = timezone.now()
    has_seat = seats_taken(workshop) < workshop.capacity_couples and not _has_waitlist(workshop)
    raw, digest = tokens.mint()
    enrollment = Enrollment.objects.create(
        workshop=workshop,
        contact_email=contact_email,
        display_name=display_name,
        status=Enrollment.Status.CONFIRMED if has_seat else Enrollment.Status.WAITLISTED,
        invitation_digest=digest,
        confirmed_at=now if has_seat else None,
        waitlisted_at=None if has_seat else now,
        language=language,
    )
    registration_questions.answers_save(enrollment=enrollment, answers=answers)
    send = emails.enrollment_confirmed if has_seat else emails.enrollment_waitlisted
    send(enrollment, raw)
    return enrollment, raw


def _has_waitlist(workshop):
    return workshop.enrollments.filter(status=Enrollment.Status.WAITLISTED).exists()


def _rotate_invitation(enrollment):
    raw, digest = tokens.mint()
    Enrollment.objects.filter(pk=enrollment.pk).update(invitation_digest=digest)
    enrollment.invitation_digest = digest
    confirmed = enrollment.status == Enrollment.Status.CONFIRMED
    send = emails.enrollment_confirmed if confirmed else emails.enrollment_waitlisted
    send(enrollment, raw)
    return raw


@transaction.atomic
def enrollment_resend_invitation(*, enrollment):
    """Send a new personal link; the old one stops working."""
    if enrollment.status == Enrollment.Status.CANCELLED:
        raise DomainError(_("This enrollment is cancelled."), code="cancelled")
    _locked(enrollment.workshop)
    return _rotate_invitation(enrollment)


def enrollment_by_invitation(raw):
    try:
        return Enrollment.objects.select_related("workshop").get(invitation_digest=tokens.digest(raw or ""))
    except Enrollment.DoesNotExist:
        raise DomainError(
            _("This link is not valid (it may have been replaced by a newer one)."), code="invalid_token"
        ) from None


@transaction.atomic
def enrollment_cancel(*, enrollment, by):
    """Cancel a place or a waitlist spot (by the couple or an organizer); a freed seat goes to the waitlist.
    A couple's place can't be cancelled online after the workshop's cancellation deadline."""
    workshop = _locked(enrollment.workshop)
    enrollment = Enrollment.objects.get(pk=enrollment.pk)
    if enrollment.status == Enrollment.Status.CANCELLED:
        raise DomainError(_("This place is already cancelled."), code="cancelled")
    if by == "couple":
        closed = online_cancellation_closed(enrollment)
        if closed:
            raise DomainError(closed, code="cancellation_closed")
    enrollment.offers.filter(status=WaitlistOffer.Status.PENDING).update(
        status=WaitlistOffer.Status.DECLINED, answered_at=timezone.now()
    )
    enrollment.status = Enrollment.Status.CANCELLED
    enrollment.cancelled_at = timezone.now()
    enrollment.cancel_reason = "organizer" if by == "organizer" else "couple"
    enrollment.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    emails.enrollment_cancelled(enrollment)
    _offer_free_seats(workshop)
    return enrollment


def _apply_expiry(workshop, now=None):
    now = now or timezone.now()
    expired = list(
        WaitlistOffer.objects.filter(
            enrollment__workshop=workshop, status=WaitlistOffer.Status.PENDING, expires_at__lte=now
        ).select_related("enrollment__workshop")
    )
    for offer in expired:
        offer.status = WaitlistOffer.Status.EXPIRED
        offer.answered_at = now
        offer.save(update_fields=["status", "answered_at"])
        enrollment = offer.enrollment
        enrollment.status = Enrollment.Status.CANCELLED
        enrollment.cancelled_at = now
        enrollment.cancel_reason = "offer_expired"
        enrollment.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        emails.waitlist_offer_expired(enrollment)
    return len(expired)


def _offer_free_seats(workshop):
    if workshop.status != Workshop.Status.PUBLISHED:
        return []
    free = workshop.capacity_couples - seats_taken(workshop)
    if free <= 0:
        return []
    candidates = (
        workshop.enrollments.filter(status=Enrollment.Status.WAITLISTED)
        .exclude(offers__status=WaitlistOffer.Status.PENDING)
        .order_by("waitlisted_at", "id")[:free]
    )
    offers = []
    for enrollment in candidates:
        raw, digest = tokens.mint()
        now = timezone.now()
        offer = WaitlistOffer.objects.create(
            enrollment=enrollment,
            token_digest=digest,
            created_at=now,
            expires_at=now + timedelta(hours=settings.WAITLIST_OFFER_HOURS),
        )
        emails.waitlist_offer(enrollment, raw, until=offer.expires_at)
        offers.append((offer, raw))
    return offers


@transaction.atomic
def waitlist_refresh(*, workshop):
    """Apply expired offers and offer every free seat to the next waitlisted couples. Returns new offers."""
    workshop = _locked(workshop)
    _apply_expiry(workshop)
    return _offer_free_seats(workshop)


def offer_by_token(raw):
    try:
        return WaitlistOffer.objects.select_related("enrollment__workshop").get(token_digest=tokens.digest(raw or ""))
    except WaitlistOffer.DoesNotExist:
        raise DomainError(_("This offer link is not valid."), code="invalid_token") from None


def waitlist_offer_accept(*, offer):
    """Take the offered seat: (enrollment, raw personal link). Expiry is applied (and committed) first, so a late
    answer finds the offer expired. Accepting again while the place holds answers (enrollment, None)."""
    waitlist_refresh(workshop=offer.enrollment.workshop)
    return _answer_offer(offer, accept=True)


def waitlist_offer_decline(*, offer):
    waitlist_refresh(workshop=offer.enrollment.workshop)
    return _answer_offer(offer, accept=False)


def _answered_already(offer, *, accept):
    """What a second answer to an offer is told: the truth about the offer and the place now. Accepting an accepted
    offer whose place still holds is no error: it answers with the place (raw link None: the link was e-mailed)."""
    enrollment = offer.enrollment
    workshop = enrollment.workshop
    if offer.status == WaitlistOffer.Status.ACCEPTED:
        if enrollment.status == Enrollment.Status.CONFIRMED:
            if accept:
                return enrollment, None
            raise DomainError(
                _("This place is already yours: you accepted it. To give it up, cancel it from your personal link."),
                code="offer_accepted",
            )
        raise DomainError(
            _("You accepted this place and it was cancelled afterwards. Register again if you'd like to come."),
            code="offer_accepted",
        )
    if offer.status == WaitlistOffer.Status.EXPIRED:
        raise DomainError(
            _(
                "This offer expired on %(date)s at %(time)s (%(zone)s) and the place went to the next couple. "
                "Register again if you'd like to come."
            )
            % {
                "date": dates.date_only(offer.expires_at, workshop.timezone),
                "time": dates.clock(offer.expires_at, workshop.timezone),
                "zone": workshop.timezone,
            },
            code="offer_expired",
        )
    reasons = {
        "offer_declined": _("You passed on this offer, so the place went to the next couple."),
        "organizer": _("The organizer cancelled your waitlist spot, which ended this offer."),
        "couple": _("You left the waitlist, which ended this offer."),
    }
    raise DomainError(
        reasons.get(enrollment.cancel_reason, _("This offer has ended and the place went to the next couple.")),
        code="offer_declined",
    )


@transaction.atomic
def _answer_offer(offer, *, accept):
    workshop = _locked(offer.enrollment.workshop)
    offer = WaitlistOffer.objects.select_related("enrollment__workshop").get(pk=offer.pk)
    if offer.status != WaitlistOffer.Status.PENDING:
        return _answered_already(offer, accept=accept)
    now = timezone.now()
    offer.status = WaitlistOffer.Status.ACCEPTED if accept else WaitlistOffer.Status.DECLINED
    offer.answered_at = now
    offer.save(update_fields=["status", "answered_at"])
    enrollment = offer.enrollment
    if not accept:
        enrollment.status = Enrollment.Status.CANCELLED
        enrollment.cancelled_at = now
        enrollment.cancel_reason = "offer_declined"
        enrollment.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        _offer_free_seats(workshop)
        return enrollment
    enrollment.status = Enrollment.Status.CONFIRMED
    enrollment.confirmed_at = now
    enrollment.save(update_fields=["status", "confirmed_at"])
    raw = _rotate_invitation(enrollment)  # the confirmation e-mail carries the personal link
    return enrollment, raw


def waitlist_refresh_all():
    """For the periodic maintenance command: every workshop with an expired offer or a free seat to offer."""
    now = timezone.now()
    due = Workshop.objects.filter(
        enrollments__offers__status=WaitlistOffer.Status.PENDING, enrollments__offers__expires_at__lte=now
    ).distinct()
    count = 0
    for workshop in due:
        waitlist_refresh(workshop=workshop)
        count += 1
    return count


def cancel_all_for_cancelled_workshop(workshop):
    """A cancelled workshop ends every place and offer, and tells each couple (called inside its transaction)."""
    now = timezone.now()
    WaitlistOffer.objects.filter(enrollment__workshop=workshop, status=WaitlistOffer.Status.PENDING).update(
        status=WaitlistOffer.Status.DECLINED, answered_at=now
    )
    active = list(workshop.enrollments.exclude(status=Enrollment.Status.CANCELLED))
    workshop.enrollments.filter(pk__in=[e.pk for e in active]).update(
        status=Enrollment.Status.CANCELLED, cancelled_at=now, cancel_reason="organizer"
    )
    for enrollment in active:
        emails.workshop_cancelled(enrollment)
    return len(active)


# --- The couple's own cancellation: its deadline, and undoing it ------------------------------------------------

CANCEL_UNDO_MINUTES = 30


def online_cancellation_closed(enrollment, now=None):
    """Why this couple can no longer cancel their place online (the workshop's cancellation deadline passed), in
    words naming whom to write to; "" while they can. A waitlist spot can always be left."""
    workshop = enrollment.workshop
    deadline = workshop.cancellation_deadline
    now = now or timezone.now()
    if enrollment.status != Enrollment.Status.CONFIRMED or deadline is None or now < deadline:
        return ""
    return _(
        "Places can no longer be cancelled online: that was possible until %(deadline)s. To cancel, write to %(email)s."
    ) % {"deadline": emails.local_time(deadline, workshop.timezone), "email": workshop.contact_email}


def cancel_undo_until(enrollment):
    """Until when the couple's own cancellation can be undone (None if it was not theirs)."""
    if enrollment.status != Enrollment.Status.CANCELLED or enrollment.cancel_reason != "couple":
        return None
    return enrollment.cancelled_at + timedelta(minutes=CANCEL_UNDO_MINUTES)


def cancel_undo_refusal(enrollment, now=None):
    """Why the couple's cancellation can't be undone now, as a DomainError (None when it can): too late, the
    workshop no longer takes registrations, they registered again, or the place has gone to another couple."""
    now = now or timezone.now()
    until = cancel_undo_until(enrollment)
    workshop = enrollment.workshop
    if until is None:
        return DomainError(_("There is no cancellation of yours to undo."), code="nothing_to_undo")
    if now >= until:
        return DomainError(
            _(
                "It's too late to undo the cancellation (that was possible until %(until)s). You're welcome to "
                "register again."
            )
            % {"until": emails.local_time(until, workshop.timezone)},
            code="undo_expired",
        )
    if workshop.status != Workshop.Status.PUBLISHED:
        return DomainError(
            _("The workshop no longer takes registrations, so the place can't be given back."), code="workshop_closed"
        )
    again = workshop.enrollments.exclude(status=Enrollment.Status.CANCELLED)
    if again.filter(contact_email=enrollment.contact_email).exists():
        return DomainError(
            _("You have registered again since, so that registration holds; there is nothing to undo."),
            code="registered_again",
        )
    if enrollment.confirmed_at is None or seats_taken(workshop) < workshop.capacity_couples:
        return None
    if WaitlistOffer.objects.filter(enrollment__workshop=workshop, created_at__gte=enrollment.cancelled_at).exists():
        return DomainError(
            _(
                "Your place has already been offered to the next couple on the waitlist, so it can't be given back. "
                "You can register again to join the waitlist."
            ),
            code="place_offered",
        )
    return DomainError(
        _(
            "Your place has already been taken by a couple who registered since, so it can't be given back. "
            "You can register again to join the waitlist."
        ),
        code="place_taken",
    )


@transaction.atomic
def enrollment_cancel_undo(*, enrollment):
    """Give the couple back the place (or waitlist spot, at its old position) they cancelled a moment ago, if it
    is still free. Returns the enrollment; a DomainError says honestly why not."""
    workshop = _locked(enrollment.workshop)
    _apply_expiry(workshop)
    enrollment = Enrollment.objects.select_related("workshop").get(pk=enrollment.pk)
    refusal = cancel_undo_refusal(enrollment)
    if refusal is not None:
        raise refusal
    was_confirmed = enrollment.confirmed_at is not None
    enrollment.status = Enrollment.Status.CONFIRMED if was_confirmed else Enrollment.Status.WAITLISTED
    enrollment.cancelled_at = None
    enrollment.cancel_reason = ""
    enrollment.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    emails.enrollment_restored(enrollment)
    _offer_free_seats(workshop)  # a waitlist spot back at the front may be offered the free seat at once
    return enrollment
