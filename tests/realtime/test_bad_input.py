"""Bad input on the live socket and the live API: an error frame (or a 400) with a code, never a crashed socket.

Each refused frame would otherwise reach the database (a NUL or a lone surrogate: DataError on PostgreSQL) or the
parser's recursion (RecursionError). Run these on PostgreSQL too (DATABASE_URL): that is where DataError shows.
Program: naming-moments (steps 0-3), boundary-map (4-7), structured-disagreement (8-11).
"""

import asyncio
import json
import logging

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from realtime.models import CoupleEntry, Participant, Presence, ProcessedCommand, SessionState
from realtime.protocol import CLOSE_ABUSE
from tests.realtime.conftest import marked
from tests.realtime.phones import ORIGIN
from tests.realtime.test_couple_space import KEYS, REFLECTION, at_step

pytestmark = pytest.mark.django_db(transaction=True)

DEEP = "[" * 5000 + "]" * 5000  # beyond Python's recursion limit: json.loads raised RecursionError
NESTED_40 = {"a": json.loads("[" * 40 + "]" * 40)}  # parses, but deeper than the 32 levels allowed


def frame(msg_id, message_type, **fields):
    return json.dumps({"id": msg_id, "type": message_type, **fields})


def put(msg_id, key="0", **payload):
    """A phone's entry.put of a reflection; the payload's raw JSON text if given as `raw`."""
    if "raw" in payload:
        return (
            f'{{"id":"{msg_id}","type":"entry.put","step_index":{REFLECTION},"kind":"reflection","key":"0",'
            f'"payload":{payload["raw"]}}}'
        )
    return frame(msg_id, "entry.put", step_index=REFLECTION, kind="reflection", key=key, payload=payload)


def broadcast(msg_id, text):
    return frame(msg_id, "session.command", action="broadcast", expected_version=0, text=text)


# (frame text, the error code, the id the error carries)
PHONE_FRAMES = [
    (DEEP, "too_deep", None),
    (put("p1", deep=NESTED_40), "too_deep", "p1"),
    (put("p2", text="a\0b"), "bad_text", "p2"),
    (put("p3", key="0\0", text="x"), "bad_text", "p3"),
    (put("p4", **{"te\0xt": "x"}), "bad_text", "p4"),
    (put("p5", text="\ud800"), "bad_text", "p5"),
    (put("p6", raw='{"n":' + "9" * 5000 + "}"), "bad_number", None),  # Python's int() refuses: nothing parsed
    (put("p7", raw='{"n":1e400}'), "bad_number", "p7"),
    (put("p8", raw='{"n":NaN}'), "bad_number", "p8"),
    (frame("p9\0", "couple.done", done=True), "bad_text", None),
]
STAFF_FRAMES = [
    (DEEP, "too_deep", None),
    (broadcast("s1", "hi\0"), "bad_text", "s1"),
    (broadcast("s2", "\udfff hi"), "bad_text", "s2"),
    (frame("s3", "feedback.add", kind="text", question="Why\0?"), "bad_text", "s3"),
    (frame("s4", "feedback.add", kind="scale", question="How?", scale={"min": NESTED_40}), "too_deep", "s4"),
    (frame("s5", "feedback.add", kind="single", question="Which?", options=["a", "\ud83d"]), "bad_text", "s5"),
    ('{"id":"s6","type":"session.command","action":"goto","expected_version":1,"index":' + "9" * 5000 + "}",
     "bad_number", None),
    (frame("s7", "feedback.add", kind="text", question="Why?", scale={"max": float("inf")}), "bad_number", "s7"),
]  # fmt: skip


async def refused(device, text):
    await device.socket.send_to(text_data=text)
    return await device.wait_for(lambda f: f["type"] == "error")


async def test_a_phone_gets_an_error_frame_for_each_bad_frame_and_its_socket_stays_up(custom_live):
    live = await custom_live(*KEYS)
    ana, _ben = await live.couple("Ana", "Ben")
    await at_step(live, REFLECTION)
    await ana.connect(live.session.pk)
    for text, code, msg_id in PHONE_FRAMES:
        error = await refused(ana, text)
        assert (error["code"], error["id"]) == (code, msg_id)
    sealed = marked("ok")
    ack = await ana.command("entry.put", step_index=REFLECTION, kind="reflection", key="0", payload=sealed)
    assert ack == {"type": "ack", "id": ack["id"], "duplicate": False}
    payloads = await sync_to_async(lambda: list(CoupleEntry.objects.values_list("payload", flat=True)))()
    assert payloads == [sealed]
    await ana.close()


async def test_a_facilitator_gets_an_error_frame_for_each_bad_frame_and_the_socket_stays_up(live):
    fac = await sync_to_async(live.staff_device)()
    await fac.connect(live.session.pk, role="facilitator")
    for text, code, msg_id in STAFF_FRAMES:
        error = await refused(fac, text)
        assert (error["code"], error["id"]) == (code, msg_id)
    version = (await fac.latest("session"))["version"]
    ack = await fac.command("session.command", action="broadcast", expected_version=version, text="Welcome")
    assert ack["type"] == "ack"
    broadcast = await sync_to_async(lambda: SessionState.objects.get(session=live.session).broadcast)()
    assert broadcast == "Welcome"
    await fac.close()


async def test_a_bad_message_resent_after_reconnecting_gets_the_same_error_and_is_never_applied(custom_live):
    """A phone keeps a message in its outbox until an ack or error with its id comes; the error drops it. Resent
    anyway (an old app, a reload), it is refused the same way, on a socket that stays up: no crash-reconnect loop."""
    live = await custom_live(*KEYS)
    ana, _ben = await live.couple("Ana", "Ben")
    await at_step(live, REFLECTION)
    bad = frame("retry-1", "entry.put", step_index=REFLECTION, kind="reflection", key="0", payload=marked() + "\0")
    for _ in range(3):
        await ana.connect(live.session.pk)
        error = await refused(ana, bad)
        assert (error["code"], error["id"]) == ("bad_text", "retry-1")
        assert (await ana.command("ping"))["type"] == "pong"
        await ana.close()
    counts = await sync_to_async(
        lambda: (CoupleEntry.objects.count(), ProcessedCommand.objects.filter(message_id="retry-1").count())
    )()
    assert counts == (0, 0)


async def test_an_unexpected_failure_in_a_command_is_an_internal_error_frame_logged_without_content(
    custom_live, caplog
):
    """The last resort: an exception no check foresaw (here the participant's row was purged while their phone
    was connected) becomes an `internal` error frame, the socket stays up, and the log names no content."""
    live = await custom_live(*KEYS)
    ana, _ben = await live.couple("Ana", "Ben")
    await ana.connect(live.session.pk)
    await sync_to_async(lambda: Participant.objects.filter(display_name="Ana").delete())()
    with caplog.at_level(logging.ERROR, logger="attune.live"):
        error = await ana.command("help.ask", private=True)
    assert (error["type"], error["code"]) == ("error", "internal")
    assert error["message"] == "Something went wrong on our side. Try again in a moment."
    assert (await ana.command("ping"))["type"] == "pong"
    failures = [r.getMessage() for r in caplog.records if r.name == "attune.live"]
    assert len(failures) == 1
    assert failures[0].startswith("live help.ask from a participant failed with Participant.DoesNotExist\n")
    assert "Ana" not in failures[0]
    await ana.close()


def connection_that_fails(app):
    """The ASGI server's side of a socket whose connection breaks: its receive() raises once the test asks."""

    async def asgi(scope, receive, send):
        async def receive_or_fail():
            message = await receive()
            if message["type"] == "test.connection_lost":
                raise ConnectionResetError("connection lost")
            return message

        await app(scope, receive_or_fail, send)

    return asgi


async def presence_rows(session):
    return await sync_to_async(lambda: Presence.objects.filter(session=session).count())()


@pytest.mark.parametrize("role", [None, "facilitator", "projector"])
@pytest.mark.parametrize("ending", ["connection_lost", "cancelled"])
async def test_presence_is_removed_however_a_socket_ends(live, role, ending):
    device = (await live.couple("Ana"))[0] if role is None else await sync_to_async(live.staff_device)()
    path = f"/ws/live/{live.session.pk}/" + (f"?as={role}" if role else "")
    socket = WebsocketCommunicator(connection_that_fails(application), path, headers=[ORIGIN, device.cookie()])
    assert (await socket.connect())[0]
    await socket.receive_from()  # hello: connected and present
    assert await presence_rows(live.session) == 1
    if ending == "connection_lost":
        await socket.send_input({"type": "test.connection_lost"})
        with pytest.raises(ConnectionResetError):
            await socket.wait(timeout=3)
    else:
        socket.future.cancel()
        await asyncio.wait([socket.future], timeout=3)
        assert socket.future.cancelled()
    assert await presence_rows(live.session) == 0


@pytest.mark.parametrize("role", [None, "facilitator"])
async def test_nothing_is_sent_after_the_abuse_close(live, role):
    """Frames queued behind an oversized frame are not answered once the socket has sent its 4429 close (an ASGI
    server refuses a send after the close)."""
    device = (await live.couple("Ana"))[0] if role is None else await sync_to_async(live.staff_device)()
    await device.connect(live.session.pk, role=role)
    await device.latest("session")
    await device.socket.send_to(text_data="x" * (256 * 1024 + 1))
    for n in range(5):
        await device.socket.send_to(text_data=frame(f"late-{n}", "ping"))
    while (output := await device.socket.receive_output(timeout=3))["type"] != "websocket.close":
        assert "late-" not in output.get("text", "")
    assert output == {"type": "websocket.close", "code": CLOSE_ABUSE}
    assert await device.socket.receive_nothing(timeout=0.5)
    await device.socket.send_input({"type": "websocket.disconnect", "code": CLOSE_ABUSE})
    await device.socket.wait(timeout=3)
    assert await presence_rows(live.session) == 0


# --- the live API's JSON bodies -----------------------------------------------------------------------------------


def test_the_live_api_answers_400_to_a_nested_body(live):
    phone = live.staff_device()
    response = phone.client.post("/live/api/join/code", DEEP, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"code": "too_deep", "message": "Nested more than 32 levels deep."}


@pytest.mark.parametrize("name", ["Ana\0", "\ud800Ana"])
def test_the_live_api_answers_400_to_an_unstorable_display_name(live, name):
    from tests.realtime.phones import Device

    phone = Device()
    phone.post("/live/api/join/code", {"code": live.session.join_code})
    response = phone.post("/live/api/enter", {"consent": True, "feedback_consent": True, "display_name": name})
    assert response.status_code == 400
    assert response.json()["code"] == "bad_text"
    assert response.json()["message"].startswith("display_name: a text holds a NUL character")
    assert Participant.objects.count() == 0


def test_the_live_api_answers_400_to_a_huge_number(live):
    phone = live.staff_device()
    body = '{"session_id": ' + "1" * 5000 + "}"
    response = phone.client.post("/live/api/pair/start", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_number"
