import asyncio
import signal
import time

import pytest
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connections
from django.test import AsyncClient, override_settings

from tests.support import private_redis


def redis_layer(url):
    return {"default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer", "CONFIG": {"hosts": [url]}}}


def test_healthz_answers_while_the_process_runs(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_ready_when_database_and_channel_layer_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"].values()) == {"ok"}
    assert "database" in body["checks"]


@pytest.mark.django_db
@pytest.mark.slow
def test_readyz_names_redis_when_redis_is_configured_but_down(client):
    with private_redis() as (process, url), override_settings(CHANNEL_LAYERS=redis_layer(url)):
        up = client.get("/readyz")
        assert up.status_code == 200, up.content
        assert up.json()["checks"] == {"database": "ok", "redis": "ok"}

        process.kill()
        process.wait()
        down = client.get("/readyz")
    assert down.status_code == 503
    body = down.json()
    assert body["status"] == "unavailable"
    assert body["failing"] == ["redis"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"] != "ok"


@pytest.mark.django_db
@pytest.mark.slow
def test_readyz_names_redis_within_its_time_limit_when_redis_hangs(client):
    """A stopped (SIGSTOP) Redis accepts connections and answers nothing: the probe gives up after
    READINESS_TIMEOUT_S and the answer is 503 JSON, not a request that hangs."""
    with private_redis() as (process, url), override_settings(CHANNEL_LAYERS=redis_layer(url)):
        process.send_signal(signal.SIGSTOP)
        try:
            started = time.monotonic()
            down = client.get("/readyz")
            took = time.monotonic() - started
        finally:
            process.send_signal(signal.SIGCONT)
    assert down.status_code == 503
    assert down.json()["failing"] == ["redis"]
    assert down.json()["checks"]["redis"] == f"no answer within {settings.READINESS_TIMEOUT_S:g}s"
    assert settings.READINESS_TIMEOUT_S <= took < settings.READINESS_TIMEOUT_S + 1.5


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
async def test_readyz_is_ready_while_the_process_waits_on_a_channel_of_its_own():
    """A server process with live sockets always has its fan-out hub's read waiting on its channel (with the
    list-based layer this once was, every process-local read held one lock for up to 5 s). The probe must not wait
    behind that read and call a healthy Redis failing."""
    with private_redis() as (_, url), override_settings(CHANNEL_LAYERS=redis_layer(url)):
        layer = get_channel_layer()
        waiting = asyncio.ensure_future(layer.receive(await layer.new_channel()))  # as the hub's read does
        await asyncio.sleep(0.2)
        try:
            responses = [await AsyncClient().get("/readyz") for _ in range(3)]
        finally:
            waiting.cancel()
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert [r.json()["checks"] for r in responses] == [{"database": "ok", "redis": "ok"}] * 3


@pytest.mark.django_db
def test_readyz_names_the_database_when_it_is_down(client):
    conn = connections["default"]
    original = conn.settings_dict.copy()
    pooled = bool(conn.settings_dict.get("OPTIONS", {}).get("pool"))
    conn.close()
    if pooled:
        conn.close_pool()  # a new pool, made from the broken settings below
    if conn.vendor == "sqlite":
        conn.settings_dict["NAME"] = "/nonexistent-dir/attune.sqlite3"
    else:
        conn.settings_dict["PORT"] = "1"
    try:
        response = client.get("/readyz")
    finally:
        conn.close()
        if pooled:
            conn.close_pool()
        conn.settings_dict.update(original)
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]
