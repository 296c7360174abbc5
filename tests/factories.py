"""Test data made through the domain's own services, so every object is one the product could make."""

import itertools
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from workshops.models import Membership, Session
from workshops.services import enrollment as enrollment_services
from workshops.services import library, organizations, scheduling

_n = itertools.count(1)

INSTRUCTION = {"kind": "instruction", "title": "Welcome", "duration_minutes": 5, "participant_text": "Hello."}
REFLECTION = {
    "kind": "reflection",
    "title": "On your own",
    "duration_minutes": 10,
    "participant_text": "Write for yourself.",
    "config": {"prompts": ["When did you feel heard this week?"]},
}


def user(email=None, password="a-long-test-password-42"):
    email = email or f"user{next(_n)}@example.test"
    return get_user_model().objects.create_user(username=email, email=email, password=password)


def organization(owner=None, **kwargs):
    owner = owner or user()
    kwargs.setdefault("name", f"Org {next(_n)}")
    return organizations.organization_create(owner=owner, **kwargs)


def member(org, role, email=None):
    person = user(email)
    Membership.objects.create(organization=org, user=person, role=role)
    return person


def exercise(org, steps=None, title=None):
    return library.exercise_create(
        organization=org, title=title or f"Exercise {next(_n)}", steps=steps or [INSTRUCTION, REFLECTION]
    )


def program(org, parts=1, title=None):
    ex = exercise(org)
    items = [{"exercise": ex.pk, "part": part, "duration_minutes": 30} for part in range(1, parts + 1)]
    return library.program_create(organization=org, title=title or f"Program {next(_n)}", items=items)


def workshop(org, *, capacity=5, parts=1, timezone_name="Europe/Berlin", **kwargs):
    return scheduling.workshop_create(
        organization=org,
        program=kwargs.pop("program", None) or program(org, parts=parts),
        title=kwargs.pop("title", f"Workshop {next(_n)}"),
        timezone_name=timezone_name,
        capacity_couples=capacity,
        venue=kwargs.pop("venue", "The Garden Room"),
        **kwargs,
    )


def future(days=10, hour=10):
    start = timezone.now() + timedelta(days=days)
    return start.replace(hour=hour, minute=0, second=0, microsecond=0)


def session(ws, start=None, hours=3, **kwargs):
    start = start or future()
    return scheduling.session_create(workshop=ws, starts_at=start, ends_at=start + timedelta(hours=hours), **kwargs)


def past_session(ws, start, hours=3, **kwargs):
    """A session that took place at `start`: planned while still to come (a session that would be over already is
    refused), then time passed."""
    made = session(ws, future(days=400), hours=hours, **kwargs)
    Session.objects.filter(pk=made.pk).update(starts_at=start, ends_at=start + timedelta(hours=hours))
    made.refresh_from_db()
    return made


def published_workshop(org=None, *, capacity=5, sessions=1, **kwargs):
    org = org or organization()
    ws = workshop(org, capacity=capacity, parts=sessions, **kwargs)
    for day in range(sessions):
        session(ws, future(days=10 + day))
    return scheduling.workshop_publish(workshop=ws)


def register(ws, name=None):
    name = name or f"Couple{next(_n)}"
    enrollment, raw = enrollment_services.registration_submit(
        workshop=ws, contact_email=f"{name.lower()}@example.test", display_name=name
    )
    return enrollment, raw


def local(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute)
