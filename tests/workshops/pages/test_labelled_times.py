"""Issue 16: times showed in UTC, unlabelled, on the staff page's invitation expiry and the report's session
filter. Each now shows in its own zone (the organization's, the workshop's), named."""

from zoneinfo import ZoneInfo

import pytest

from workshops.models import Session
from workshops.services import organizations as org_services

from .helpers import page_text

pytestmark = pytest.mark.django_db


def test_an_invitations_expiry_shows_in_the_organizations_zone_named(team):
    invitation, _raw = org_services.staff_invite(
        organization=team.organization, email="new@example.org", role="facilitator", invited_by=team.owner
    )
    local = invitation.expires_at.astimezone(ZoneInfo("Europe/Berlin"))
    text = page_text(team.client("owner").get(team.url("staff/")))
    assert f"expires {local:%-d %b %Y, %H:%M} (Europe/Berlin)" in text


def test_the_reports_session_filter_names_each_sessions_local_time_and_zone(team, workshop):
    session = Session.objects.get(workshop=workshop)  # 18:00 on 10 May 2030 in Berlin
    page = team.client("owner").get(team.url("feedback/")).content.decode()
    assert f'<option value="{session.pk}">Spring evening · 10 May 2030, 18:00 (Europe/Berlin)</option>' in page
