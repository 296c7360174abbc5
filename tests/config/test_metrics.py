"""GET /metrics (config/metrics.py): this process's metrics, to the bearer of METRICS_TOKEN only, never through
nginx. What a live session moves is in tests/realtime/test_live_metrics.py."""

import subprocess
import sys
import threading

import httpx
import pytest
from django.db import connection
from django.test import Client, override_settings
from prometheus_client.parser import text_string_to_metric_families

from bench.nginx import Nginx, find_nginx
from tests.config.conftest import METRICS_TOKEN
from tests.support import ROOT, require_binary

FAMILIES = {
    "attune_live_sockets",
    "attune_live_commands",
    "attune_publish_seconds",
    "attune_publish_failures",
    "attune_fanout_groups",
    "attune_fanout_sockets",
    "attune_http_requests",
    "attune_http_request_seconds",
    "process_resident_memory_bytes",
    "process_open_fds",
}


def families(text):
    return {family.name: family for family in text_string_to_metric_families(text)}


@pytest.mark.parametrize(
    ("token", "authorization"),
    [
        ("", None),
        ("", "Bearer "),
        ("", "Bearer anything"),
        (METRICS_TOKEN, None),
        (METRICS_TOKEN, "Bearer wrong-token-of-the-same-kind-0"),
        (METRICS_TOKEN, f"Basic {METRICS_TOKEN}"),
        (METRICS_TOKEN, f"Bearer {METRICS_TOKEN}x"),
    ],
)
def test_metrics_answer_404_without_the_token_or_when_none_is_set(token, authorization):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization is not None else {}
    with override_settings(METRICS_TOKEN=token):
        response = Client().get("/metrics", **headers)
    assert response.status_code == 404
    assert b"attune_" not in response.content


def _healthz_count(found):
    wanted = {"method": "GET", "route": "/healthz", "status": "200"}
    return sum(
        s.value for s in found["attune_http_requests"].samples if s.name.endswith("_total") and s.labels == wanted
    )


def test_metrics_answer_the_bearer_of_the_token_with_every_family():
    with override_settings(METRICS_TOKEN=METRICS_TOKEN):
        before = families(Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {METRICS_TOKEN}").content.decode())
        Client().get("/healthz")
        response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {METRICS_TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    found = families(response.content.decode())
    assert set(found) >= FAMILIES
    roles = {sample.labels["role"] for sample in found["attune_live_sockets"].samples}
    assert roles == {"participant", "facilitator", "projector"}
    assert _healthz_count(found) - _healthz_count(before) == 1


@pytest.mark.django_db
def test_a_request_log_route_never_holds_the_path_and_methods_are_bounded():
    with override_settings(METRICS_TOKEN=METRICS_TOKEN):
        Client().get("/i/TOKEN-IN-A-CAPABILITY-LINK")
        Client().generic("BREW", "/healthz")
        text = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {METRICS_TOKEN}").content.decode()
    assert "TOKEN-IN-A-CAPABILITY-LINK" not in text
    assert 'route="/i/<str:token>"' in text
    assert "BREW" not in text and 'method="other",route="/healthz"' in text


def test_each_process_answers_metrics_directly_and_nginx_refuses_them(served):
    direct = httpx.get(f"{served.base}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert direct.status_code == 200
    assert set(families(direct.text)) >= FAMILIES
    assert httpx.get(f"{served.base}/metrics").status_code == 404

    binary = find_nginx() or require_binary("nginx")
    nginx = Nginx(binary, [served.port], sockets=16, log=subprocess.DEVNULL)
    try:
        nginx.wait_ready()
        assert httpx.get(f"{nginx.base}/healthz").status_code == 200  # nginx does reach the process
        for path in ("/metrics", "/metrics?x=1", "//metrics", "/%6Detrics"):
            proxied = httpx.get(f"{nginx.base}{path}", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
            assert proxied.status_code == 404
            assert "attune_" not in proxied.text
            assert proxied.headers.get("Server", "").startswith("nginx")  # answered by nginx, not proxied
            assert "Permissions-Policy" not in proxied.headers
    finally:
        nginx.stop()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_database_pool_waits_are_exported_from_the_pool_itself():
    connection.ensure_connection()  # Django opens the process's pool with its first connection
    pool = connection.pool
    taken = []  # every connection of the pool, so that the next request waits
    while pool.get_stats()["pool_available"] or pool.get_stats()["pool_size"] < pool.max_size:
        taken.append(pool.getconn(timeout=10))
    before = _pool_samples()
    assert before["attune_db_pool_max"] == pool.max_size
    assert before["attune_db_pool_available"] == 0
    assert before["attune_db_requests_waiting"] == 0

    waited = threading.Event()

    def wait_for_one():
        conn = pool.getconn(timeout=10)
        waited.set()
        pool.putconn(conn)

    waiter = threading.Thread(target=wait_for_one)
    waiter.start()
    try:
        deadline = 50
        while pool.get_stats().get("requests_waiting", 0) != 1 and deadline:
            threading.Event().wait(0.05)
            deadline -= 1
        waiting = _pool_samples()
        assert waiting["attune_db_requests_waiting"] == 1
    finally:
        pool.putconn(taken.pop())
        waiter.join(10)
        for conn in taken:
            pool.putconn(conn)
    assert waited.is_set()
    after = _pool_samples()
    assert after["attune_db_requests_waiting"] == 0
    assert after["attune_db_pool_requests_queued_total"] - before["attune_db_pool_requests_queued_total"] == 1
    assert after["attune_db_pool_wait_seconds_total"] > before["attune_db_pool_wait_seconds_total"]


def _pool_samples():
    with override_settings(METRICS_TOKEN=METRICS_TOKEN):
        text = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {METRICS_TOKEN}").content.decode()
    return {
        sample.name: sample.value
        for family in text_string_to_metric_families(text)
        if family.name.startswith("attune_db_")
        for sample in family.samples
    }


def test_loading_the_metrics_opens_no_database_pool():
    """Registering a collector must not read it: the pool made at import time would outlive the settings it was
    made from (under pytest, it connected the test run to the development database)."""
    code = (
        "import django; django.setup(); import config.urls; from django.db import connections; "
        "print(sorted(type(connections['default'])._connection_pools))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
