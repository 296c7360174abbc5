"""A facilitator and three couples (one sharing a single phone) run the built-in 90-minute program from lobby
to end through the socket protocol alone. Every frame that staff, the projector and each partner receive is
checked for what must never reach them: each payload is sealed (random bytes in the sealed form) and carries a
readable marker to look for."""

import json

import pytest
from asgiref.sync import sync_to_async

from tests.realtime.conftest import marked

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def secret(name, step, what):
    return f"SECRET-{name}-{step}-{what}"


async def do_couple_step(step_index, step, couple, written):
    """What a couple does on a couple step, each partner on their own phone (or both on one)."""
    kind = step["kind"]
    writers = [(phone, name, 1) for phone, name in couple["phones"]]
    if couple["one_phone"]:
        phone, name = couple["phones"][0]
        writers = [(phone, name, 1), (phone, name + "-partner", 2)]
    if kind == "reflection":
        for phone, name, as_partner in writers:
            text = secret(name, step_index, "reflection")
            written.add(text)
            ack = await phone.command(
                "entry.put",
                step_index=step_index,
                kind="reflection",
                key="0",
                payload=marked(text),
                as_partner=as_partner,
            )
            assert ack["type"] == "ack", ack
    elif kind == "answer_reveal":
        for phone, name, as_partner in writers:
            text = secret(name, step_index, "answer")
            written.add(text)
            ack = await phone.command(
                "entry.put",
                step_index=step_index,
                kind="answer",
                key="0",
                payload=marked(text),
                as_partner=as_partner,
            )
            assert ack["type"] == "ack", ack
    elif kind == "agreement":
        phone, name, _ = writers[0]
        text = secret(name, step_index, "agreement")
        written.add(text)
        ack = await phone.command("entry.put", step_index=step_index, kind="agreement", key="a1", payload=marked(text))
        assert ack["type"] == "ack", ack
    phone = couple["phones"][0][0]
    assert (await phone.command("couple.done", done=True))["type"] == "ack"


async def test_the_built_in_90_minute_program_from_lobby_to_end(live):
    written = set()
    ana, ben = await live.couple("Ana", "Ben")
    cleo, dan = await live.couple("Cleo", "Dan")
    (eve,) = await live.couple("Eve", one_phone=True)
    couples = [
        {"phones": [(ana, "Ana"), (ben, "Ben")], "one_phone": False},
        {"phones": [(cleo, "Cleo"), (dan, "Dan")], "one_phone": False},
        {"phones": [(eve, "Eve")], "one_phone": True},
    ]
    fac = await sync_to_async(live.staff_device)()
    projector = await sync_to_async(live.staff_device)()
    await fac.connect(live.session.pk, role="facilitator")
    await projector.connect(live.session.pk, role="projector")
    for phone in (ana, ben, cleo, dan, eve):
        await phone.connect(live.session.pk)

    lobby = await fac.wait_for(lambda f: f["type"] == "session")
    version = lobby["version"]
    steps = lobby["state"]["run_of_show"]
    assert len(steps) == 21 and lobby["state"]["status"] == "lobby"
    assert (await fac.command("session.command", action="start", expected_version=version))["type"] == "ack"
    version += 1

    for index, step in enumerate(steps):
        shown = await ana.wait_for(
            lambda f, i=index, v=version: f["type"] == "session" and f["state"]["step_index"] == i and f["version"] == v
        )
        assert shown["state"]["step"]["title"] == step["title"]
        assert "facilitator_notes" not in json.dumps(shown)
        if shown["state"]["step"]["couple_phase"]:
            ack = await fac.command("session.command", action="breakout.open", expected_version=version)
            assert ack["type"] == "ack", ack
            version += 1
            await ana.wait_for(lambda f, v=version: f["type"] == "session" and f["version"] == v)
            for couple in couples:
                await do_couple_step(index, step, couple, written)
            ready = await fac.wait_for(
                lambda f, i=index: f["type"] == "roster" and f["step_index"] == i and f["ready"] == 3, timeout=5
            )
            assert [c["status"] for c in ready["couples"]] == ["done", "done", "done"]
            if index == 9:  # mid-program: a pause and a private question
                await ben.command("couple.pause", raised=True)
                await dan.command("help.ask", private=True)
                queue = await fac.wait_for(lambda f: f["type"] == "roster" and f["help"], timeout=5)
                await fac.command("help.acknowledge", request_id=queue["help"][0]["id"], resolve=True)
                await ben.command("couple.pause", raised=False)
            ack = await fac.command(
                "session.command", action="breakout.close", warning_seconds=0, expected_version=version
            )
            assert ack["type"] == "ack", ack
            version += 1
        if index + 1 < len(steps):
            ack = await fac.command("session.command", action="advance", expected_version=version)
        else:
            ack = await fac.command("session.command", action="end", expected_version=version)
        assert ack["type"] == "ack", ack
        version += 1

    for phone in (ana, ben, cleo, dan, eve, projector):
        final = await phone.wait_for(lambda f: f["type"] == "session" and f["state"]["status"] == "ended")
        assert final["version"] == version
    end = await fac.wait_for(lambda f: f["type"] == "session" and f["state"]["status"] == "ended")
    assert [entry["index"] for entry in end["state"]["step_log"]] == list(range(21))
    assert all(entry["ended_at"] for entry in end["state"]["step_log"])

    # What must never reach them:
    staff_text = json.dumps(fac.frames) + json.dumps(projector.frames)
    assert written and not [s for s in written if s in staff_text]
    assert all(f["type"] not in ("roster", "couple") for f in projector.frames)
    for phone, own in ((ana, "Ana"), (ben, "Ben"), (cleo, "Cleo"), (dan, "Dan")):
        text = json.dumps([f for f in phone.frames if f["type"] == "couple"])
        assert not [s for s in written if "reflection" in s and f"SECRET-{own}-" not in s and s in text]
    assert all(f["state"].get("private_help") is None for f in cleo.frames if f["type"] == "couple")
    assert any(f["state"].get("private_help") for f in dan.frames if f["type"] == "couple")
    for device in (fac, projector, ana, ben, cleo, dan, eve):
        await device.close()
