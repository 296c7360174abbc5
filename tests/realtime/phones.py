"""Test clients for the live engine: a phone (or laptop) with its own session cookie, speaking HTTP for joining
and pairing, and the socket protocol through the real ASGI application."""

import asyncio
import itertools
import json

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application

ORIGIN = (b"origin", b"http://localhost")
_ids = itertools.count(1)


class Device:
    def __init__(self, user=None):
        self.client = Client()
        if user is not None:
            self.client.force_login(user)
        self.socket = None
        self.frames = []
        self.early = []  # frames that came while a command waited for its ack (see command)

    # --- HTTP -----------------------------------------------------------------------------
    def post(self, path, data=None):
        return self.client.post(path, json.dumps(data or {}), content_type="application/json")

    def get(self, path):
        return self.client.get(path)

    async def apost(self, path, data=None):
        return await sync_to_async(self.post)(path, data)

    async def aget(self, path):
        return await sync_to_async(self.get)(path)

    def cookie(self):
        value = self.client.cookies[settings.SESSION_COOKIE_NAME].value
        return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={value}".encode())

    # --- socket ---------------------------------------------------------------------------
    async def connect(self, session_id, role=None):
        path = f"/ws/live/{session_id}/" + (f"?as={role}" if role else "")
        self.socket = WebsocketCommunicator(application, path, headers=[ORIGIN, self.cookie()])
        connected, _ = await self.socket.connect()
        assert connected
        hello = await self.next_frame()
        return hello

    async def next_frame(self, timeout=3):
        frame = json.loads(await self.socket.receive_from(timeout=timeout))
        self.frames.append(frame)
        return frame

    async def wait_for(self, predicate, timeout=3):
        """Read frames until one matches; returns it. Frames that came while the last command waited for its
        ack are looked at first, in order, as if they had come after it."""
        early, self.early = self.early, []
        for index, frame in enumerate(early):
            if predicate(frame):
                self.early = early[index + 1 :]
                return frame
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"no matching frame; last frames: {self.frames[-5:]}")
            frame = await self.next_frame(timeout=remaining)
            if predicate(frame):
                return frame

    async def send(self, message_type, msg_id=None, **fields):
        msg_id = msg_id or f"m{next(_ids)}"
        await self.socket.send_to(text_data=json.dumps({"id": msg_id, "type": message_type, **fields}))
        return msg_id

    async def command(self, message_type, **fields):
        """Send and wait for its ack or error; returns that frame. A change's own frames may come before its ack
        (a phone's frames are written by the process's hub as soon as they are published, while the ack follows
        the command's return): the frames skipped on the way are kept for the next wait_for."""
        msg_id = await self.send(message_type, **fields)
        self.early, skipped = [], []

        def is_reply(frame):
            if frame.get("id") == msg_id and frame["type"] in ("ack", "error", "pong"):
                return True
            skipped.append(frame)
            return False

        reply = await self.wait_for(is_reply)
        self.early = skipped
        return reply

    async def latest(self, frame_type, timeout=0.3):
        """Drain what has arrived and return the newest frame of that type (or the last one seen)."""
        # receive_nothing waits without cancelling the application (a timed-out receive would).
        while not await self.socket.receive_nothing(timeout=timeout):
            await self.next_frame()
        for frame in reversed(self.frames):
            if frame["type"] == frame_type:
                return frame
        return None

    async def close(self):
        if self.socket is not None:
            await self.socket.disconnect()
            self.socket = None
