"""Redis down, for real: two uvicorn processes (as the image runs them) on PostgreSQL and a Redis of the test's own,
a facilitator, a second facilitator, a projector and four phones over real sockets. Redis is taken away both ways
an outage happens: killed (connections are refused; it comes back empty, every membership forgotten) and frozen
with SIGSTOP (it accepts connections and answers nothing; it comes back with everything). Meanwhile every socket
stays open, the facilitator's commands apply and are acknowledged (PostgreSQL is the truth), every client learns
the new state by its version check (a pong carries the versions, a client behind asks for a sync), a facilitator
console opened during the outage works, and /readyz answers 503 JSON naming redis within its time limit. Once
Redis answers again, a change made RESUME_S later is pushed to every socket, and /readyz answers 200.

The outage lasts ATTUNE_REDIS_OUTAGE_S seconds (10 by default, to keep the suite short); `make chaos` holds Redis
down for 60 s."""

import asyncio
import contextlib
import json
import os
import tempfile
import time

import httpx
import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.platform.servers import uvicorn_processes
from tests.support import redis_on_its_port
from workshops.steps import COUPLE_KINDS

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.multiprocess,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

OUTAGE_S = float(os.environ.get("ATTUNE_REDIS_OUTAGE_S", "10"))
RESUME_S = 2.0  # pushes resume within this long of Redis answering again (issue 12)
PUSH_WAIT_S = 5.0  # how long a pushed frame may take to arrive once pushes have resumed (normally milliseconds)
READYZ_LIMIT_S = settings.READINESS_TIMEOUT_S + 1.5  # its own time limit, plus the request's way there and back


class Client:
    """One real socket with a reader that keeps every frame and notes how the socket ended, if it did."""

    def __init__(self, name, base, session_id, cookie, role=None):
        self.name, self.base, self.cookie = name, base, cookie
        self.url = base.replace("http://", "ws://") + f"/ws/live/{session_id}/" + (f"?as={role}" if role else "")
        self.frames, self.arrived, self.ws, self.reader = [], asyncio.Event(), None, None
        self.ended = None  # (close code, reason) once the socket has ended
        self.session_version = -1  # the newest session version it has been sent, as the apps keep it
        self.ids = iter(range(1, 1_000_000))

    async def open(self):
        self.ws = await connect(self.url, origin=self.base, additional_headers={"Cookie": self.cookie})
        self.reader = asyncio.ensure_future(self._read())
        return await self.wait_for(lambda f: f["type"] == "hello")

    async def _read(self):
        try:
            async for text in self.ws:
                frame = json.loads(text)
                if frame["type"] == "session":
                    self.session_version = max(self.session_version, frame["version"])
                self.frames.append(frame)
                self.arrived.set()
        except ConnectionClosed:
            pass
        self.ended = (self.ws.close_code, self.ws.close_reason)
        self.arrived.set()

    async def wait_for(self, predicate, timeout=10.0, start=0):
        """The first frame from index `start` on that matches, waiting up to `timeout` for it."""
        deadline = time.monotonic() + timeout
        seen = start
        while True:
            for frame in self.frames[seen:]:
                if predicate(frame):
                    return frame
            seen = max(seen, len(self.frames))
            if self.ended is not None:
                raise AssertionError(f"{self.name}'s socket ended {self.ended}")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{self.name}: no matching frame within {timeout}s; last: {self.frames[-3:]}")
            self.arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), remaining)

    async def request(self, message_type, **fields):
        """Send a message; its reply (ack, error or pong)."""
        msg_id = f"{self.name}-{next(self.ids)}"
        start = len(self.frames)
        await self.ws.send(json.dumps({"id": msg_id, "type": message_type, **fields}))
        return await self.wait_for(
            lambda f: f.get("id") == msg_id and f["type"] in ("ack", "error", "pong"), start=start
        )

    async def command(self, action, expected_version, **args):
        """A facilitator's session command; the ack."""
        reply = await self.request("session.command", action=action, expected_version=expected_version, **args)
        assert reply["type"] == "ack", reply
        return reply

    async def catch_up(self):
        """What the apps do every ping interval (frontend/src/shared/socket.ts): a ping, and a sync when the pong
        says this client is behind. Returns the session frame of the version the pong named."""
        pong = await self.request("ping")
        wanted = pong["versions"]["session"]
        if wanted > self.session_version:
            start = len(self.frames)
            assert (await self.request("sync"))["type"] == "ack"
            return await self.wait_for(lambda f: f["type"] == "session" and f["version"] == wanted, start=start)
        return next(f for f in reversed(self.frames) if f["type"] == "session" and f["version"] == wanted)

    async def run(self, *actions):
        """A facilitator's commands, one after another, each at the version the one before it made (the console
        shows the version of the newest session frame it has, so it catches up first)."""
        version = (await self.catch_up())["version"]
        for action, args in actions:
            await self.command(action, version, **args)
            version += 1
        return version


def cookie_of(device):
    value = device.client.cookies[settings.SESSION_COOKIE_NAME].value
    connections.close_all()  # this ran in a worker thread; the test database must stay droppable
    return f"{settings.SESSION_COOKIE_NAME}={value}"


async def readyz(http, base):
    started = time.monotonic()
    response = await http.get(f"{base}/readyz")
    return response, time.monotonic() - started


@pytest.mark.parametrize("fault", ["refused", "hung"])
async def test_every_socket_stays_up_and_works_while_redis_is_down_and_pushes_resume_when_it_returns(live, fault):
    ana, ben = await live.couple("Ana", "Ben")
    cleo, dan = await live.couple("Cleo", "Dan")
    devices = {"ana": ana, "ben": ben, "cleo": cleo, "dan": dan}
    for name in ("fac", "fac2", "projector"):
        devices[name] = await sync_to_async(live.staff_device)()
    cookies = {name: await sync_to_async(cookie_of)(device) for name, device in devices.items()}
    sid = live.session.pk
    with tempfile.TemporaryFile("w+") as log:  # the servers' log
        with redis_on_its_port() as redis, uvicorn_processes(2, stderr=log, REDIS_URL=redis.url) as servers:
            (_, base_a), (_, base_b) = servers
            # The facilitator and two phones on one process, the projector and two phones on the other.
            where = {"fac": base_a, "ana": base_a, "cleo": base_a, "projector": base_b, "ben": base_b, "dan": base_b}
            roles = {"fac": "facilitator", "fac2": "facilitator", "projector": "projector"}
            clients = {name: Client(name, base, sid, cookies[name], roles.get(name)) for name, base in where.items()}
            for client in clients.values():
                await client.open()
                await client.wait_for(lambda f: f["type"] == "session")
            fac = clients["fac"]
            run_of_show = next(f for f in fac.frames if f["type"] == "session")["state"]["run_of_show"]
            couple_step = next(step["index"] for step in run_of_show if step["kind"] in COUPLE_KINDS)
            await fac.run(("start", {}))
            for client in clients.values():  # pushed through Redis, before the outage
                await client.wait_for(lambda f: f["type"] == "session" and f["state"]["status"] == "running")

            if fault == "refused":
                redis.stop()
            else:
                redis.pause()
            down_at = time.monotonic()

            async with httpx.AsyncClient(timeout=30) as http:
                for base in (base_a, base_b):
                    response, took = await readyz(http, base)
                    assert response.status_code == 503
                    assert response.headers["content-type"] == "application/json"
                    body = response.json()
                    assert (body["status"], body["failing"], body["checks"]["database"]) == (
                        "unavailable",
                        ["redis"],
                        "ok",
                    )
                    assert took < READYZ_LIMIT_S, f"/readyz took {took:.1f}s"

                # The facilitator runs the session on: every command applies and is acknowledged.
                truth = await fac.run(
                    ("goto", {"index": couple_step}),
                    ("breakout.open", {"seconds": 600}),
                    ("pause", {}),
                    ("resume", {}),
                    ("breakout.close", {"warning_seconds": 30}),
                    ("advance", {}),
                )

                # A console opened during the outage (the first staff socket of its process) works too.
                clients["fac2"] = fac2 = Client("fac2", base_b, sid, cookies["fac2"], "facilitator")
                hello = await fac2.open()
                assert hello["versions"]["session"] == truth
                assert (await fac2.wait_for(lambda f: f["type"] == "session"))["version"] == truth

                # Every client learns the new state by its version check.
                for client in clients.values():
                    frame = await client.catch_up()
                    assert (frame["version"], frame["state"]["step_index"]) == (truth, couple_step + 1)
                    assert frame["state"]["status"] == "running"

                await asyncio.sleep(max(0.0, down_at + OUTAGE_S - time.monotonic()))
                for client in clients.values():  # still answering at the end of the outage
                    assert (await client.request("ping"))["versions"]["session"] == truth
                assert {name: client.ended for name, client in clients.items()} == dict.fromkeys(clients)

                if fault == "refused":
                    redis.start()
                else:
                    redis.resume()
                up_at, up_clock = time.monotonic(), time.strftime("%H:%M:%S")
                await asyncio.sleep(max(0.0, up_at + RESUME_S - time.monotonic()))
                starts = {name: len(client.frames) for name, client in clients.items()}
                await fac.command("advance", truth)
                pushed_at = time.monotonic()
                for name, client in clients.items():  # pushed, not asked for: no ping, no sync
                    frame = await client.wait_for(
                        lambda f: f["type"] == "session" and f["version"] == truth + 1,
                        timeout=PUSH_WAIT_S,
                        start=starts[name],
                    )
                    assert frame["state"]["step_index"] == couple_step + 2
                delivered_in = time.monotonic() - pushed_at

                for base in (base_a, base_b):
                    response, _ = await readyz(http, base)
                    assert response.status_code == 200, response.text
                    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}

            assert {name: client.ended for name, client in clients.items()} == dict.fromkeys(clients)
            for client in clients.values():
                await client.ws.close()
        log.seek(0)
        logged = log.read()
        print(
            f"\n{fault}: outage {OUTAGE_S:g}s, Redis back at {up_clock}; a push {RESUME_S:g}s later reached every "
            "socket in "
            f"{delivered_in * 1000:.0f} ms; the servers logged {len(logged.splitlines())} lines:\n{logged}"
        )
        assert "Exception in ASGI application" not in logged
        assert "Traceback" not in logged
