"""The live session through the real socket protocol: commands, versions, privacy, reconnects."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from realtime.models import SessionState
from realtime.services.session import session_command, state_for
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


async def facilitator_ready(live):
    fac = await sync_to_async(live.staff_device)()
    hello = await fac.connect(live.session.pk, role="facilitator")
    assert hello["type"] == "hello" and hello["role"] == "facilitator"
    session = await fac.wait_for(lambda f: f["type"] == "session")
    return fac, session["version"]


async def test_facilitator_starts_advances_goes_back_and_ends(live):
    fac, version = await facilitator_ready(live)
    ack = await fac.command("session.command", action="start", expected_version=version)
    assert ack["type"] == "ack"
    started = await fac.wait_for(lambda f: f["type"] == "session" and f["state"]["status"] == "running")
    assert started["state"]["step_index"] == 0
    assert started["state"]["run_of_show"][0]["facilitator_notes"]
    v = started["version"]
    await fac.command("session.command", action="advance", expected_version=v)
    advanced = await fac.wait_for(lambda f: f["type"] == "session" and f["version"] == v + 1)
    assert advanced["state"]["step_index"] == 1
    await fac.command("session.command", action="back", expected_version=v + 1)
    back = await fac.wait_for(lambda f: f["type"] == "session" and f["version"] == v + 2)
    assert back["state"]["step_index"] == 0
    await fac.command("session.command", action="goto", index=3, expected_version=v + 2)
    went = await fac.wait_for(lambda f: f["type"] == "session" and f["version"] == v + 3)
    assert went["state"]["step_index"] == 3
    assert [entry["index"] for entry in went["state"]["step_log"]] == [0, 1, 0, 3]
    assert all(entry["ended_at"] for entry in went["state"]["step_log"][:-1])
    await fac.command("session.command", action="end", expected_version=v + 3)
    ended = await fac.wait_for(lambda f: f["type"] == "session" and f["state"]["status"] == "ended")
    assert ended["state"]["step_log"][-1]["ended_at"] is not None
    await fac.close()


async def test_a_stale_command_is_refused_and_the_sender_gets_the_current_snapshot(live):
    fac, version = await facilitator_ready(live)
    await fac.command("session.command", action="start", expected_version=version)
    error = await fac.command("session.command", action="advance", expected_version=version)
    assert error["type"] == "error" and error["code"] == "stale_version"
    current = await fac.wait_for(lambda f: f["type"] == "session" and f["version"] == version + 1)
    assert current["state"]["step_index"] == 0
    await fac.close()


async def test_two_facilitators_advancing_at_once_advance_exactly_once(live):
    await sync_to_async(session_command)(session=live.session, action="start", expected_version=1)
    second_user = await sync_to_async(factories.member)(live.org, "organizer")
    one, version = await facilitator_ready(live)
    two = await sync_to_async(live.staff_device)(second_user)
    await two.connect(live.session.pk, role="facilitator")
    ids = await asyncio.gather(
        one.send("session.command", action="advance", expected_version=version),
        two.send("session.command", action="advance", expected_version=version),
    )
    replies = await asyncio.gather(
        one.wait_for(lambda f: f.get("id") == ids[0] and f["type"] in ("ack", "error")),
        two.wait_for(lambda f: f.get("id") == ids[1] and f["type"] in ("ack", "error")),
    )
    assert sorted(r["type"] for r in replies) == ["ack", "error"]
    state = await sync_to_async(SessionState.objects.get)(session=live.session)
    assert (state.step_index, state.version) == (1, version + 1)
    await one.close()
    await two.close()


async def test_a_participant_cannot_send_facilitator_commands(live):
    ana, _ = await live.couple("Ana", "Ben")
    await ana.connect(live.session.pk)
    error = await ana.command("session.command", action="advance", expected_version=1)
    assert (error["type"], error["code"]) == ("error", "forbidden")
    state = await sync_to_async(state_for)(live.session)
    assert state.version == 1
    await ana.close()


async def test_staff_of_another_organization_is_refused(live):
    other_org = await sync_to_async(factories.organization)()
    outsider = await sync_to_async(factories.member)(other_org, "owner")
    device = await sync_to_async(live.staff_device)(outsider)
    from channels.testing import WebsocketCommunicator

    from config.asgi import application
    from tests.realtime.phones import ORIGIN

    socket = WebsocketCommunicator(
        application, f"/ws/live/{live.session.pk}/?as=facilitator", headers=[ORIGIN, device.cookie()]
    )
    connected, _ = await socket.connect()
    assert connected
    closed = await socket.receive_output(timeout=3)
    assert closed == {"type": "websocket.close", "code": 4403}


async def test_a_device_without_a_participant_is_refused(live):
    from channels.testing import WebsocketCommunicator

    from config.asgi import application
    from tests.realtime.phones import ORIGIN

    socket = WebsocketCommunicator(application, f"/ws/live/{live.session.pk}/", headers=[ORIGIN])
    await socket.connect()
    assert await socket.receive_output(timeout=3) == {"type": "websocket.close", "code": 4401}


async def test_retried_message_is_applied_once(live):
    fac, version = await facilitator_ready(live)
    await fac.command("session.command", action="start", expected_version=version)
    first = await fac.send("session.command", msg_id="retry-1", action="advance", expected_version=version + 1)
    ack = await fac.wait_for(lambda f: f.get("id") == first and f["type"] == "ack")
    assert ack["duplicate"] is False
    await fac.send("session.command", msg_id="retry-1", action="advance", expected_version=version + 1)
    dup = await fac.wait_for(lambda f: f.get("id") == "retry-1" and f["type"] in ("ack", "error"))
    assert dup == {"type": "ack", "id": "retry-1", "duplicate": True}
    state = await sync_to_async(state_for)(live.session)
    assert state.step_index == 1
    await fac.close()


async def test_reconnect_after_missed_changes_gets_the_current_state(live):
    ana, ben = await live.couple("Ana", "Ben")
    hello = await ana.connect(live.session.pk)
    old_version = hello["versions"]["session"]
    await ana.close()
    await sync_to_async(session_command)(session=live.session, action="start", expected_version=old_version)
    await sync_to_async(session_command)(session=live.session, action="advance", expected_version=old_version + 1)
    hello = await ana.connect(live.session.pk)
    assert hello["versions"]["session"] == old_version + 2
    snapshot = await ana.wait_for(lambda f: f["type"] == "session")
    assert (snapshot["version"], snapshot["state"]["step_index"]) == (old_version + 2, 1)
    await ana.close()


async def test_a_pong_carries_the_version_of_the_couple_the_participant_is_in(live):
    ana, ben = await live.couple("Ana", "Ben")
    hello = await ana.connect(live.session.pk)
    assert (await ana.command("couple.pause", raised=True))["type"] == "ack"
    frame = await ana.wait_for(lambda f: f["type"] == "couple" and f["version"] > hello["versions"]["couple"])
    pong = await ana.command("ping")
    assert pong["versions"] == {"session": hello["versions"]["session"], "couple": frame["version"]}
    await ana.close()


async def test_a_broadcast_that_never_arrives_is_healed_by_the_next_pong(live, monkeypatch):
    ana, _ = await live.couple("Ana", "Ben")
    hello = await ana.connect(live.session.pk)
    await ana.latest("couple")
    assert (await ana.command("ping"))["versions"] == hello["versions"]  # the ping every app sends at its hello
    from realtime import events

    monkeypatch.setattr(events, "session_changed", lambda session, state, previous_step: None)  # the fan-out is lost
    await sync_to_async(session_command)(
        session=live.session, action="start", expected_version=hello["versions"]["session"]
    )
    assert await ana.socket.receive_nothing(timeout=0.3)
    pong = await ana.command("ping")
    assert pong["type"] == "pong"
    assert pong["versions"]["session"] == hello["versions"]["session"] + 1
    await ana.command("sync")
    snapshot = await ana.latest("session")
    assert snapshot["state"]["status"] == "running"
    await ana.close()


async def test_the_ping_at_hello_is_answered_from_the_snapshots_just_sent_and_later_ones_from_the_database(
    live, monkeypatch
):
    """A room connecting together makes no database trip per phone for the versions its hello carried a moment
    ago; a ping after that, or after a change reached the socket, asks the database (here: one that went away)."""
    from realtime.member import Member

    ana, _ = await live.couple("Ana", "Ben")
    hello = await ana.connect(live.session.pk)
    await ana.latest("my_feedback")

    def gone(self):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Member, "versions", gone)
    first = await ana.command("ping")
    assert first["type"] == "pong" and first["versions"] == hello["versions"]
    second = await ana.command("ping")
    assert second["type"] == "error" and second["code"] == "internal"
    await ana.close()


async def test_a_change_that_reached_the_socket_after_its_hello_is_in_its_first_pong(live):
    ana, _ = await live.couple("Ana", "Ben")
    hello = await ana.connect(live.session.pk)
    await sync_to_async(session_command)(
        session=live.session, action="start", expected_version=hello["versions"]["session"]
    )
    await ana.wait_for(lambda f: f["type"] == "session" and f["state"]["status"] == "running")
    pong = await ana.command("ping")
    assert pong["versions"]["session"] == hello["versions"]["session"] + 1
    await ana.close()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{nope", "bad_json"),
        (json.dumps({"id": "x", "type": "teleport"}), "bad_message"),
        (json.dumps({"id": "x", "type": "session.command", "action": "advance"}), "bad_message"),
        (json.dumps({"type": "ping"}), "bad_message"),
        ("x" * 30000, "too_large"),
    ],
)
async def test_bad_frames_get_an_error_and_the_socket_stays_up(live, frame, code):
    fac, version = await facilitator_ready(live)
    await fac.socket.send_to(text_data=frame)
    error = await fac.wait_for(lambda f: f["type"] == "error")
    assert error["code"] == code and error["message"]
    pong = await fac.command("ping")
    assert pong["type"] == "pong"
    state = await sync_to_async(state_for)(live.session)
    assert state.version == version
    await fac.close()


async def test_flooding_the_socket_is_rate_limited_with_error_frames(live):
    fac, _ = await facilitator_ready(live)
    for n in range(45):
        await fac.send("ping", msg_id=f"flood-{n}")
    frames = []
    while not await fac.socket.receive_nothing(timeout=0.5):
        frames.append(await fac.next_frame())
    limited = [f for f in frames if f["type"] == "error" and f["code"] == "rate_limited"]
    assert 10 <= len(limited) <= 20
    await asyncio.sleep(0.3)
    assert (await fac.command("ping"))["type"] == "pong"
    await fac.close()


async def test_timer_pause_resume_extend_uses_absolute_deadlines(live):
    fac, version = await facilitator_ready(live)
    await fac.command("session.command", action="start", expected_version=version)
    await fac.command("session.command", action="timer.start", seconds=120, expected_version=version + 1)
    running = await fac.wait_for(lambda f: f["type"] == "session" and f["version"] == version + 2)
    deadline = timezone.datetime.fromisoformat(running["state"]["timer"]["deadline"])
    assert 118 <= (deadline - timezone.now()).total_seconds() <= 120
    await fac.command("session.command", action="timer.pause", expected_version=version + 2)
    paused = await fac.wait_for(lambda f: f["type"] == "session" and f["version"] == version + 3)
    assert paused["state"]["timer"]["deadline"] is None
    assert 118000 <= paused["state"]["timer"]["paused_remaining_ms"] <= 120000
    await fac.command("session.command", action="timer.extend", seconds=60, expected_version=version + 3)
    extended = await fac.wait_for(lambda f: f["type"] == "session" and f["version"] == version + 4)
    assert 178000 <= extended["state"]["timer"]["paused_remaining_ms"] <= 180000
    await fac.command("session.command", action="timer.resume", expected_version=version + 4)
    resumed = await fac.wait_for(lambda f: f["type"] == "session" and f["version"] == version + 5)
    deadline = timezone.datetime.fromisoformat(resumed["state"]["timer"]["deadline"])
    assert 177 <= (deadline - timezone.now()).total_seconds() <= 180
    await fac.close()
