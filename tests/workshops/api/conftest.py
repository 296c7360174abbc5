"""Fixtures of the API tests: two organizations with one member of each role and a bit of everything.

Set-up goes through the services; what is under test goes through the API. Requests run their
on-commit work (the e-mails) as they would outside a test transaction.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.mailbox import mailbox
from workshops.models import Membership
from workshops.models.organizations import Role
from workshops.services import enrollment as enrollment_services
from workshops.services import library as library_services
from workshops.services import organizations as org_services
from workshops.services import registration_questions as question_services
from workshops.services import scheduling as scheduling_services

INSTRUCTION = {"kind": "instruction", "title": "Welcome", "duration_minutes": 10}
REFLECTION = {
    "kind": "reflection",
    "title": "On your own",
    "duration_minutes": 15,
    "config": {"prompts": ["What helps you say no?"]},
}


def make_user(email, first_name=""):
    """A user without a usable password (hashing one costs a third of a second); tests use tokens."""
    return get_user_model().objects.create_user(username=email, email=email, password=None, first_name=first_name)


def in_days(days, hour=9):
    """An aware UTC time `days` from now at `hour`:00 UTC, so sessions are always in the future."""
    base = timezone.now().replace(hour=hour, minute=0, second=0, microsecond=0)
    return base + timedelta(days=days)


class Api:
    """An APIClient that sends JSON and runs on-commit callbacks of each request."""

    def __init__(self, capture, user=None):
        self.client = APIClient()
        self.capture = capture
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            self.client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    def request(self, method, path, data=None, **extra):
        with self.capture(execute=True):
            if data is None:
                return getattr(self.client, method)(path, **extra)
            return getattr(self.client, method)(path, data, format="json", **extra)

    def get(self, path, **extra):
        return self.request("get", path, **extra)

    def post(self, path, data=None, **extra):
        return self.request("post", path, data, **extra)

    def patch(self, path, data=None, **extra):
        return self.request("patch", path, data, **extra)

    def put(self, path, data=None, **extra):
        return self.request("put", path, data, **extra)

    def delete(self, path, **extra):
        return self.request("delete", path, **extra)


@dataclass
class World:
    """One organization and its things; ids are what the tests address."""

    name: str
    organization: object = None
    users: dict = field(default_factory=dict)
    spare_membership: object = None
    exercise: object = None
    spare_exercise: object = None
    program: object = None
    spare_program: object = None
    draft: object = None
    draft_session: object = None
    draft_question: object = None
    live: object = None
    live_session: object = None
    enrollment: object = None
    invitation: object = None

    @property
    def slug(self):
        return self.organization.slug

    @property
    def base(self):
        return f"/api/v1/orgs/{self.slug}"


def build_world(name):
    world = World(name=name)
    domain = f"{name.lower()}.test"
    owner = make_user(f"owner@{domain}", "Olive")
    world.organization = org_services.organization_create(name=name, owner=owner, timezone_name="Europe/Berlin")
    world.users["owner"] = owner
    for role in (Role.ORGANIZER, Role.FACILITATOR):
        user = make_user(f"{role}@{domain}", role.title())
        Membership.objects.create(organization=world.organization, user=user, role=role)
        world.users[str(role)] = user
    spare = make_user(f"spare@{domain}", "Sam")
    world.spare_membership = Membership.objects.create(
        organization=world.organization, user=spare, role=Role.FACILITATOR
    )
    world.exercise = library_services.exercise_create(
        organization=world.organization, title="Check-in", steps=[INSTRUCTION, REFLECTION]
    )
    world.spare_exercise = library_services.exercise_create(
        organization=world.organization, title="Spare", steps=[INSTRUCTION]
    )
    world.program = library_services.program_create(
        organization=world.organization,
        title="Evening",
        items=[{"exercise": world.exercise.pk, "duration_minutes": 60}],
    )
    world.spare_program = library_services.program_create(
        organization=world.organization, title="Spare program", items=[{"exercise": world.exercise.pk}]
    )
    world.draft = scheduling_services.workshop_create(
        organization=world.organization,
        program=world.program,
        title="Draft evening",
        timezone_name="Europe/Berlin",
        capacity_couples=5,
        venue="Garden room",
    )
    world.draft_session = scheduling_services.session_create(
        workshop=world.draft, starts_at=in_days(30, 17), ends_at=in_days(30, 20)
    )
    world.draft_question = question_services.question_add(
        workshop=world.draft, label="Room for the night", kind="choice", choices=["Shared room", "Single room"]
    )
    world.live = scheduling_services.workshop_create(
        organization=world.organization,
        program=world.program,
        title="Live evening",
        timezone_name="Europe/Berlin",
        capacity_couples=5,
        venue="Garden room",
    )
    world.live_session = scheduling_services.session_create(
        workshop=world.live, starts_at=in_days(40, 17), ends_at=in_days(40, 20)
    )
    scheduling_services.workshop_publish(workshop=world.live)
    world.live.refresh_from_db()
    world.enrollment, _ = enrollment_services.registration_submit(
        workshop=world.live, contact_email=f"ana@{domain}", display_name="Ana"
    )
    world.invitation, _ = org_services.staff_invite(
        organization=world.organization, email=f"new@{domain}", role=Role.FACILITATOR, invited_by=owner
    )
    return world


def seeded_path_parameters(path, world):
    """Values for the path parameters of an operation: the seeded objects it acts on."""
    values = {"slug": world.slug, "public_id": world.live.public_id}
    if "/memberships/{id}" in path:
        values["id"] = world.spare_membership.pk
    elif "/invitations/{id}" in path:
        values["id"] = world.invitation.pk
    elif "/exercises/{id}" in path:
        values["id"] = world.spare_exercise.pk
    elif "/programs/{id}" in path:
        values["id"] = world.spare_program.pk
    elif "/questions/{id}" in path:
        values.update(workshop_pk=world.draft.pk, id=world.draft_question.pk)
    elif "/sessions/{id}" in path:
        values.update(workshop_pk=world.draft.pk, id=world.draft_session.pk)
    elif "/enrollments/" in path or "/waitlist/" in path:
        values.update(workshop_pk=world.live.pk, id=world.enrollment.pk)
    elif "/workshops/{workshop_pk}" in path:
        values["workshop_pk"] = world.draft.pk
    elif "/workshops/{id}" in path:
        values["id"] = world.draft.pk
    return values


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_as(django_capture_on_commit_callbacks):
    def make(user=None):
        return Api(django_capture_on_commit_callbacks, user)

    return make


@pytest.fixture
def anonymous(api_as):
    return api_as(None)


@pytest.fixture
def own(db):
    world = build_world("Acme")
    mailbox().clear()  # the set-up's e-mails are not under test
    return world


@pytest.fixture
def other(db):
    world = build_world("Bloom")
    mailbox().clear()  # the set-up's e-mails are not under test
    return world


@pytest.fixture
def outsider(db):
    """Signed in, on no organization's staff."""
    return make_user("outsider@nowhere.test")
