"""Issue 16: nothing told an organizer that their staff invitation was accepted, although a facilitator can be
chosen only once they have. Now the one who sent it gets an e-mail naming who joined, with a link to the page where
they choose that person's workshops; the staff page lists pending, accepted and expired invitations, and sends an
expired one again. Everything an organizer or the invitee does goes through the pages and the e-mails."""

import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.mailbox import mailbox
from workshops.models import Membership, StaffInvitation
from workshops.services import organizations as org_services
from workshops.services import scheduling as scheduling_services

from .conftest import PASSWORD, make_user
from .helpers import page_text, text_of

pytestmark = pytest.mark.django_db

BASE = re.escape(settings.PUBLIC_BASE_URL)


def link_in(email, path_pattern):
    """The path of the one link in the e-mail that matches `path_pattern` (after PUBLIC_BASE_URL)."""
    [path] = re.findall(BASE + f"({path_pattern})", email.body)
    return path


def local(moment):
    return f"{moment.astimezone(ZoneInfo('Europe/Berlin')):%-d %b %Y, %H:%M} (Europe/Berlin)"


def invite(client, team, email, role="facilitator", capture=None):
    with capture(execute=True):
        response = client.post(team.url("staff/invite/"), {"email": email, "role": role})
    assert response.status_code == 302
    return StaffInvitation.objects.get(organization=team.organization, email=email.lower(), revoked_at__isnull=True)


def test_an_accepted_invitation_reaches_its_organizer_who_assigns_the_newcomer(
    team, workshop, django_capture_on_commit_callbacks
):
    organizer = team.client("organizer")
    mailbox().clear()
    invitation = invite(organizer, team, "Sam@Example.org", capture=django_capture_on_commit_callbacks)
    [invitation_mail] = mailbox()
    assert invitation_mail.to == ["sam@example.org"]
    staff = organizer.get(team.url("staff/"))
    assert "When they accept, you get an e-mail too: from then on they can facilitate workshops." in text_of(
        staff, "invite"
    )
    assert text_of(staff, f"invitation-{invitation.pk}").startswith("sam@example.org · Facilitator expires")
    assert text_of(staff, "invitations-accepted") == (
        "Accepted In the last 30 days. Once someone has joined, they can facilitate workshops. None."
    )

    # The invitee opens the e-mailed link, signs up with the address filled in, and joins.
    sam = Client()
    opened = sam.get(link_in(invitation_mail, r"/staff/invitation/\S+"))
    assert opened["Location"] == "/staff/invitation/"
    assert "Create an account" in page_text(sam.get(opened["Location"]))
    signup = sam.get("/accounts/signup/?next=/staff/invitation/")
    assert 'value="sam@example.org"' in signup.content.decode()
    signed_up = sam.post(
        "/accounts/signup/",
        {"email": "sam@example.org", "first_name": "Sam", "password": PASSWORD, "next": "/staff/invitation/"},
    )
    assert signed_up["Location"] == "/staff/invitation/"
    mailbox().clear()
    with django_capture_on_commit_callbacks(execute=True):
        joined = sam.post("/staff/invitation/")
    assert joined["Location"] == team.url()
    membership = Membership.objects.get(organization=team.organization, user__email="sam@example.org")
    invitation.refresh_from_db()

    # The organizer who sent it hears who accepted, when, and where to choose their workshops.
    [accepted_mail] = mailbox()
    assert accepted_mail.to == ["organizer@example.org"]
    assert accepted_mail.subject == "Sam accepted your invitation to Open Hearts"
    assign_url = settings.PUBLIC_BASE_URL + team.url(f"staff/{membership.pk}/workshops/")
    staff_url = settings.PUBLIC_BASE_URL + team.url("staff/")
    when = invitation.accepted_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert accepted_mail.body == (
        "Sam (sam@example.org) accepted your invitation and joined Open Hearts on Attune as Facilitator, on "
        f"{when:%-d %B %Y, %H:%M} (Europe/Berlin).\n\n"
        f"They can now facilitate your workshops. Choose which ones here:\n{assign_url}\n\n"
        f"Everyone on the staff, and the invitations still open:\n{staff_url}\n"
    )

    # The link opens the page where the organizer makes Sam a facilitator of the workshop.
    assign = organizer.get(link_in(accepted_mail, r"/o/\S+/workshops/"))
    assert assign.status_code == 200
    assert "Staff Workshops Sam facilitates sam@example.org · Facilitator. A facilitator runs" in page_text(assign)
    assert choices(assign) == ["Spring evening · Draft · from Fri 10 May 2030, 18:00 (Europe/Berlin)"]
    saved = organizer.post(assign.request["PATH_INFO"], {"workshops": [str(workshop.pk)]})
    assert (saved.status_code, saved["Location"]) == (302, assign.request["PATH_INFO"])
    assert list(workshop.facilitators.values_list("email", flat=True)) == ["sam@example.org"]
    after = organizer.get(saved["Location"])
    assert "Saved: Sam facilitates “Spring evening”." in page_text(after)
    assert checked_boxes(after) == [str(workshop.pk)]

    # The staff page shows the invitation accepted (who, when, sent by whom), no longer pending.
    staff = organizer.get(team.url("staff/"))
    assert text_of(staff, "invitations") == "Pending invitations None."
    assert text_of(staff, f"invitation-{invitation.pk}") == (
        f"Sam (sam@example.org) · Facilitator accepted {local(invitation.accepted_at)} · sent by Ora "
        "Choose their workshops: sam@example.org"
    )
    assert f'href="{team.url(f"staff/{membership.pk}/workshops/")}"' in text_of_html(staff, "invitations-accepted")
    # Sam, a facilitator, may not choose anyone's workshops.
    assert sam.get(team.url(f"staff/{membership.pk}/workshops/")).status_code == 403


def choices(response):
    """The labels of the workshop checkboxes, in order."""
    labels = re.findall(r'<label class="check" for="id_workshops_\d+">(.*?)</label>', response.content.decode())
    return [unescape(re.sub(r"<[^>]+>", "", label)).strip() for label in labels]


def checked_boxes(response):
    """The values of the ticked workshop checkboxes."""
    tags = re.findall(r'<input type="checkbox" name="workshops"[^>]*>', response.content.decode())
    return [re.search(r'value="(\d+)"', tag).group(1) for tag in tags if " checked" in tag]


def text_of_html(response, element_id):
    """The raw HTML from the element with this id on (enough to find a link inside it)."""
    html = response.content.decode()
    return html[html.index(f'id="{element_id}"') :]


def test_no_acceptance_mail_to_an_organizer_who_left_or_no_longer_organizes(team):
    invitation, _ = org_services.staff_invite(
        organization=team.organization, email="sam@example.org", role="facilitator", invited_by=team.organizer
    )
    later, _ = org_services.staff_invite(
        organization=team.organization, email="kim@example.org", role="facilitator", invited_by=team.owner
    )
    Membership.objects.filter(user=team.organizer).update(role="facilitator")
    mailbox().clear()
    org_services.staff_invitation_accept(invitation=invitation, user=make_user("sam@example.org"))
    assert mailbox() == []
    # The owner, still an owner, hears about theirs: this one's absence is the role's doing.
    org_services.staff_invitation_accept(invitation=later, user=make_user("kim@example.org"))
    assert [(m.to, m.subject) for m in mailbox()] == [
        (["owner@example.org"], "kim@example.org accepted your invitation to Open Hearts")
    ]


def test_an_expired_invitation_says_so_and_is_sent_again_with_a_new_link(team, django_capture_on_commit_callbacks):
    organizer = team.client("organizer")
    invitation = invite(organizer, team, "late@example.org", capture=django_capture_on_commit_callbacks)
    [first_mail] = mailbox()
    old_link = link_in(first_mail, r"/staff/invitation/\S+")
    expired_at = timezone.now() - timedelta(days=2)
    StaffInvitation.objects.filter(pk=invitation.pk).update(expires_at=expired_at)  # a week and two days pass

    staff = organizer.get(team.url("staff/"))
    assert text_of(staff, "invitations") == "Pending invitations None."
    assert text_of(staff, "invitations-expired") == (
        "Expired, not accepted In the last 30 days. Sending one again e-mails a new link, valid for 7 days. "
        f"late@example.org · Facilitator expired {local(expired_at)} without being accepted · sent by Ora "
        "Send again to late@example.org"
    )
    assert "This invitation is expired" in page_text(Client().get(old_link, follow=True))

    # The owner sends it again: a new e-mail, a new link for 7 more days; the owner is now the one to tell.
    owner = team.client("owner")
    mailbox().clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(team.url(f"staff/invitations/{invitation.pk}/resend/"))
    assert (response.status_code, response["Location"]) == (302, team.url("staff/") + "#invitations")
    [again] = mailbox()
    assert (again.to, again.subject) == (["late@example.org"], "You're invited to join Open Hearts on Attune")
    new_link = link_in(again, r"/staff/invitation/\S+")
    assert new_link != old_link
    invitation.refresh_from_db()
    assert invitation.invited_by == team.owner
    assert timedelta(days=6, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=7)
    staff = owner.get(team.url("staff/"))
    assert "Invitation e-mailed again to late@example.org, with a new link." in page_text(staff)
    assert 'id="invitations-expired"' not in staff.content.decode()
    assert text_of(staff, f"invitation-{invitation.pk}").startswith(
        f"late@example.org · Facilitator expires {local(invitation.expires_at)} · sent by Olu"
    )
    # The old link no longer works; the new one does.
    assert Client().get(old_link).status_code == 404
    newcomer = Client()
    assert newcomer.get(new_link)["Location"] == "/staff/invitation/"
    assert "You're invited as Facilitator." in page_text(newcomer.get("/staff/invitation/"))


def test_sending_again_follows_the_rules_of_inviting(team):
    owner_invitation, _ = org_services.staff_invite(
        organization=team.organization, email="boss@example.org", role="owner", invited_by=team.owner, by_role="owner"
    )
    joined, _ = org_services.staff_invite(
        organization=team.organization, email="twice@example.org", role="facilitator", invited_by=team.owner
    )
    StaffInvitation.objects.filter(pk__in=[owner_invitation.pk, joined.pk]).update(
        expires_at=timezone.now() - timedelta(hours=1)
    )
    # twice@ joined through a newer invitation: the expired one is no longer offered, nor sent.
    newer, _ = org_services.staff_invite(
        organization=team.organization, email="twice@example.org", role="facilitator", invited_by=team.owner
    )
    org_services.staff_invitation_accept(invitation=newer, user=make_user("twice@example.org"))

    organizer = team.client("organizer")
    staff = organizer.get(team.url("staff/"))
    assert text_of(staff, "invitations-expired").endswith(
        "boss@example.org · Owner expired "
        f"{local(StaffInvitation.objects.get(pk=owner_invitation.pk).expires_at)} without being accepted · "
        "sent by Olu Send again to boss@example.org"
    )
    assert f'id="invitation-{joined.pk}"' not in staff.content.decode()

    mailbox().clear()
    refused = organizer.post(team.url(f"staff/invitations/{owner_invitation.pk}/resend/"), follow=True)
    assert "Only an owner can invite an owner." in page_text(refused)
    refused = organizer.post(team.url(f"staff/invitations/{joined.pk}/resend/"), follow=True)
    assert "twice@example.org is already on the staff." in page_text(refused)
    refused = organizer.post(team.url(f"staff/invitations/{newer.pk}/resend/"), follow=True)
    assert "This invitation is accepted; it can't be sent again." in page_text(refused)
    assert mailbox() == []
    # Another organization's invitation is not found; a facilitator may not send any.
    elsewhere, _ = org_services.staff_invite(
        organization=team.other, email="x@example.org", role="facilitator", invited_by=team.outsider
    )
    assert organizer.post(team.url(f"staff/invitations/{elsewhere.pk}/resend/")).status_code == 404
    assert team.client("facilitator").post(team.url(f"staff/invitations/{joined.pk}/resend/")).status_code == 403


def test_choosing_a_members_workshops_keeps_the_others_facilitators_and_refuses_a_clash(team, workshop, program):
    fay = Membership.objects.get(organization=team.organization, user=team.facilitator)
    scheduling_services.workshop_set_facilitators(workshop=workshop, users=[team.owner])
    clashing = scheduling_services.workshop_create(
        organization=team.organization,
        program=program,
        title="Same evening",
        timezone_name="Europe/Berlin",
        capacity_couples=4,
    )
    scheduling_services.session_create(
        workshop=clashing,
        starts_at=datetime(2030, 5, 10, 19, 0),
        ends_at=datetime(2030, 5, 10, 20, 0),
    )
    over = scheduling_services.workshop_create(
        organization=team.organization,
        program=program,
        title="Long ago",
        timezone_name="Europe/Berlin",
        capacity_couples=4,
    )
    # A workshop whose only session is over (the service refuses to plan one in the past: a row, as time passed).
    over.sessions.create(
        starts_at=timezone.now() - timedelta(days=3), ends_at=timezone.now() - timedelta(days=3, hours=-2)
    )
    url = team.url(f"staff/{fay.pk}/workshops/")
    organizer = team.client("organizer")
    page = organizer.get(url)
    assert choices(page) == [
        "Spring evening · Draft · from Fri 10 May 2030, 18:00 (Europe/Berlin)",
        "Same evening · Draft · from Fri 10 May 2030, 19:00 (Europe/Berlin)",
    ]

    both = organizer.post(url, {"workshops": [str(workshop.pk), str(clashing.pk)]})
    assert both.status_code == 400
    assert text_of(both, "id_workshops_error") == (
        "Fay already facilitates 'Spring evening' from 2030-05-10 18:00 to 21:00 (Europe/Berlin)."
    )
    assert list(workshop.facilitators.all()) == [team.owner]
    assert list(clashing.facilitators.all()) == []

    saved = organizer.post(url, {"workshops": [str(workshop.pk)]})
    assert saved.status_code == 302
    assert set(workshop.facilitators.all()) == {team.owner, team.facilitator}
    removed = organizer.post(url, {})
    assert removed.status_code == 302
    assert list(workshop.facilitators.all()) == [team.owner]
    assert "Saved: Fay facilitates none of these workshops." in page_text(organizer.get(url))
    # A workshop that is over is not offered, and cannot be slipped in.
    sneaked = organizer.post(url, {"workshops": [str(over.pk)]})
    assert sneaked.status_code == 400
    assert list(over.facilitators.all()) == []
    # Someone of another organization is not found here.
    other = Membership.objects.get(organization=team.other)
    assert organizer.get(team.url(f"staff/{other.pk}/workshops/")).status_code == 404


def test_the_staff_page_links_each_member_to_their_workshops(team):
    fay = Membership.objects.get(organization=team.organization, user=team.facilitator)
    staff = team.client("organizer").get(team.url("staff/"))
    assert f'<a href="{team.url(f"staff/{fay.pk}/workshops/")}">Workshops they facilitate' in staff.content.decode()
    page = team.client("organizer").get(team.url(f"staff/{fay.pk}/workshops/"))
    assert text_of(page, "no-workshops") == (
        "No workshops to facilitate yet: none is planned or still to come. Plan a workshop, then choose its "
        "facilitators."
    )
