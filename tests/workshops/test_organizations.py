from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from tests.mailbox import mailbox
from workshops.errors import DomainError
from workshops.models import StaffInvitation
from workshops.services import organizations as services

pytestmark = pytest.mark.django_db(transaction=True)


def test_creating_an_organization_makes_the_creator_its_owner_with_safe_defaults():
    owner = factories.user()
    org = services.organization_create(name="Harbor Counseling", owner=owner, timezone_name="Europe/Berlin")
    assert (org.slug, org.anonymity_k, org.retention_days) == ("harbor-counseling", 5, 14)
    assert list(org.memberships.values_list("user_id", "role")) == [(owner.pk, "owner")]
    again = services.organization_create(name="Harbor Counseling", owner=owner)
    assert again.slug == "harbor-counseling-2"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"anonymity_k": 2}, "anonymity_k", "at least 3"),
        ({"retention_days": 0}, "retention_days", "between 1 and 365"),
        ({"timezone_name": "Atlantis/Central"}, "timezone", "not a time zone"),
        ({"name": " "}, "name", "Give the organization a name"),
    ],
)
def test_organization_settings_are_checked(changes, field, message):
    org = factories.organization()
    with pytest.raises(DomainError, match=message) as caught:
        services.organization_update(organization=org, **changes)
    assert caught.value.field == field
    org.refresh_from_db()
    assert org.anonymity_k == 5 and org.retention_days == 14


def test_staff_invitation_is_emailed_expires_and_can_be_revoked():
    org = factories.organization(name="Harbor")
    owner = org.memberships.get().user
    invitation, raw = services.staff_invite(
        organization=org, email="Fac@Example.test", role="facilitator", invited_by=owner
    )
    assert invitation.email == "fac@example.test"
    assert raw in mailbox()[-1].body and raw not in invitation.token_digest
    StaffInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    invitation.refresh_from_db()
    with pytest.raises(DomainError, match="This invitation is expired"):
        services.staff_invitation_accept(invitation=invitation, user=factories.user("fac@example.test"))

    second, _ = services.staff_invite(organization=org, email="b@example.test", role="organizer", invited_by=owner)
    services.staff_invitation_revoke(invitation=second)
    with pytest.raises(DomainError, match="This invitation is revoked"):
        services.staff_invitation_accept(invitation=second, user=factories.user("b@example.test"))


def test_an_organization_keeps_at_least_one_owner_and_only_owners_make_owners():
    org = factories.organization()
    owner_membership = org.memberships.get()
    with pytest.raises(DomainError, match="at least one owner"):
        services.membership_change_role(membership=owner_membership, role="organizer", by_role="owner")
    with pytest.raises(DomainError, match="at least one owner"):
        services.membership_remove(membership=owner_membership, by_role="owner")
    organizer = factories.member(org, "organizer")
    membership = org.memberships.get(user=organizer)
    with pytest.raises(DomainError, match="Only an owner"):
        services.membership_change_role(membership=membership, role="owner", by_role="organizer")
    services.membership_change_role(membership=membership, role="owner", by_role="owner")
    services.membership_change_role(membership=owner_membership, role="facilitator", by_role="owner")
    assert sorted(org.memberships.values_list("role", flat=True)) == ["facilitator", "owner"]


@pytest.mark.parametrize(
    ("email", "password", "field"),
    [
        ("nope", "a-long-test-password-42", "email"),
        ("ok@example.test", "123", "password"),
        ("ok@example.test", "password", "password"),
    ],
)
def test_sign_up_refuses_bad_input_naming_the_field(email, password, field):
    with pytest.raises(DomainError) as caught:
        services.user_sign_up(email=email, password=password)
    assert caught.value.field == field


def test_sign_up_refuses_a_second_account_for_one_email():
    services.user_sign_up(email="sam@example.test", password="a-long-test-password-42")
    with pytest.raises(DomainError, match="An account with this e-mail exists"):
        services.user_sign_up(email="SAM@example.test", password="a-long-test-password-42")


def test_only_an_owner_invites_an_owner():
    org = factories.organization()
    owner = org.memberships.get().user
    with pytest.raises(DomainError, match="Only an owner can invite an owner"):
        services.staff_invite(
            organization=org, email="x@example.test", role="owner", invited_by=owner, by_role="organizer"
        )
    invitation, _ = services.staff_invite(
        organization=org, email="x@example.test", role="owner", invited_by=owner, by_role="owner"
    )
    assert invitation.role == "owner"


def test_an_organization_named_new_does_not_take_the_reserved_slug():
    assert services.organization_create(name="New", owner=factories.user()).slug == "new-org"


def test_leaving_the_staff_ends_facilitating_its_workshops():
    from workshops.services import scheduling

    org = factories.organization()
    person = factories.member(org, "facilitator")
    ws = factories.workshop(org)
    scheduling.workshop_set_facilitators(workshop=ws, users=[person])
    services.membership_remove(membership=org.memberships.get(user=person), by_role="owner")
    assert list(ws.facilitators.all()) == []
