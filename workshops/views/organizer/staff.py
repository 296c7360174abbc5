"""Organizer pages for the staff: members and their roles, invitations."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workshops import forms, forms_language
from workshops.errors import DomainError
from workshops.models import Membership, StaffInvitation
from workshops.models.organizations import Role
from workshops.permissions import can, forget_roles, role_of
from workshops.selectors import organizations as selectors
from workshops.services import organizations as org_services
from workshops.services import scheduling as scheduling_services
from workshops.views.accounts import landing_url
from workshops.views.organizer.base import confirm_page, form_status, org_page, post_data, render_page

# What a role change says, by the new role.
ROLE_CHANGED = {
    Role.OWNER: gettext_lazy("%(email)s is now owner."),
    Role.ORGANIZER: gettext_lazy("%(email)s is now organizer."),
    Role.FACILITATOR: gettext_lazy("%(email)s is now facilitator."),
}


def _invite_form(data, by_role):
    """Whom to invite, as what, and the language of their invitation (preset to the inviter's)."""
    return forms_language.with_language(forms.StaffInviteForm(data, by_role=by_role), "invitation")


def _staff_page(request, organization, *, invite_form=None, role_errors=None, status=200):
    by_role = role_of(request.user, organization)
    role_errors = role_errors or {}
    members = [
        {"membership": m, "error": role_errors.get(m.pk), "is_me": m.user_id == request.user.pk}
        for m in selectors.memberships_of(organization)
    ]
    invitations = selectors.staff_invitations(organization)
    return render_page(
        request,
        "organizer/staff.html",
        organization,
        "staff",
        status=status,
        members=members,
        role_choices=forms.role_choices(by_role),
        invitations=invitations.pending,
        expired_invitations=invitations.expired,
        accepted_invitations=invitations.accepted,
        shown_days=selectors.INVITATIONS_SHOWN_DAYS,
        invite_form=invite_form or _invite_form(None, by_role),
    )


@org_page("staff.view", section="staff")
def staff(request, organization):
    return _staff_page(request, organization)


@org_page("staff.manage", methods=("POST",), section="staff")
def staff_invite(request, organization):
    by_role = role_of(request.user, organization)
    form = _invite_form(request.POST, by_role)
    if form.is_valid():
        try:
            invitation, _raw = org_services.staff_invite(
                organization=organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                by_role=by_role,
                language=form.cleaned_data["language"] or None,
            )
        except DomainError as error:
            forms.apply_error(form, error)
        else:
            messages.success(
                request,
                _("Invitation e-mailed to %(email)s (%(role)s).")
                % {"email": invitation.email, "role": invitation.get_role_display()},
            )
            return redirect("staff", slug=organization.slug)
    return _staff_page(request, organization, invite_form=form, status=400)


@org_page("staff.manage", methods=("POST",), section="staff")
def membership_role(request, organization, membership_pk):
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_pk, organization=organization
    )
    form = forms.MembershipRoleForm(request.POST)
    if form.is_valid():
        try:
            org_services.membership_change_role(
                membership=membership, role=form.cleaned_data["role"], by_role=role_of(request.user, organization)
            )
        except DomainError as error:
            return _staff_page(request, organization, role_errors={membership.pk: error.message}, status=400)
        forget_roles(request.user)
        messages.success(request, ROLE_CHANGED[membership.role] % {"email": membership.user.email})
        if not can(request.user, "staff.view", organization):
            return redirect("org_dashboard", slug=organization.slug)
        return redirect("staff", slug=organization.slug)
    return _staff_page(request, organization, role_errors={membership.pk: _("Choose a role.")}, status=400)


@org_page("staff.manage", methods=("GET", "POST"), section="staff")
def membership_remove(request, organization, membership_pk):
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_pk, organization=organization
    )
    is_me = membership.user_id == request.user.pk
    if request.method == "GET":
        return confirm_page(
            request,
            organization,
            "staff",
            title=(
                _("Remove yourself from %(organization)s?") % {"organization": organization.name}
                if is_me
                else _("Remove %(email)s from %(organization)s?")
                % {"email": membership.user.email, "organization": organization.name}
            ),
            text=_(
                "They lose access to its pages at once. Workshops they facilitate keep them listed until you change "
                "the facilitators."
            ),
            button=_("Remove from the staff"),
            cancel_url=reverse("staff", args=[organization.slug]),
        )
    try:
        org_services.membership_remove(membership=membership, by_role=role_of(request.user, organization))
    except DomainError as error:
        return _staff_page(request, organization, role_errors={membership.pk: error.message}, status=400)
    forget_roles(request.user)
    if is_me:
        messages.success(request, _("You left %(organization)s.") % {"organization": organization.name})
        return redirect(landing_url(request.user))
    messages.success(request, _("%(email)s is no longer on the staff.") % {"email": membership.user.email})
    return redirect("staff", slug=organization.slug)


@org_page("staff.manage", methods=("POST",), section="staff")
def invitation_revoke(request, organization, invitation_pk):
    invitation = get_object_or_404(StaffInvitation, pk=invitation_pk, organization=organization)
    try:
        org_services.staff_invitation_revoke(invitation=invitation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invitation to %(email)s no longer works.") % {"email": invitation.email})
    return redirect("staff", slug=organization.slug)


@org_page("staff.manage", methods=("POST",), section="staff")
def invitation_resend(request, organization, invitation_pk):
    invitation = get_object_or_404(StaffInvitation, pk=invitation_pk, organization=organization)
    try:
        invitation, _raw = org_services.staff_invitation_resend(
            invitation=invitation, sent_by=request.user, by_role=role_of(request.user, organization)
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Invitation e-mailed again to %(email)s, with a new link.") % {"email": invitation.email}
        )
    return redirect(reverse("staff", args=[organization.slug]) + "#invitations")


def _and(items):
    """'a, b and c' in the reader's language."""
    if len(items) == 1:
        return items[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


@org_page("schedule.manage", methods=("GET", "POST"), section="staff")
def member_workshops(request, organization, membership_pk):
    """The workshops one staff member facilitates: where an organizer goes once someone has joined (the e-mail
    saying an invitation was accepted links here)."""
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_pk, organization=organization
    )
    offered = list(selectors.workshops_open_to_facilitators(organization))
    mine = [str(w.pk) for w in offered if any(u.pk == membership.user_id for u in w.facilitators.all())]
    form = forms.MemberWorkshopsForm(post_data(request), workshops=offered, initial={"workshops": mine})
    if request.method == "POST" and form.is_valid():
        chosen = {int(pk) for pk in form.cleaned_data["workshops"]}
        try:
            scheduling_services.facilitator_set_workshops(
                membership=membership, workshops=[w for w in offered if w.pk in chosen], offered=offered
            )
        except DomainError as error:
            form.add_error("workshops", error.message)
        else:
            name = membership.user.get_full_name() or membership.user.email
            titles = [_("“%(workshop)s”") % {"workshop": w.title} for w in offered if w.pk in chosen]
            if not titles:
                saved = _("Saved: %(name)s facilitates none of these workshops.") % {"name": name}
            else:
                saved = _("Saved: %(name)s facilitates %(workshops)s.") % {"name": name, "workshops": _and(titles)}
            messages.success(request, saved)
            return redirect("member_workshops", slug=organization.slug, membership_pk=membership.pk)
    return render_page(
        request,
        "organizer/member_workshops.html",
        organization,
        "staff",
        status=form_status(form),
        form=form,
        membership=membership,
        has_workshops=bool(offered),
    )
