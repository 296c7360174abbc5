"""Liveness and readiness probes, JSON.

/healthz answers while the process runs. /readyz asks the database and the
channel layer, each within READINESS_TIMEOUT_S, and answers 503 naming the part
that failed.
"""

import asyncio
import uuid

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection
from django.http import JsonResponse


async def healthz(request):
    return JsonResponse({"status": "ok"})


def _ping_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()


async def _ping_channel_layer():
    layer = get_channel_layer()
    # A channel of its own name, not a process-local one (new_channel): channels_redis reads all of a process's
    # local channels under one lock, which the fan-out hub's blocking read holds for up to 5 s at a time, so a
    # probe on a local channel waits behind it and reports a healthy Redis as failing.
    channel = f"readyz.{uuid.uuid4().hex}"
    token = uuid.uuid4().hex
    await layer.send(channel, {"type": "readyz.ping", "token": token})
    message = await layer.receive(channel)
    if message.get("token") != token:
        raise RuntimeError("the channel layer returned another message")


def _channel_layer_name():
    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    return "redis" if "channels_redis" in backend else "channel_layer"


async def _check(coroutine, timeout):
    try:
        await asyncio.wait_for(coroutine, timeout)
        return "ok"
    except TimeoutError:
        return f"no answer within {timeout:g}s"
    except Exception as exc:  # the probe reports any failure, it must not raise
        return f"error: {exc.__class__.__name__}"


async def readyz(request):
    timeout = settings.READINESS_TIMEOUT_S
    database, layer = await asyncio.gather(
        _check(sync_to_async(_ping_database, thread_sensitive=False)(), timeout),
        _check(_ping_channel_layer(), timeout),
    )
    checks = {"database": database, _channel_layer_name(): layer}
    failing = sorted(name for name, state in checks.items() if state != "ok")
    if failing:
        return JsonResponse({"status": "unavailable", "failing": failing, "checks": checks}, status=503)
    return JsonResponse({"status": "ready", "checks": checks})
