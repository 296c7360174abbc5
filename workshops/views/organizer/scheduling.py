"""Organizer pages for workshops and their sessions, facilitators, publishing and cancelling.

Times are entered and shown in the workshop's time zone.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.links import absolute_url
from workshops import calendar, dates, forms
from workshops.errors import DomainError
from workshops.models import Enrollment, Workshop
from workshops.selectors import enrollment as enrollment_selectors
from workshops.selectors import organizations as selectors
from workshops.selectors.registration import registration_phase
from workshops.services import reminders
from workshops.services import scheduling as scheduling_services
from workshops.timezones import timezone_choices
from workshops.views.organizer.base import confirm_page, form_status, naive_local, org_page, post_data, render_page


def workshop_or_404(organization, pk):
    return get_object_or_404(
        Workshop.objects.select_related("program", "organization"), pk=pk, organization=organization
    )


@org_page("schedule.view", section="workshops")
def workshops(request, organization):
    rows = []
    for workshop in selectors.workshops_of(organization).prefetch_related("sessions"):
        sessions = list(workshop.sessions.all())
        rows.append({"workshop": workshop, "first": sessions[0] if sessions else None, "count": len(sessions)})
    return render_page(request, "organizer/workshops.html", organization, "workshops", rows=rows)


def _window_to_utc(form, timezone_name):
    """The registration window and cancellation deadline typed in local time, as UTC; a DST-skipped time is an
    error on its field."""
    window = {}
    for name in ("registration_opens_at", "registration_closes_at", "cancellation_deadline"):
        value = form.cleaned_data.get(name)
        try:
            window[name] = scheduling_services.local_to_utc(value, timezone_name, field=name) if value else None
        except DomainError as error:
            forms.apply_error(form, error)
    return window


def _workshop_form_save(request, organization, form, programs_by_id, workshop=None):
    """Create or update from a valid form; returns the workshop, or None with errors on the form."""
    data = form.cleaned_data
    program = programs_by_id.get(data["program"])
    if program is None:
        form.add_error("program", _("Choose a program of your library."))
        return None
    window = _window_to_utc(form, data["timezone"])
    if form.errors:
        return None
    fields = {
        "title": data["title"],
        "program": program,
        "format": data["format"],
        "venue": data["venue"],
        "video_link": data["video_link"],
        "capacity_couples": data["capacity_couples"],
        "description": data["description"],
        "contact_email": data["contact_email"],
        "reminder_days": data["reminder_days"],
        **window,
    }
    try:
        if workshop is None:
            return scheduling_services.workshop_create(
                organization=organization, timezone_name=data["timezone"], **fields
            )
        return scheduling_services.workshop_update(workshop=workshop, timezone=data["timezone"], **fields)
    except DomainError as error:
        forms.apply_error(form, error)
        return None


@org_page("schedule.manage", methods=("GET", "POST"), section="workshops")
def workshop_new(request, organization):
    programs_list = list(selectors.programs_visible(organization))
    initial = {"timezone": organization.timezone, "format": Workshop.Format.IN_PERSON}
    if request.GET.get("program", "").isdigit():
        initial["program"] = int(request.GET["program"])
    form = forms.WorkshopForm(post_data(request), programs=programs_list, initial=initial)
    if request.method == "POST" and form.is_valid():
        workshop = _workshop_form_save(request, organization, form, {p.pk: p for p in programs_list})
        if workshop is not None:
            messages.success(
                request,
                _("“%(workshop)s” created as a draft. Add its sessions, then publish it.")
                % {"workshop": workshop.title},
            )
            return redirect("workshop_detail", slug=organization.slug, pk=workshop.pk)
    return render_page(
        request,
        "organizer/workshop_form.html",
        organization,
        "workshops",
        status=form_status(form),
        form=form,
        workshop=None,
        has_programs=bool(programs_list),
        timezones=timezone_choices(),
    )


@org_page("schedule.manage", methods=("GET", "POST"), section="workshops")
def workshop_edit(request, organization, pk):
    workshop = workshop_or_404(organization, pk)
    programs_list = list(selectors.programs_visible(organization))
    initial = {
        "title": workshop.title,
        "program": workshop.program_id,
        "format": workshop.format,
        "venue": workshop.venue,
        "video_link": workshop.video_link,
        "timezone": workshop.timezone,
        "capacity_couples": workshop.capacity_couples,
        "registration_opens_at": naive_local(workshop.registration_opens_at, workshop.timezone),
        "registration_closes_at": naive_local(workshop.registration_closes_at, workshop.timezone),
        "cancellation_deadline": naive_local(workshop.cancellation_deadline, workshop.timezone),
        "contact_email": workshop.contact_email,
        "reminder_days": "" if workshop.reminder_days is None else reminders.reminder_days_text(workshop.reminder_days),
        "description": workshop.description,
    }
    form = forms.WorkshopForm(post_data(request), programs=programs_list, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _workshop_form_save(request, organization, form, {p.pk: p for p in programs_list}, workshop)
        if saved is not None:
            messages.success(request, _("Workshop saved."))
            return redirect("workshop_detail", slug=organization.slug, pk=workshop.pk)
    return render_page(
        request,
        "organizer/workshop_form.html",
        organization,
        "workshops",
        status=form_status(form),
        form=form,
        workshop=workshop,
        has_programs=True,
        timezones=timezone_choices(),
    )


def _facilitators_form(organization, workshop, data=None):
    memberships = (
        scheduling_services.facilitator_candidates(organization)
        .select_related("user")
        .order_by("user__first_name", "user__email")
    )
    return forms.FacilitatorsForm(
        data,
        memberships=memberships,
        initial={"facilitators": [str(pk) for pk in workshop.facilitators.values_list("pk", flat=True)]},
    )


@org_page("schedule.view", section="workshops")
def workshop_detail(request, organization, pk):
    workshop = workshop_or_404(organization, pk)
    sessions = list(workshop.sessions.all())
    parts = max((item.part for item in workshop.program.items.all()), default=1)
    return render_page(
        request,
        "organizer/workshop_detail.html",
        organization,
        "workshops",
        workshop=workshop,
        sessions=sessions,
        parts=parts,
        now=timezone.now(),
        phase=registration_phase(workshop),
        reminder_days=reminders.reminder_schedule(workshop),
        counts=enrollment_selectors.enrollment_counts(workshop),
        facilitators=workshop.facilitators.order_by("first_name", "email"),
        public_url=absolute_url(reverse("workshop_register", args=[workshop.public_id])),
        feed_url=absolute_url(reverse("workshop_feed", args=[workshop.pk, calendar.workshop_feed_token(workshop)])),
        session_form=forms.SessionForm(),
        facilitators_form=_facilitators_form(organization, workshop),
    )


@org_page("schedule.manage", methods=("GET", "POST"), section="workshops")
def session_new(request, organization, pk):
    workshop = workshop_or_404(organization, pk)
    form = forms.SessionForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            session = scheduling_services.session_create(workshop=workshop, **form.cleaned_data)
        except DomainError as error:
            forms.apply_error(form, error)
        else:
            messages.success(request, _("Session added: %(when)s.") % {"when": _when(session.starts_at, workshop)})
            return redirect(reverse("workshop_detail", args=[organization.slug, workshop.pk]) + "#sessions")
    return render_page(
        request,
        "organizer/session_form.html",
        organization,
        "workshops",
        status=form_status(form),
        form=form,
        workshop=workshop,
        session=None,
    )


@org_page("schedule.manage", methods=("GET", "POST"), section="workshops")
def session_edit(request, organization, pk, session_pk):
    workshop = workshop_or_404(organization, pk)
    session = get_object_or_404(workshop.sessions, pk=session_pk)
    form = forms.SessionForm(
        post_data(request),
        initial={
            "title": session.title,
            "starts_at": naive_local(session.starts_at, workshop.timezone),
            "ends_at": naive_local(session.ends_at, workshop.timezone),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            scheduling_services.session_update(session=session, **form.cleaned_data)
        except DomainError as error:
            session.refresh_from_db()
            forms.apply_error(form, error)
        else:
            messages.success(request, _("Session saved."))
            return redirect(reverse("workshop_detail", args=[organization.slug, workshop.pk]) + "#sessions")
    return render_page(
        request,
        "organizer/session_form.html",
        organization,
        "workshops",
        status=form_status(form),
        form=form,
        workshop=workshop,
        session=session,
    )


@org_page("schedule.manage", methods=("GET", "POST"), section="workshops")
def session_delete(request, organization, pk, session_pk):
    workshop = workshop_or_404(organization, pk)
    session = get_object_or_404(workshop.sessions, pk=session_pk)
    detail = reverse("workshop_detail", args=[organization.slug, workshop.pk]) + "#sessions"
    if request.method == "GET":
        when = _when(session.starts_at, workshop)
        if session.title:
            text = _("%(session)s on %(when)s is removed from the schedule and from every calendar feed.") % {
                "session": session.title,
                "when": when,
            }
        else:
            text = _("The session on %(when)s is removed from the schedule and from every calendar feed.") % {
                "when": when
            }
        return confirm_page(
            request,
            organization,
            "workshops",
            title=_("Delete this session?"),
            text=text,
            button=_("Delete the session"),
            cancel_url=detail,
        )
    try:
        scheduling_services.session_delete(session=session)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Session deleted."))
    return redirect(detail)


@org_page("schedule.manage", methods=("GET", "POST"), section="workshops")
def workshop_facilitators(request, organization, pk):
    workshop = workshop_or_404(organization, pk)
    form = _facilitators_form(organization, workshop, post_data(request))
    if request.method == "POST" and form.is_valid():
        ids = {int(pk) for pk in form.cleaned_data["facilitators"]}
        users = list(get_user_model().objects.filter(pk__in=ids).order_by("pk"))
        try:
            scheduling_services.workshop_set_facilitators(workshop=workshop, users=users)
        except DomainError as error:
            forms.apply_error(form, error)
        else:
            messages.success(request, _("Facilitators saved.") if users else _("No facilitators assigned."))
            return redirect(reverse("workshop_detail", args=[organization.slug, workshop.pk]) + "#facilitators")
    return render_page(
        request,
        "organizer/workshop_facilitators.html",
        organization,
        "workshops",
        status=form_status(form),
        form=form,
        workshop=workshop,
    )


@org_page("schedule.manage", methods=("POST",), section="workshops")
def workshop_publish(request, organization, pk):
    workshop = workshop_or_404(organization, pk)
    try:
        workshop = scheduling_services.workshop_publish(workshop=workshop)
    except DomainError as error:
        messages.error(request, _("Not published: %(reason)s") % {"reason": error.message})
    else:
        messages.success(request, _published_message(workshop))
    return redirect("workshop_detail", slug=organization.slug, pk=workshop.pk)


def _when(moment, workshop):
    """'Fri 10 May 2030, 18:00 (Europe/Berlin)': in the workshop's zone, named, in the reader's language."""
    return f"{dates.short_weekday_and_time(moment, workshop.timezone)} ({workshop.timezone})"


def _published_message(workshop):
    phase = registration_phase(workshop)
    if phase == "not_yet":
        return _("Published: registration opens %(when)s on the public page.") % {
            "when": _when(workshop.registration_opens_at, workshop)
        }
    if phase == "closed":
        return _(
            "Published, but registration closed %(when)s: change the registration window to take registrations."
        ) % {"when": _when(workshop.registration_closes_at, workshop)}
    return _("Published: registration is open through the public link.")


@org_page("schedule.manage", methods=("GET", "POST"), section="workshops")
def workshop_cancel(request, organization, pk):
    workshop = workshop_or_404(organization, pk)
    detail = reverse("workshop_detail", args=[organization.slug, workshop.pk])
    if request.method == "GET":
        holding = workshop.enrollments.exclude(status=Enrollment.Status.CANCELLED).count()
        told = _("Nobody holds a place or a waitlist spot, so nobody is e-mailed.")
        if holding:
            told = ngettext(
                "The couple with a place or a waitlist spot gets an e-mail saying the workshop is cancelled.",
                "The %(count)s couples with a place or a waitlist spot get an e-mail saying the workshop is cancelled.",
                holding,
            ) % {"count": holding}
        return confirm_page(
            request,
            organization,
            "workshops",
            title=_("Cancel “%(workshop)s”?") % {"workshop": workshop.title},
            text=_("Registration closes and the sessions show as cancelled in calendar feeds. This can't be undone.")
            + f" {told}",
            button=_("Cancel the workshop"),
            cancel_url=detail,
        )
    try:
        scheduling_services.workshop_cancel(workshop=workshop)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(workshop)s” is cancelled.") % {"workshop": workshop.title})
    return redirect(detail)


@org_page("schedule.manage", methods=("POST",), section="workshops")
def workshop_calendar_rotate(request, organization, pk):
    workshop = workshop_or_404(organization, pk)
    scheduling_services.workshop_rotate_calendar(workshop=workshop)
    messages.success(request, _("New calendar link made; the old one no longer works."))
    return redirect(reverse("workshop_detail", args=[organization.slug, workshop.pk]) + "#links")
