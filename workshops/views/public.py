"""Pages for couples and for capability links.

A capability link (invitation, waitlist offer, staff invitation) is exchanged
for the visitor's session cookie and redirected to a clean URL, so the token
never stays in the address bar, the history or a Referer header. Calendar feeds
keep their secret in the URL (calendar apps have no cookies) but are never
logged (config.middleware logs URL patterns only).

A couple who registers here keeps the page's language for their e-mails (services.enrollment.registration_submit
takes the current one).
"""

import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.links import absolute_url
from workshops import calendar, emails
from workshops.errors import DomainError
from workshops.models import Enrollment, StaffCalendar, StaffInvitation, WaitlistOffer, Workshop
from workshops.selectors.organizations import sessions_facilitated_by
from workshops.services import enrollment as enrollment_services
from workshops.services import organizations as org_services
from workshops.services.registration_questions import answers_clean
from workshops.services.registration_questions import field_name as question_field

ENROLLMENT_KEY = "attune.enrollment"
OFFER_KEY = "attune.offer"
STAFF_INVITATION_KEY = "attune.staff_invitation"


def _exchange(request, key, value, target):
    request.session.cycle_key()
    request.session[key] = value
    response = redirect(target)
    response["Referrer-Policy"] = "no-referrer"
    return response


def _token_error(request, error):
    return render(request, "public/link_invalid.html", {"message": error.message}, status=404)


def localized_sessions(workshop):
    tz = zoneinfo.ZoneInfo(workshop.timezone)
    # Naive wall-clock times: the template's date filter would otherwise convert aware ones back to UTC.
    return [
        {
            "session": s,
            "starts": timezone.localtime(s.starts_at, tz).replace(tzinfo=None),
            "ends": timezone.localtime(s.ends_at, tz).replace(tzinfo=None),
        }
        for s in workshop.sessions.all()
    ]


# --- Public registration ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def workshop_register(request, public_id):
    workshop = get_object_or_404(
        Workshop.objects.select_related("organization"), public_id=public_id, status=Workshop.Status.PUBLISHED
    )
    is_open, reason = enrollment_services.registration_state(workshop)
    questions = list(workshop.questions.all())
    errors, values = {}, {"contact_email": "", "display_name": ""}
    if request.method == "POST" and is_open:
        values = {k: request.POST.get(k, "") for k in values}
        answers = {question_field(q): request.POST.get(question_field(q), "") for q in questions}
        values.update(answers)
        errors = _registration_errors(values, questions, answers)
        if not errors:
            try:
                enrollment_services.registration_submit(
                    workshop=workshop,
                    contact_email=values["contact_email"],
                    display_name=values["display_name"],
                    answers=answers,
                )
            except DomainError as error:
                if error.code != "already_registered":
                    errors[error.field or "form"] = error.message
        if not errors:
            # The same answer whether the couple got a place, a waitlist spot, or was registered already (their
            # link is sent again): this page must not tell anyone which addresses are registered.
            return redirect("workshop_registered", public_id=workshop.public_id)
    return _register_page(request, workshop, is_open, reason, errors, values, questions)


def _registration_errors(values, questions, answers):
    """Every error of the form at once: the contact's, then each question's (none quotes what was typed)."""
    errors = {}
    try:
        enrollment_services.registration_contact_clean(values["contact_email"], values["display_name"])
    except DomainError as error:
        errors[error.field or "form"] = error.message
    errors.update(answers_clean(questions, answers)[1])
    return errors


def _register_page(request, workshop, is_open, reason, errors, values, questions):
    fields = [
        {
            "question": q,
            "name": question_field(q),
            "value": values.get(question_field(q), ""),
            "error": errors.get(question_field(q)),
        }
        for q in questions
    ]
    return render(
        request,
        "public/register.html",
        {
            "workshop": workshop,
            "sessions": localized_sessions(workshop),
            "is_open": is_open,
            "closed_reason": reason,
            "cancel_deadline": _local(workshop.cancellation_deadline, workshop),
            "questions": fields,
            "errors": errors,
            "values": values,
        },
        status=400 if errors else 200,
    )


# --- A couple's own place -----------------------------------------------------------


def workshop_registered(request, public_id):
    workshop = get_object_or_404(Workshop, public_id=public_id, status=Workshop.Status.PUBLISHED)
    return render(request, "public/registered.html", {"workshop": workshop})


def invitation_open(request, token):
    try:
        enrollment = enrollment_services.enrollment_by_invitation(token)
    except DomainError as error:
        return _token_error(request, error)
    return _exchange(request, ENROLLMENT_KEY, enrollment.pk, reverse("my_enrollment"))


def _my_enrollment(request):
    pk = request.session.get(ENROLLMENT_KEY)
    enrollment = Enrollment.objects.select_related("workshop").filter(pk=pk).first() if pk else None
    if enrollment is None:
        raise Http404(_("Open the personal link from your e-mail on this device."))
    return enrollment


def _local(moment, workshop):
    return timezone.localtime(moment, zoneinfo.ZoneInfo(workshop.timezone)).replace(tzinfo=None) if moment else None


def _cancel_terms(enrollment):
    """What the couple's page says about cancelling: until when it is possible online, whom to write to after."""
    workshop = enrollment.workshop
    return {
        "cancel_closed": enrollment_services.online_cancellation_closed(enrollment),
        "cancel_deadline": _local(workshop.cancellation_deadline, workshop),
    }


def my_enrollment(request):
    enrollment = _my_enrollment(request)
    workshop = enrollment.workshop
    offer = enrollment.offers.filter(status=WaitlistOffer.Status.PENDING).first()
    undo_until = enrollment_services.cancel_undo_until(enrollment)
    if undo_until is not None and undo_until <= timezone.now():
        undo_until = None  # long past: the page just says cancelled
    return render(
        request,
        "public/my_enrollment.html",
        {
            "enrollment": enrollment,
            "workshop": workshop,
            "sessions": localized_sessions(workshop),
            "offer": offer,
            "undo_until": _local(undo_until, workshop),
            "undo_refusal": enrollment_services.cancel_undo_refusal(enrollment) if undo_until else None,
            **_cancel_terms(enrollment),
        },
    )


@require_http_methods(["GET", "POST"])
def my_enrollment_cancel(request):
    """GET asks for confirmation (saying what happens and that it can be undone for a while); POST cancels."""
    enrollment = _my_enrollment(request)
    if enrollment.status == Enrollment.Status.CANCELLED:
        return redirect("my_enrollment")
    if request.method == "GET":
        return render(
            request,
            "public/my_enrollment_cancel.html",
            {
                "enrollment": enrollment,
                "workshop": enrollment.workshop,
                "undo_minutes": enrollment_services.CANCEL_UNDO_MINUTES,
                **_cancel_terms(enrollment),
            },
        )
    was_confirmed = enrollment.status == Enrollment.Status.CONFIRMED
    try:
        enrollment_services.enrollment_cancel(enrollment=enrollment, by="couple")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if was_confirmed:
            messages.success(request, _("Your place is cancelled. Thank you for letting us know."))
        else:
            messages.success(request, _("You have left the waitlist. Thank you for letting us know."))
    return redirect("my_enrollment")


@require_POST
def my_enrollment_undo(request):
    enrollment = _my_enrollment(request)
    try:
        enrollment = enrollment_services.enrollment_cancel_undo(enrollment=enrollment)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if enrollment.status == Enrollment.Status.CONFIRMED:
            messages.success(request, _("Undone: your place is yours again."))
        else:
            messages.success(request, _("Undone: you are back on the waitlist, where you were."))
    return redirect("my_enrollment")


def my_calendar(request):
    enrollment = _my_enrollment(request)
    if enrollment.status != Enrollment.Status.CONFIRMED:
        raise Http404(_("Only a confirmed place has dates to add."))
    body = calendar.render(enrollment.workshop.sessions.select_related("workshop"), name=enrollment.workshop.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="attune-workshop.ics"'
    return response


# --- Waitlist offers ------------------------------------------------------------------


def offer_open(request, token):
    try:
        offer = enrollment_services.offer_by_token(token)
    except DomainError as error:
        return _token_error(request, error)
    return _exchange(request, OFFER_KEY, offer.pk, reverse("my_offer"))


@require_http_methods(["GET", "POST"])
def my_offer(request):
    pk = request.session.get(OFFER_KEY)
    offer = WaitlistOffer.objects.select_related("enrollment__workshop").filter(pk=pk).first() if pk else None
    if offer is None:
        raise Http404(_("Open the offer link from your e-mail on this device."))
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                enrollment, link = enrollment_services.waitlist_offer_accept(offer=offer)
                request.session[ENROLLMENT_KEY] = enrollment.pk
                if link is None:
                    messages.success(request, _("This place is already yours: you accepted it before."))
                else:
                    messages.success(request, _("The place is yours. We've e-mailed your personal link."))
                return redirect("my_enrollment")
            if action == "decline":
                enrollment_services.waitlist_offer_decline(offer=offer)
                messages.success(request, _("Thank you: the place passes to the next couple."))
                return redirect("my_offer")
            messages.error(request, _("Choose accept or decline."))
        except DomainError as error:
            messages.error(request, error.message)
        offer.refresh_from_db()
    expired = offer.status == WaitlistOffer.Status.PENDING and offer.expires_at <= timezone.now()
    return render(
        request, "public/my_offer.html", {"offer": offer, "workshop": offer.enrollment.workshop, "expired": expired}
    )


# --- Staff invitations ------------------------------------------------------------------


def staff_invitation_open(request, token):
    try:
        invitation = org_services.staff_invitation_by_token(token)
    except DomainError as error:
        return _token_error(request, error)
    return _exchange(request, STAFF_INVITATION_KEY, invitation.pk, reverse("staff_invitation"))


@require_http_methods(["GET", "POST"])
def staff_invitation(request):
    pk = request.session.get(STAFF_INVITATION_KEY)
    invitation = StaffInvitation.objects.select_related("organization").filter(pk=pk).first() if pk else None
    if invitation is None:
        raise Http404(_("Open the invitation link from your e-mail on this device."))
    state = invitation.state(timezone.now())
    if request.method == "POST" and request.user.is_authenticated:
        try:
            org_services.staff_invitation_accept(invitation=invitation, user=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            del request.session[STAFF_INVITATION_KEY]
            messages.success(
                request, _("Welcome to %(organization)s.") % {"organization": invitation.organization.name}
            )
            return redirect("org_dashboard", slug=invitation.organization.slug)
    return render(request, "public/staff_invitation.html", {"invitation": invitation, "state": state})


# --- Calendar feeds ---------------------------------------------------------------------


def _ics(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def workshop_feed(request, workshop_id, token):
    workshop = Workshop.objects.filter(pk=workshop_id).first()
    if workshop is None or not calendar.token_matches(calendar.workshop_feed_token(workshop), token):
        raise Http404(_("No such calendar."))
    # The workshop's feed is the organizers' (its secret link is on the organizer page and in the API): its events
    # open the organizer page.
    sessions = workshop.sessions.select_related("workshop__organization")
    return _ics(calendar.render(sessions, name=workshop.title, link=calendar.organizer_page), "workshop.ics")


def staff_feed(request, user_id, token):
    feed = StaffCalendar.objects.select_related("user").filter(user_id=user_id).first()
    if feed is None or not calendar.token_matches(calendar.staff_feed_token(feed), token):
        raise Http404(_("No such calendar."))
    # In its owner's language, whichever calendar app fetches it.
    with emails.in_language(emails.staff_language(feed.user)):
        sessions = sessions_facilitated_by(feed.user)
        body = calendar.render(sessions, name=_("My Attune sessions"), link=calendar.organizer_page)
    return _ics(body, "sessions.ics")


@login_required
def my_staff_calendar(request):
    """Show the signed-in staff member their feed link, and rotate it on request."""
    if request.method == "POST":
        feed = org_services.staff_calendar_rotate(user=request.user)
        messages.success(request, _("New calendar link made; the old one no longer works."))
    else:
        feed = StaffCalendar.objects.filter(user=request.user).first() or org_services.staff_calendar_rotate(
            user=request.user
        )
    url = absolute_url(reverse("staff_feed", args=[feed.user_id, calendar.staff_feed_token(feed)]))
    return render(request, "public/staff_calendar.html", {"feed_url": url})
