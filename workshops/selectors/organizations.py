from dataclasses import dataclass
from datetime import timedelta

from django.db.models import F, Max, Min, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from workshops.models import Exercise, Membership, Organization, Program, Session, StaffInvitation, Workshop

# How far back the staff page shows invitations that were accepted or that expired unaccepted.
INVITATIONS_SHOWN_DAYS = 30


def organizations_of(user):
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).order_by("name")


def memberships_of_user(user):
    """The user's places on a staff, with their organizations, by organization name."""
    return Membership.objects.filter(user=user).select_related("organization").order_by("organization__name")


def organization_of(user, slug):
    """The organization with that slug if the user is on its staff; 404 otherwise (another org is invisible)."""
    organization = organizations_of(user).filter(slug=slug).first()
    if organization is None:
        raise Http404(_("No such organization."))
    return organization


def memberships_of(organization):
    return Membership.objects.filter(organization=organization).select_related("user").order_by("role", "user__email")


def exercises_visible(organization):
    """The built-in library plus the organization's own exercises."""
    return Exercise.objects.filter(Q(organization__isnull=True) | Q(organization=organization)).prefetch_related(
        "steps"
    )


def programs_visible(organization):
    return Program.objects.filter(Q(organization__isnull=True) | Q(organization=organization)).prefetch_related(
        "items__exercise"
    )


def program_total_minutes(program):
    return sum(item.duration_minutes for item in program.items.all())


def program_minutes_by_part(program):
    totals = {}
    for item in program.items.all():
        totals[item.part] = totals.get(item.part, 0) + item.duration_minutes
    return dict(sorted(totals.items()))


def workshops_of(organization):
    return Workshop.objects.filter(organization=organization).select_related("program")


def workshops_with_dates(organization):
    """The organization's workshops, each with `starts_at` (its first session's start) and `ends_at` (its last
    session's end): None without sessions. Newest first (an aggregate's GROUP BY ignores Meta.ordering)."""
    workshops = workshops_of(organization).annotate(
        starts_at=Min("sessions__starts_at"), ends_at=Max("sessions__ends_at")
    )
    return workshops.order_by(*Workshop._meta.ordering)


def upcoming_sessions(organization, *, now=None, limit=50):
    now = now or timezone.now()
    return (
        Session.objects.filter(workshop__organization=organization, ends_at__gt=now)
        .exclude(workshop__status=Workshop.Status.CANCELLED)
        .select_related("workshop")
        .order_by("starts_at", "pk")[:limit]  # sessions at the same moment: in the order they were planned
    )


def sessions_facilitated_by(user):
    """Every session of a live workshop that the user facilitates, in any organization (their iCal feed)."""
    return (
        Session.objects.filter(workshop__facilitators=user)
        .exclude(workshop__status=Workshop.Status.CANCELLED)
        .select_related("workshop__organization")
        .order_by("starts_at")
    )


def next_sessions_facilitated_by(user, *, now=None, limit=5):
    """The user's coming (or running) sessions of published workshops they facilitate, soonest first."""
    now = now or timezone.now()
    sessions = sessions_facilitated_by(user).filter(ends_at__gt=now, workshop__status=Workshop.Status.PUBLISHED)
    return sessions.select_related("workshop__organization")[:limit]


def workshops_open_to_facilitators(organization, *, now=None):
    """The workshops whose facilitators can still change: not cancelled, and with no sessions yet or some still to
    come. Soonest first; those without sessions last."""
    now = now or timezone.now()
    workshops = workshops_with_dates(organization).exclude(status=Workshop.Status.CANCELLED)
    workshops = workshops.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now)).prefetch_related("facilitators")
    return workshops.order_by(F("starts_at").asc(nulls_last=True), "pk")


@dataclass
class AcceptedInvitation:
    invitation: StaffInvitation
    membership: Membership | None  # None once they have left the staff


@dataclass
class StaffInvitations:
    pending: list
    expired: list
    accepted: list


def staff_invitations(organization, *, now=None):
    """The staff page's invitations. Pending ones, newest first. Those that expired unaccepted in the last
    INVITATIONS_SHOWN_DAYS days, unless the address has joined since or has a newer invitation: those can be sent
    again. Those accepted in that time, with who accepted and their place on the staff (to make them a facilitator
    of workshops). Revoked ones are not shown: revoking was the organizer's own decision."""
    now = now or timezone.now()
    since = now - timedelta(days=INVITATIONS_SHOWN_DAYS)
    invitations = list(
        StaffInvitation.objects.filter(organization=organization, revoked_at__isnull=True)
        .filter(Q(accepted_at__isnull=True, expires_at__gte=since) | Q(accepted_at__gte=since))
        .select_related("invited_by", "accepted_by")
        .order_by("-created_at", "-pk")
    )
    memberships = {m.user_id: m for m in Membership.objects.filter(organization=organization).select_related("user")}
    member_emails = {m.user.email.lower() for m in memberships.values()}
    pending, expired, accepted = [], [], []
    answered = set()  # addresses with an invitation still open or accepted
    for invitation in invitations:
        state = invitation.state(now)
        if state == "pending":
            pending.append(invitation)
            answered.add(invitation.email)
        elif state == "accepted":
            accepted.append(AcceptedInvitation(invitation, memberships.get(invitation.accepted_by_id)))
            answered.add(invitation.email)
    for invitation in invitations:
        if invitation.state(now) == "expired" and invitation.email not in answered | member_emails:
            expired.append(invitation)
            answered.add(invitation.email)  # the newest expired one per address is enough to send again
    accepted.sort(key=lambda row: row.invitation.accepted_at, reverse=True)
    return StaffInvitations(pending=pending, expired=expired, accepted=accepted)
