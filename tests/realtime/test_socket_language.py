"""Issue 17: every message the live engine sends a person is in that person's language, the one their page is in:
the language cookie (django_language), else the browser's Accept-Language, else English. Each socket has its own
(two partners of one couple may read different languages), and a refusal is worded where it is made: a LiveError
in a database thread (realtime.threads: the thread copies the socket task's context, so its active language), a
protocol refusal on the socket itself, a JSON endpoint's error in the request, a rate limit where it is met.

The in-process tests run on SQLite (Channels' one database thread) and, with DATABASE_URL and REDIS_URL, on
PostgreSQL and Redis (the pool of database threads, realtime.threads.in_db_thread); the last test does the same
through uvicorn as the image runs it.
Program: online-90; its session is in the lobby, where no couple can write an entry (`not_running`).
"""

import asyncio
import json
import tempfile
from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections
from django.test import Client
from django.utils import translation
from websockets.asyncio.client import connect

from bench import sealed
from config.asgi import application
from realtime.errors import LiveError
from realtime.services.session import session_command, state_for
from tests.realtime.conftest import marked
from tests.realtime.phones import ORIGIN, Device
from tests.realtime.test_bad_input_uvicorn import uvicorn_process
from tests.realtime.test_early_start_and_broadcast import planned_in
from tests.realtime.test_real_topology import Socket, cookie_of
from tests.support import stop

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME
SWISS_BROWSER = "de-CH,de;q=0.9,en;q=0.5"  # no de-CH catalog: its language, German, is chosen
NOT_RUNNING = {"de": "Die Session läuft gerade nicht.", "en": "The session is not running."}
GERMAN_MONTHS = [
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November",
    "Dezember",
]  # fmt: skip


async def open_socket(device, session_id, *, role=None, language=None, accept_language=None, lang=None):
    """The device's socket as its browser opens it: its cookies (the session's, and the language cookie if it
    has one), its Accept-Language header, if any, and the language its page keeps in its address (?lang=), if
    any (a projector's)."""
    cookie = device.cookie()[1].decode() + (f"; {LANGUAGE_COOKIE}={language}" if language else "")
    headers = [ORIGIN, (b"cookie", cookie.encode())]
    if accept_language:
        headers.append((b"accept-language", accept_language.encode()))
    query = "&".join(f"{name}={value}" for name, value in (("as", role), ("lang", lang)) if value is not None)
    path = f"/ws/live/{session_id}/" + (f"?{query}" if query else "")
    device.socket = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await device.socket.connect()
    assert connected
    assert (await device.next_frame())["type"] == "hello"


def entry_put(device):
    """A reflection a phone tries to save while the session is in the lobby: refused in a database thread."""
    return device.command("entry.put", step_index=0, kind="reflection", key="0", payload=marked())


async def refused(device, text):
    await device.socket.send_to(text_data=text)
    return await device.wait_for(lambda f: f["type"] == "error")


async def test_a_refusal_made_in_a_database_thread_arrives_in_each_phones_own_language(live):
    ana, ben = await live.couple("Ana", "Ben")
    (cleo,) = await live.couple("Cleo", one_phone=True)
    await open_socket(ana, live.session.pk, language="de")
    await open_socket(ben, live.session.pk)  # neither cookie nor header: English
    await open_socket(cleo, live.session.pk, accept_language=SWISS_BROWSER)
    # In turns, and again: no socket's language reaches another's refusal through the database threads.
    for device, language in ((ana, "de"), (ben, "en"), (cleo, "de"), (ana, "de"), (ben, "en")):
        error = await entry_put(device)
        assert (error["type"], error["code"]) == ("error", "not_running")
        assert error["message"] == NOT_RUNNING[language]
    # At once, too: the three refusals are made in database threads side by side.
    errors = await asyncio.gather(*(entry_put(device) for device in (ana, ben, cleo)))
    assert [error["message"] for error in errors] == [NOT_RUNNING["de"], NOT_RUNNING["en"], NOT_RUNNING["de"]]
    for device in (ana, ben, cleo):
        await device.close()


async def test_the_language_cookie_wins_over_accept_language(live):
    ana, ben = await live.couple("Ana", "Ben")
    await open_socket(ana, live.session.pk, language="en", accept_language="de")
    await open_socket(ben, live.session.pk, language="de", accept_language="en-GB,en")
    assert (await entry_put(ana))["message"] == NOT_RUNNING["en"]
    assert (await entry_put(ben))["message"] == NOT_RUNNING["de"]
    for device in (ana, ben):
        await device.close()


async def test_a_facilitators_console_gets_its_refusals_in_its_language(live):
    console = await sync_to_async(live.staff_device)()
    await open_socket(console, live.session.pk, role="facilitator", language="de")
    version = (await console.wait_for(lambda f: f["type"] == "session"))["version"]
    back = await console.command("session.command", action="back", expected_version=version)
    assert (back["code"], back["message"]) == (
        "wrong_status",
        "Das geht nicht, solange die Session noch nicht begonnen hat.",
    )
    moved = await console.command("session.command", action="start", expected_version=version + 7)
    assert moved["code"] == "stale_version"
    assert (
        moved["message"]
        == f"Die Session ist inzwischen weiter (jetzt bei Version {version}); hier ist der neueste Stand."
    )
    question = await console.command("feedback.add", kind="text", question="   ")
    assert (question["code"], question["message"]) == ("bad_prompt", "Schreib die Frage auf.")
    threshold = await console.command("feedback.k", k=2)  # below the protocol's 3: pydantic's refusal, in words
    assert (threshold["code"], threshold["message"]) == ("bad_message", "k muss mindestens 3 sein.")
    await console.close()


async def test_refusals_made_on_the_socket_itself_are_in_its_language(live):
    ana, ben = await live.couple("Ana", "Ben")
    await open_socket(ana, live.session.pk, accept_language="de")
    await open_socket(ben, live.session.pk)
    said = {}
    for device, language in ((ana, "de"), (ben, "en")):
        said[language] = [
            (await device.command("ping", extra=1))["message"],
            (await device.command("session.command", action="advance", expected_version=0))["message"],
            (await refused(device, json.dumps({"id": "n1", "type": "entry.put", "payload": "a\0b"})))["message"],
            (await refused(device, "x" * 21 * 1024))["message"],
            (await refused(device, json.dumps({"id": "t1", "type": "teleport"})))["message"],
        ]
    assert said["de"][:4] == [
        "extra: Dieses Feld gibt es in dieser Nachricht nicht.",
        "Das kann nur die Moderation.",
        "payload: Ein Text enthält ein NUL-Zeichen oder die Hälfte eines UTF-16-Surrogatpaars; das lässt sich nicht "
        "speichern. Schick einfachen Unicode-Text.",
        "Schick einen JSON-Text-Frame von höchstens 20.480 Bytes.",  # the number as German writes it
    ]
    assert said["de"][4].startswith("message: Eine Nachricht dieses Typs gibt es nicht; die Typen sind: 'ping', ")
    assert said["en"][:4] == [
        "extra: this message has no such field.",
        "Only a facilitator can do that.",
        "payload: a text holds a NUL character or half of a UTF-16 surrogate pair, which cannot be stored; send "
        "plain Unicode text.",
        "Send one JSON text frame of at most 20,480 bytes.",
    ]
    assert said["en"][4].startswith("message: no message has this type; the types are: 'ping', ")
    assert "teleport" not in said["en"][4]  # what was sent is never repeated
    for device in (ana, ben):
        await device.close()


def german_phone(how):
    """A phone whose browser reads German: by the language cookie, or by its Accept-Language."""
    if how == "cookie":
        device = Device()
        device.client.cookies[LANGUAGE_COOKIE] = "de"
        return device
    device = Device()
    device.client = Client(HTTP_ACCEPT_LANGUAGE=SWISS_BROWSER)
    return device


@pytest.mark.parametrize("how", ["cookie", "accept-language"])
def test_a_json_endpoints_error_is_in_the_readers_language(live, how):
    wrong = german_phone(how).post("/live/api/join/code", {"code": "ZZZZZZ"})
    assert wrong.status_code == 404
    assert wrong.json() == {
        "code": "unknown_code",
        "message": "Mit diesem Code ist gerade keine Session offen. Schau noch einmal auf den Code auf dem Bildschirm.",
    }
    english = Device().post("/live/api/join/code", {"code": "ZZZZZZ"})
    assert english.json()["message"] == "No session is open with that code. Check the code on the screen."
    phone = german_phone(how)
    phone.post("/live/api/join/code", {"code": live.session.join_code})
    unstorable = phone.post("/live/api/enter", {"consent": True, "display_name": "A\0na"})
    assert unstorable.status_code == 400
    assert unstorable.json()["message"].startswith("display_name: Ein Text enthält ein NUL-Zeichen")
    no_consent = phone.post("/live/api/enter", {"consent": False, "display_name": "Ana"})
    assert no_consent.json() == {
        "code": "consent_required",
        "message": "Zum Mitmachen brauchen wir dein Einverständnis; du kannst jederzeit gehen.",
    }


def test_a_rate_limit_is_said_in_the_readers_language(live):
    """The sixth pairing code a participant types is refused (config.ratelimit.PAIRING_PER_PARTICIPANT) with the
    wait in words: in German, with its plural."""
    ben = german_phone("accept-language")
    ben.post("/live/api/join/code", {"code": live.session.join_code})
    ben.post("/live/api/enter", {"consent": True, "display_name": "Ben"})
    body = {"session_id": live.session.pk, "code": "AAAAAA", "commitment": sealed.Exchange().commitment}
    wrong = [ben.post("/live/api/pair/join", body) for _ in range(5)]
    assert {(r.status_code, r.json()["message"]) for r in wrong} == {
        (400, "Dieser Code passt nicht oder ist abgelaufen. Bitte dein Gegenüber um einen neuen.")
    }
    limited = ben.post("/live/api/pair/join", body)
    assert limited.status_code == 429
    assert 540 < int(limited["Retry-After"]) <= 600
    assert limited.json() == {
        "code": "rate_limited",
        "message": "Zu viele Versuche. Versuch es in 10 Minuten noch einmal.",
        "retry_after": int(limited["Retry-After"]),
    }


def test_when_a_session_is_planned_is_written_as_the_readers_language_writes_a_date(builtin_library):
    session = planned_in(timedelta(days=90))
    local = session.starts_at.astimezone(ZoneInfo("Europe/Berlin"))
    state = state_for(session)
    with translation.override("de"), pytest.raises(LiveError) as refused_early:
        session_command(session=session, action="start", expected_version=state.version)
    when = f"{local.day}. {GERMAN_MONTHS[local.month - 1]} {local.year}, {local:%H:%M} (Europe/Berlin)"
    assert refused_early.value.message == f"Diese Session ist für {when} geplant. Trotzdem jetzt starten?"


class LanguageSocket(Socket):
    """A live socket through uvicorn whose handshake carries an Accept-Language header besides the cookie."""

    def __init__(self, *args, accept_language, **kwargs):
        super().__init__(*args, **kwargs)
        self.accept_language = accept_language

    async def open(self):
        headers = {"Cookie": self.cookie, "Accept-Language": self.accept_language}
        self.ws = await connect(self.url, origin=self.origin, additional_headers=headers)
        return await self.wait_for(lambda f: f["type"] == "hello")


async def entry_put_through(socket, msg_id):
    """entry_put, through uvicorn (tests.realtime.test_real_topology.Socket)."""
    text = {"id": msg_id, "type": "entry.put", "step_index": 0, "kind": "reflection", "key": "0"}
    await socket.ws.send(json.dumps({**text, "payload": marked()}))
    return await socket.wait_for(lambda f: f["type"] == "error" and f["id"] == msg_id)


def wrong_join_code(base, **headers):
    """A wrong join code typed on a phone: the page first (its CSRF cookie, which the app sends back), then the
    code; the status and the message."""
    with httpx.Client(base_url=base, headers=headers) as phone:
        phone.get("/live/")
        answer = phone.post(
            "/live/api/join/code", json={"code": "ZZZZZZ"}, headers={"X-CSRFToken": phone.cookies["csrftoken"]}
        )
    return answer.status_code, answer.json()["message"]


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.multiprocess
@pytest.mark.slow
async def test_through_uvicorn_on_postgresql_each_socket_and_request_is_answered_in_its_language(live):
    ana, ben = await live.couple("Ana", "Ben")
    (cleo,) = await live.couple("Cleo", one_phone=True)
    cookies = [await sync_to_async(cookie_of)(device) for device in (ana, ben, cleo)]
    with tempfile.TemporaryFile() as log:
        process, base = await sync_to_async(uvicorn_process)(log)
        try:
            sockets = {
                "de": Socket(base, live.session.pk, f"{cookies[0]}; {LANGUAGE_COOKIE}=de"),
                "en": Socket(base, live.session.pk, cookies[1]),
                "de-CH": LanguageSocket(base, live.session.pk, cookies[2], accept_language=SWISS_BROWSER),
            }
            for socket in sockets.values():
                await socket.open()
            for n in range(3):  # in turns, on the server's pool of database threads
                for name, socket in sockets.items():
                    error = await entry_put_through(socket, f"{name}-{n}")
                    assert error["message"] == NOT_RUNNING["en" if name == "en" else "de"], (name, n)
            for socket in sockets.values():
                await socket.ws.close()
            german = await sync_to_async(wrong_join_code)(base, **{"Accept-Language": SWISS_BROWSER})
            english = await sync_to_async(wrong_join_code)(base)
            assert german == (404, "Mit diesem Code ist gerade keine Session offen. Schau noch einmal auf den Code "
                              "auf dem Bildschirm.")  # fmt: skip
            assert english == (404, "No session is open with that code. Check the code on the screen.")
            await sync_to_async(connections.close_all)()
        finally:
            stop(process)
