"""The bench's data, made through Attune's own services: an organization, a facilitator, a workshop whose
program has one part per measured server (one session each, so every server starts from a fresh live state),
and, for large N only, couples made directly in the database (the default run joins and pairs them over HTTP).

Runs in the bench's own process with the same settings as the servers (see bench.run.server_env)."""

import os
import secrets
import subprocess
import sys
from datetime import timedelta
from urllib.parse import urlparse

from bench import ROOT

# Built-in exercises without poll steps: every step change is then one session frame, as in the baselines.
EXERCISES = [
    "check-in-ground-rules",
    "pause-signal",
    "naming-moments",
    "boundary-map",
    "goals-to-actions",
    "structured-disagreement",
    "trial-period",
    "consent-check-in",
]


def ensure_database(database_url):
    """Create the bench's PostgreSQL database if it is missing, and migrate it."""
    import psycopg

    parsed = urlparse(database_url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=os.environ.copy(),
        check=True,
    )


def flush_redis(redis_url):
    import redis

    redis.Redis.from_url(redis_url).flushdb()


class World:
    """What the load client needs to know about the data."""

    org = None
    workshop = None
    sessions = ()  # one per Attune server run
    facilitator_cookie = ""
    join_code = ""


def make_world(*, couples, parts):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from workshops.models import Exercise, Membership
    from workshops.services import library, organizations, scheduling

    tag = secrets.token_hex(4)
    User = get_user_model()
    owner = User.objects.create_user(username=f"owner-{tag}@bench.test", email=f"owner-{tag}@bench.test")
    org = organizations.organization_create(owner=owner, name=f"Bench {tag}")
    facilitator = User.objects.create_user(username=f"fac-{tag}@bench.test", email=f"fac-{tag}@bench.test")
    Membership.objects.create(organization=org, user=facilitator, role="facilitator")
    exercises = {e.key: e.pk for e in Exercise.objects.filter(organization=None, key__in=EXERCISES)}
    items = [
        {"exercise": exercises[key], "part": part, "duration_minutes": 10}
        for part in range(1, parts + 1)
        for key in EXERCISES
    ]
    program = library.program_create(organization=org, title="Bench program", items=items, format="online")
    workshop = scheduling.workshop_create(
        organization=org,
        program=program,
        title=f"Bench {tag}",
        timezone_name="UTC",
        capacity_couples=min(scheduling.MAX_CAPACITY, couples + 10),
        format="online",
        video_link="https://video.example/bench",
    )
    start = timezone.now() - timedelta(minutes=5)
    sessions = []
    for part in range(parts):
        begins = start + timedelta(hours=3 * part)
        sessions.append(
            scheduling.session_create(workshop=workshop, starts_at=begins, ends_at=begins + timedelta(hours=2))
        )
    scheduling.workshop_set_facilitators(workshop=workshop, users=[facilitator])
    scheduling.workshop_publish(workshop=workshop)
    client = Client()
    client.force_login(facilitator)
    from django.conf import settings

    world = World()
    world.org, world.workshop, world.sessions = org, workshop, sessions
    world.facilitator_cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    world.join_code = sessions[0].join_code
    return world


def couples_in_database(world, count):
    """Couples made with the joining services directly (for large N): returns [[cookie, cookie], ...].

    Each device gets a Django session, as the HTTP flow would give it, mapping the workshop to its participant."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    from realtime.identity import remember_participant
    from realtime.services import joining

    pairs = []
    for n in range(count):
        devices = []
        participants = []
        for who in ("a", "b"):
            participant = joining.participant_enter(
                workshop=world.workshop, display_name=f"{who}{n}", consent=True, feedback_consent=True
            )
            store = SessionStore()
            remember_participant(store, participant)
            store.save()
            participants.append(participant)
            devices.append(f"{settings.SESSION_COOKIE_NAME}={store.session_key}")
        _, code = joining.pairing_start(participant=participants[0])
        participants[0].refresh_from_db()
        request = joining.pairing_join(participant=participants[1], code=code)
        joining.pairing_confirm(participant=participants[0], request_id=request.pk)
        joining.pairing_confirm(participant=participants[1], request_id=request.pk)
        pairs.append(devices)
    return pairs


def public_frame_bytes(session):
    """The size of one encoded public session snapshot of a running session (the baselines send as much)."""
    from realtime.services.publish import encode
    from realtime.services.session import session_command, state_for
    from realtime.snapshots import session_frames

    state = state_for(session)
    state = session_command(session=session, action="start", expected_version=state.version)
    public, _ = session_frames(state)
    return len(encode(public).encode())
