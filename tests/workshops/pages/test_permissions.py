"""Who may open which organizer page: other organizations 404, a role lacking the action 403."""

import pytest
from django.test import Client

from workshops.models import Exercise, Membership, Organization, Workshop
from workshops.services import enrollment as enrollment_services
from workshops.services import library as library_services
from workshops.services import registration_questions as question_services
from workshops.services import scheduling as scheduling_services

from .conftest import instruction
from .helpers import page_text

EVERYONE = {"owner", "organizer", "facilitator"}
PLANNERS = {"owner", "organizer"}

PAGES = [
    ("", EVERYONE),
    ("settings/", {"owner"}),
    ("library/", EVERYONE),
    ("library/new/", PLANNERS),
    ("library/{exercise}/", EVERYONE),
    ("library/{exercise}/edit/", PLANNERS),
    ("library/{exercise}/delete/", PLANNERS),
    ("programs/", EVERYONE),
    ("programs/new/", PLANNERS),
    ("programs/{program}/", EVERYONE),
    ("programs/{program}/edit/", PLANNERS),
    ("programs/{program}/delete/", PLANNERS),
    ("workshops/", EVERYONE),
    ("workshops/new/", PLANNERS),
    ("workshops/{workshop}/", EVERYONE),
    ("workshops/{workshop}/edit/", PLANNERS),
    ("workshops/{workshop}/sessions/new/", PLANNERS),
    ("workshops/{workshop}/sessions/{session}/edit/", PLANNERS),
    ("workshops/{workshop}/sessions/{session}/delete/", PLANNERS),
    ("workshops/{workshop}/facilitators/", PLANNERS),
    ("workshops/{workshop}/cancel/", PLANNERS),
    ("workshops/{workshop}/enrollments/", EVERYONE),
    ("workshops/{workshop}/enrollments/{enrollment}/cancel/", PLANNERS),
    ("workshops/{workshop}/enrollments/add/", PLANNERS),
    ("workshops/{workshop}/enrollments/export.csv", PLANNERS),
    ("workshops/{workshop}/enrollments/message/", PLANNERS),
    ("workshops/{workshop}/questions/", EVERYONE),
    ("workshops/{workshop}/questions/add/", PLANNERS),
    ("workshops/{workshop}/questions/{question}/edit/", PLANNERS),
    ("workshops/{workshop}/questions/{question}/delete/", PLANNERS),
    ("staff/", EVERYONE),
    ("staff/{membership}/remove/", PLANNERS),
]


@pytest.fixture
def ids(team, exercise, program, workshop):
    scheduling_services.workshop_publish(workshop=workshop)
    enrollment, _ = enrollment_services.registration_submit(
        workshop=workshop, contact_email="pat@example.net", display_name="Pat"
    )
    return {
        "exercise": exercise.pk,
        "program": program.pk,
        "workshop": workshop.pk,
        "session": workshop.sessions.get().pk,
        "enrollment": enrollment.pk,
        "membership": Membership.objects.get(user=team.facilitator).pk,
        "question": question_services.question_add(workshop=workshop, label="Diet?", kind="short_text").pk,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "allowed"), PAGES, ids=[p or "dashboard" for p, _ in PAGES])
def test_each_page_answers_by_role(team, ids, page, allowed):
    url = team.url(page.format(**ids))
    for role in ("owner", "organizer", "facilitator"):
        response = team.client(role).get(url)
        assert (role, response.status_code) == (role, 200 if role in allowed else 403)
        if role not in allowed:
            assert "Your role doesn't allow this" in page_text(response)
    assert team.client("outsider").get(url).status_code == 404
    response = Client().get(url)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={url}")


@pytest.mark.django_db
def test_facilitator_cannot_change_anything(team, ids, builtin_exercise):
    client = team.client("facilitator")
    workshop = Workshop.objects.get(pk=ids["workshop"])
    posts = [
        ("library/new/", {"op": "save", "title": "Mine", "step_count": "0"}),
        (f"library/{builtin_exercise.pk}/copy/", {}),
        (f"programs/{ids['program']}/copy/", {}),
        (f"programs/{ids['program']}/items/add/", {"exercise": str(ids["exercise"])}),
        (f"workshops/{ids['workshop']}/publish/", {}),
        (f"workshops/{ids['workshop']}/cancel/", {}),
        (f"workshops/{ids['workshop']}/calendar/rotate/", {}),
        (f"workshops/{ids['workshop']}/sessions/{ids['session']}/delete/", {}),
        (f"workshops/{ids['workshop']}/enrollments/{ids['enrollment']}/cancel/", {}),
        (f"workshops/{ids['workshop']}/enrollments/{ids['enrollment']}/resend/", {}),
        (f"workshops/{ids['workshop']}/enrollments/add/", {"display_name": "Zed", "contact_email": "z@example.net"}),
        (
            f"workshops/{ids['workshop']}/enrollments/message/",
            {"audience": "confirmed", "subject": "Hi", "body": "Hi", "action": "send", "expected": "1"},
        ),
        (f"workshops/{ids['workshop']}/questions/add/", {"label": "Room?", "kind": "short_text"}),
        (f"workshops/{ids['workshop']}/questions/{ids['question']}/delete/", {}),
        (f"workshops/{ids['workshop']}/questions/{ids['question']}/move/", {"direction": "up"}),
        ("staff/invite/", {"email": "new@example.org", "role": "organizer"}),
        (f"staff/{ids['membership']}/role/", {"role": "organizer"}),
        ("settings/", {"name": "Taken over", "timezone": "UTC", "anonymity_k": "3", "retention_days": "1"}),
    ]
    for page, data in posts:
        assert (page, client.post(team.url(page), data).status_code) == (page, 403)
    workshop.refresh_from_db()
    assert (workshop.status, workshop.ical_version, workshop.sessions.count()) == ("published", 1, 1)
    assert workshop.enrollments.get().status == "confirmed"
    assert Exercise.objects.filter(organization=team.organization).count() == 1
    assert Membership.objects.get(user=team.facilitator).role == "facilitator"
    assert team.organization.invitations.count() == 0
    team.organization.refresh_from_db()
    assert team.organization.name == "Open Hearts"


@pytest.mark.django_db
def test_organizer_cannot_change_settings_and_sees_no_settings_link(team):
    client = team.client("organizer")
    response = client.post(
        team.url("settings/"), {"name": "Renamed", "timezone": "UTC", "anonymity_k": "3", "retention_days": "1"}
    )
    assert response.status_code == 403
    organization = Organization.objects.get(pk=team.organization.pk)
    assert (organization.name, organization.timezone, organization.anonymity_k, organization.retention_days) == (
        "Open Hearts",
        "Europe/Berlin",
        5,
        14,
    )
    assert f'href="{team.url("settings/")}"' not in client.get(team.url()).content.decode()
    assert f'href="{team.url("settings/")}"' in team.client("owner").get(team.url()).content.decode()


@pytest.mark.django_db
def test_objects_of_another_organization_are_not_found(team, ids):
    other_exercise = library_services.exercise_create(organization=team.other, title="Theirs", steps=[instruction()])
    other_program = library_services.program_create(
        organization=team.other, title="Their program", items=[{"exercise": other_exercise.pk}]
    )
    other_workshop = scheduling_services.workshop_create(
        organization=team.other, program=other_program, title="Their day", timezone_name="UTC", capacity_couples=3
    )
    other_member = Membership.objects.get(organization=team.other)
    other_question = question_services.question_add(workshop=other_workshop, label="Theirs?", kind="short_text")
    client = team.client("owner")
    for page in [
        f"library/{other_exercise.pk}/",
        f"programs/{other_program.pk}/",
        f"workshops/{other_workshop.pk}/",
        f"workshops/{other_workshop.pk}/enrollments/",
        f"workshops/{other_workshop.pk}/enrollments/export.csv",
        f"workshops/{other_workshop.pk}/questions/",
        f"workshops/{ids['workshop']}/questions/{other_question.pk}/edit/",
        f"workshops/{ids['workshop']}/sessions/{other_workshop.pk + 1000}/edit/",
    ]:
        assert (page, client.get(team.url(page)).status_code) == (page, 404)
    for page, data in [
        (f"library/{other_exercise.pk}/copy/", {}),
        (f"programs/{other_program.pk}/copy/", {}),
        (f"workshops/{other_workshop.pk}/publish/", {}),
        (f"staff/{other_member.pk}/role/", {"role": "facilitator"}),
    ]:
        assert (page, client.post(team.url(page), data).status_code) == (page, 404)
    # A program of another organization can't be slipped into a workshop form either.
    response = client.post(
        team.url("workshops/new/"),
        {
            "title": "X",
            "program": str(other_program.pk),
            "format": "online",
            "timezone": "UTC",
            "capacity_couples": "2",
        },
    )
    assert response.status_code == 400
    assert Workshop.objects.filter(organization=team.organization).count() == 1
    other_member.refresh_from_db()
    assert other_member.role == "owner"


@pytest.mark.django_db
def test_facilitator_sees_the_enrollments_without_contact_emails_or_actions(team, ids):
    response = team.client("facilitator").get(team.url(f"workshops/{ids['workshop']}/enrollments/"))
    assert response.status_code == 200
    text = page_text(response)
    assert "Pat" in text
    assert "pat@example.net" not in text
    assert "Resend link" not in text
    response = team.client("organizer").get(team.url(f"workshops/{ids['workshop']}/enrollments/"))
    assert "Pat pat@example.net" in page_text(response)
    assert "Resend link" in page_text(response)


@pytest.mark.django_db
def test_facilitator_reads_the_workshop_without_edit_forms(team, ids):
    response = team.client("facilitator").get(team.url(f"workshops/{ids['workshop']}/"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Join code" in page_text(response)
    main = html.split('<main id="main">')[1]
    assert "<form" not in main
    assert "Add a session" not in page_text(response)
