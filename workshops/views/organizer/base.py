"""What every organizer page shares: the organization and role check, rendering, forms and time zones.

Every page under /o/<slug>/ goes through ``org_page``: the organization comes
from ``organization_of`` (404 for anyone not on its staff) and the role must
allow the page's action (403 otherwise). Writes go through the services; a
DomainError is shown next to the field it names, with everything typed kept.
"""

import zoneinfo
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from workshops.permissions import ACTIONS, can, role_of
from workshops.selectors import organizations as selectors

ACTION_WORDS = {
    "organization.view": _("seeing this organization"),
    "organization.manage": _("changing the organization's settings (owners only)"),
    "staff.view": _("seeing the staff"),
    "staff.manage": _("managing the staff"),
    "library.view": _("seeing the library"),
    "library.manage": _("changing exercises and programs"),
    "schedule.view": _("seeing the schedule"),
    "schedule.manage": _("changing workshops and sessions"),
    "enrollment.view": _("seeing enrollments"),
    "enrollment.manage": _("managing enrollments"),
    "feedback.report": _("reading the feedback report"),
    "feedback.design": _("designing the post-session survey"),
}


def _context(request, organization, section, **extra):
    may = {action.replace(".", "_"): can(request.user, action, organization) for action in ACTIONS}
    return {
        "organization": organization,
        "section": section,
        "role": role_of(request.user, organization),
        "may": may,
        **extra,
    }


def render_page(request, template, organization, section, *, status=200, **extra):
    """A page in the organizer layout: ``section`` marks the current menu entry; ``may`` says what the role allows."""
    return render(request, template, _context(request, organization, section, **extra), status=status)


def org_page(action, *, methods=("GET",), section=""):
    """An organization's page: members only (404 for others), and the role must allow ``action`` (403)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            organization = selectors.organization_of(request.user, slug)
            if not can(request.user, action, organization):
                return render_page(
                    request,
                    "organizer/forbidden.html",
                    organization,
                    section,
                    status=403,
                    needed=ACTION_WORDS[action],
                )
            return view(request, organization, *args, **kwargs)

        return login_required(require_http_methods(list(methods))(wrapper))

    return decorator


def form_status(form_or_flag):
    """400 when the form (or the flag) says something is wrong, so a refused POST is not a 200."""
    has_errors = form_or_flag if isinstance(form_or_flag, bool) else bool(form_or_flag.errors)
    return 400 if has_errors else 200


def post_data(request):
    """What to bind a form to: the POST on a POST, nothing (an unbound form) on a GET."""
    return request.POST if request.method == "POST" else None


def naive_local(value, timezone_name):
    """An aware datetime as the wall-clock time of a zone, for a datetime-local input."""
    if value is None:
        return None
    return timezone.localtime(value, zoneinfo.ZoneInfo(timezone_name)).replace(tzinfo=None)


def confirm_page(request, organization, section, *, title, text, button, cancel_url, danger=True):
    """The GET of a destructive action: says what will happen; its button POSTs to the same URL."""
    return render_page(
        request,
        "organizer/confirm.html",
        organization,
        section,
        title=title,
        text=text,
        button=button,
        cancel_url=cancel_url,
        danger=danger,
    )
