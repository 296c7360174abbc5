"""The naive Channels baseline: one consumer per socket, all in one group, and a plain group_send through
RedisChannelLayer per broadcast (what a Channels app does out of the box).

Path /control/ is the facilitator: each text it sends ("<version>") is group_sent to every other socket."""

import os

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-naive-baseline",
    ALLOWED_HOSTS=["*"],
    INSTALLED_APPS=["channels"],
    DATABASES={},
    CHANNEL_LAYERS={
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")],
                "prefix": "benchnaive",
                "capacity": 1500,
                "expiry": 30,
            },
        }
    },
)
django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import re_path  # noqa: E402

from bench.frames import frame  # noqa: E402

GROUP = "bench.all"
current = {"text": frame(0)}


class Member(AsyncWebsocketConsumer):
    async def connect(self):
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.accept()
        await self.send(text_data=current["text"])

    async def disconnect(self, code):
        await self.channel_layer.group_discard(GROUP, self.channel_name)

    async def bench_frame(self, event):
        await self.send(text_data=event["text"])


class Control(AsyncWebsocketConsumer):
    async def receive(self, text_data=None, bytes_data=None):
        current["text"] = frame(int(text_data))
        await self.channel_layer.group_send(GROUP, {"type": "bench.frame", "text": current["text"]})


async def http(scope, receive, send):
    await receive()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})


application = ProtocolTypeRouter(
    {
        "http": http,
        "websocket": URLRouter([re_path(r"^control", Control.as_asgi()), re_path(r"", Member.as_asgi())]),
    }
)
