"""The stack's self-test (/ws/echo/): a signed-in user's message reaches every socket of that user, through the
channel layer, on whichever server process holds it. A Channels consumer: it is the one socket that has a channel
of its own, which is what it tests."""

import json
import os

from channels.generic.websocket import AsyncWebsocketConsumer

from config import json_input
from realtime import groups, protocol

MAX_FRAME_BYTES = 16 * 1024


class EchoConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=protocol.CLOSE_UNAUTHENTICATED)
            return
        self.group = groups.user_echo(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "process": os.getpid()})

    async def disconnect(self, code):
        group = getattr(self, "group", None)
        if group:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        if text_data is None or len(text_data.encode(errors="surrogatepass")) > MAX_FRAME_BYTES:
            await self.send_error(None, "bad_frame", f"Send one JSON text frame of at most {MAX_FRAME_BYTES} bytes.")
            return
        try:  # the same limits as the live socket (a lone surrogate cannot even cross Redis: msgpack refuses it)
            message = json_input.loads(text_data)
        except json_input.BadJSON as refused:
            await self.send_error(protocol.message_id(refused.document), refused.code, refused.message)
            return
        if not isinstance(message, dict) or message.get("type") != "echo" or not isinstance(message.get("text"), str):
            msg_id = message.get("id") if isinstance(message, dict) else None
            await self.send_error(msg_id, "bad_message", 'Expected {"type": "echo", "text": "..."}.')
            return
        await self.channel_layer.group_send(
            self.group, {"type": "echo.message", "text": message["text"], "process": os.getpid()}
        )
        await self.send_json({"type": "ack", "id": message.get("id")})

    async def echo_message(self, event):
        await self.send_json({"type": "echo", "text": event["text"], "process": event["process"]})

    async def send_error(self, msg_id, code, text):
        await self.send_json({"type": "error", "id": msg_id, "code": code, "message": text})

    async def send_json(self, payload):
        await self.send(text_data=json.dumps(payload, separators=(",", ":")))
