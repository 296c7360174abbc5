"""The production topology for real: two Daphne processes sharing PostgreSQL and Redis. The facilitator is on
one, the couples on the other; the couples' process is killed with SIGKILL mid-session and they carry on
through the other, from the same state; presence shows the truth within 30 s."""

import asyncio
import json
import signal
import time

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from websockets.asyncio.client import connect

from tests.platform.servers import daphne_processes

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.multiprocess,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


class Socket:
    def __init__(self, base, session_id, cookie, role=None):
        self.url = base.replace("http://", "ws://") + f"/ws/live/{session_id}/" + (f"?as={role}" if role else "")
        self.origin, self.cookie, self.frames, self.ws = base, cookie, [], None

    async def open(self):
        self.ws = await connect(self.url, origin=self.origin, additional_headers={"Cookie": self.cookie})
        return await self.wait_for(lambda f: f["type"] == "hello")

    async def wait_for(self, predicate, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            frame = json.loads(await asyncio.wait_for(self.ws.recv(), max(0.05, deadline - time.monotonic())))
            self.frames.append(frame)
            if predicate(frame):
                return frame

    async def command(self, message_type, msg_id, **fields):
        await self.ws.send(json.dumps({"id": msg_id, "type": message_type, **fields}))
        return await self.wait_for(lambda f: f.get("id") == msg_id and f["type"] in ("ack", "error", "pong"))


def cookie_of(device):
    value = device.client.cookies[settings.SESSION_COOKIE_NAME].value
    connections.close_all()  # this ran in a worker thread; the test database must stay droppable
    return f"{settings.SESSION_COOKIE_NAME}={value}"


async def test_couples_survive_the_death_of_their_server_process(live):
    ana, ben = await live.couple("Ana", "Ben")
    cleo, dan = await live.couple("Cleo", "Dan")
    fac_device = await sync_to_async(live.staff_device)()
    cookies = {
        name: await sync_to_async(cookie_of)(d)
        for name, d in (("ana", ana), ("ben", ben), ("cleo", cleo), ("dan", dan), ("fac", fac_device))
    }
    sid = live.session.pk
    with daphne_processes(2) as servers:
        (proc_a, base_a), (proc_b, base_b) = servers
        fac = Socket(base_a, sid, cookies["fac"], role="facilitator")
        await fac.open()
        version = (await fac.wait_for(lambda f: f["type"] == "session"))["version"]
        phones = {name: Socket(base_b, sid, cookies[name]) for name in ("ana", "ben", "cleo", "dan")}
        for phone in phones.values():
            await phone.open()
        roster = await fac.wait_for(lambda f: f["type"] == "roster" and sum(c["devices"] for c in f["couples"]) == 4)
        assert [c["status"] for c in roster["couples"]] == ["working", "working"]

        assert (await fac.command("session.command", "start", action="start", expected_version=version))[
            "type"
        ] == "ack"
        for phone in phones.values():  # the broadcast crossed processes through Redis
            await phone.wait_for(lambda f: f["type"] == "session" and f["state"]["status"] == "running")
        assert (await fac.command("session.command", "adv1", action="advance", expected_version=version + 1))[
            "type"
        ] == "ack"
        for phone in phones.values():
            await phone.wait_for(lambda f: f["type"] == "session" and f["version"] == version + 2)

        proc_b.send_signal(signal.SIGKILL)
        proc_b.wait()
        # Meanwhile the session moves on; nothing is lost, since the state is in PostgreSQL.
        assert (await fac.command("session.command", "adv2", action="advance", expected_version=version + 2))[
            "type"
        ] == "ack"

        # Ana and Ben reconnect through the surviving process; Cleo and Dan's phones stay dark.
        for name in ("ana", "ben"):
            phone = Socket(base_a, sid, cookies[name])
            hello = await phone.open()
            assert hello["versions"]["session"] == version + 3
            snapshot = await phone.wait_for(lambda f: f["type"] == "session")
            assert snapshot["state"]["step_index"] == 2
            phones[name] = phone
        started = time.monotonic()
        truth = await fac.wait_for(
            lambda f: f["type"] == "roster" and [c["status"] for c in f["couples"]] == ["working", "offline"],
            timeout=30,
        )
        elapsed = time.monotonic() - started
        assert elapsed <= 30
        assert [c["devices"] for c in truth["couples"]] == [2, 0]
        await fac.ws.close()
        for name in ("ana", "ben"):
            await phones[name].ws.close()
