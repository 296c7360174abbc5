from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from workshops import emails, slugs, tokens
from workshops.errors import DomainError
from workshops.models import Membership, Organization, StaffCalendar, StaffInvitation
from workshops.models.organizations import Role
from workshops.timezones import available_timezones, not_a_timezone

MIN_K = 3
MAX_K = 1000
# The API's own check of k says the same (DRF fills in {min_value}).
K_TOO_LOW = gettext_lazy("The anonymity threshold must be at least {min_value}: fewer answers could identify a couple.")

# What an invitation that is no longer pending answers, by its state.
INVITATION_STATES = {
    "accepted": {
        "ask_again": gettext_lazy("This invitation is accepted; ask for a new one."),
        "not_again": gettext_lazy("This invitation is accepted; it can't be sent again."),
        "already": gettext_lazy("This invitation is already accepted."),
    },
    "revoked": {
        "ask_again": gettext_lazy("This invitation is revoked; ask for a new one."),
        "not_again": gettext_lazy("This invitation is revoked; it can't be sent again."),
        "already": gettext_lazy("This invitation is already revoked."),
    },
    "expired": {
        "ask_again": gettext_lazy("This invitation is expired; ask for a new one."),
        "not_again": gettext_lazy("This invitation is expired; it can't be sent again."),
        "already": gettext_lazy("This invitation is already expired."),
    },
}


def _check_timezone(name):
    if name not in available_timezones():
        raise DomainError(not_a_timezone(name), field="timezone")


def _unique_slug(name):
    """A free slug made from the name, in the name's own script (workshops/slugs.py)."""
    base = slugs.slug_from(name) or "org"
    if base in slugs.RESERVED:
        base = f"{base}-org"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        suffix = f"-{n}"
        slug = base[: slugs.MAX_LENGTH - len(suffix)].rstrip("-") + suffix
    return slug


def _chosen_slug(slug, *, organization=None):
    """A slug the organization chose: well-formed and not another organization's."""
    problem = slugs.slug_problem(slug)
    if problem:
        raise DomainError(problem, field="slug", code="invalid_slug")
    taken = Organization.objects.filter(slug=slug)
    if organization is not None:
        taken = taken.exclude(pk=organization.pk)
    if taken.exists():
        raise DomainError(
            _('Another organization has the slug "%(slug)s"; try "%(free)s".')
            % {"slug": slug, "free": _unique_slug(slug)},
            field="slug",
            code="slug_taken",
        )
    return slug


def _saved(organization, **kwargs):
    """Save, turning a slug that another request took meanwhile (the unique constraint) into a clear refusal."""
    try:
        with transaction.atomic():
            organization.save(**kwargs)
    except IntegrityError:
        if Organization.objects.filter(slug=organization.slug).exclude(pk=organization.pk).exists():
            raise DomainError(
                _('Another organization has just taken the slug "%(slug)s"; choose another.')
                % {"slug": organization.slug},
                field="slug",
                code="slug_taken",
            ) from None
        raise


def _check_settings(*, anonymity_k, retention_days):
    if anonymity_k is not None and anonymity_k > MAX_K:
        raise DomainError(_("The anonymity threshold is at most %(max)s.") % {"max": MAX_K}, field="anonymity_k")
    if anonymity_k is not None and anonymity_k < MIN_K:
        raise DomainError(K_TOO_LOW.format(min_value=MIN_K), field="anonymity_k")
    if retention_days is not None and not 1 <= retention_days <= 365:
        raise DomainError(_("Keep couple content between 1 and 365 days."), field="retention_days")


@transaction.atomic
def organization_create(*, name, owner, timezone_name="UTC", anonymity_k=5, retention_days=14, slug=None):
    """A new organization with `owner` as its owner. Its slug (its addresses' name) is `slug` if given, else made
    from the name."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the organization a name."), field="name")
    _check_timezone(timezone_name)
    _check_settings(anonymity_k=anonymity_k, retention_days=retention_days)
    organization = Organization(
        name=name,
        slug=_chosen_slug(slug) if slug is not None else _unique_slug(name),
        timezone=timezone_name,
        anonymity_k=anonymity_k,
        retention_days=retention_days,
    )
    _saved(organization, force_insert=True)
    Membership.objects.create(organization=organization, user=owner, role=Role.OWNER)
    return organization


@transaction.atomic
def organization_update(
    *, organization, name=None, timezone_name=None, anonymity_k=None, retention_days=None, slug=None
):
    """Change the settings given (None: unchanged). A new slug moves the organization's addresses: the old ones
    answer 404 from then on."""
    # Check everything before changing anything, so a refused update leaves the object as it was.
    if name is not None and not name.strip():
        raise DomainError(_("Give the organization a name."), field="name")
    if timezone_name is not None:
        _check_timezone(timezone_name)
    _check_settings(anonymity_k=anonymity_k, retention_days=retention_days)
    if slug is not None:
        organization.slug = _chosen_slug(slug, organization=organization)
    if name is not None:
        organization.name = name.strip()
    if timezone_name is not None:
        organization.timezone = timezone_name
    if anonymity_k is not None:
        organization.anonymity_k = anonymity_k
    if retention_days is not None:
        organization.retention_days = retention_days
    _saved(organization)
    return organization


@transaction.atomic
def staff_invite(*, organization, email, role, invited_by, by_role=None, language=None):
    """Invite someone by e-mail. `by_role` is the inviter's role: only an owner may invite an owner. The e-mail is
    in `language` (one Attune speaks), by default the inviter's: the current language."""
    email = (email or "").strip().lower()
    if role not in Role.values:
        raise DomainError(_("Role must be one of %(roles)s.") % {"roles": ", ".join(Role.values)}, field="role")
    if role == Role.OWNER and by_role != Role.OWNER:
        raise DomainError(_("Only an owner can invite an owner."), field="role", code="owner_only")
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(_("Enter a valid e-mail address."), field="email") from None
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise DomainError(_("That person is already on the staff."), field="email")
    if language is not None and language not in dict(settings.LANGUAGES):
        raise DomainError(_("Choose one of the languages offered."), field="language")
    raw, digest = tokens.mint()
    invitation = StaffInvitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        token_digest=digest,
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.STAFF_INVITATION_DAYS),
        language=emails.language_or_default(language or get_language()),
    )
    emails.staff_invitation(invitation, raw)
    return invitation, raw


def staff_invitation_by_token(raw):
    try:
        invitation = StaffInvitation.objects.select_related("organization").get(token_digest=tokens.digest(raw))
    except StaffInvitation.DoesNotExist:
        raise DomainError(_("This invitation link is not valid."), code="invalid_token") from None
    return invitation


@transaction.atomic
def staff_invitation_accept(*, invitation, user):
    invitation = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    state = invitation.state(timezone.now())
    if state != "pending":
        raise DomainError(INVITATION_STATES[state]["ask_again"], code=f"invitation_{state}")
    membership, created = Membership.objects.get_or_create(
        organization=invitation.organization, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if invitation.invited_by_id != user.pk and _may_assign_facilitators(invitation.invited_by, invitation.organization):
        emails.staff_invitation_accepted(invitation, membership)
    return membership


def _may_assign_facilitators(user, organization):
    """Whether the one who sent an invitation is still someone to tell that it was accepted: still on the staff,
    as an owner or organizer (who can make the newcomer a facilitator of workshops). Someone who has left since, or
    is now a facilitator, would follow the e-mail's link to a page that refuses them."""
    if user is None:
        return False
    return Membership.objects.filter(
        organization=organization, user=user, role__in=[Role.OWNER, Role.ORGANIZER]
    ).exists()


@transaction.atomic
def staff_invitation_resend(*, invitation, sent_by, by_role=None):
    """E-mail a pending or expired invitation again: a new link, valid STAFF_INVITATION_DAYS from now; the old link
    stops working. Whoever sends it again becomes its sender, the one told when it is accepted. As with a new
    invitation, only an owner sends an owner's. It keeps the language chosen for it."""
    invitation = StaffInvitation.objects.select_for_update().select_related("organization").get(pk=invitation.pk)
    state = invitation.state(timezone.now())
    if state not in ("pending", "expired"):
        raise DomainError(INVITATION_STATES[state]["not_again"], code=f"invitation_{state}")
    if invitation.role == Role.OWNER and by_role != Role.OWNER:
        raise DomainError(_("Only an owner can invite an owner."), code="owner_only")
    if Membership.objects.filter(organization=invitation.organization, user__email__iexact=invitation.email).exists():
        raise DomainError(_("%(email)s is already on the staff.") % {"email": invitation.email}, code="already_member")
    raw, digest = tokens.mint()
    invitation.token_digest = digest
    invitation.expires_at = timezone.now() + timedelta(days=settings.STAFF_INVITATION_DAYS)
    invitation.invited_by = sent_by
    invitation.save(update_fields=["token_digest", "expires_at", "invited_by"])
    emails.staff_invitation(invitation, raw)
    return invitation, raw


@transaction.atomic
def staff_invitation_revoke(*, invitation):
    state = invitation.state(timezone.now())
    if state != "pending":
        raise DomainError(INVITATION_STATES[state]["already"], code=f"invitation_{state}")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


def _owners_left(organization, excluding):
    return Membership.objects.filter(organization=organization, role=Role.OWNER).exclude(pk=excluding.pk).exists()


@transaction.atomic
def membership_change_role(*, membership, role, by_role):
    if role not in Role.values:
        raise DomainError(_("Role must be one of %(roles)s.") % {"roles": ", ".join(Role.values)}, field="role")
    if Role.OWNER in (role, membership.role) and by_role != Role.OWNER:
        raise DomainError(_("Only an owner can make or unmake an owner."), field="role", code="owner_only")
    if membership.role == Role.OWNER and role != Role.OWNER and not _owners_left(membership.organization, membership):
        raise DomainError(_("An organization keeps at least one owner."), field="role", code="last_owner")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership, by_role):
    if membership.role == Role.OWNER:
        if by_role != Role.OWNER:
            raise DomainError(_("Only an owner can remove an owner."), code="owner_only")
        if not _owners_left(membership.organization, membership):
            raise DomainError(_("An organization keeps at least one owner."), code="last_owner")
    # Someone who leaves the staff no longer facilitates its workshops (nor shows in their calendar feeds).
    membership.user.facilitated_workshops.remove(
        *membership.user.facilitated_workshops.filter(organization=membership.organization)
    )
    membership.delete()


def user_sign_up(*, email, password, first_name=""):
    """A new organizer account; the e-mail is the login."""
    User = get_user_model()
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(_("Enter a valid e-mail address."), field="email") from None
    try:
        validate_password(password, User(username=email, email=email, first_name=first_name))
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from None
    if User.objects.filter(username__iexact=email).exists():
        raise DomainError(_("An account with this e-mail exists; sign in or reset the password."), field="email")
    try:
        with transaction.atomic():
            return User.objects.create_user(username=email, email=email, password=password, first_name=first_name)
    except IntegrityError:
        raise DomainError(
            _("An account with this e-mail exists; sign in or reset the password."), field="email"
        ) from None


@transaction.atomic
def staff_calendar_rotate(*, user):
    """Rotate the user's iCalendar feed link: the old one stops working."""
    calendar, created = StaffCalendar.objects.select_for_update().get_or_create(user=user)
    if not created:
        calendar.version += 1
        calendar.save(update_fields=["version", "rotated_at"])
    return calendar
