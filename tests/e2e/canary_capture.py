"""The canary test's harness (tests/e2e/test_canary.py): where couple content might leak, captured, and a finder
that looks for the canaries in what was captured.

Captured: a PostgreSQL cluster of the test's own (its data directory, WAL and server log, and a pg_dump), a Redis
of the test's own (every command it receives, through `redis-cli MONITOR`), the Attune servers' log, and every
frame and HTTP response that the staff pages (facilitator, projector) receive.

A canary is `AttuneCanary` + three digits + `x` + ten hex digits: ASCII letters and digits only, so no layer
escapes it (JSON, msgpack, COPY, MONITOR's quoting) and a plain byte search finds it wherever it was stored or
sent as it was written. The finder looks for its base64 forms too (standard and URL-safe alphabets, at each of
the three byte alignments), so content that is merely encoded, not encrypted, is found as well.
"""

import base64
import binascii
import contextlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from tests.support import ROOT, free_port, private_redis, require_binary, stop

PREFIX = "AttuneCanary"
CANARY = re.compile(rb"AttuneCanary\d{3}x[0-9a-f]{10}")
B64_CHARS = re.compile(rb"[A-Za-z0-9+/_-]+")


# --- canaries and the finder -------------------------------------------------------------------------------


@dataclass
class Canaries:
    """The canaries of one run: text -> a readable id ("c07 code-couple reflection Ana 1"), the only thing a
    report prints about a canary."""

    by_text: dict = field(default_factory=dict)

    def new(self, where: str) -> str:
        number = len(self.by_text) + 1
        text = f"{PREFIX}{number:03d}x{secrets.token_hex(5)}"
        self.by_text[text] = f"c{number:02d} {where}"
        return text

    def label(self, text: str) -> str:
        return self.by_text[text]


def _b64_fragments():
    """The base64 of PREFIX's bytes from each of the three alignments (skip 0, 1, 2 bytes to reach a 3-byte group
    boundary): the same 12 characters for every canary, whatever bytes precede it in the encoded value."""
    fragments = {}
    for skip in range(3):
        encoded = base64.b64encode(PREFIX[skip : skip + 9].encode())
        assert b"+" not in encoded and b"/" not in encoded  # so one search covers both alphabets
        fragments[skip] = encoded
    return fragments


B64_FRAGMENTS = _b64_fragments()


def _decoded_canary(data: bytes, at: int, skip: int):
    """The canary whose base64 (aligned after skipping `skip` of its bytes) starts at data[at], or None."""
    run = B64_CHARS.match(data, at).group()[:60]
    run = run[: len(run) // 4 * 4].replace(b"-", b"+").replace(b"_", b"/")
    try:
        decoded = PREFIX[:skip].encode() + base64.b64decode(run)
    except (binascii.Error, ValueError):
        return None
    found = CANARY.match(decoded)
    return found.group().decode() if found else None


def find_canaries(data: bytes, canaries: Canaries) -> set:
    """The canaries of this run that `data` holds, as written or base64-encoded."""
    found = {m.group().decode() for m in CANARY.finditer(data)}
    for skip, fragment in B64_FRAGMENTS.items():
        at = data.find(fragment)
        while at != -1:
            text = _decoded_canary(data, at, skip)
            if text:
                found.add(text)
            at = data.find(fragment, at + 1)
    return {text for text in found if text in canaries.by_text}


# --- the report --------------------------------------------------------------------------------------------


@dataclass
class Capture:
    """One place a leak could show: its sources (a file, a frame) and what was found in them."""

    name: str
    sources: int = 0
    bytes: int = 0
    control_seen: bool = False
    hits: dict = field(default_factory=dict)  # canary text -> [source names]

    def add(self, source: str, data: bytes, canaries: Canaries, control: str):
        self.sources += 1
        self.bytes += len(data)
        self.control_seen = self.control_seen or control.encode() in data
        for text in find_canaries(data, canaries):
            self.hits.setdefault(text, []).append(source)

    def line(self, canaries: Canaries, shown=5) -> str:
        head = (
            f"{self.name}: {len(self.hits)} canaries found "
            f"({self.sources} sources, {self.bytes:,} bytes; control {'seen' if self.control_seen else 'NOT seen'})"
        )
        found = sorted(self.hits.items(), key=lambda item: canaries.label(item[0]))
        examples = [f"    {canaries.label(text)} in {', '.join(sources[:3])}" for text, sources in found[:shown]]
        more = [f"    … and {len(found) - shown} more"] if len(found) > shown else []
        return "\n".join([head, *examples, *more])


def report(captures, canaries: Canaries) -> str:
    total = len(canaries.by_text)
    return "\n".join([f"{total} canaries written; found per capture:"] + [c.line(canaries) for c in captures])


# --- PostgreSQL: a cluster of the test's own ---------------------------------------------------------------

XLOG_BLCKSZ = 8192
XLP_LONG_HEADER = 0x0002


def wal_without_page_headers(data: bytes) -> bytes:
    """A WAL segment's records joined up: every 8 KiB WAL page starts with a header (24 bytes, 40 on a segment's
    first page), which splits a record, and so a canary, that crosses a page boundary."""
    pages = []
    for start in range(0, len(data), XLOG_BLCKSZ):
        info = int.from_bytes(data[start + 2 : start + 4], "little")
        header = 40 if info & XLP_LONG_HEADER else 24
        pages.append(data[start + header : start + XLOG_BLCKSZ])
    return b"".join(pages)


class OwnPostgres:
    """A PostgreSQL cluster in a temporary folder, on a free port (shared RECIPES.md). `initdb` refuses to run as
    root, so as root the cluster runs as the `postgres` user."""

    def __init__(self):
        pg_config = require_binary("pg_config")
        self.bindir = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True).stdout.strip()
        self.tools = {name: self._tool(name) for name in ("initdb", "pg_ctl", "pg_dump")}
        self.as_owner = [require_binary("runuser"), "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.folder = Path(tempfile.mkdtemp(prefix="attune-canary-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.running = False

    def _tool(self, name):
        return shutil.which(name, path=self.bindir) or require_binary(name)

    def url(self, database="attune"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *argv):
        subprocess.run([*self.as_owner, *argv], check=True, capture_output=True, timeout=120)

    def start(self):
        if self.as_owner:
            shutil.chown(self.folder, "postgres")
        self._run(self.tools["initdb"], "-D", self.data, "-A", "trust", "-U", "postgres", "-N")
        # fsync off: nothing has to survive a crash here, and it changes no byte of what is written.
        # wal_compression off (the default, said aloud): full-page images stay greppable.
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c wal_compression=off"
        self._run(self.tools["pg_ctl"], "-D", self.data, "-l", self.folder / "server.log", "-o", options, "-w", "start")
        self.running = True
        self.sql("CREATE DATABASE attune", database="postgres")

    def sql(self, statement, database="attune"):
        with psycopg.connect(self.url(database), autocommit=True) as connection:
            connection.execute(statement)

    def dump(self, path: Path):
        with path.open("wb") as out:
            subprocess.run([self.tools["pg_dump"], "-d", self.url()], stdout=out, check=True, timeout=120)

    def stop(self):
        """A clean shutdown: its checkpoint writes every page to the data files."""
        if self.running:
            self._run(self.tools["pg_ctl"], "-D", self.data, "-m", "fast", "-w", "stop")
            self.running = False

    def files(self):
        """(name, bytes) of every file of the cluster (data directory, WAL, server log); WAL segments once more
        with their page headers taken out."""
        for path in sorted(p for p in self.folder.rglob("*") if p.is_file()):
            name = str(path.relative_to(self.folder))
            data = path.read_bytes()
            yield name, data
            if path.parent.name == "pg_wal" and len(data) % XLOG_BLCKSZ == 0 and data:
                yield f"{name} (records joined)", wal_without_page_headers(data)

    def remove(self):
        with contextlib.suppress(Exception):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def own_postgres():
    cluster = OwnPostgres()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


# --- Redis: a server of the test's own, and everything it is sent ------------------------------------------


@contextlib.contextmanager
def redis_with_monitor(path: Path):
    """A private redis-server, and `redis-cli MONITOR` writing every command it receives to `path`; yields its URL.
    MONITOR answers OK once it listens: the test starts nothing before that."""
    redis_cli = require_binary("redis-cli")
    with private_redis() as (_, url), path.open("wb") as out:
        port = url.rsplit(":", 1)[1].split("/")[0]
        monitor = subprocess.Popen([redis_cli, "-p", port, "MONITOR"], stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_for_text(path, b"OK", monitor)
            yield url
        finally:
            stop(monitor)


def _wait_for_text(path, text, process, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in path.read_bytes():
            return
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode}")
        time.sleep(0.05)
    raise TimeoutError(f"{process.args} did not print {text!r}")


# --- the staff pages: every frame and response they receive ---------------------------------------------------


class StaffTraffic:
    """What the facilitator's and the projector's pages receive: every WebSocket frame and every HTTP response
    body, as (source name, bytes). Attach before the page loads."""

    def __init__(self):
        self.frames = []
        self.responses = []

    def attach(self, screen):
        screen.page.on("websocket", lambda socket: self._socket(screen.name, socket))
        screen.page.on("response", lambda response: self._response(screen.name, response))

    def _socket(self, name, socket):
        def received(payload):
            data = payload.encode() if isinstance(payload, str) else payload
            self.frames.append((f"{name} frame {len(self.frames) + 1}", data))

        socket.on("framereceived", received)

    def _response(self, name, response):
        with contextlib.suppress(Exception):  # a redirect or an aborted request has no body
            self.responses.append((f"{name} {response.request.method} {response.url}", response.body()))


# --- the Attune database of the cluster: schema and the test's data --------------------------------------------


SEED = """
import json, sys
from django.core.management import call_command
from tests.e2e.canary_capture import seed_live_session
call_command("migrate", verbosity=0)
print(json.dumps(seed_live_session(**json.loads(sys.stdin.read()))))
"""


def migrate_and_seed(env, **arguments):
    """Make the schema and the test's data (seed_live_session) in the database of `env`, in one Django process
    of its own: the test's own Django runs on the test database."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SEED],
        cwd=ROOT,
        env=env,
        input=json.dumps(arguments),
        capture_output=True,
        text=True,
        timeout=180,
    )
    if result.returncode != 0:
        raise RuntimeError(f"migrating and seeding failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def seed_live_session(*, steps, invited_email):
    """Runs inside `manage.py shell`: an organization and its facilitator, an exercise of `steps`, a published
    online workshop whose session started five minutes ago, and one enrolled couple. Returns the session's id and
    join code, the enrollment's invitation token and a signed-in session cookie for the facilitator."""
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from tests import factories
    from workshops.services import enrollment, library, scheduling

    org = factories.organization()
    facilitator = factories.member(org, "facilitator")
    exercise = library.exercise_create(organization=org, title="Every couple step", steps=steps)
    program = library.program_create(organization=org, title="Canary", items=[{"exercise": exercise.pk}])
    workshop = scheduling.workshop_create(
        organization=org,
        program=program,
        title="Canary live",
        timezone_name="UTC",
        capacity_couples=6,
        format="online",
        video_link="https://v.example/x",
    )
    start = timezone.now() - timezone.timedelta(minutes=5)
    session = scheduling.session_create(workshop=workshop, starts_at=start, ends_at=start + timezone.timedelta(hours=3))
    scheduling.workshop_set_facilitators(workshop=workshop, users=[facilitator])
    scheduling.workshop_publish(workshop=workshop)
    _, token = enrollment.registration_submit(workshop=workshop, contact_email=invited_email, display_name="Kim")
    client = Client()
    client.force_login(facilitator)
    return {
        "session_id": session.pk,
        "join_code": session.join_code,
        "invitation": token,
        "cookie": client.cookies[settings.SESSION_COOKIE_NAME].value,
    }
