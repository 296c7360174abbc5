"""Organizer pages for the organization itself: creating one, its dashboard and its settings (owners only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from workshops import forms
from workshops.errors import DomainError
from workshops.models import Workshop
from workshops.permissions import forget_roles, sessions_runnable_by
from workshops.selectors import organizations as selectors
from workshops.services import organizations as org_services
from workshops.services import reminders
from workshops.timezones import timezone_choices
from workshops.views.organizer.base import form_status, org_page, post_data, render_page


@login_required
@require_http_methods(["GET", "POST"])
def org_create(request):
    form = forms.OrganizationCreateForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            organization = org_services.organization_create(
                name=form.cleaned_data["name"], owner=request.user, timezone_name=form.cleaned_data["timezone"]
            )
        except DomainError as error:
            forms.apply_error(form, error)
        else:
            forget_roles(request.user)
            messages.success(
                request,
                _("%(organization)s is ready. Start with the library or a program.")
                % {"organization": organization.name},
            )
            return redirect("org_dashboard", slug=organization.slug)
    return render(
        request,
        "organizer/org_create.html",
        {
            "form": form,
            "organizations": selectors.organizations_of(request.user),
            "timezones": timezone_choices(),
        },
        status=form_status(form),
    )


@org_page("organization.view", section="dashboard")
def dashboard(request, organization):
    now = timezone.now()
    workshops = []
    for workshop in selectors.workshops_of(organization).prefetch_related("sessions"):
        sessions = list(workshop.sessions.all())
        if workshop.status == Workshop.Status.CANCELLED or (sessions and sessions[-1].ends_at <= now):
            continue
        workshops.append({"workshop": workshop, "first": sessions[0] if sessions else None, "count": len(sessions)})
    workshops.sort(key=lambda row: (row["first"] is None, row["first"].starts_at if row["first"] else now))
    sessions = list(selectors.upcoming_sessions(organization, now=now, limit=20))
    published = [s for s in sessions if s.workshop.status == Workshop.Status.PUBLISHED]
    return render_page(
        request,
        "organizer/dashboard.html",
        organization,
        "dashboard",
        workshops=workshops,
        sessions=sessions,
        runnable=sessions_runnable_by(request.user, published),  # a facilitator's own sessions: one click to run
    )


@org_page("organization.manage", methods=("GET", "POST"), section="settings")
def org_settings(request, organization):
    form = forms.OrganizationSettingsForm(
        post_data(request),
        initial={
            "name": organization.name,
            "timezone": organization.timezone,
            "anonymity_k": organization.anonymity_k,
            "retention_days": organization.retention_days,
            "reminder_days": reminders.reminder_days_text(organization.reminder_days),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                org_services.organization_update(
                    organization=organization,
                    name=data["name"],
                    timezone_name=data["timezone"],
                    anonymity_k=data["anonymity_k"],
                    retention_days=data["retention_days"],
                )
                reminders.organization_set_reminder_days(organization=organization, days=data["reminder_days"])
        except DomainError as error:
            organization.refresh_from_db()
            forms.apply_error(form, error)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("org_settings", slug=organization.slug)
    return render_page(
        request,
        "organizer/settings.html",
        organization,
        "settings",
        status=form_status(form),
        form=form,
        timezones=timezone_choices(),
    )
