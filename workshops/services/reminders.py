"""Reminders before a session: e-mailed to each confirmed couple some days before each session, on the schedule of
the workshop (or of its organization), by the periodic ``run_maintenance`` job through the mail queue, each in
the language kept with its couple's enrollment.

Each reminder is recorded (SessionReminder, unique per enrollment, session and days before) in the transaction
that queues its e-mail, so however often or concurrently the job runs, a couple gets it once. When several
reminders of a session are due at once (the job was not running, or the couple registered late) only the nearest
is sent; one that fell due before the couple was confirmed is skipped (their confirmation just told them the
dates); and no reminder is sent for a session while the workshop's previous session lies between the reminder's
time and it (a retreat's second day is not announced during the first).
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from workshops import emails
from workshops.errors import DomainError
from workshops.models import Enrollment, Organization, Session, SessionReminder, Workshop

MAX_DAYS = 60
MAX_REMINDERS = 5


def _no_reminders():
    """What an organizer may type for no reminders: "none" or "no", and the same in their language."""
    return {"", "none", "no", pgettext("no reminders", "none").lower(), pgettext("no reminders", "no").lower()}


def reminder_days_clean(value):
    """A schedule from what an organizer typed ("7, 1"; "none" or "" for none) or a list: whole days from 1 to
    MAX_DAYS, at most MAX_REMINDERS, earliest first. A DomainError (field reminder_days) says what is wrong."""
    if isinstance(value, str):
        text = value.strip().lower()
        parts = [] if text in _no_reminders() else [p for p in text.replace(";", ",").split(",")]
    else:
        parts = list(value or [])
    days = set()
    for part in parts:
        try:
            day = int(str(part).strip())
        except ValueError:
            raise DomainError(
                _("Give whole numbers of days separated by commas, such as 7, 1 (or none)."), field="reminder_days"
            ) from None
        if not 1 <= day <= MAX_DAYS:
            raise DomainError(
                _("A reminder goes 1 to %(max)s days before a session.") % {"max": MAX_DAYS}, field="reminder_days"
            )
        days.add(day)
    if len(days) > MAX_REMINDERS:
        raise DomainError(
            _("Send at most %(max)s reminders before a session.") % {"max": MAX_REMINDERS}, field="reminder_days"
        )
    return sorted(days, reverse=True)


def reminder_days_text(days):
    """A schedule as the settings and workshop pages show it in their field ("7, 1"; "none" in the reader's
    language)."""
    return ", ".join(str(day) for day in days) if days else pgettext("no reminders", "none")


def reminder_schedule(workshop):
    """The days before each session the workshop's couples are reminded: its own, else its organization's."""
    return workshop.reminder_days if workshop.reminder_days is not None else workshop.organization.reminder_days


@transaction.atomic
def organization_set_reminder_days(*, organization, days):
    days = reminder_days_clean(days)
    Organization.objects.filter(pk=organization.pk).update(reminder_days=days)
    organization.reminder_days = days
    return organization


def _due(session, schedule, now):
    """(days before, due at) of the nearest reminder of the session that is due now, or None."""
    due = [day for day in schedule if session.starts_at - timedelta(days=day) <= now]
    if not due:
        return None
    day = min(due)
    return day, session.starts_at - timedelta(days=day)


def _send_one(enrollment, session, day):
    """Record and queue one reminder; False if it was sent already (by another run of the job)."""
    try:
        with transaction.atomic():
            SessionReminder.objects.create(enrollment=enrollment, session=session, days_before=day)
            emails.session_reminder(enrollment, session)
    except IntegrityError:
        return False
    return True


def reminders_send_due(now=None):
    """Queue every reminder that is due. Returns how many were queued (a count only)."""
    now = now or timezone.now()
    sessions = (
        Session.objects.filter(
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=MAX_DAYS),
            workshop__status=Workshop.Status.PUBLISHED,
        )
        .select_related("workshop__organization")
        .order_by("starts_at", "id")
    )
    sent = 0
    for session in sessions:
        workshop = session.workshop
        found = _due(session, reminder_schedule(workshop), now)
        if found is None:
            continue
        day, due_at = found
        if workshop.sessions.filter(starts_at__gte=due_at, starts_at__lt=session.starts_at).exists():
            continue
        reminded = SessionReminder.objects.filter(session=session, days_before=day).values("enrollment_id")
        couples = workshop.enrollments.filter(status=Enrollment.Status.CONFIRMED, confirmed_at__lte=due_at).exclude(
            pk__in=reminded
        )
        for enrollment in couples.order_by("id"):
            enrollment.workshop = workshop
            sent += _send_one(enrollment, session, day)
    return sent
