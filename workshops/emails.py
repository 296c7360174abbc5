"""The e-mails Attune sends. Links are absolute (PUBLIC_BASE_URL) and carry the raw token once.

Each e-mail is queued (workshops.mail_queue) in the caller's transaction, never sent from the request; times are
shown in the workshop's time zone (the organization's when there is no workshop), named.

Each is written in its recipient's language, whoever's request sends it: a couple's in the language kept with
their enrollment (the one they registered in), an invitation in the one its sender chose, a staff member's in
the one on their account (AccountLanguage), else the installation's (settings.LANGUAGE_CODE). Everything of an
e-mail, its dates and its calendar file included, is rendered inside ``translation.override`` of that language.
An e-mail to a couple is only its subject and body (a CoupleMail): ``_to_couple`` writes it in the couple's
language and greets them by name.
"""

import functools
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from post_office import mail as post_office

from config.i18n import supported
from config.links import absolute_url
from workshops import calendar, dates


def absolute(path):
    return absolute_url(path)


def send(to, subject, body, *, attachments=None, expires_at=None, reply_to=""):
    """Queue one e-mail. `attachments`: {filename: (bytes, mimetype)}; past `expires_at` it is no longer sent;
    answers go to `reply_to` when given (a workshop's contact e-mail)."""
    post_office.send(
        recipients=[to],
        sender=settings.DEFAULT_FROM_EMAIL,
        subject=str(subject),
        message=str(body),
        expires_at=expires_at,
        headers={"Reply-To": reply_to} if reply_to else None,
        attachments={
            name: {"file": ContentFile(content), "mimetype": mimetype}
            for name, (content, mimetype) in (attachments or {}).items()
        },
    )


# ---- Whose language --------------------------------------------------------------------------------------------


def language_or_default(code):
    """A language Attune speaks: `code` if it does, else the installation's."""
    return supported(code) or settings.LANGUAGE_CODE


def staff_language(user):
    """A staff member's language for their e-mails: the one on their account, else the installation's."""
    from workshops.models import AccountLanguage

    chosen = AccountLanguage.objects.filter(user=user).values_list("language", flat=True).first()
    return language_or_default(chosen)


def in_language(code):
    """Everything written inside is in that language (or the installation's, if Attune doesn't speak it)."""
    return translation.override(language_or_default(code))


def local_time(moment, zone_name):
    """'3 December 2026, 18:56 (Europe/Berlin)': as the offer page shows it, in the active language."""
    return dates.named(moment, zone_name)


def _hello(enrollment):
    return _("Hello %(name)s,") % {"name": enrollment.display_name}


def _schedule(workshop):
    """The sessions' dates and times in the workshop's zone, and where it happens."""
    zone = workshop.timezone
    lines = []
    for session in workshop.sessions.all():
        starts, ends = dates.in_zone(session.starts_at, zone), dates.in_zone(session.ends_at, zone)
        title = f" · {session.title}" if session.title else ""
        until = dates.clock(ends, zone) if ends.date() == starts.date() else dates.weekday_and_time(ends, zone)
        lines.append(f"- {dates.weekday_and_time(starts, zone)}–{until}{title}")
    when = "\n".join(lines) if lines else "- " + _("dates to be announced")
    places = []
    if workshop.venue:
        places.append(_("Where: %(venue)s") % {"venue": workshop.venue})
    if workshop.video_link:
        places.append(_("Online: %(link)s") % {"link": workshop.video_link})
    if not places and workshop.format != workshop.Format.IN_PERSON:
        places.append(_("Online: the video call link will follow"))
    heading = _("When (times in %(zone)s):") % {"zone": workshop.timezone}
    return f"{heading}\n{when}\n" + "".join(f"{place}\n" for place in places)


def _cancel_terms(workshop):
    if workshop.cancellation_deadline is None:
        return ""
    terms = _("You can cancel online until %(deadline)s; after that, write to %(email)s.") % {
        "deadline": local_time(workshop.cancellation_deadline, workshop.timezone),
        "email": workshop.contact_email,
    }
    return f"{terms}\n\n"


def _calendar_file(workshop):
    body = calendar.render(workshop.sessions.select_related("workshop"), name=workshop.title, method="PUBLISH")
    return {"attune-workshop.ics": (body, "text/calendar")}


# ---- To staff ----------------------------------------------------------------------------------------------------


def staff_invitation(invitation, raw_token):
    """In the language its sender chose for it."""
    link = absolute(reverse("staff_invitation_open", args=[raw_token]))
    organization = invitation.organization
    with in_language(invitation.language):
        names = {"organization": organization.name, "role": invitation.get_role_display()}
        expires = local_time(invitation.expires_at, organization.timezone)
        send(
            invitation.email,
            _("You're invited to join %(organization)s on Attune") % names,
            _("%(organization)s invites you to join its team on Attune as %(role)s.") % names
            + "\n\n"
            + _("Accept here (the link expires %(expires)s):") % {"expires": expires}
            + f"\n{link}\n",
            expires_at=invitation.expires_at,
        )


def staff_invitation_accepted(invitation, membership):
    """To whoever sent the invitation, in their language: who joined, when, and the page where they make the
    newcomer a facilitator of their workshops (a facilitator can be chosen only once on the staff)."""
    organization = invitation.organization
    person = membership.user
    name = person.get_full_name()
    who = f"{name} ({person.email})" if name else person.email
    assign = absolute(reverse("member_workshops", args=[organization.slug, membership.pk]))
    staff = absolute(reverse("staff", args=[organization.slug]))
    with in_language(staff_language(invitation.invited_by)):
        send(
            invitation.invited_by.email,
            _("%(name)s accepted your invitation to %(organization)s")
            % {"name": name or person.email, "organization": organization.name},
            _("%(who)s accepted your invitation and joined %(organization)s on Attune as %(role)s, on %(when)s.")
            % {
                "who": who,
                "organization": organization.name,
                "role": membership.get_role_display(),
                "when": local_time(invitation.accepted_at, organization.timezone),
            }
            + "\n\n"
            + _("They can now facilitate your workshops. Choose which ones here:")
            + f"\n{assign}\n\n"
            + _("Everyone on the staff, and the invitations still open:")
            + f"\n{staff}\n",
        )


# ---- To couples, each in the language kept with their enrollment -------------------------------------------------


@dataclass(frozen=True)
class CoupleMail:
    """What an e-mail to a couple says: its subject and body (the greeting is added), and how it is sent."""

    subject: str
    body: str
    attachments: dict | None = None
    expires_at: datetime | None = None
    reply_to: str = ""


def _greeted(enrollment, body):
    """A couple's e-mail as they read it: their name, then the body."""
    return f"{_hello(enrollment)}\n\n{body}\n"


def _to_couple(write):
    """An e-mail to the couple of ``write``'s first argument, an enrollment: ``write`` says what it says (a
    CoupleMail), in the couple's language, and the couple gets it greeted by name."""

    @functools.wraps(write)
    def send_to_couple(enrollment, *args, **kwargs):
        with in_language(enrollment.language):
            mail = write(enrollment, *args, **kwargs)
            send(
                enrollment.contact_email,
                mail.subject,
                _greeted(enrollment, mail.body),
                attachments=mail.attachments,
                expires_at=mail.expires_at,
                reply_to=mail.reply_to,
            )

    return send_to_couple


@_to_couple
def enrollment_confirmed(enrollment, raw_token):
    workshop = enrollment.workshop
    link = absolute(reverse("invitation_open", args=[raw_token]))
    return CoupleMail(
        _("Your place at %(workshop)s") % {"workshop": workshop.title},
        _("your place at %(workshop)s is confirmed.") % {"workshop": workshop.title}
        + f"\n\n{_schedule(workshop)}\n"
        + _("Your personal link, to join on the day, see the dates or cancel:")
        + f"\n{link}\n\n"
        + _("Keep it to yourselves: whoever has it can use your place.")
        + f"\n\n{_cancel_terms(workshop)}"
        + _("The dates are attached as a calendar file (attune-workshop.ics)."),
        attachments=_calendar_file(workshop),
    )


@_to_couple
def schedule_changed(enrollment):
    """The workshop's times changed after the couple got its place: the new times, and the calendar file again."""
    workshop = enrollment.workshop
    return CoupleMail(
        _("New times for %(workshop)s") % {"workshop": workshop.title},
        _("the times of %(workshop)s have changed. Here they are as they are now:") % {"workshop": workshop.title}
        + f"\n\n{_schedule(workshop)}\n"
        + _(
            "Your place is unchanged, and so is your personal link. The new dates are attached as a calendar "
            "file (attune-workshop.ics)."
        ),
        attachments=_calendar_file(workshop),
    )


@_to_couple
def enrollment_waitlisted(enrollment, raw_token):
    workshop = enrollment.workshop
    link = absolute(reverse("invitation_open", args=[raw_token]))
    return CoupleMail(
        _("You're on the waitlist for %(workshop)s") % {"workshop": workshop.title},
        _("%(workshop)s is full, so you are on its waitlist. If a place frees up we'll offer it to you by e-mail.")
        % {"workshop": workshop.title}
        + "\n\n"
        + _("Your personal link, to see where you stand or leave the waitlist:")
        + f"\n{link}",
    )


@_to_couple
def waitlist_offer(enrollment, raw_token, *, until):
    """A waitlisted couple is offered a place, held for them `until` then."""
    workshop = enrollment.workshop
    link = absolute(reverse("offer_open", args=[raw_token]))
    return CoupleMail(
        _("A place at %(workshop)s is yours if you want it") % {"workshop": workshop.title},
        _(
            "a place has opened at %(workshop)s. It is held for you until %(until)s; after that it passes to the "
            "next couple."
        )
        % {"workshop": workshop.title, "until": local_time(until, workshop.timezone)}
        + "\n\n"
        + _("Accept or decline here:")
        + f"\n{link}",
        expires_at=until,
    )


@_to_couple
def waitlist_offer_expired(enrollment):
    return CoupleMail(
        _("The place at %(workshop)s has passed on") % {"workshop": enrollment.workshop.title},
        _(
            "the place we held for you at %(workshop)s was not taken in time, so it has passed to the next couple "
            "on the waitlist. You're welcome to register again."
        )
        % {"workshop": enrollment.workshop.title},
    )


@_to_couple
def enrollment_cancelled(enrollment):
    return CoupleMail(
        _("Your place at %(workshop)s is cancelled") % {"workshop": enrollment.workshop.title},
        _("your place at %(workshop)s is cancelled. Nothing else is needed from you.")
        % {"workshop": enrollment.workshop.title},
    )


@_to_couple
def workshop_cancelled(enrollment):
    return CoupleMail(
        _("%(workshop)s is cancelled") % {"workshop": enrollment.workshop.title},
        _(
            "we're sorry: %(workshop)s has been cancelled by its organizers, so your place (or waitlist spot) has "
            "ended. Nothing else is needed from you."
        )
        % {"workshop": enrollment.workshop.title},
    )


@_to_couple
def enrollment_restored(enrollment):
    workshop = enrollment.workshop
    if enrollment.status == enrollment.Status.CONFIRMED:
        undone = _("you undid your cancellation for %(workshop)s: your place is yours again.")
    else:
        undone = _("you undid your cancellation for %(workshop)s: you are back on the waitlist, where you were.")
    return CoupleMail(
        _("Your cancellation for %(workshop)s is undone") % {"workshop": workshop.title},
        undone % {"workshop": workshop.title}
        + "\n\n"
        + _("The personal link from your earlier e-mail works as before."),
    )


def _signed(workshop, body):
    """What an organizer wrote, as they wrote it, signed with the organization and the workshop, and whom to answer."""
    contact = (
        [_("To answer, write to %(email)s.") % {"email": workshop.contact_email}] if workshop.contact_email else []
    )
    signature = _("%(organization)s, for %(workshop)s") % {
        "organization": workshop.organization.name,
        "workshop": workshop.title,
    }
    return "\n".join([body, "", signature, *contact])


def attendee_message_text(enrollment, body):
    """The text of an organizer's message as this couple gets it, in their language (the organizer's preview shows
    the same). What the organizer wrote is sent as they wrote it."""
    with in_language(enrollment.language):
        return _greeted(enrollment, _signed(enrollment.workshop, body))


@_to_couple
def attendee_message(enrollment, subject, body):
    """An organizer's message to the couples of a workshop (services.attendees), with the subject they wrote."""
    workshop = enrollment.workshop
    return CoupleMail(subject, _signed(workshop, body), reply_to=workshop.contact_email)


@_to_couple
def session_reminder(enrollment, session):
    """A reminder before a session (services.reminders): when, in the workshop's time zone, named; where."""
    workshop = enrollment.workshop
    starts = local_time(session.starts_at, workshop.timezone)
    names = {"workshop": workshop.title, "session": session.title, "when": starts}
    if session.title:
        next_one = _("a reminder: the next session of %(workshop)s (%(session)s) starts %(when)s.") % names
    else:
        next_one = _("a reminder: the next session of %(workshop)s starts %(when)s.") % names
    if workshop.cancellation_deadline:
        cancel = _(
            "Can't come after all? Cancel from the same link (online until %(deadline)s), so your place can go "
            "to another couple."
        ) % {"deadline": local_time(workshop.cancellation_deadline, workshop.timezone)}
    else:
        cancel = _("Can't come after all? Cancel from the same link, so your place can go to another couple.")
    contact = (
        [_("Questions? Write to %(email)s.") % {"email": workshop.contact_email}] if workshop.contact_email else []
    )
    subject = _("Reminder: %(workshop)s on %(when)s") % names
    on_the_day = _("On the day, open the personal link from your confirmation e-mail on your phone to join.")
    body = "\n".join([f"{next_one}\n\n{_schedule(workshop)}", on_the_day, cancel, *contact])
    return CoupleMail(subject, body, reply_to=workshop.contact_email)
