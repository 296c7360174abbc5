"""Staff (invite, revoke, roles, removal; the services' rules shown in place) and the owners' settings."""

import pytest

from tests.mailbox import mailbox
from workshops.models import Membership, Organization, StaffInvitation

from .helpers import field_value, page_text, text_of


def member(team, user):
    return Membership.objects.get(organization=team.organization, user=user)


@pytest.mark.django_db
def test_invite_lists_the_pending_invitation_and_revoke_removes_it(team, django_capture_on_commit_callbacks):
    client = team.client("organizer")
    url = team.url("staff/")
    mailbox().clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + "invite/", {"email": "New.Person@Example.org", "role": "facilitator"})
    assert (response.status_code, response["Location"]) == (302, url)
    invitation = StaffInvitation.objects.get(organization=team.organization)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "new.person@example.org",
        "facilitator",
        team.organizer,
    )
    assert [m.to for m in mailbox()] == [["new.person@example.org"]]
    response = client.get(url)
    assert "Invitation e-mailed to new.person@example.org (Facilitator)." in page_text(response)
    assert text_of(response, f"invitation-{invitation.pk}").startswith("new.person@example.org · Facilitator expires")

    response = client.post(url + f"invitations/{invitation.pk}/revoke/")
    assert response.status_code == 302
    response = client.get(url)
    assert text_of(response, "invitations") == "Pending invitations None."
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


@pytest.mark.django_db
def test_invite_errors_show_next_to_the_field(team):
    client = team.client("organizer")
    response = client.post(team.url("staff/invite/"), {"email": "facilitator@example.org", "role": "organizer"})
    assert response.status_code == 400
    assert text_of(response, "id_email_error") == "That person is already on the staff."
    assert field_value(response, "email") == "facilitator@example.org"
    # Only an owner hands out the owner role.
    assert 'value="owner"' not in response.content.decode().split('id="invite"')[1]
    response = client.post(team.url("staff/invite/"), {"email": "boss@example.org", "role": "owner"})
    assert text_of(response, "id_role_error").startswith("Select a valid choice.")
    assert StaffInvitation.objects.count() == 0
    response = team.client("owner").post(team.url("staff/invite/"), {"email": "boss@example.org", "role": "owner"})
    assert response.status_code == 302
    assert StaffInvitation.objects.get().role == "owner"


@pytest.mark.django_db
def test_roles_change_and_the_services_rules_show_on_the_member(team):
    organizer = team.client("organizer")
    fay = member(team, team.facilitator)
    response = organizer.post(team.url(f"staff/{fay.pk}/role/"), {"role": "organizer"})
    assert response.status_code == 302
    assert member(team, team.facilitator).role == "organizer"
    assert "facilitator@example.org is now organizer." in page_text(organizer.get(team.url("staff/")))

    owner = member(team, team.owner)
    response = organizer.post(team.url(f"staff/{owner.pk}/role/"), {"role": "facilitator"})
    assert response.status_code == 400
    assert text_of(response, f"member-{owner.pk}-error") == "Only an owner can make or unmake an owner."

    response = team.client("owner").post(team.url(f"staff/{owner.pk}/role/"), {"role": "organizer"})
    assert response.status_code == 400
    assert text_of(response, f"member-{owner.pk}-error") == "An organization keeps at least one owner."
    assert member(team, team.owner).role == "owner"


@pytest.mark.django_db
def test_members_are_removed_after_confirmation(team):
    client = team.client("owner")
    fay = member(team, team.facilitator)
    url = team.url(f"staff/{fay.pk}/remove/")
    assert "Remove facilitator@example.org from Open Hearts?" in page_text(client.get(url))
    response = client.post(url)
    assert (response.status_code, response["Location"]) == (302, team.url("staff/"))
    assert not Membership.objects.filter(pk=fay.pk).exists()
    assert team.client("facilitator").get(team.url()).status_code == 404

    # An organizer may leave; they land on the page to create or pick an organization.
    ora = member(team, team.organizer)
    response = team.client("organizer").post(team.url(f"staff/{ora.pk}/remove/"))
    assert (response.status_code, response["Location"]) == (302, "/o/new/")
    assert not Membership.objects.filter(pk=ora.pk).exists()


@pytest.mark.django_db
def test_owner_changes_settings_and_explained_limits_are_enforced(team):
    client = team.client("owner")
    url = team.url("settings/")
    response = client.get(url)
    assert text_of(response, "id_anonymity_k_helptext").startswith(
        "Anonymous feedback is shown only once at least k answers from at least three couples"
    )
    assert text_of(response, "id_retention_days_helptext").startswith(
        "What couples write in their private spaces is deleted this many days after a workshop's last session"
    )
    data = {"name": "Open Hearts Berlin", "timezone": "Europe/Berlin", "anonymity_k": "2", "retention_days": "30"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert text_of(response, "id_anonymity_k_error") == (
        "The anonymity threshold must be at least 3: fewer answers could identify a couple."
    )
    assert [field_value(response, n) for n in ("name", "anonymity_k", "retention_days")] == [
        "Open Hearts Berlin",
        "2",
        "30",
    ]
    organization = Organization.objects.get(pk=team.organization.pk)
    assert (organization.name, organization.anonymity_k, organization.retention_days) == ("Open Hearts", 5, 14)

    response = client.post(url, {**data, "anonymity_k": "5", "retention_days": "400"})
    assert text_of(response, "id_retention_days_error") == "Keep couple content between 1 and 365 days."

    response = client.post(url, {**data, "anonymity_k": "7"})
    assert (response.status_code, response["Location"]) == (302, url)
    organization.refresh_from_db()
    assert (organization.name, organization.timezone, organization.anonymity_k, organization.retention_days) == (
        "Open Hearts Berlin",
        "Europe/Berlin",
        7,
        30,
    )
    assert "Settings saved." in page_text(client.get(url))


@pytest.mark.django_db
def test_organization_form_errors_keep_the_input(client, team):
    client.force_login(team.facilitator)
    response = client.post("/o/new/", {"name": "Second home", "timezone": "Mars/Olympus"})
    assert response.status_code == 400
    assert text_of(response, "id_timezone_error") == "'Mars/Olympus' is not a time zone name such as Europe/Berlin."
    assert field_value(response, "name") == "Second home"
    assert "Open Hearts" in text_of(response, "main")  # the organizations they already belong to
    assert Organization.objects.filter(name="Second home").count() == 0
