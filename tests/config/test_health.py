import pytest
from django.db import connections
from django.test import override_settings

from tests.support import private_redis


def redis_layer(url):
    return {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [url]}}}


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
