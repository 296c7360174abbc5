"""A registration window that would close (or open) after the first session starts is refused next to its field,
with what was typed kept; so is a session that would start before registration closes."""

from datetime import UTC, datetime

import pytest

from workshops.services import scheduling as scheduling_services

from .helpers import field_value, text_of


def edit_post(workshop, **changes):
    data = {
        "title": workshop.title,
        "program": str(workshop.program_id),
        "format": workshop.format,
        "venue": workshop.venue,
        "video_link": "",
        "timezone": workshop.timezone,
        "capacity_couples": str(workshop.capacity_couples),
        "registration_opens_at": "",
        "registration_closes_at": "",
        "description": "",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_a_closing_date_after_the_first_session_starts_is_refused_and_kept(team, workshop):
    # The fixture's session: Fri 10 May 2030, 18:00-21:00 in Berlin.
    client = team.client("organizer")
    url = team.url(f"workshops/{workshop.pk}/edit/")
    response = client.post(url, edit_post(workshop, registration_closes_at="2030-05-11T12:00"))
    assert response.status_code == 400
    assert text_of(response, "id_registration_closes_at_error") == (
        "Registration must close by the time the first session starts (Fri 10 May 2030, 18:00 (Europe/Berlin))."
    )
    assert field_value(response, "registration_closes_at") == "2030-05-11T12:00"
    workshop.refresh_from_db()
    assert workshop.registration_closes_at is None

    response = client.post(url, edit_post(workshop, registration_opens_at="2030-05-10T18:30"))
    assert response.status_code == 400
    assert text_of(response, "id_registration_opens_at_error") == (
        "Registration must open by the time the first session starts (Fri 10 May 2030, 18:00 (Europe/Berlin))."
    )
    assert field_value(response, "registration_opens_at") == "2030-05-10T18:30"

    response = client.post(url, edit_post(workshop, registration_closes_at="2030-05-10T18:00"))  # at the start: fine
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.registration_closes_at == datetime(2030, 5, 10, 16, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_a_session_starting_before_registration_closes_is_refused_next_to_its_start(team, workshop):
    scheduling_services.workshop_update(
        workshop=workshop, registration_closes_at=datetime(2030, 5, 9, 16, 0, tzinfo=UTC)
    )
    client = team.client("organizer")
    response = client.post(
        team.url(f"workshops/{workshop.pk}/sessions/new/"),
        {"title": "Warm-up", "starts_at": "2030-05-09T10:00", "ends_at": "2030-05-09T12:00"},
    )
    assert response.status_code == 400
    assert text_of(response, "id_starts_at_error") == (
        "Registration closes Thu 9 May 2030, 18:00 (Europe/Berlin), after this session would start. "
        "Start it later, or first make registration close earlier (Edit details)."
    )
    assert [field_value(response, n) for n in ("title", "starts_at", "ends_at")] == [
        "Warm-up",
        "2030-05-09T10:00",
        "2030-05-09T12:00",
    ]
    assert workshop.sessions.count() == 1
