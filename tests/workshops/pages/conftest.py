"""Fixtures of the organizer page tests: an organization with one member of each role, and its library.

Set-up goes through the services (or plain model rows where no service exists, such as a
built-in exercise); what is under test goes through the pages.
"""

from dataclasses import dataclass
from datetime import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from workshops.models import Exercise, Membership, Organization, Step
from workshops.models.organizations import Role
from workshops.services import library as library_services
from workshops.services import organizations as org_services
from workshops.services import scheduling as scheduling_services

PASSWORD = "lantern-orchard-49-quietly"


def make_user(email, first_name=""):
    return get_user_model().objects.create_user(username=email, email=email, password=PASSWORD, first_name=first_name)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing at full strength costs a third of a second per user; these tests are not about it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Team:
    organization: Organization
    other: Organization
    owner: object
    organizer: object
    facilitator: object
    outsider: object

    def client(self, role):
        client = Client()
        client.force_login(getattr(self, role))
        return client

    def url(self, rest=""):
        return f"/o/{self.organization.slug}/{rest}"


@pytest.fixture
def team(db):
    owner = make_user("owner@example.org", "Olu")
    organization = org_services.organization_create(name="Open Hearts", owner=owner, timezone_name="Europe/Berlin")
    organizer = make_user("organizer@example.org", "Ora")
    facilitator = make_user("facilitator@example.org", "Fay")
    Membership.objects.create(organization=organization, user=organizer, role=Role.ORGANIZER)
    Membership.objects.create(organization=organization, user=facilitator, role=Role.FACILITATOR)
    outsider = make_user("outsider@example.org", "Otto")
    other = org_services.organization_create(name="Elsewhere", owner=outsider, timezone_name="UTC")
    return Team(organization, other, owner, organizer, facilitator, outsider)


def instruction(title="Welcome", minutes=5, **extra):
    return {"kind": "instruction", "title": title, "duration_minutes": minutes, "config": {}, **extra}


def reflection(title="On your own", minutes=10, **extra):
    return {
        "kind": "reflection",
        "title": title,
        "duration_minutes": minutes,
        "config": {"prompts": ["What do you want more of?"]},
        **extra,
    }


@pytest.fixture
def exercise(team):
    return library_services.exercise_create(
        organization=team.organization,
        title="Listening in turns",
        practice="Active listening",
        steps=[instruction(), reflection()],
    )


@pytest.fixture
def builtin_exercise(db):
    """A read-only exercise of the built-in library (no organization), independent of the shipped content."""
    exercise = Exercise.objects.create(
        organization=None, key="test-builtin-map", title="Zz Test boundary map", practice="Boundary mapping"
    )
    Step.objects.create(
        exercise=exercise,
        position=1,
        kind="worksheet",
        title="Map it",
        duration_minutes=25,
        facilitator_notes="Walk the room slowly.",
        content_note="Touches on intimacy and limits.",
        config={"sections": [{"key": "non_negotiables", "label": "Non-negotiables"}]},
    )
    return exercise


@pytest.fixture
def program(team, exercise):
    return library_services.program_create(
        organization=team.organization,
        title="Evening workshop",
        items=[{"exercise": exercise.pk, "duration_minutes": 20, "part": 1}],
    )


@pytest.fixture
def workshop(team, program):
    workshop = scheduling_services.workshop_create(
        organization=team.organization,
        program=program,
        title="Spring evening",
        timezone_name="Europe/Berlin",
        capacity_couples=2,
        venue="Studio 4, Berlin",
    )
    scheduling_services.session_create(
        workshop=workshop, starts_at=datetime(2030, 5, 10, 18, 0), ends_at=datetime(2030, 5, 10, 21, 0)
    )
    return workshop
