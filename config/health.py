"""Liveness and readiness probes, JSON.

/healthz answers while the process runs. /readyz asks the database and the
channel layer, each within READINESS_TIMEOUT_S, and answers 503 naming the part
that failed.
"""

import asyncio

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
    # What every broadcast does: a group_send (on Redis, one PUBLISH), which fails or hangs when Redis does. The
    # group has no subscribers, so nothing is delivered and nothing is left behind (a channel subscribed for a
    # round trip of its own would stay subscribed: a pub/sub layer has no call that ends a channel).
    await get_channel_layer().group_send("readyz", {"type": "readyz.ping"})


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
