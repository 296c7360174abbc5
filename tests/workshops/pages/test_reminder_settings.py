"""The reminder schedule is set on the organization's settings page and, for one workshop, on its form; a schedule
that can't be read is refused next to its field with what was typed kept."""

import pytest

from workshops.models import Organization, Workshop

from .helpers import field_value, text_of


def settings_post(**changes):
    data = {"name": "Open Hearts", "timezone": "Europe/Berlin", "anonymity_k": "5", "retention_days": "14"}
    data.update(changes)
    return data


@pytest.mark.django_db
def test_the_owner_sets_the_organizations_reminder_schedule(team):
    client = team.client("owner")
    url = team.url("settings/")
    assert field_value(client.get(url), "reminder_days") == "none"

    response = client.post(url, settings_post(reminder_days="7, tomorrow"))
    assert response.status_code == 400
    assert text_of(response, "id_reminder_days_error") == (
        "Give whole numbers of days separated by commas, such as 7, 1 (or none)."
    )
    assert field_value(response, "reminder_days") == "7, tomorrow"
    response = client.post(url, settings_post(reminder_days="90"))
    assert text_of(response, "id_reminder_days_error") == "A reminder goes 1 to 60 days before a session."
    assert Organization.objects.get(pk=team.organization.pk).reminder_days == []

    response = client.post(url, settings_post(reminder_days="1, 7"))
    assert response.status_code == 302
    assert Organization.objects.get(pk=team.organization.pk).reminder_days == [7, 1]
    assert field_value(client.get(url), "reminder_days") == "7, 1"


def workshop_post(workshop, **changes):
    data = {
        "title": workshop.title,
        "program": str(workshop.program_id),
        "format": workshop.format,
        "venue": workshop.venue,
        "video_link": "",
        "timezone": workshop.timezone,
        "capacity_couples": str(workshop.capacity_couples),
        "reminder_days": "",
        "description": "",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_a_workshop_keeps_the_organizations_schedule_or_has_its_own(team, workshop):
    client = team.client("owner")
    client.post(team.url("settings/"), settings_post(reminder_days="7, 1"))
    detail = team.url(f"workshops/{workshop.pk}/")
    assert text_of(client.get(detail), "reminders") == ("7 and 1 day before each session (the organization's schedule)")

    edit = team.url(f"workshops/{workshop.pk}/edit/")
    response = client.post(edit, workshop_post(workshop, reminder_days="-3"))
    assert response.status_code == 400
    assert text_of(response, "id_reminder_days_error") == "A reminder goes 1 to 60 days before a session."
    assert field_value(response, "reminder_days") == "-3"

    assert client.post(edit, workshop_post(workshop, reminder_days="3")).status_code == 302
    assert Workshop.objects.get(pk=workshop.pk).reminder_days == [3]
    assert text_of(client.get(detail), "reminders") == "3 days before each session"
    assert field_value(client.get(edit), "reminder_days") == "3"

    assert client.post(edit, workshop_post(workshop, reminder_days="none")).status_code == 302
    assert text_of(client.get(detail), "reminders") == "none"

    assert client.post(edit, workshop_post(workshop, reminder_days="")).status_code == 302
    assert Workshop.objects.get(pk=workshop.pk).reminder_days is None
