"""The e-mails Attune sends. Links are absolute (PUBLIC_BASE_URL) and carry the raw token once.

Each e-mail is queued (workshops.mail_queue) in the caller's transaction, never sent from the request; times are
shown in the workshop's time zone (the organization's when there is no workshop), named.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from post_office import mail as post_office

from config.links import absolute_url
from workshops import calendar


def absolute(path):
    return absolute_url(path)


def send(to, subject, body, *, attachments=None, expires_at=None, reply_to=""):
    """Queue one e-mail. `attachments`: {filename: (bytes, mimetype)}; past `expires_at` it is no longer sent;
    answers go to `reply_to` when given (a workshop's contact e-mail)."""
    post_office.send(
        recipients=[to],
        sender=settings.DEFAULT_FROM_EMAIL,
        subject=subject,
        message=body,
        expires_at=expires_at,
        headers={"Reply-To": reply_to} if reply_to else None,
        attachments={
            name: {"file": ContentFile(content), "mimetype": mimetype}
            for name, (content, mimetype) in (attachments or {}).items()
        },
    )


def local_time(moment, zone_name):
    """'3 December 2026, 18:56 (Europe/Berlin)': as the offer page shows it."""
    return f"{moment.astimezone(ZoneInfo(zone_name)):%-d %B %Y, %H:%M} ({zone_name})"


def _schedule(workshop):
    """The sessions' dates and times in the workshop's zone, and where it happens."""
    zone = ZoneInfo(workshop.timezone)
    lines = []
    for session in workshop.sessions.all():
        starts, ends = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
        title = f" · {session.title}" if session.title else ""
        until = f"{ends:%H:%M}" if ends.date() == starts.date() else f"{ends:%A %-d %B %Y, %H:%M}"
        lines.append(f"- {starts:%A %-d %B %Y, %H:%M}–{until}{title}")
    when = "\n".join(lines) if lines else "- dates to be announced"
    places = []
    if workshop.venue:
        places.append(f"Where: {workshop.venue}")
    if workshop.video_link:
        places.append(f"Online: {workshop.video_link}")
    if not places and workshop.format != workshop.Format.IN_PERSON:
        places.append("Online: the video call link will follow")
    return f"When (times in {workshop.timezone}):\n{when}\n" + "".join(f"{place}\n" for place in places)


def _cancel_terms(workshop):
    if workshop.cancellation_deadline is None:
        return ""
    return (
        f"You can cancel online until {local_time(workshop.cancellation_deadline, workshop.timezone)}; "
        f"after that, write to {workshop.contact_email}.\n\n"
    )


def _calendar_file(workshop):
    body = calendar.render(workshop.sessions.select_related("workshop"), name=workshop.title, method="PUBLISH")
    return {"attune-workshop.ics": (body, "text/calendar")}


def staff_invitation(invitation, raw_token):
    link = absolute(reverse("staff_invitation_open", args=[raw_token]))
    send(
        invitation.email,
        f"You're invited to join {invitation.organization.name} on Attune",
        f"{invitation.organization.name} invites you to join its team on Attune as {invitation.get_role_display()}.\n\n"
        f"Accept here (the link expires {local_time(invitation.expires_at, invitation.organization.timezone)}):\n"
        f"{link}\n",
        expires_at=invitation.expires_at,
    )


def staff_invitation_accepted(invitation, membership):
    """To whoever sent the invitation: who joined, when, and the page where they make the newcomer a facilitator of
    their workshops (a facilitator can be chosen only once on the staff)."""
    organization = invitation.organization
    person = membership.user
    name = person.get_full_name()
    who = f"{name} ({person.email})" if name else person.email
    assign = absolute(reverse("member_workshops", args=[organization.slug, membership.pk]))
    staff = absolute(reverse("staff", args=[organization.slug]))
    send(
        invitation.invited_by.email,
        f"{name or person.email} accepted your invitation to {organization.name}",
        f"{who} accepted your invitation and joined {organization.name} on Attune as "
        f"{membership.get_role_display()}, on {local_time(invitation.accepted_at, organization.timezone)}.\n\n"
        f"They can now facilitate your workshops. Choose which ones here:\n{assign}\n\n"
        f"Everyone on the staff, and the invitations still open:\n{staff}\n",
    )


def enrollment_confirmed(enrollment, raw_token):
    workshop = enrollment.workshop
    link = absolute(reverse("invitation_open", args=[raw_token]))
    send(
        enrollment.contact_email,
        f"Your place at {workshop.title}",
        f"Hello {enrollment.display_name},\n\nyour place at {workshop.title} is confirmed.\n\n"
        f"{_schedule(workshop)}\n"
        f"Your personal link, to join on the day, see the dates or cancel:\n{link}\n\n"
        "Keep it to yourselves: whoever has it can use your place.\n\n"
        f"{_cancel_terms(workshop)}"
        "The dates are attached as a calendar file (attune-workshop.ics).\n",
        attachments=_calendar_file(workshop),
    )


def schedule_changed(enrollment):
    """The workshop's times changed after the couple got its place: the new times, and the calendar file again."""
    workshop = enrollment.workshop
    send(
        enrollment.contact_email,
        f"New times for {workshop.title}",
        f"Hello {enrollment.display_name},\n\nthe times of {workshop.title} have changed. "
        "Here they are as they are now:\n\n"
        f"{_schedule(workshop)}\n"
        "Your place is unchanged, and so is your personal link. "
        "The new dates are attached as a calendar file (attune-workshop.ics).\n",
        attachments=_calendar_file(workshop),
    )


def enrollment_waitlisted(enrollment, raw_token):
    workshop = enrollment.workshop
    link = absolute(reverse("invitation_open", args=[raw_token]))
    send(
        enrollment.contact_email,
        f"You're on the waitlist for {workshop.title}",
        f"Hello {enrollment.display_name},\n\n{workshop.title} is full, so you are on its waitlist. "
        "If a place frees up we'll offer it to you by e-mail.\n\n"
        f"Your personal link, to see where you stand or leave the waitlist:\n{link}\n",
    )


def waitlist_offer(offer, raw_token):
    enrollment = offer.enrollment
    link = absolute(reverse("offer_open", args=[raw_token]))
    send(
        enrollment.contact_email,
        f"A place at {enrollment.workshop.title} is yours if you want it",
        f"Hello {enrollment.display_name},\n\na place has opened at {enrollment.workshop.title}. "
        f"It is held for you until {local_time(offer.expires_at, enrollment.workshop.timezone)}; "
        "after that it passes to the next couple.\n\n"
        f"Accept or decline here:\n{link}\n",
        expires_at=offer.expires_at,
    )


def waitlist_offer_expired(enrollment):
    send(
        enrollment.contact_email,
        f"The place at {enrollment.workshop.title} has passed on",
        f"Hello {enrollment.display_name},\n\nthe place we held for you at {enrollment.workshop.title} "
        "was not taken in time, so it has passed to the next couple on the waitlist. "
        "You're welcome to register again.\n",
    )


def enrollment_cancelled(enrollment):
    send(
        enrollment.contact_email,
        f"Your place at {enrollment.workshop.title} is cancelled",
        f"Hello {enrollment.display_name},\n\nyour place at {enrollment.workshop.title} is cancelled. "
        "Nothing else is needed from you.\n",
    )


def workshop_cancelled(enrollment):
    send(
        enrollment.contact_email,
        f"{enrollment.workshop.title} is cancelled",
        f"Hello {enrollment.display_name},\n\nwe're sorry: {enrollment.workshop.title} has been cancelled by its "
        "organizers, so your place (or waitlist spot) has ended. Nothing else is needed from you.\n",
    )


def enrollment_restored(enrollment):
    workshop = enrollment.workshop
    what = (
        "your place is yours again"
        if enrollment.status == enrollment.Status.CONFIRMED
        else "you are back on the waitlist, where you were"
    )
    send(
        enrollment.contact_email,
        f"Your cancellation for {workshop.title} is undone",
        f"Hello {enrollment.display_name},\n\nyou undid your cancellation for {workshop.title}: {what}.\n\n"
        "The personal link from your earlier e-mail works as before.\n",
    )


def attendee_message_text(enrollment, body):
    """The text of an organizer's message as this couple gets it (the organizer's preview shows the same)."""
    workshop = enrollment.workshop
    contact = f"To answer, write to {workshop.contact_email}.\n" if workshop.contact_email else ""
    return (
        f"Hello {enrollment.display_name},\n\n{body}\n\n{workshop.organization.name}, for {workshop.title}\n{contact}"
    )


def attendee_message(enrollment, subject, body):
    """An organizer's message to the couples of a workshop (services.attendees)."""
    send(
        enrollment.contact_email,
        subject,
        attendee_message_text(enrollment, body),
        reply_to=enrollment.workshop.contact_email,
    )


def session_reminder(enrollment, session):
    """A reminder before a session (services.reminders): when, in the workshop's time zone, named; where."""
    workshop = enrollment.workshop
    starts = local_time(session.starts_at, workshop.timezone)
    title = f" ({session.title})" if session.title else ""
    until = ""
    if workshop.cancellation_deadline:
        until = f" (online until {local_time(workshop.cancellation_deadline, workshop.timezone)})"
    contact = f"Questions? Write to {workshop.contact_email}.\n" if workshop.contact_email else ""
    send(
        enrollment.contact_email,
        f"Reminder: {workshop.title} on {starts}",
        f"Hello {enrollment.display_name},\n\na reminder: the next session of {workshop.title}{title} starts "
        f"{starts}.\n\n{_schedule(workshop)}\n"
        "On the day, open the personal link from your confirmation e-mail on your phone to join.\n"
        f"Can't come after all? Cancel from the same link{until}, so your place can go to another couple.\n"
        f"{contact}",
        reply_to=workshop.contact_email,
    )
