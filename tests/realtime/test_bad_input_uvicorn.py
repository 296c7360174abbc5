"""Bad input against the production server: uvicorn as the image runs it, with PostgreSQL and Redis. Where the
crash was seen: uvicorn logged "Exception in ASGI application" (a DataError, a RecursionError) and, after a 4429
close, "Unexpected ASGI message 'websocket.send', after sending 'websocket.close'". Neither may appear now, each bad
frame gets its error frame on a socket that stays up, and every socket's presence row is gone after it closes."""

import asyncio
import json
import subprocess
import tempfile
import time

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from websockets.exceptions import ConnectionClosed

from bench.procs import command
from realtime.models import Presence
from tests.platform.servers import server_env
from tests.realtime.test_bad_input import PHONE_FRAMES, STAFF_FRAMES
from tests.realtime.test_couple_space import KEYS, REFLECTION, at_step
from tests.realtime.test_real_topology import Socket, cookie_of
from tests.support import ROOT, free_port, stop, wait_for_http

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.multiprocess,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


def uvicorn_process(log):
    """One uvicorn process of Attune with the image's options (bench.procs, as platform/Dockerfile runs it), its log
    into `log`."""
    port = free_port()
    process = subprocess.Popen(
        command("attune", "uvicorn", port),
        cwd=ROOT,
        env=server_env(),
        stdout=log,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for_http(f"{base}/healthz", process=process)
    return process, base


async def error_for(socket, text):
    await socket.ws.send(text)
    return await socket.wait_for(lambda f: f["type"] == "error")


async def test_uvicorn_answers_bad_frames_with_error_frames_and_logs_no_exception(custom_live):
    live = await custom_live(*KEYS)
    ana, _ben = await live.couple("Ana", "Ben")
    fac = await sync_to_async(live.staff_device)()
    await at_step(live, REFLECTION)
    cookies = [await sync_to_async(cookie_of)(device) for device in (ana, fac)]
    with tempfile.TemporaryFile() as log:
        process, base = await sync_to_async(uvicorn_process)(log)
        try:
            phone = Socket(base, live.session.pk, cookies[0])
            staff = Socket(base, live.session.pk, cookies[1], role="facilitator")
            for socket, frames in ((phone, PHONE_FRAMES), (staff, STAFF_FRAMES)):
                await socket.open()
                for text, code, msg_id in frames:
                    error = await error_for(socket, text)
                    assert (error["code"], error["id"]) == (code, msg_id)
                assert (await socket.command("ping", "after"))["type"] == "pong"
            # An oversized frame and frames queued behind it: the 4429 close, then nothing.
            await phone.ws.send("x" * (256 * 1024 + 1))
            for n in range(5):
                await phone.ws.send(json.dumps({"id": f"late-{n}", "type": "ping"}))
            late = []
            with pytest.raises(ConnectionClosed):
                while True:
                    late.append(json.loads(await asyncio.wait_for(phone.ws.recv(), 5)))
            assert phone.ws.close_code == 4429
            assert [frame for frame in late if str(frame.get("id")).startswith("late-")] == []
            await staff.ws.close()
            deadline = time.monotonic() + 5
            while await sync_to_async(Presence.objects.count)() and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            assert await sync_to_async(Presence.objects.count)() == 0
            await sync_to_async(connections.close_all)()  # that thread's connection: the test database must drop
        finally:
            stop(process)
        log.seek(0)
        logged = log.read().decode(errors="replace")
    assert "Exception in ASGI application" not in logged
    assert "Unexpected ASGI message" not in logged
    assert "Traceback" not in logged


async def test_a_phone_that_goes_away_while_its_pings_are_answered_is_no_error(live):
    """A phone that loses its network with messages still in flight (a lift, a tunnel): the answers the server still
    has for it go nowhere, quietly. uvicorn raised ClientDisconnected into the socket's send, which was logged as a
    failed command, with its trace, for every answer left."""
    ana, _ben = await live.couple("Ana", "Ben")
    cookie = await sync_to_async(cookie_of)(ana)
    with tempfile.TemporaryFile() as log:
        process, base = await sync_to_async(uvicorn_process)(log)
        try:
            for attempt in range(3):
                phone = Socket(base, live.session.pk, cookie)
                await phone.open()
                for n in range(25):
                    await phone.ws.send(json.dumps({"id": f"gone-{attempt}-{n}", "type": "ping"}))
                phone.ws.transport.abort()  # no close handshake: the connection is simply gone
            await asyncio.sleep(1.5)
            answering = Socket(base, live.session.pk, cookie)
            await answering.open()
            assert (await answering.command("ping", "still"))["type"] == "pong"
            await answering.ws.close()
            await sync_to_async(connections.close_all)()
        finally:
            stop(process)
        log.seek(0)
        logged = log.read().decode(errors="replace")
    assert "failed with" not in logged, logged
    assert "Traceback" not in logged, logged
