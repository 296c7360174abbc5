"""The production topology for real on one machine: two Daphne processes sharing
one PostgreSQL and one Redis. A message sent through one reaches a socket held
by the other."""

import asyncio
import json

import httpx
import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client
from websockets.asyncio.client import connect

from tests.platform.servers import daphne_processes

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.multiprocess,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


def signed_in_cookie():
    user = get_user_model().objects.create_user(username="two-process", password="pw-not-used-123")
    client = Client()
    client.force_login(user)
    connections.close_all()  # this runs in a worker thread; the test database must be droppable afterwards
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def open_socket(base, cookie):
    ws_url = base.replace("http://", "ws://") + "/ws/echo/"
    socket = await connect(ws_url, origin=base, additional_headers={"Cookie": cookie})
    hello = json.loads(await asyncio.wait_for(socket.recv(), 5))
    assert hello["type"] == "hello"
    return socket, hello["process"]


async def test_message_through_one_process_reaches_a_socket_on_the_other():
    cookie = await sync_to_async(signed_in_cookie)()
    with daphne_processes(2) as servers:
        (proc_a, base_a), (proc_b, base_b) = servers
        for base in (base_a, base_b):
            ready = httpx.get(f"{base}/readyz", timeout=5)
            assert ready.status_code == 200, ready.text
            assert ready.json()["checks"] == {"database": "ok", "redis": "ok"}

        sender, pid_a = await open_socket(base_a, cookie)
        receiver, pid_b = await open_socket(base_b, cookie)
        assert pid_a == proc_a.pid and pid_b == proc_b.pid

        await sender.send(json.dumps({"type": "echo", "id": "x1", "text": "across processes"}))
        frame = json.loads(await asyncio.wait_for(receiver.recv(), 5))
        assert frame == {"type": "echo", "text": "across processes", "process": proc_a.pid}
        await sender.close()
        await receiver.close()
