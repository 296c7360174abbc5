"""Workshops and their sessions: scheduling rules, publishing, facilitators, join codes.

Times are stored in UTC and entered and shown in the workshop's time zone.
"""

import secrets
import zoneinfo
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workshops import dates
from workshops.errors import DomainError
from workshops.models import Enrollment, Membership, Session, Workshop
from workshops.models.organizations import Role
from workshops.models.scheduling import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from workshops.services import reminders
from workshops.timezones import available_timezones, not_a_timezone

MAX_CAPACITY = 5000
MAX_SESSION_HOURS = 14


def local_to_utc(naive, timezone_name, *, field):
    """A wall-clock time in the workshop's zone, as an aware UTC datetime.

    A time that does not exist (clocks jump forward) is refused, and so is one that happens twice (clocks fall
    back): which of the two was meant can't be known, and guessing made a two-hour session of a one-hour one.
    """
    tz = zoneinfo.ZoneInfo(timezone_name)
    aware = naive.replace(tzinfo=tz, fold=0)
    utc = aware.astimezone(zoneinfo.ZoneInfo("UTC"))
    if utc.astimezone(tz).replace(tzinfo=None) != naive:
        raise DomainError(
            _("%(time)s does not exist in %(zone)s: the clocks skip that hour.")
            % {"time": dates.numeric(naive), "zone": timezone_name},
            field=field,
        )
    if aware.utcoffset() != naive.replace(tzinfo=tz, fold=1).utcoffset():
        raise DomainError(
            _(
                "%(time)s happens twice in %(zone)s: the clocks go back an hour then. Choose a time outside the "
                "repeated hour."
            )
            % {"time": dates.numeric(naive), "zone": timezone_name},
            field=field,
        )
    return utc


def _aware(value, timezone_name, field):
    if not isinstance(value, datetime):
        raise DomainError(_("Give a date and time."), field=field)
    if timezone.is_naive(value):
        return local_to_utc(value, timezone_name, field=field)
    return value


def _check_workshop_fields(
    *,
    organization,
    program,
    timezone_name,
    capacity_couples,
    format,
    venue,
    video_link,
    registration_opens_at,
    registration_closes_at,
):  # noqa: A002
    if program.organization_id not in (None, organization.pk):
        raise DomainError(_("Choose a program of your library."), field="program")
    if timezone_name not in available_timezones():
        raise DomainError(not_a_timezone(timezone_name), field="timezone")
    if (
        not isinstance(capacity_couples, int)
        or isinstance(capacity_couples, bool)
        or not 1 <= capacity_couples <= MAX_CAPACITY
    ):
        raise DomainError(
            _("Capacity is a number of couples from 1 to %(max)s.") % {"max": MAX_CAPACITY}, field="capacity_couples"
        )
    if format not in Workshop.Format.values:
        raise DomainError(
            _("Format must be one of %(formats)s.") % {"formats": ", ".join(Workshop.Format.values)}, field="format"
        )
    if registration_opens_at and registration_closes_at and registration_closes_at <= registration_opens_at:
        raise DomainError(_("Registration must close after it opens."), field="registration_closes_at")


@transaction.atomic
def workshop_create(
    *,
    organization,
    program,
    title,
    timezone_name,
    capacity_couples,
    format="in_person",  # noqa: A002
    venue="",
    video_link="",
    description="",
    registration_opens_at=None,
    registration_closes_at=None,
    cancellation_deadline=None,
    contact_email="",
    reminder_days=None,
):
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the workshop a title."), field="title")
    _check_workshop_fields(
        organization=organization,
        program=program,
        timezone_name=timezone_name,
        capacity_couples=capacity_couples,
        format=format,
        venue=venue,
        video_link=video_link,
        registration_opens_at=registration_opens_at,
        registration_closes_at=registration_closes_at,
    )
    contact_email = _check_cancellation_terms(cancellation_deadline, contact_email)
    reminder_days = None if reminder_days is None else reminders.reminder_days_clean(reminder_days)
    return Workshop.objects.create(
        organization=organization,
        program=program,
        title=title,
        description=description or "",
        format=format,
        venue=venue or "",
        video_link=video_link or "",
        timezone=timezone_name,
        capacity_couples=capacity_couples,
        registration_opens_at=registration_opens_at,
        registration_closes_at=registration_closes_at,
        cancellation_deadline=cancellation_deadline,
        contact_email=contact_email,
        reminder_days=reminder_days,
    )


UPDATABLE = (
    "title",
    "description",
    "format",
    "venue",
    "video_link",
    "timezone",
    "capacity_couples",
    "registration_opens_at",
    "registration_closes_at",
    "program",
    "cancellation_deadline",
    "contact_email",
    "reminder_days",
)


@transaction.atomic
def workshop_update(*, workshop, **changes):
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    if workshop.status == Workshop.Status.CANCELLED:
        raise DomainError(_("A cancelled workshop can't be changed."), code="cancelled")
    merged = {f: changes.get(f, getattr(workshop, f)) for f in UPDATABLE}
    if not (merged["title"] or "").strip():
        raise DomainError(_("Give the workshop a title."), field="title")
    _check_workshop_fields(
        organization=workshop.organization,
        program=merged["program"],
        timezone_name=merged["timezone"],
        capacity_couples=merged["capacity_couples"],
        format=merged["format"],
        venue=merged["venue"],
        video_link=merged["video_link"],
        registration_opens_at=merged["registration_opens_at"],
        registration_closes_at=merged["registration_closes_at"],
    )
    changes["contact_email"] = _check_cancellation_terms(merged["cancellation_deadline"], merged["contact_email"])
    if changes.get("reminder_days") is not None:
        changes["reminder_days"] = reminders.reminder_days_clean(changes["reminder_days"])
    _check_window_before_sessions(workshop, merged)
    if "capacity_couples" in changes and changes["capacity_couples"] < workshop.capacity_couples:
        from workshops.selectors.enrollment import seats_taken

        taken = seats_taken(workshop)
        if changes["capacity_couples"] < taken:
            raise DomainError(
                ngettext(
                    "%(count)s couple already holds a place; capacity can't go below that.",
                    "%(count)s couples already hold places; capacity can't go below that.",
                    taken,
                )
                % {"count": taken},
                field="capacity_couples",
            )
    moved = []
    if merged["timezone"] != workshop.timezone:
        moved = _keep_local_times(workshop, merged["timezone"])
    for field, value in changes.items():
        setattr(workshop, field, value.strip() if isinstance(value, str) and field == "title" else value)
    workshop.save()
    if moved and workshop.status == Workshop.Status.PUBLISHED:
        _tell_enrolled_the_new_times(workshop)
    if "capacity_couples" in changes:
        from workshops.services.enrollment import waitlist_refresh

        waitlist_refresh(workshop=workshop)
    return workshop


def _keep_local_times(workshop, new_zone):
    """A workshop moved to another time zone keeps its sessions at the same times on the local clock (10:00 in
    Berlin becomes 10:00 in New York): changing the zone says where it happens, not to shift the hours. Sessions
    that have begun stay as they were. Returns the sessions moved (saved)."""
    old_zone = zoneinfo.ZoneInfo(workshop.timezone)
    moved = []
    for session in workshop.sessions.filter(starts_at__gt=timezone.now()).order_by("starts_at"):
        where = "timezone"
        starts = local_to_utc(session.starts_at.astimezone(old_zone).replace(tzinfo=None), new_zone, field=where)
        ends = local_to_utc(session.ends_at.astimezone(old_zone).replace(tzinfo=None), new_zone, field=where)
        if (starts, ends) != (session.starts_at, session.ends_at):
            session.starts_at, session.ends_at = starts, ends
            moved.append(session)
    Session.objects.bulk_update(moved, ["starts_at", "ends_at"])
    return moved


def _tell_enrolled_the_new_times(workshop):
    """Every couple holding a place hears of the new times (with the calendar file), in the caller's transaction."""
    from workshops import emails

    for enrollment in workshop.enrollments.filter(status=Enrollment.Status.CONFIRMED):
        emails.schedule_changed(enrollment)


@transaction.atomic
def workshop_publish(*, workshop):
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.status != Workshop.Status.DRAFT:
        raise DomainError(
            _("Only a draft can be published; this workshop is %(status)s.")
            % {"status": workshop.get_status_display().lower()},
            code="not_draft",
        )
    sessions = workshop.sessions.count()
    if sessions == 0:
        raise DomainError(_("Schedule at least one session before publishing."), code="no_sessions")
    parts = workshop.program.items.aggregate(parts=Max("part"))["parts"] or 1
    if sessions < parts:
        raise DomainError(
            ngettext(
                "The program has %(parts)s parts; schedule %(parts)s sessions (there is %(count)s).",
                "The program has %(parts)s parts; schedule %(parts)s sessions (there are %(count)s).",
                sessions,
            )
            % {"parts": parts, "count": sessions},
            code="too_few_sessions",
        )
    if workshop.format in ("in_person", "hybrid") and not workshop.venue:
        raise DomainError(_("Say where the workshop takes place."), field="venue")
    if workshop.format in ("online", "hybrid") and not workshop.video_link:
        raise DomainError(_("Add the video call link."), field="video_link")
    workshop.status = Workshop.Status.PUBLISHED
    workshop.save(update_fields=["status", "updated_at"])
    return workshop


@transaction.atomic
def workshop_cancel(*, workshop):
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.status == Workshop.Status.CANCELLED:
        raise DomainError(_("This workshop is already cancelled."), code="cancelled")
    workshop.status = Workshop.Status.CANCELLED
    workshop.save(update_fields=["status", "updated_at"])
    from workshops.services.enrollment import cancel_all_for_cancelled_workshop

    cancel_all_for_cancelled_workshop(workshop)
    return workshop


@transaction.atomic
def workshop_delete(*, workshop):
    """Delete a draft nobody registered for. A published workshop is cancelled instead, so couples are told."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.status != Workshop.Status.DRAFT or workshop.enrollments.exists():
        raise DomainError(_("Only a draft can be deleted; cancel a published workshop."), code="not_draft")
    workshop.delete()


def _facilitator_conflict(user, workshop, windows):
    """The first session of another live workshop of the organization that `user` facilitates and that
    overlaps one of `windows` [(start, end)]."""
    overlap = Q()
    for start, end in windows:
        overlap |= Q(starts_at__lt=end, ends_at__gt=start)
    if not windows:
        return None
    return (
        Session.objects.filter(overlap, workshop__organization=workshop.organization, workshop__facilitators=user)
        .exclude(workshop=workshop)
        .exclude(workshop__status=Workshop.Status.CANCELLED)
        .select_related("workshop")
        .first()
    )


def _conflict_error(user, clash, field):
    name = user.get_full_name() or user.email or user.get_username()
    zone = clash.workshop.timezone
    return DomainError(
        _("%(name)s already facilitates '%(workshop)s' from %(start)s to %(end)s (%(zone)s).")
        % {
            "name": name,
            "workshop": clash.workshop.title,
            "start": dates.numeric(clash.starts_at, zone),
            "end": dates.clock(clash.ends_at, zone),
            "zone": zone,
        },
        field=field,
        code="facilitator_double_booked",
    )


@transaction.atomic
def workshop_set_facilitators(*, workshop, users):
    if workshop.status == Workshop.Status.CANCELLED:
        raise DomainError(_("A cancelled workshop can't be changed."), code="cancelled")
    members = set(
        Membership.objects.filter(organization=workshop.organization, user__in=users).values_list("user_id", flat=True)
    )
    for user in users:
        if user.pk not in members:
            raise DomainError(_("Facilitators must be staff of this organization."), field="facilitators")
    windows = list(workshop.sessions.values_list("starts_at", "ends_at"))
    for user in users:
        clash = _facilitator_conflict(user, workshop, windows)
        if clash:
            raise _conflict_error(user, clash, "facilitators")
    workshop.facilitators.set(users)
    return workshop


@transaction.atomic
def facilitator_set_workshops(*, membership, workshops, offered):
    """Make a staff member a facilitator of `workshops` and of none of the others in `offered` (the workshops the
    organizer chose from), keeping each workshop's other facilitators. All or nothing: a clash with another workshop
    they facilitate at the same time refuses the whole change, naming it."""
    user = membership.user
    chosen = {workshop.pk for workshop in workshops}
    for workshop in offered:
        current = list(workshop.facilitators.all())
        if any(u.pk == user.pk for u in current) == (workshop.pk in chosen):
            continue
        others = [u for u in current if u.pk != user.pk]
        workshop_set_facilitators(workshop=workshop, users=others + [user] if workshop.pk in chosen else others)


def _new_join_code():
    now = timezone.now()
    for _attempt in range(20):
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _position in range(JOIN_CODE_LENGTH))
        if not Session.objects.filter(join_code=code, ends_at__gt=now).exists():
            return code
    raise DomainError(_("Could not find a free join code; try again."), code="join_code_exhausted")


def _local(moment, workshop):
    return f"{dates.numeric(moment, workshop.timezone)} ({workshop.timezone})"


def _check_not_over(workshop, ends_at, now):
    """A session is planned for what is still to come: one that would be over already is refused (it could not
    take place, and would stay on record as if it had). One under way (begun, not ended) is fine: a facilitator
    may add the session they are starting."""
    if ends_at <= now:
        raise DomainError(
            _("This session would be over already: it ends %(end)s, and it is now %(now)s. Choose times still to come.")
            % {"end": _local(ends_at, workshop), "now": _local(now, workshop)},
            field="ends_at",
            code="session_in_past",
        )


def _check_session_window(workshop, starts_at, ends_at, *, exclude=None):
    if ends_at <= starts_at:
        raise DomainError(_("A session must end after it starts."), field="ends_at")
    if ends_at - starts_at > timedelta(hours=MAX_SESSION_HOURS):
        raise DomainError(_("A session lasts at most %(hours)s hours.") % {"hours": MAX_SESSION_HOURS}, field="ends_at")
    siblings = workshop.sessions.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude.pk)
    clash = siblings.first()
    if clash:
        names = {
            "session": clash.title,
            "start": dates.numeric(clash.starts_at, workshop.timezone),
            "end": dates.clock(clash.ends_at, workshop.timezone),
        }
        raise DomainError(
            (
                _("This overlaps %(session)s (%(start)s–%(end)s).")
                if clash.title
                else _("This overlaps another session (%(start)s–%(end)s).")
            )
            % names,
            field="starts_at",
            code="session_overlap",
        )
    for user in workshop.facilitators.all():
        conflict = _facilitator_conflict(user, workshop, [(starts_at, ends_at)])
        if conflict:
            raise _conflict_error(user, conflict, "starts_at")
    closes = workshop.registration_closes_at
    if closes and starts_at < closes:
        raise DomainError(
            _(
                "Registration closes %(closes)s, after this session would start. Start it later, or first make "
                "registration close earlier (Edit details)."
            )
            % {"closes": _wall_clock(closes, workshop.timezone)},
            field="starts_at",
            code="registration_after_start",
        )


def _wall_clock(moment, timezone_name):
    return f"{dates.short_weekday_and_time(moment, timezone_name)} ({timezone_name})"


def _check_window_before_sessions(workshop, fields):
    """Registration is for what is still to come: it opens, and closes, by the time the first session starts; so
    does online cancellation."""
    first = workshop.sessions.order_by("starts_at").values_list("starts_at", flat=True).first()
    if first is None:
        return
    when = _wall_clock(first, fields["timezone"])
    for field, refusal in (
        ("registration_closes_at", _("Registration must close by the time the first session starts (%(when)s).")),
        ("registration_opens_at", _("Registration must open by the time the first session starts (%(when)s).")),
        (
            "cancellation_deadline",
            _("The cancellation deadline must be by the time the first session starts (%(when)s)."),
        ),
    ):
        if fields[field] and fields[field] > first:
            raise DomainError(refusal % {"when": when}, field=field, code="after_first_session")


def _check_cancellation_terms(deadline, contact_email):
    """The contact e-mail, cleaned; a cancellation deadline needs one (couples write to it after the deadline)."""
    contact_email = (contact_email or "").strip()
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError:
            raise DomainError(_("Enter an e-mail address couples can write to."), field="contact_email") from None
    elif deadline:
        raise DomainError(
            _("Give an e-mail address: after the cancellation deadline couples write to it to cancel."),
            field="contact_email",
        )
    return contact_email


@transaction.atomic
def session_create(*, workshop, starts_at, ends_at, title=""):
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.status == Workshop.Status.CANCELLED:
        raise DomainError(_("A cancelled workshop can't get new sessions."), code="cancelled")
    starts_at = _aware(starts_at, workshop.timezone, "starts_at")
    ends_at = _aware(ends_at, workshop.timezone, "ends_at")
    _check_session_window(workshop, starts_at, ends_at)
    _check_not_over(workshop, ends_at, timezone.now())
    return Session.objects.create(
        workshop=workshop,
        title=(title or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        join_code=_new_join_code(),
    )


def _has_run(session):
    """Whether anything happened in the session: it was started, a couple worked in it, feedback was asked."""
    return (
        Session.objects.filter(pk=session.pk, live__started_at__isnull=False).exists()
        or session.couple_spaces.exists()
        or session.prompts.exists()
    )


@transaction.atomic
def session_update(*, session, starts_at=None, ends_at=None, title=None):
    workshop = Workshop.objects.select_for_update().get(pk=session.workshop_id)
    if workshop.status == Workshop.Status.CANCELLED:
        raise DomainError(_("A cancelled workshop's sessions can't be changed."), code="cancelled")
    starts_at = _aware(starts_at, workshop.timezone, "starts_at") if starts_at is not None else session.starts_at
    ends_at = _aware(ends_at, workshop.timezone, "ends_at") if ends_at is not None else session.ends_at
    if (starts_at, ends_at) != (session.starts_at, session.ends_at):
        now = timezone.now()
        if session.ends_at <= now and _has_run(session):
            raise DomainError(
                _("This session took place and stays on record: its times can't change (its title can)."),
                field="starts_at",
                code="past_session",
            )
        _check_not_over(workshop, ends_at, now)
    _check_session_window(workshop, starts_at, ends_at, exclude=session)
    session.starts_at, session.ends_at = starts_at, ends_at
    if title is not None:
        session.title = title.strip()
    session.save()
    return session


@transaction.atomic
def session_delete(*, session):
    """Delete a session. One that is over and ran stays on record (its feedback report reads from it); one that is
    over but never ran (planned in the past by mistake, or nobody came) can go."""
    workshop = Workshop.objects.select_for_update().get(pk=session.workshop_id)
    if workshop.status == Workshop.Status.CANCELLED:
        raise DomainError(_("A cancelled workshop's sessions can't be changed."), code="cancelled")
    if session.ends_at <= timezone.now() and _has_run(session):
        raise DomainError(
            _(
                "This session took place and stays on record: its run and its feedback report are kept. Nothing "
                "more will happen in it."
            ),
            code="past_session",
        )
    if workshop.status == Workshop.Status.PUBLISHED and workshop.sessions.count() == 1:
        raise DomainError(
            _("A published workshop keeps at least one session; cancel the workshop instead."), code="last_session"
        )
    session.delete()


@transaction.atomic
def workshop_rotate_calendar(*, workshop):
    Workshop.objects.filter(pk=workshop.pk).update(ical_version=F("ical_version") + 1)
    workshop.refresh_from_db(fields=["ical_version"])
    return workshop


def facilitator_candidates(organization):
    return Membership.objects.filter(organization=organization, role__in=[Role.OWNER, Role.ORGANIZER, Role.FACILITATOR])
