"""Error reporting (SENTRY_DSN, config/sentry.py): a real sentry_sdk client whose transport keeps each envelope
in memory instead of sending it, fed by real errors in a real view and a real socket served by a real uvicorn.
What must never leave: socket payloads, names, feedback answers, tokens and codes in paths or query strings,
cookies, authorization headers, request bodies, local variables."""

import asyncio
import json
import subprocess
import sys

import httpx
import pytest
import sentry_sdk
import uvicorn
from asgiref.sync import sync_to_async
from django.db import connections
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport
from websockets.asyncio.client import connect

from config.asgi import application
from config.sentry import WITHHELD, init_sentry, scrub_breadcrumb, scrub_event
from realtime.services.session import session_command, state_for
from tests.realtime.conftest import marked
from tests.support import ROOT, free_port, python_with_settings

MARKER = "MARKER-9e1f-what-they-wrote"
TOKEN = "TOKEN-4b2a-capability"
COOKIE = "COOKIE-77d0-session"


class KeptEnvelopes(Transport):
    """sentry_sdk's own Transport interface: envelopes are kept here, as the bytes that would be sent."""

    kept = []

    def capture_envelope(self, envelope: Envelope):
        KeptEnvelopes.kept.append((envelope.serialize(), envelope.get_event()))


@pytest.fixture
def reported():
    KeptEnvelopes.kept = []
    init_sentry("http://public@127.0.0.1:9/1", environment="test", transport=KeptEnvelopes)
    try:
        yield KeptEnvelopes.kept
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.init()  # no DSN: nothing is recorded any more


def _everything_sent(kept):
    return b"\n".join(raw for raw, _ in kept)


@pytest.fixture
def database_down():
    """The database refuses connections (a real fault: the views' first query raises)."""
    conn = connections["default"]
    original = conn.settings_dict.copy()
    pooled = bool(conn.settings_dict.get("OPTIONS", {}).get("pool"))
    conn.close()
    if pooled:
        conn.close_pool()
    if conn.vendor == "sqlite":
        conn.settings_dict["NAME"] = "/nonexistent-dir/attune.sqlite3"
    else:
        conn.settings_dict["PORT"] = "1"
        options = conn.settings_dict["OPTIONS"]  # new dicts: `original` keeps the pool's own settings
        conn.settings_dict["OPTIONS"] = {**options, "pool": {**options["pool"], "timeout": 1}}  # fail within 1 s
    try:
        yield
    finally:
        conn.close()
        if pooled:
            conn.close_pool()
        conn.settings_dict.update(original)


@pytest.fixture
async def served_here():
    """A real uvicorn serving Attune in this process (so the test's Sentry client sees its errors). Its access log
    is on, unlike production's: the raw paths it logs reach Sentry's breadcrumbs, which the scrubber must clean."""
    port = free_port()
    config = uvicorn.Config(application, host="127.0.0.1", port=port, lifespan="off", ws="websockets-sansio")
    config.log_config = None  # keep the test process's logging (Django's LOGGING)
    server = uvicorn.Server(config)
    serving = asyncio.ensure_future(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        await serving


@pytest.mark.django_db(transaction=True)
async def test_a_view_error_reports_the_route_and_the_stack_never_the_token_body_cookie_or_authorization(
    reported, served_here, database_down
):
    csrf = "c" * 32  # the body must reach the view: a CSRF cookie and the same token in the header
    headers = {
        "Authorization": f"Bearer {TOKEN}",
        "Cookie": f"sessionid={COOKIE}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "User-Agent": "Phone",
    }
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{served_here}", headers=headers) as client:
        assert (await client.get(f"/i/{TOKEN}", params={"t": TOKEN, "name": MARKER})).status_code == 500
        body = {"consent": True, "display_name": MARKER, "answer": MARKER}
        assert (await client.post("/live/api/enter", json=body)).status_code == 500

    events = [event for _, event in reported if event]
    assert len(events) == 2
    first, second = events
    assert first["request"] == {
        "method": "GET",
        "url": f"http://127.0.0.1:{served_here}/i/<str:token>",
        "headers": {"host": f"127.0.0.1:{served_here}", "user-agent": "Phone", "accept": "*/*"},
    }
    assert first["transaction"] == "/i/<str:token>"
    assert second["request"]["method"] == "POST"
    assert second["request"]["url"] == f"http://127.0.0.1:{served_here}/live/api/enter"
    for event in events:
        exception = event["exception"]["values"][-1]
        assert exception["type"] == "OperationalError"
        assert exception["value"] == WITHHELD
        assert any(
            frame.get("module", "").startswith(("workshops.", "realtime.", "django."))
            for frame in exception["stacktrace"]["frames"]
        )
        assert all("vars" not in frame for frame in exception["stacktrace"]["frames"])
        assert "user" not in event and "extra" not in event
    sent = _everything_sent(reported)
    for secret in (MARKER, TOKEN, COOKIE):
        assert secret.encode() not in sent


def _rename_table(old, new):
    """A real fault in the database under a running server: the table a command writes is not there."""
    with connections["default"].cursor() as cursor:
        cursor.execute(f"ALTER TABLE {old} RENAME TO {new}")
    connections.close_all()


@pytest.mark.django_db(transaction=True)
async def test_a_socket_error_reports_where_it_happened_never_the_payload_name_or_cookie(
    reported, custom_live, served_here
):
    live = await custom_live("naming-moments")
    for action, args in (("start", {}), ("goto", {"index": 1}), ("breakout.open", {"seconds": 600})):
        state = await sync_to_async(state_for)(live.session)
        await sync_to_async(session_command)(
            session=live.session, action=action, expected_version=state.version, args=args
        )
    ana, _ = await live.couple(f"Ana {MARKER}", "Ben")
    _, cookie = ana.cookie()
    async with connect(
        f"ws://127.0.0.1:{served_here}/ws/live/{live.session.pk}/",
        origin="http://localhost",
        additional_headers={"Cookie": cookie.decode()},
    ) as socket:
        assert json.loads(await socket.recv())["type"] == "hello"
        await sync_to_async(_rename_table)("realtime_coupleentry", "realtime_coupleentry_away")
        try:
            entry = {"id": "e1", "type": "entry.put", "step_index": 1, "kind": "reflection", "key": "0"}
            await socket.send(json.dumps({**entry, "payload": marked(MARKER)}))  # sealed, holding the marker
            while (frame := json.loads(await asyncio.wait_for(socket.recv(), 5))).get("id") != "e1":
                pass
        finally:
            await sync_to_async(_rename_table)("realtime_coupleentry_away", "realtime_coupleentry")
        assert (frame["type"], frame["code"]) == ("error", "internal")  # the socket stays up: it answers a ping
        await socket.send(json.dumps({"id": "p1", "type": "ping"}))
        while (frame := json.loads(await asyncio.wait_for(socket.recv(), 5))).get("id") != "p1":
            pass
        assert frame["type"] == "pong"

    events = [event for _, event in reported if event]
    assert len(events) == 1
    event = events[0]
    assert event["logger"] == "attune.live"
    message = event["logentry"]["formatted"]
    assert message.startswith("live entry.put from a participant failed with ")
    assert ", in receive\n" in message  # where it happened (the function; paths are withheld): kept
    assert "exception" not in event or all(
        "vars" not in frame for value in event["exception"]["values"] for frame in value["stacktrace"]["frames"]
    )
    sent = _everything_sent(reported)
    assert MARKER.encode() not in sent
    assert cookie.split(b"=", 1)[1] not in sent


def test_the_scrubber_keeps_an_allowlist_of_every_part_of_an_event():
    event = {
        "event_id": "abc",
        "level": "error",
        "logger": "django.request",
        "transaction": f"/offer/{TOKEN}",
        "user": {"id": 7, "email": "ana@example.test", "ip_address": "10.0.0.7"},
        "extra": {"sys.argv": ["x"], "payload": MARKER},
        "tags": {"url": f"/i/{TOKEN}"},
        "request": {
            "method": "GET",
            "url": f"https://attune.example/ical/staff/3/{TOKEN}.ics",
            "query_string": f"code={TOKEN}",
            "cookies": {"sessionid": COOKIE},
            "data": {"answer": MARKER},
            "env": {"REMOTE_ADDR": "10.0.0.7"},
            "headers": {"Authorization": f"Bearer {TOKEN}", "Cookie": COOKIE, "User-Agent": "Phone", "X-Real": "x"},
        },
        "logentry": {"message": "Internal Server Error: %s", "params": [f"/live/pair/{TOKEN}"]},
        "exception": {
            "values": [
                {
                    "type": "DataError",
                    "value": f"JSON data: {MARKER}",
                    "stacktrace": {"frames": [{"function": "entry_put", "lineno": 3, "vars": {"payload": MARKER}}]},
                }
            ]
        },
        "breadcrumbs": {
            "values": [
                {"category": "query", "message": f"INSERT ... '{MARKER}'"},
                {"category": "attune.request", "message": f"GET /i/{TOKEN} 200", "data": {"x": MARKER}},
            ]
        },
        "contexts": {"runtime": {"name": "CPython"}, "response": {"body": MARKER}},
    }
    clean = scrub_event(event)
    assert clean == {
        "event_id": "abc",
        "level": "error",
        "logger": "django.request",
        "transaction": "/offer/<str:token>",
        "request": {
            "method": "GET",
            "url": "https://attune.example/ical/staff/<int:user_id>/<str:token>.ics",
            "headers": {"User-Agent": "Phone"},
        },
        "logentry": {"message": "Internal Server Error: %s", "formatted": "Internal Server Error: %s"},
        "exception": {
            "values": [
                {
                    "type": "DataError",
                    "value": WITHHELD,
                    "stacktrace": {"frames": [{"function": "entry_put", "lineno": 3}]},
                }
            ]
        },
        "breadcrumbs": {"values": [{"category": "attune.request", "message": "GET /i/<str:token> 200"}]},
        "contexts": {"runtime": {"name": "CPython"}},
    }


def test_sql_and_http_breadcrumbs_are_dropped_and_paths_in_log_breadcrumbs_become_patterns():
    assert scrub_breadcrumb({"category": "query", "message": "SELECT 1"}) is None
    assert scrub_breadcrumb({"type": "http", "category": "httplib", "data": {"url": "x"}}) is None
    crumb = {"type": "log", "category": "django.request", "level": "error", "message": f"Not Found: /offer/{TOKEN}?x=1"}
    assert scrub_breadcrumb({**crumb, "data": {"a": 1}}) == {**crumb, "message": "Not Found: /offer/<str:token>"}


PRINT_SENTRY = (
    "import django; django.setup(); import sentry_sdk; client = sentry_sdk.get_client(); "
    "print(client.is_active(), getattr(client.options.get('before_send'), '__name__', None), "
    "client.options.get('include_local_variables'), client.options.get('max_request_body_size'))"
)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "False None True medium"),  # unset: no client at all
        ({"SENTRY_DSN": "https://public@errors.example/7"}, "True scrub_event False never"),
    ],
)
def test_settings_start_error_reporting_only_when_sentry_dsn_is_set(environ, expected):
    result = python_with_settings(PRINT_SENTRY, environ)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"SENTRY_DSN": "errors.example/7"}, "SENTRY_DSN must be a URL"),
        ({"METRICS_TOKEN": "short"}, "METRICS_TOKEN must be a random string of at least 16 characters"),
    ],
)
def test_malformed_operations_settings_are_named(environ, message):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", **environ},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert message in result.stderr
