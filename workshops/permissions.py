"""Who may do what in an organization: the one permission check for every org-owned object.

Objects of another organization are invisible (selectors filter them out, so the
API and pages answer 404); a member whose role lacks an action gets 403.
"""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from workshops.errors import NotAllowed
from workshops.models import Membership, Session
from workshops.models.organizations import Role

OWNER, ORGANIZER, FACILITATOR = Role.OWNER, Role.ORGANIZER, Role.FACILITATOR

ACTIONS = {
    "organization.view": {OWNER, ORGANIZER, FACILITATOR},
    "organization.manage": {OWNER},
    "staff.view": {OWNER, ORGANIZER, FACILITATOR},
    "staff.manage": {OWNER, ORGANIZER},
    "library.view": {OWNER, ORGANIZER, FACILITATOR},
    "library.manage": {OWNER, ORGANIZER},
    "schedule.view": {OWNER, ORGANIZER, FACILITATOR},
    "schedule.manage": {OWNER, ORGANIZER},
    "enrollment.view": {OWNER, ORGANIZER},
    "enrollment.manage": {OWNER, ORGANIZER},
    "feedback.report": {OWNER, ORGANIZER},
    "feedback.design": {OWNER, ORGANIZER},
}


# What each action is called where a role is refused it ("does not allow enrollment view").
ACTION_NAMES = {
    "organization.view": pgettext_lazy("permission", "organization view"),
    "organization.manage": pgettext_lazy("permission", "organization manage"),
    "staff.view": pgettext_lazy("permission", "staff view"),
    "staff.manage": pgettext_lazy("permission", "staff manage"),
    "library.view": pgettext_lazy("permission", "library view"),
    "library.manage": pgettext_lazy("permission", "library manage"),
    "schedule.view": pgettext_lazy("permission", "schedule view"),
    "schedule.manage": pgettext_lazy("permission", "schedule manage"),
    "enrollment.view": pgettext_lazy("permission", "enrollment view"),
    "enrollment.manage": pgettext_lazy("permission", "enrollment manage"),
    "feedback.report": pgettext_lazy("permission", "feedback report"),
    "feedback.design": pgettext_lazy("permission", "feedback design"),
}


def role_of(user, organization):
    if not user or not user.is_authenticated:
        return None
    cache = getattr(user, "_attune_roles", None)
    if cache is None:
        cache = dict(Membership.objects.filter(user=user).values_list("organization_id", "role"))
        user._attune_roles = cache
    return cache.get(organization.pk if hasattr(organization, "pk") else organization)


def forget_roles(user):
    """Drop the per-request role cache after a membership change."""
    if hasattr(user, "_attune_roles"):
        del user._attune_roles


def can(user, action, organization):
    return role_of(user, organization) in ACTIONS[action]


def require(user, action, organization):
    if not can(user, action, organization):
        raise NotAllowed(
            _("Your role in this organization does not allow %(action)s.") % {"action": ACTION_NAMES[action]}
        )


def may_run_session(user, session):
    """Who may run a live session (its facilitator app and projector): an owner or organizer of its organization,
    or a facilitator assigned to its workshop."""
    workshop = session.workshop
    role = role_of(user, workshop.organization_id)
    if role in (OWNER, ORGANIZER):
        return True
    return role == FACILITATOR and workshop.facilitators.filter(pk=user.pk).exists()


def sessions_runnable_by(user, sessions):
    """The ids of those sessions the user may run (``may_run_session`` for a list, in one query)."""
    sessions = list(sessions)
    assigned = set(
        Session.objects.filter(pk__in=[s.pk for s in sessions], workshop__facilitators=user).values_list(
            "pk", flat=True
        )
    )
    runnable = set()
    for session in sessions:
        role = role_of(user, session.workshop.organization_id)
        if role in (OWNER, ORGANIZER) or (role == FACILITATOR and session.pk in assigned):
            runnable.add(session.pk)
    return runnable
