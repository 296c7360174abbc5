"""The workshop page words registration for the state the workshop is in: draft, published (not yet open, open,
closed) and cancelled. Issue 16: after publishing, the page still said "open once published"."""

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from workshops.services import enrollment as enrollment_services
from workshops.services import scheduling as scheduling_services

from .helpers import page_text, text_of


def berlin(moment):
    """How the page shows a time of the Berlin workshop: 'Fri 10 May 2030, 18:00'."""
    return f"{moment.astimezone(zoneinfo.ZoneInfo('Europe/Berlin')):%a %-d %b %Y, %H:%M}"


@pytest.mark.django_db
def test_publishing_turns_opens_when_published_into_open_now(team, workshop):
    client = team.client("organizer")
    url = team.url(f"workshops/{workshop.pk}/")
    response = client.get(url)
    assert text_of(response, "registration-window") == "opens when published"
    assert text_of(response, "publish-effect") == "Publishing opens registration through the public page."
    assert text_of(response, "public-url-state") == "It works once the workshop is published."

    response = client.post(url + "publish/", follow=True)
    assert "Published: registration is open through the public link." in page_text(response)
    assert text_of(response, "registration-window") == "open now, with no closing date"
    assert text_of(response, "publish-state") == "Published. Registration open now, with no closing date."
    assert "once published" not in page_text(response)
    assert 'id="public-url-state"' not in response.content.decode()


@pytest.mark.django_db
def test_a_later_opening_and_a_passed_closing_are_said_as_they_are(team, workshop):
    client = team.client("organizer")
    url = team.url(f"workshops/{workshop.pk}/")
    scheduling_services.workshop_update(
        workshop=workshop,
        registration_opens_at=datetime(2030, 4, 1, 8, 0, tzinfo=UTC),  # 10:00 in Berlin (summer time)
        registration_closes_at=datetime(2030, 5, 9, 16, 0, tzinfo=UTC),
    )
    response = client.get(url)
    assert text_of(response, "registration-window") == (
        "opens Mon 1 Apr 2030, 10:00 if published by then, closes Thu 9 May 2030, 18:00"
    )
    assert text_of(response, "publish-effect") == (
        "Publishing shows the workshop on its public page; registration opens Mon 1 Apr 2030, 10:00."
    )

    response = client.post(url + "publish/", follow=True)
    assert "Published: registration opens Mon 1 Apr 2030, 10:00 (Europe/Berlin) on the public page." in page_text(
        response
    )
    assert text_of(response, "registration-window") == "opens Mon 1 Apr 2030, 10:00, closes Thu 9 May 2030, 18:00"
    assert text_of(response, "public-url-state") == (
        "It shows the workshop; registration opens Mon 1 Apr 2030, 10:00, closes Thu 9 May 2030, 18:00."
    )

    # Closing time passed (set through the service, as the clock would): the page says closed, not "open".
    closed_at = timezone.now() - timedelta(hours=1)
    scheduling_services.workshop_update(
        workshop=workshop, registration_opens_at=closed_at - timedelta(days=3), registration_closes_at=closed_at
    )
    response = client.get(url)
    assert text_of(response, "registration-window") == f"closed since {berlin(closed_at)}"
    assert text_of(response, "publish-state") == f"Published. Registration closed since {berlin(closed_at)}."


@pytest.mark.django_db
def test_cancelling_says_who_is_emailed_and_the_page_then_says_closed(team, workshop):
    scheduling_services.workshop_publish(workshop=workshop)
    for name in ("Ada", "Bo", "Cy"):  # capacity 2: two places and one waitlist spot
        enrollment_services.registration_submit(
            workshop=workshop, contact_email=f"{name.lower()}@example.net", display_name=name
        )
    client = team.client("organizer")
    url = team.url(f"workshops/{workshop.pk}/")
    assert "The 3 couples with a place or a waitlist spot get an e-mail saying the workshop is cancelled." in (
        page_text(client.get(url + "cancel/"))
    )
    response = client.post(url + "cancel/", follow=True)
    assert text_of(response, "registration-window") == "closed: the workshop is cancelled"
    assert text_of(response, "public-url-state") == "The workshop is cancelled, so this page no longer shows it."


@pytest.mark.django_db
def test_cancelling_a_draft_nobody_registered_for_says_nobody_is_emailed(team, workshop):
    response = team.client("owner").get(team.url(f"workshops/{workshop.pk}/cancel/"))
    assert "Nobody holds a place or a waitlist spot, so nobody is e-mailed." in page_text(response)
