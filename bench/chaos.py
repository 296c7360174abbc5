"""`make chaos`: the production topology on loopback, a room doing real work, and the faults an operator meets.

Two uvicorn processes (platform/Dockerfile's command, bench.procs), nginx configured from platform/nginx.conf
(bench.nginx), the machine's PostgreSQL (database `attune_chaos`) and a Redis of the run's own on a free port.
In front of nginx a small TCP proxy of ours, transparent until its fault makes it lossy. Twenty couples (forty
phones) and a facilitator, each a real WebSocket client that behaves as the live apps do (docs/protocol.md):
reconnect with full-jitter backoff (1 s base, 10 s cap, as frontend/src/shared/socket.ts), resend every
unacknowledged command with its client id after a reconnect, ping at the server's interval and `sync` when a pong
shows them behind. Phones save private reflections during an open breakout, each with a key of its own; the
facilitator changes the session's broadcast line; a poller reads each phone's `me` over HTTP.

Phases, one after the other, each ended by a quiet point (every client back, nothing unacknowledged):
baseline; SIGKILL of each process in turn (restarted on its port after CHAOS_RESTART_S, as compose's
`restart: unless-stopped` does); Redis down CHAOS_REDIS_DOWN_S (60 s); a lossy proxy (delays every chunk and
cuts connections at random); the fuzz (frames and HTTP bodies of every bad shape, from live sockets).

Per phase, the table says:
- acknowledged: commands the server acknowledged as applied (`ack`, duplicates counted once);
- lost: acknowledged commands whose effect is not in PostgreSQL (a reflection missing or different, or a version
  that moved less than the acknowledged commands);
- applied twice: a version that moved more than the acknowledged commands (a retry applied again);
- reconnect p50/p95/max: from a socket's close to its first session snapshot after the reconnect;
- abnormal closes: closes that the fault does not explain. Expected are the sockets that the killed process
  held (counted from /proc just before the kill) and the connections that the lossy proxy cut; a close frame the
  server sent (rate or size limit, an error) is always abnormal;
- 5xx: answers of 500 or more to anything but /readyz, whose 503 while Redis is down is its job (reported apart).
Below the table, per phase: /readyz's answers, the seconds from Redis's return until a change reached every
phone by push (a probe: the facilitator's change must reach all phones within 0.5 s, far inside a ping interval),
and how many bad frames got an error frame.
Times are reported, never judged; the run exits 1 on any loss, double application, abnormal close or 5xx, or
when a phase never settles (a client that does not come back, a command never acknowledged).

Knobs: CHAOS_COUPLES (20), CHAOS_PHASE_S (15: the work before and after each fault), CHAOS_REDIS_DOWN_S (60),
CHAOS_RESTART_S (3), CHAOS_LOSSY_S (20), CHAOS_PHASES (a subset by name, e.g. SIGKILL,Redis),
CHAOS_DATABASE_URL. Writes chaos-results.json.
"""

import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import ROOT, sealed
from bench.nginx import Nginx, ensure_nginx, established
from bench.procs import command, free_port

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/attune_chaos"
BACKOFF_BASE_S, BACKOFF_CAP_S = 1.0, 10.0  # as the live apps (frontend/src/shared/socket.ts)
now = time.monotonic


def knob(name, default):
    return type(default)(os.environ.get(f"CHAOS_{name}", default))


# --- the processes ----------------------------------------------------------------------------------------------


class AttuneProcess:
    """One uvicorn process of Attune on a fixed port, restartable there (as a container that compose restarts)."""

    def __init__(self, name, env, log):
        self.name, self.env, self.log = name, env, log
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            command("attune", "uvicorn", self.port), cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log
        )

    async def ready(self, timeout=60):
        deadline = now() + timeout
        while now() < deadline:
            with contextlib.suppress(OSError):
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.close()
                return
            await asyncio.sleep(0.1)
        raise TimeoutError(f"{self.name} did not listen within {timeout}s")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class OwnRedis:
    """A redis-server of the run's own, on a free port, that a phase may stop and start again on that port."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="attune-chaos-redis-")
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = now() + 15
        while now() < deadline:
            done = subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True)
            if done.stdout.strip() == "PONG":
                return
            time.sleep(0.05)
        raise TimeoutError("the run's Redis did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class LossyProxy:
    """A TCP proxy in front of nginx: transparent, or (lossy) delaying every chunk up to `delay_s` and cutting each
    open connection with probability `cut_p` a second. It remembers the client ports of the connections it cut."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.port = free_port()
        self.lossy = False
        self.delay_s, self.cut_p = 0.25, 0.05
        self.open = {}  # client port -> (client writer, upstream writer)
        self.cut_ports = set()
        self.server = None

    async def start(self):
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.cutter = asyncio.create_task(self._cut_at_random())

    async def _serve(self, reader, writer):
        client_port = writer.get_extra_info("peername")[1]
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        self.open[client_port] = (writer, up_writer)
        try:
            await asyncio.gather(self._pump(reader, up_writer), self._pump(up_reader, writer))
        except asyncio.CancelledError:  # the run is over: the connection goes with it
            pass
        finally:
            self.open.pop(client_port, None)
            for w in (writer, up_writer):
                w.close()

    async def _pump(self, reader, writer):
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while chunk := await reader.read(65536):
                if self.lossy:
                    await asyncio.sleep(random.uniform(0, self.delay_s))  # noqa: S311 - a fault, not a secret
                writer.write(chunk)
                await writer.drain()
        with contextlib.suppress(OSError):
            writer.close()

    async def _cut_at_random(self):
        while True:
            await asyncio.sleep(1)
            if not self.lossy:
                continue
            for client_port, (client, upstream) in list(self.open.items()):
                if random.random() < self.cut_p:  # noqa: S311
                    self.cut_ports.add(client_port)
                    for w in (client, upstream):
                        with contextlib.suppress(Exception):
                            w.transport.abort()

    async def stop(self):
        self.cutter.cancel()
        self.server.close()
        for client, upstream in list(self.open.values()):
            for w in (client, upstream):
                with contextlib.suppress(Exception):
                    w.transport.abort()


# --- the room ---------------------------------------------------------------------------------------------------


@dataclass
class Tally:
    """What one phase saw."""

    acked: dict = field(default_factory=dict)  # client id -> the command, for the commands applied in the phase
    errors: dict = field(default_factory=dict)  # error code -> count
    closes: list = field(default_factory=list)  # (client, close code or None, client port, when)
    reconnects: list = field(default_factory=list)  # seconds from a close to the next session snapshot
    http: dict = field(default_factory=dict)  # "path status" -> count
    expected_closes: int = 0  # sockets that the killed process held
    cut_ports: set = field(default_factory=set)  # client ports of the connections the lossy proxy cut
    push_resume_s: float | None = None
    fuzz_sent: int = 0
    fuzz_answered: int = 0


class Room:
    def __init__(self):
        self.tally = Tally()
        self.writing = False
        self.probing = False  # the facilitator's own work waits while a probe measures pushes


class Client:
    """One phone or the facilitator: a live socket that reconnects and resends as the live apps do."""

    def __init__(self, room, name, url, origin, cookie):
        self.room, self.name, self.url, self.origin, self.cookie = room, name, url, origin, cookie
        self.ws = None
        self.pending = {}  # client id -> message, until acknowledged (resent after each reconnect)
        self.session_version = 0
        self.step_index = None
        self.seq = 0
        self.closed_at = None  # while disconnected: when the socket closed
        self.connected = asyncio.Event()
        self.attempt = 0
        self.task = None
        self.fuzz_ids = set()  # bad frames sent, by id, until their error frame comes
        self.fuzz_unreadable = 0  # bad frames sent that cannot be parsed at all (their error has no id)

    def next_id(self, prefix="c"):
        self.seq += 1
        return f"{self.name}-{prefix}{self.seq}"

    async def run(self):
        from websockets.asyncio.client import connect
        from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

        while True:
            try:
                async with connect(
                    self.url,
                    origin=self.origin,
                    additional_headers={"Cookie": self.cookie},
                    open_timeout=10,
                    max_size=2**22,
                    ping_interval=None,
                ) as ws:
                    self.ws = ws
                    local_port = ws.local_address[1]
                    pinger = asyncio.create_task(self._ping())
                    try:
                        await self._read(ws)
                    except ConnectionClosed as closed:
                        code = closed.rcvd.code if closed.rcvd else None
                        self.room.tally.closes.append((self.name, code, local_port, now()))
                    finally:
                        pinger.cancel()
                        self.ws = None
                        self.connected.clear()
                        self.closed_at = self.closed_at or now()
            except (OSError, TimeoutError, InvalidHandshake, InvalidStatus) as exc:
                status = getattr(getattr(exc, "response", None), "status_code", None)
                if status:
                    self.room.tally.http[f"/ws/ {status}"] = self.room.tally.http.get(f"/ws/ {status}", 0) + 1
            self.attempt += 1
            await asyncio.sleep(random.uniform(0, min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** (self.attempt - 1))))  # noqa: S311

    async def _read(self, ws):
        async for raw in ws:
            frame = json.loads(raw)
            kind = frame.get("type")
            if kind == "hello":
                self.attempt = 0
                self.ping_interval = frame.get("ping_interval_s", 15)
                for message in list(self.pending.values()):  # retries keep their ids: applied once at most
                    await ws.send(json.dumps(message))
            elif kind == "session":
                self.session_version = max(self.session_version, frame["version"])
                self.step_index = frame["state"].get("step_index")
                if self.closed_at is not None:
                    self.room.tally.reconnects.append(now() - self.closed_at)
                    self.closed_at = None
                self.connected.set()
            elif kind == "pong":
                if frame.get("versions", {}).get("session", 0) > self.session_version:
                    await ws.send(json.dumps({"id": self.next_id("s"), "type": "sync"}))
            elif kind in ("ack", "error"):
                self._answered(frame)

    def _answered(self, frame):
        msg_id = frame.get("id")
        if msg_id is None and frame["type"] == "error" and self.fuzz_unreadable:
            self.fuzz_unreadable -= 1
            self.room.tally.fuzz_answered += 1
            return
        if msg_id in self.fuzz_ids:
            self.fuzz_ids.discard(msg_id)
            self.room.tally.fuzz_answered += 1
            return
        message = self.pending.pop(msg_id, None)
        if message is None:
            return
        if frame["type"] == "ack":
            self.room.tally.acked[msg_id] = (self.name, message)
        else:
            code = frame.get("code", "?")
            self.room.tally.errors[code] = self.room.tally.errors.get(code, 0) + 1

    async def _ping(self):
        while True:
            await asyncio.sleep(getattr(self, "ping_interval", 15))
            with contextlib.suppress(Exception):
                await self.ws.send(json.dumps({"id": self.next_id("p"), "type": "ping"}))

    async def command(self, message):
        self.pending[message["id"]] = message
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.send(json.dumps(message))


async def phone_work(phone, step_index):
    """Save a private reflection now and then, one in flight at a time (as a person typing)."""
    while True:
        await asyncio.sleep(random.uniform(0.5, 1.5))  # noqa: S311
        if not phone.room.writing or phone.pending:
            continue
        msg_id = phone.next_id()
        await phone.command(
            {
                "id": msg_id,
                "type": "entry.put",
                "step_index": step_index,
                "kind": "reflection",
                "key": msg_id,
                "payload": sealed.sealed(),  # the server stores it as sent: the check below compares it
                "passed": False,
            }
        )


async def facilitator_work(fac):
    while True:
        await asyncio.sleep(random.uniform(1.5, 2.5))  # noqa: S311
        if not fac.room.writing or fac.room.probing or fac.pending or fac.ws is None:
            continue
        msg_id = fac.next_id()
        await fac.command(
            {
                "id": msg_id,
                "type": "session.command",
                "action": "broadcast",
                "text": f"chaos {msg_id}",
                "expected_version": fac.session_version,
            }
        )


async def http_poll(room, base, paths_and_cookies):
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        while True:
            for path, cookie in paths_and_cookies:
                try:
                    response = await client.get(path, headers={"Cookie": cookie} if cookie else {})
                    label = "/readyz" if path == "/readyz" else path.split("?")[0].rsplit("/", 1)[-1] or path
                    key = f"{label} {response.status_code}"
                except httpx.HTTPError as exc:
                    key = f"{path} {exc.__class__.__name__}"
                room.tally.http[key] = room.tally.http.get(key, 0) + 1
            await asyncio.sleep(0.5)


# --- faults -----------------------------------------------------------------------------------------------------


async def kill_process(process, nginx, restart_s, room):
    # The sockets it holds close with it: those closes are the fault's, not abnormal.
    room.tally.expected_closes += established(process.port, process.process.pid)
    process.kill()
    await asyncio.sleep(restart_s)
    process.start()
    await process.ready()


async def redis_down(redis, seconds, room, fac, phones):
    redis.stop()
    await asyncio.sleep(seconds)
    redis.start()
    room.tally.push_resume_s = await push_resumed(room, fac, phones, since=now())


async def push_resumed(room, fac, phones, since, window_s=0.5, give_up_s=30.0):
    """Seconds from Redis's return until a change reaches every phone by push: the facilitator changes the
    broadcast line (its own work paused) and every phone must show the new version within `window_s` (a push
    takes tens of ms), far inside a ping interval (15 s), so the frame came by push, not by a pong and a sync.
    None: not within `give_up_s`."""
    room.probing = True
    try:
        while now() - since < give_up_s:
            if fac.ws is None or fac.pending:
                await asyncio.sleep(0.05)
                continue
            target = fac.session_version + 1
            await fac.command(
                {
                    "id": fac.next_id("probe"),
                    "type": "session.command",
                    "action": "broadcast",
                    "text": "probe",
                    "expected_version": fac.session_version,
                }
            )
            sent = now()
            while now() - sent < window_s:
                if all(p.session_version >= target for p in phones):
                    return round(now() - since, 2)
                await asyncio.sleep(0.02)
        return None
    finally:
        room.probing = False


async def lossy(proxy, seconds, room):
    proxy.cut_ports = room.tally.cut_ports
    proxy.lossy = True
    await asyncio.sleep(seconds)
    proxy.lossy = False


BAD_FRAMES = [
    "{" * 1 + '"id":"f","type":"ping","x":' + "[" * 100_000 + "]" * 100_000 + "}",
    '{"id":"%s","type":"entry.put","step_index":0,"kind":"reflection","key":"a\\u0000b","payload":{"t":"x"}}',
    '{"id":"%s","type":"entry.put","step_index":0,"kind":"reflection","key":"k","payload":{"t\\u0000":"x"}}',
    '{"id":"%s","type":"entry.put","step_index":0,"kind":"reflection","key":"k","payload":{"t":"\\ud800"}}',
    '{"id":"%s","type":"entry.put","step_index":0,"kind":"reflection","key":"\\udfff","payload":{"t":"x"}}',
    '{"id":"%s","type":"entry.put","step_index":' + "9" * 400 + ',"kind":"reflection","key":"k","payload":1}',
    '{"id":"%s","type":"entry.put","step_index":0,"kind":"reflection","key":"k","payload":1e400}',
    '{"id":"%s","type":"couple.pause","raised":"\\u0000"}',
    '{"id":"%s","type":"help.ask","private":' + "[" * 5000 + "]" * 5000 + "}",
]
BAD_BODIES = [
    b'{"display_name":"a\\u0000b","consent":true,"feedback_consent":false}',
    b'{"display_name":"\\ud800","consent":true,"feedback_consent":false}',
    b'{"code":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    b'{"code":"\\u0000"}',
    b'{"code":' + b"9" * 5000 + b"}",
]


async def fuzz(room, phones, base, cookie):
    import httpx

    for phone in phones[:4]:
        for template in BAD_FRAMES:
            msg_id = phone.next_id("f")
            text = template.replace('"id":"f"', f'"id":"{msg_id}"') if "%s" not in template else template % msg_id
            try:
                json.loads(text)
                phone.fuzz_ids.add(msg_id)
            except (RecursionError, ValueError):  # nothing of it can be read, its id neither: answered with id null
                phone.fuzz_unreadable += 1
            room.tally.fuzz_sent += 1
            if phone.ws is not None:
                with contextlib.suppress(Exception):
                    await phone.ws.send(text)
            await asyncio.sleep(0.05)
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        page = await client.get("/live/", headers={"Cookie": cookie})
        room.tally.http[f"fuzz live-page {page.status_code}"] = 1
        csrf = page.cookies.get("csrftoken", "")
        for path in ("/live/api/enter", "/live/api/join/code", "/live/api/pair/join"):
            for body in BAD_BODIES:
                response = await client.post(
                    path,
                    content=body,
                    headers={
                        "Cookie": f"{cookie}; csrftoken={csrf}",
                        "X-CSRFToken": csrf,
                        "Content-Type": "application/json",
                    },
                )
                key = f"fuzz {path.rsplit('/', 1)[-1]} {response.status_code}"
                room.tally.http[key] = room.tally.http.get(key, 0) + 1
    await asyncio.sleep(3)


# --- checking against PostgreSQL ---------------------------------------------------------------------------------


def database_versions(session_id):
    from realtime.models import CoupleSpace, SessionState

    spaces = dict(CoupleSpace.objects.filter(session_id=session_id).values_list("couple_id", "version"))
    return SessionState.objects.get(session_id=session_id).version, spaces


def check_phase(session_id, before, tally, couple_of):
    """(lost, applied twice) of a phase: each acknowledged reflection as sent, each version moved exactly once per
    acknowledged command."""
    from realtime.models import CoupleEntry

    session_after, spaces_after = database_versions(session_id)
    session_before, spaces_before = before
    lost = twice = 0
    puts = {msg_id: (name, m) for msg_id, (name, m) in tally.acked.items() if m["type"] == "entry.put"}
    stored = dict(
        CoupleEntry.objects.filter(space__session_id=session_id, key__in=list(puts), kind="reflection").values_list(
            "key", "payload"
        )
    )
    acked_per_couple, missing_per_couple = {}, {}
    for name, message in puts.values():
        couple = couple_of[name]
        acked_per_couple[couple] = acked_per_couple.get(couple, 0) + 1
        if stored.get(message["key"]) != message["payload"]:
            missing_per_couple[couple] = missing_per_couple.get(couple, 0) + 1
    for couple, count in acked_per_couple.items():
        moved = spaces_after.get(couple, 0) - spaces_before.get(couple, 0)
        lost += max(missing_per_couple.get(couple, 0), count - moved)
        twice += max(0, moved - count)
    fac_applied = sum(1 for _, m in tally.acked.values() if m["type"] == "session.command")
    moved = session_after - session_before
    twice += max(0, moved - fac_applied)
    lost += max(0, fac_applied - moved)
    return lost, twice


# --- the run ----------------------------------------------------------------------------------------------------


def percentile(values, q):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def quiet(clients, timeout=90):
    """Every client back with a session snapshot and nothing unacknowledged (or `timeout`)."""
    deadline = now() + timeout
    while now() < deadline:
        if all(c.connected.is_set() and not c.pending for c in clients):
            return True
        await asyncio.sleep(0.2)
    return False


def summarize(name, tally, lost, twice, settled):
    unexplained = [c for c in tally.closes if c[1] is not None]  # a close frame from the server: never expected
    dropped = [c for c in tally.closes if c[1] is None and c[2] not in tally.cut_ports]
    abnormal = len(unexplained) + max(0, len(dropped) - tally.expected_closes)
    five = {
        k: v
        for k, v in tally.http.items()
        if not k.startswith("/readyz") and k.rsplit(" ", 1)[-1].isdigit() and int(k.rsplit(" ", 1)[-1]) >= 500
    }
    reconnects = tally.reconnects
    row = {
        "fault": name,
        "acknowledged": len(tally.acked),
        "lost": lost,
        "applied_twice": twice,
        "reconnects": len(reconnects),
        "reconnect_p50_s": round(statistics.median(reconnects), 2) if reconnects else None,
        "reconnect_p95_s": round(percentile(reconnects, 0.95), 2) if reconnects else None,
        "reconnect_max_s": round(max(reconnects), 2) if reconnects else None,
        "abnormal_closes": abnormal,
        "server_close_codes": sorted({c[1] for c in unexplained}),
        "http_5xx": sum(five.values()),
        "http": dict(sorted(tally.http.items())),
        "errors": tally.errors,
        "settled": settled,
    }
    if tally.push_resume_s is not None or "Redis" in name:
        row["push_resume_s"] = tally.push_resume_s
    if tally.fuzz_sent:
        row["fuzz_frames_sent"], row["fuzz_frames_answered"] = tally.fuzz_sent, tally.fuzz_answered
    return row


def print_table(rows):
    head = ["fault", "acked", "lost", "twice", "reconn", "p50 s", "p95 s", "max s", "abnormal", "5xx"]
    keys = [
        "fault",
        "acknowledged",
        "lost",
        "applied_twice",
        "reconnects",
        "reconnect_p50_s",
        "reconnect_p95_s",
        "reconnect_max_s",
        "abnormal_closes",
        "http_5xx",
    ]
    widths = [22, 6, 5, 6, 7, 6, 6, 6, 9, 4]
    print(" ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    for row in rows:
        cells = ["-" if row[k] is None else str(row[k]) for k in keys]
        print(" ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)))
    for row in rows:
        notes = [f"readyz {k.split()[-1]}: {v}" for k, v in row["http"].items() if k.startswith("/readyz")]
        if "push_resume_s" in row:
            notes.append(f"pushes back {row['push_resume_s']} s after Redis returned")
        if "fuzz_frames_sent" in row:
            notes.append(f"bad frames answered with an error: {row['fuzz_frames_answered']}/{row['fuzz_frames_sent']}")
        if not row["settled"]:
            notes.append("NOT SETTLED: some client never came back or kept a command unacknowledged")
        print(f"  {row['fault']}: " + "; ".join(notes))


async def run(cfg, env, world, pairs, redis, log):
    session_id = world.sessions[0].pk
    web = [AttuneProcess("web1", env, log), AttuneProcess("web2", env, log)]
    for process in web:
        process.start()
    for process in web:
        await process.ready()
    nginx = Nginx(ensure_nginx(), [p.port for p in web], sockets=4 * cfg["couples"] + 16, log=log)
    nginx.wait_ready()
    proxy = LossyProxy(nginx.port)
    await proxy.start()
    base = f"http://127.0.0.1:{proxy.port}"
    ws_base = base.replace("http://", "ws://") + f"/ws/live/{session_id}/"
    room = Room()
    fac = Client(room, "fac", ws_base + "?as=facilitator", base, world.facilitator_cookie)
    tasks = [asyncio.create_task(fac.run())]
    await asyncio.wait_for(fac.connected.wait(), 30)
    step_index = await open_reflection_breakout(fac, session_id)
    phones, couple_of = [], {}
    couple_ids = await asyncio.to_thread(couple_ids_of, session_id, pairs)
    for n, (cookie_a, cookie_b) in enumerate(pairs):
        for who, cookie in (("a", cookie_a), ("b", cookie_b)):
            phone = Client(room, f"{who}{n}", ws_base, base, cookie)
            couple_of[phone.name] = couple_ids[n]
            phones.append(phone)
    clients = [fac, *phones]
    tasks += [asyncio.create_task(p.run()) for p in phones]
    await asyncio.wait_for(asyncio.gather(*(p.connected.wait() for p in phones)), 60)
    tasks += [asyncio.create_task(phone_work(p, step_index)) for p in phones]
    tasks.append(asyncio.create_task(facilitator_work(fac)))
    tasks.append(
        asyncio.create_task(
            http_poll(
                room,
                base,
                [
                    (f"/live/api/sessions/{session_id}/me", pairs[0][0]),
                    (f"/api/v1/public/workshops/{world.workshop.public_id}/", None),  # throttled: the cache
                    ("/readyz", None),
                    ("/healthz", None),
                ],
            )
        )
    )

    phases = [
        ("baseline", lambda: asyncio.sleep(0)),
        ("SIGKILL web1", lambda: kill_process(web[0], nginx, cfg["restart_s"], room)),
        ("SIGKILL web2", lambda: kill_process(web[1], nginx, cfg["restart_s"], room)),
        (f"Redis down {cfg['redis_down_s']} s", lambda: redis_down(redis, cfg["redis_down_s"], room, fac, phones)),
        ("lossy proxy", lambda: lossy(proxy, cfg["lossy_s"], room)),
        ("fuzz", lambda: fuzz(room, phones, base, pairs[0][0])),
    ]
    wanted = cfg["phases"]
    phases = [(name, fault) for name, fault in phases if not wanted or any(w in name for w in wanted)]
    rows = []
    try:
        for name, fault in phases:
            room.tally = Tally()
            before = await asyncio.to_thread(database_versions, session_id)
            room.writing = True
            print(f"[chaos] {name}", flush=True)
            await asyncio.sleep(cfg["phase_s"])
            await fault()
            await asyncio.sleep(cfg["phase_s"])
            room.writing = False
            settled = await quiet(clients)
            lost, twice = await asyncio.to_thread(check_phase, session_id, before, room.tally, couple_of)
            rows.append(summarize(name, room.tally, lost, twice, settled))
    finally:
        for task in tasks:
            task.cancel()
        await proxy.stop()
        nginx.stop()
        for process in web:
            process.stop()
    return rows


def couple_ids_of(session_id, pairs):
    """The couple of each pair, from the first phone's device session (as the sockets identify it)."""
    from django.contrib.sessions.backends.db import SessionStore

    from realtime.identity import DEVICE_KEY
    from realtime.models import Participant
    from workshops.models import Session

    workshop_id = Session.objects.get(pk=session_id).workshop_id
    ids = []
    for cookie_a, _ in pairs:
        mapping = SessionStore(session_key=cookie_a.split("=", 1)[1]).load()[DEVICE_KEY]
        ids.append(Participant.objects.get(pk=mapping[str(workshop_id)]).couple_id)
    return ids


async def open_reflection_breakout(fac, session_id):
    from realtime.snapshots import current_state
    from workshops.models import Session

    async def send(action, **fields):
        msg_id = fac.next_id("setup")
        await fac.command(
            {
                "id": msg_id,
                "type": "session.command",
                "action": action,
                "expected_version": fac.session_version,
                **fields,
            }
        )
        deadline = now() + 15
        while msg_id in fac.pending and now() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)

    # The steps as the session will freeze them (its live state is made by its first command, "start").
    state = await asyncio.to_thread(lambda: current_state(Session.objects.get(pk=session_id)))
    index = next(i for i, step in enumerate(state.steps) if step["kind"] == "reflection")
    await send("start")
    await send("goto", index=index)
    await send("breakout.open", seconds=3600)
    return index


def main():
    from bench.run import server_env

    cfg = {
        "couples": knob("COUPLES", 20),
        "phase_s": knob("PHASE_S", 15.0),
        "redis_down_s": knob("REDIS_DOWN_S", 60.0),
        "restart_s": knob("RESTART_S", 3.0),
        "lossy_s": knob("LOSSY_S", 20.0),
        # A subset, e.g. CHAOS_PHASES=SIGKILL,Redis (each matched against the phase's name)
        "phases": [p for p in os.environ.get("CHAOS_PHASES", "").split(",") if p],
    }
    database_url = os.environ.get("CHAOS_DATABASE_URL", DEFAULT_DATABASE_URL)
    redis = OwnRedis()
    redis.start()
    env = server_env(database_url, redis.url)
    os.environ.update({k: v for k, v in env.items() if k != "PATH"})
    log = open(ROOT / "var" / "chaos-servers.log", "w")  # noqa: SIM115 - the servers write to it for the whole run
    try:
        from bench import fixtures

        fixtures.ensure_database(database_url)
        # The servers run with DEBUG off, as in the image: static files come from the collected manifest.
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, check=True)
        import django

        django.setup()
        world = fixtures.make_world(couples=cfg["couples"], parts=1)
        pairs = fixtures.couples_in_database(world, cfg["couples"])
        started = now()
        rows = asyncio.run(run(cfg, env, world, pairs, redis, log))
    finally:
        redis.cleanup()
        log.close()
    print_table(rows)
    out = Path(os.environ.get("CHAOS_OUT", ROOT / "chaos-results.json"))
    out.write_text(json.dumps({"config": cfg, "seconds": round(now() - started, 1), "phases": rows}, indent=2))
    print(f"[chaos] {out.name} written; server logs in var/chaos-servers.log")
    failed = [
        r["fault"]
        for r in rows
        if r["lost"] or r["applied_twice"] or r["abnormal_closes"] or r["http_5xx"] or not r["settled"]
    ]
    if failed:
        print(f"[chaos] FAILED: {', '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
