"""The bench's data, made through Attune's own services: an organization, a facilitator, a workshop whose
program has one part per measured server (one session each, so every server starts from a fresh live state),
and, for large N only, couples made directly in the database (the default run joins and pairs them over HTTP).

idle_10k's room (5,000 couples, bench/topology.py) is kept in the bench's database between runs: `idle_room` reuses
it when the manifest under var/ still matches the database (each run still gets a fresh session of it), and
builds it again otherwise (or with BENCH_FRESH=1). Couples are made by a few threads at once (`couples_in_database`).

Runs in the bench's own process with the same settings as the servers (see bench.run.server_env)."""

import contextlib
import json
import os
import re
import secrets
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import urlparse

from bench import ROOT
from bench.procs import on_cores

WORKERS = 4  # threads making couples, each with its own database connection
MANIFEST_VERSION = 1
SESSION_MARGIN = timedelta(days=1)  # a reused device cookie must stay valid at least this long

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


def make_couple(world, n):
    """One couple made with the joining services: two participants, each with a device (a Django session, as the
    HTTP flow would give it, mapping the workshop to its participant), paired by code. Returns [cookie, cookie]."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    from bench import sealed
    from realtime.identity import remember_participant
    from realtime.services import joining

    devices = []
    participants = []
    for who in ("a", "b"):
        participant = joining.participant_enter(
            session=world.sessions[0], display_name=f"{who}{n}", consent=True, feedback_consent=True
        )
        store = SessionStore()
        remember_participant(store, participant)
        store.save()
        participants.append(participant)
        devices.append(f"{settings.SESSION_COOKIE_NAME}={store.session_key}")
    _, code = joining.pairing_start(participant=participants[0], session=world.sessions[0])
    participants[0].refresh_from_db()
    exchange = sealed.Exchange()
    request = joining.pairing_join(participant=participants[1], code=code, commitment=exchange.commitment)
    joining.pairing_key(participant=participants[0], request_id=request.pk, public_key=exchange.creator_key)
    joining.pairing_key(participant=participants[1], request_id=request.pk, public_key=exchange.joiner_key)
    session = world.sessions[0]
    joining.pairing_confirm(
        participant=participants[0], request_id=request.pk, session=session, wrapped_key=sealed.wrapped_key()
    )
    joining.pairing_confirm(participant=participants[1], request_id=request.pk, session=session)
    return devices


def _make_couples(world, numbers):
    """One worker thread's couples, on its own database connection (closed at the end). Its commits skip the
    wait for the WAL flush (synchronous_commit, this connection only): fixtures, not figures; a room cut short by
    a crash fails its check and is built again."""
    from django.db import connection, connections

    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit = off")
        return [(n, make_couple(world, n)) for n in numbers]
    finally:
        with contextlib.suppress(Exception):  # the connection goes back to the pool as it came
            if connection.vendor == "postgresql" and connection.connection is not None:
                with connection.cursor() as cursor:
                    cursor.execute("RESET synchronous_commit")
        connections.close_all()


def couples_in_database(world, count, *, workers=1, cpus=None):
    """`count` couples made with the joining services directly (for large N): returns [[cookie, cookie], ...] in
    the order of their names (a0/b0, a1/b1...). With `workers` > 1, that many threads make them, each with its
    own connection, the process widened to `cpus` meanwhile (PostgreSQL and the ORM then overlap) and pinned
    back after: nothing is measured while fixtures are made."""
    if count <= 0:
        return []
    if workers <= 1:
        return [make_couple(world, n) for n in range(count)]
    workers = min(workers, count)
    with on_cores(cpus), ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bench-couples") as pool:
        futures = [pool.submit(_make_couples, world, range(w, count, workers)) for w in range(workers)]
        made = dict(pair for future in futures for pair in future.result())
    return [made[n] for n in range(count)]


# --- idle_10k's room, kept between runs -----------------------------------------------------------------


def database_label(database_url):
    """The database as the manifest names it: host, port and name (never a password)."""
    parsed = urlparse(database_url)
    return f"{parsed.hostname or ''}:{parsed.port or 5432}/{parsed.path.lstrip('/')}"


def manifest_path(database_url):
    """One manifest per bench database, under var/ (git-ignored)."""
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", urlparse(database_url).path.lstrip("/")) or "default"
    return ROOT / "var" / f"bench-idle-room.{name}.json"


def read_manifest(path):
    try:
        with open(path) as f:
            manifest = json.load(f)
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def write_manifest(path, manifest):
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w") as f:
        json.dump(manifest, f)
    os.replace(tmp, path)


def new_manifest(world, pairs, *, database, seconds):
    return {
        "version": MANIFEST_VERSION,
        "database": database,
        "workshop_id": world.workshop.pk,
        "workshop_title": world.workshop.title,
        "couples": len(pairs),
        "pairs": pairs,
        "built_s": round(seconds, 1),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def manifest_problem(manifest, *, database, couples):
    """Why the manifest alone cannot describe the wanted room (None if it can; the database is checked next)."""
    if not manifest:
        return "no manifest"
    if manifest.get("version") != MANIFEST_VERSION:
        return f"manifest version {manifest.get('version')!r}, not {MANIFEST_VERSION}"
    if manifest.get("database") != database:
        return f"manifest of database {manifest.get('database')!r}, not {database!r}"
    if manifest.get("couples") != couples:
        return f"manifest of {manifest.get('couples')!r} couples, not {couples}"
    pairs = manifest.get("pairs")
    if not isinstance(pairs, list) or len(pairs) != couples:
        return "manifest pairs do not match its couples"
    if not all(isinstance(pair, list) and len(pair) == 2 and all(isinstance(c, str) for c in pair) for pair in pairs):
        return "manifest pairs are not two cookies each"
    if not isinstance(manifest.get("workshop_id"), int):
        return "manifest has no workshop id"
    return None


def room_problem(workshop_id, pairs, *, title=None, now=None, margin=SESSION_MARGIN):
    """What is wrong with a room of couples in the database (None: nothing): the workshop exists (with this title),
    has exactly these couples, each of two participants, none removed; every cookie is a django_session row, valid
    for `margin` more at least, mapping the workshop to its own participant, the two of a pair in one couple."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session as DjangoSession
    from django.core import signing
    from django.utils import timezone

    from realtime.identity import DEVICE_KEY
    from realtime.models import Couple, Participant
    from workshops.models import Workshop

    now = now or timezone.now()
    workshop = Workshop.objects.filter(pk=workshop_id).first()
    if workshop is None:
        return f"workshop {workshop_id} is missing"
    if title is not None and workshop.title != title:
        return f"workshop {workshop_id} is {workshop.title!r}, not {title!r}"
    participants = dict(Participant.objects.filter(workshop_id=workshop_id).values_list("pk", "couple_id"))
    if len(participants) != 2 * len(pairs):
        return f"{len(participants)} participants, not {2 * len(pairs)}"
    couples = list(Couple.objects.filter(workshop_id=workshop_id).values_list("pk", "removed_at", "one_phone"))
    if len(couples) != len(pairs):
        return f"{len(couples)} couples, not {len(pairs)}"
    if any(removed is not None or one_phone for _, removed, one_phone in couples):
        return "a couple was removed or uses one phone"
    prefix = f"{settings.SESSION_COOKIE_NAME}="
    keys = []
    for pair in pairs:
        if len(pair) != 2 or not all(cookie.startswith(prefix) for cookie in pair):
            return f"a pair is not two {settings.SESSION_COOKIE_NAME} cookies"
        keys += [cookie[len(prefix) :] for cookie in pair]
    if len(set(keys)) != len(keys):
        return "a cookie appears twice"
    if not keys:
        return None
    rows = {}
    for first in range(0, len(keys), 2000):
        chunk = keys[first : first + 2000]
        found = DjangoSession.objects.filter(session_key__in=chunk).values_list("pk", "session_data", "expire_date")
        rows.update((key, (data, expire)) for key, data, expire in found)
    if len(rows) != len(keys):
        return f"{len(rows)} device sessions in django_session, not {len(keys)}"
    if min(expire for _, expire in rows.values()) <= now + margin:
        return f"device sessions expire within {margin}"
    store = SessionStore()
    owner = {}
    for key, (data, _) in rows.items():
        try:
            mapping = signing.loads(data, salt=store.key_salt, serializer=store.serializer).get(DEVICE_KEY) or {}
        except Exception:  # noqa: BLE001 - another SECRET_KEY, or not a device session
            return "a device session does not decode (another SECRET_KEY?)"
        owner[key] = mapping.get(str(workshop_id))
    mapped = set(owner.values())
    if None in mapped or len(mapped) != len(keys) or not mapped <= participants.keys():
        return "device sessions do not map to this workshop's participants one to one"
    for first, second in zip(keys[::2], keys[1::2], strict=True):
        couple = participants[owner[first]]
        if couple is None or couple != participants[owner[second]]:
            return "a pair's two phones are not one couple"
    return None


def fresh_session(workshop):
    """A new session of a kept room, as make_world makes one (scheduling.session_create, starting now): the
    room's earlier sessions, and with them every live state of earlier runs (SessionState, CoupleSpace, Presence),
    are deleted first, so the new one is the workshop's first part again and overlaps nothing."""
    from django.db import transaction
    from django.utils import timezone

    from workshops.models import Session
    from workshops.services import scheduling

    start = timezone.now() - timedelta(minutes=5)
    with transaction.atomic():
        Session.objects.filter(workshop=workshop).delete()
        return scheduling.session_create(workshop=workshop, starts_at=start, ends_at=start + timedelta(hours=2))


def idle_room(*, database_url, couples, fresh=False, workers=WORKERS, cpus=None, path=None):
    """idle_10k's room of `couples` couples: the one the manifest names, if the database still holds it as made,
    with a fresh session; else a new one, made in parallel and recorded. Returns (world, pairs, info): info holds
    `fixture_reused`, `fixture_s` and, when built, why (`fixture_rebuilt_because`)."""
    from workshops.models import Workshop

    started = time.monotonic()
    database = database_label(database_url)
    path = path or manifest_path(database_url)
    manifest = None if fresh else read_manifest(path)
    reason = "BENCH_FRESH=1" if fresh else manifest_problem(manifest, database=database, couples=couples)
    if reason is None:
        reason = room_problem(manifest["workshop_id"], manifest["pairs"], title=manifest.get("workshop_title"))
    if reason is None:
        world = World()
        world.workshop = Workshop.objects.select_related("organization").get(pk=manifest["workshop_id"])
        world.org = world.workshop.organization
        world.sessions = [fresh_session(world.workshop)]
        world.join_code = world.sessions[0].join_code
        info = {"fixture_reused": True, "fixture_s": round(time.monotonic() - started, 1)}
        return world, manifest["pairs"], info
    world = make_world(couples=couples, parts=1)
    pairs = couples_in_database(world, couples, workers=workers, cpus=cpus)
    problem = room_problem(world.workshop.pk, pairs, title=world.workshop.title)
    if problem:
        raise RuntimeError(f"idle_10k's room came out wrong: {problem}")
    seconds = time.monotonic() - started
    write_manifest(path, new_manifest(world, pairs, database=database, seconds=seconds))
    info = {"fixture_reused": False, "fixture_s": round(seconds, 1), "fixture_rebuilt_because": reason}
    return world, pairs, info


def public_frame_bytes(session):
    """The size of one encoded public session snapshot of a running session (the baselines send as much)."""
    from realtime.broadcast import encode
    from realtime.services.session import session_command, state_for
    from realtime.snapshots import session_frames

    state = state_for(session)
    state = session_command(session=session, action="start", expected_version=state.version)
    public, _ = session_frames(state)
    return len(encode(public).encode())
