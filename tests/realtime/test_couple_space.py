"""A couple's private space over the socket: what each partner, the facilitator and the projector receive.

Payloads are sealed on the phones: here random bytes in the sealed form, each ending with a readable marker
(conftest.marked) to look for in what others received.
Program: naming-moments (steps 0-3), boundary-map (4-7), structured-disagreement (8-11).
"""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from realtime.models import CoupleEntry
from realtime.services.couple import MAX_SEALED_CHARS
from realtime.services.session import session_command, state_for
from tests.realtime.conftest import marked, pair_by_exchange

pytestmark = pytest.mark.django_db(transaction=True)

KEYS = ("naming-moments", "boundary-map", "structured-disagreement")
REFLECTION, ANSWER_TEXT, WORKSHEET, DIALOGUE = 1, 2, 6, 10


async def command(live, action, **args):
    state = await sync_to_async(state_for)(live.session)
    return await sync_to_async(session_command)(
        session=live.session, action=action, expected_version=state.version, args=args
    )


async def at_step(live, index, breakout=True):
    state = await sync_to_async(state_for)(live.session)
    if state.status == "lobby":
        await command(live, "start")
    await command(live, "goto", index=index) if index else None
    if breakout:
        await command(live, "breakout.open", seconds=600)


async def room(custom_live):
    live = await custom_live(*KEYS)
    ana, ben = await live.couple("Ana", "Ben")
    fac = await sync_to_async(live.staff_device)()
    projector = await sync_to_async(live.staff_device)()
    for device, role in ((ana, None), (ben, None), (fac, "facilitator"), (projector, "projector")):
        await device.connect(live.session.pk, role=role)
    return live, ana, ben, fac, projector


def text_of(frames):
    return json.dumps(frames)


async def put(device, step, kind, key, payload=None, **extra):
    return await device.command("entry.put", step_index=step, kind=kind, key=key, payload=payload, **extra)


async def test_a_private_reflection_reaches_only_its_author(custom_live):
    live, ana, ben, fac, projector = await room(custom_live)
    await at_step(live, REFLECTION)
    secret = marked("SECRET-REFLECTION-ANA")
    ack = await put(ana, REFLECTION, "reflection", "0", secret)
    assert ack["type"] == "ack"
    mine = await ana.wait_for(lambda f: f["type"] == "couple" and f["state"]["entries"])
    assert mine["state"]["entries"][0]["payload"] == secret
    await ben.latest("couple")
    for device in (ben, fac, projector):
        await device.latest("session")
        assert "SECRET-REFLECTION-ANA" not in text_of(device.frames)


async def test_answers_stay_private_until_both_answered_then_reveal_together(custom_live):
    live, ana, ben, fac, projector = await room(custom_live)
    await at_step(live, ANSWER_TEXT)
    anas, bens = marked("ANSWER-ANA"), marked("ANSWER-BEN")
    await put(ana, ANSWER_TEXT, "answer", "0", anas)
    waiting = await ben.wait_for(lambda f: f["type"] == "couple" and f["state"]["entries"])
    assert waiting["state"]["entries"] == [
        {"kind": "answer", "step_index": ANSWER_TEXT, "key": "0", "mine": False, "revealed": False, "answered": True}
    ]
    await put(ben, ANSWER_TEXT, "answer", "0", bens)
    revealed = await ana.wait_for(
        lambda f: (
            f["type"] == "couple"
            and len(f["state"]["entries"]) == 2
            and all(e.get("revealed") for e in f["state"]["entries"])
        )
    )
    assert {e["payload"] for e in revealed["state"]["entries"]} == {anas, bens}
    changed = await put(ana, ANSWER_TEXT, "answer", "0", marked("too-late"), expected_version=1)
    assert (changed["type"], changed["code"]) == ("error", "revealed")
    await ben.command("answer.keep_back", step_index=ANSWER_TEXT, key="0", kept_back=True)
    kept = await ana.wait_for(
        lambda f: f["type"] == "couple" and any(e.get("kept_back") for e in f["state"]["entries"])
    )
    bens = next(e for e in kept["state"]["entries"] if not e["mine"])
    assert bens["payload"] is None and bens["kept_back"] is True
    for device in (fac, projector):
        await device.latest("session")
        assert "ANSWER-ANA" not in text_of(device.frames) and "ANSWER-BEN" not in text_of(device.frames)


async def test_a_pass_counts_as_an_answer_for_the_reveal(custom_live):
    live, ana, ben, fac, projector = await room(custom_live)
    await at_step(live, ANSWER_TEXT)
    await put(ana, ANSWER_TEXT, "answer", "0", passed=True)
    await put(ben, ANSWER_TEXT, "answer", "0", marked("mine"))
    frame = await ana.wait_for(
        lambda f: (
            f["type"] == "couple"
            and len(f["state"]["entries"]) == 2
            and all(e.get("revealed") for e in f["state"]["entries"])
        )
    )
    assert sorted((e["mine"], e["passed"]) for e in frame["state"]["entries"]) == [(False, False), (True, True)]


async def test_worksheet_items_carry_their_own_version(custom_live):
    live, ana, ben, fac, projector = await room(custom_live)
    await at_step(live, WORKSHEET)
    await put(ana, WORKSHEET, "item", "i1", marked("ITEM-ONE"))
    await ben.wait_for(lambda f: f["type"] == "couple" and f["state"]["entries"])
    bens = marked("ITEM-ONE-EDITED")
    edited = await put(ben, WORKSHEET, "item", "i1", bens, expected_version=1)
    assert edited["type"] == "ack"
    stale = await put(ana, WORKSHEET, "item", "i1", marked("overwrite"), expected_version=1)
    assert (stale["type"], stale["code"]) == ("error", "stale_item")
    latest = await ana.wait_for(
        lambda f: f["type"] == "couple" and f["state"]["entries"] and f["state"]["entries"][0]["version"] == 2
    )
    assert latest["state"]["entries"][0]["payload"] == bens
    deleted = await ana.command("entry.delete", step_index=WORKSHEET, key="i1", expected_version=2)
    assert deleted["type"] == "ack"
    gone = await ben.wait_for(lambda f: f["type"] == "couple" and f["state"]["entries"] == [])
    assert gone["state"]["entries"] == []
    assert "ITEM-ONE" not in text_of(fac.frames) + text_of(projector.frames)


async def test_sealed_payloads_over_16_kib_are_refused_and_nothing_is_saved(custom_live):
    live, ana, ben, fac, projector = await room(custom_live)
    await at_step(live, WORKSHEET)
    at_most = marked("x" * (MAX_SEALED_CHARS - len(marked(""))))
    assert len(at_most) == MAX_SEALED_CHARS
    error = await put(ana, WORKSHEET, "item", "big", at_most + "x")
    assert (error["type"], error["code"]) == ("error", "too_large")
    assert await sync_to_async(CoupleEntry.objects.count)() == 0
    assert (await put(ana, WORKSHEET, "item", "big", at_most))["type"] == "ack"
    assert await sync_to_async(lambda: list(CoupleEntry.objects.values_list("key", "payload")))() == [("big", at_most)]


async def test_writing_needs_an_open_breakout_but_a_paused_couple_keeps_writing(custom_live):
    live, ana, ben, fac, projector = await room(custom_live)
    await at_step(live, REFLECTION, breakout=False)
    closed = await put(ana, REFLECTION, "reflection", "0", marked("early"))
    assert closed["code"] == "breakout_closed"
    await command(live, "breakout.open", seconds=300)
    assert (await put(ana, REFLECTION, "reflection", "0", marked("during")))["type"] == "ack"
    await command(live, "breakout.close", warning_seconds=1)
    warning = await ben.wait_for(lambda f: f["type"] == "session" and f["state"]["breakout"]["state"] == "closing")
    assert warning["state"]["breakout"]["closes_at"]
    assert (await put(ben, REFLECTION, "reflection", "0", marked("in-the-warning")))["type"] == "ack"
    await ana.command("couple.pause", raised=True)
    await asyncio.sleep(1.1)
    after = await put(ben, REFLECTION, "reflection", "0", marked("after"), expected_version=1)
    assert after["type"] == "ack"  # a paused couple
    await ana.command("couple.pause", raised=False)
    refused = await put(ben, REFLECTION, "reflection", "0", marked("after-resume"), expected_version=2)
    assert refused["code"] == "breakout_closed"
    state = await sync_to_async(state_for)(live.session)
    from realtime.services.session import effective_breakout

    assert effective_breakout(state) == "closed"


async def test_pause_signal_shows_gently_to_the_partner_and_as_paused_to_staff(custom_live):
    live, ana, ben, fac, projector = await room(custom_live)
    await at_step(live, REFLECTION)
    await ana.command("couple.pause", raised=True)
    bens = await ben.wait_for(lambda f: f["type"] == "couple" and f["state"]["pause"]["raised"])
    assert bens["state"]["pause"] == {"raised": True, "by_me": False}
    roster = await fac.wait_for(
        lambda f: f["type"] == "roster" and f["couples"] and f["couples"][0]["status"] == "paused"
    )
    assert roster["couples"][0]["names"] == "Ana & Ben"
    assert all(f["type"] != "roster" for f in projector.frames)


async def test_a_private_help_request_never_shows_on_the_partners_phone(custom_live):
    live, ana, ben, fac, projector = await room(custom_live)
    await at_step(live, REFLECTION)
    ack = await ana.command("help.ask", private=True)
    assert ack["type"] == "ack"
    mine = await ana.wait_for(lambda f: f["type"] == "couple" and f["state"]["private_help"])
    request_id = mine["state"]["private_help"]["id"]
    queue = await fac.wait_for(lambda f: f["type"] == "roster" and f["help"])
    assert queue["help"][0] == {**queue["help"][0], "id": request_id, "private": True, "who": "Ana"}
    await fac.command("help.acknowledge", request_id=request_id)
    acked = await ana.wait_for(
        lambda f: f["type"] == "couple" and f["state"]["private_help"] and f["state"]["private_help"]["acknowledged"]
    )
    assert acked["state"]["private_help"]["id"] == request_id
    await ben.latest("couple")
    assert all(f["state"].get("private_help") is None for f in ben.frames if f["type"] == "couple")


async def test_a_couple_help_request_shows_on_both_phones_and_is_resolved(custom_live):
    live, ana, ben, fac, projector = await room(custom_live)
    await at_step(live, REFLECTION)
    await ben.command("help.ask", private=False)
    seen = await ana.wait_for(lambda f: f["type"] == "couple" and f["state"]["couple_help"])
    roster = await fac.wait_for(lambda f: f["type"] == "roster" and f["couples"][0]["status"] == "needs_help")
    assert roster["help"][0]["private"] is False and roster["help"][0]["who"] is None
    await fac.command("help.acknowledge", request_id=seen["state"]["couple_help"]["id"], resolve=True)
    cleared = await ben.wait_for(lambda f: f["type"] == "couple" and f["state"]["couple_help"] is None)
    assert cleared["state"]["couple_help"] is None


async def test_turn_taking_dialogue_moves_through_phases_and_swaps_speakers(custom_live):
    live, ana, ben, fac, projector = await room(custom_live)
    await at_step(live, DIALOGUE)
    couple = await ana.latest("couple")
    version = couple["version"]
    assert (await ana.command("dialogue", action="start", expected_version=version))["type"] == "ack"
    started = await ben.wait_for(lambda f: f["type"] == "couple" and f["state"]["dialogue"])
    turn = started["state"]["dialogue"]
    ana_id = started["state"]["couple"]["partners"][0]["id"]
    ben_id = started["state"]["couple"]["partners"][1]["id"]
    assert (turn["round"], turn["phase"], turn["speaker"]) == (1, 0, ana_id) and turn["deadline"]
    stale = await ben.command("dialogue", action="next", expected_version=version)
    assert stale["code"] == "stale_version"
    v = started["version"]
    for phase in (1, 2, 3):
        await ben.command("dialogue", action="next", expected_version=v)
        frame = await ben.wait_for(
            lambda f, p=phase: f["type"] == "couple" and f["state"]["dialogue"] and f["state"]["dialogue"]["phase"] == p
        )
        v = frame["version"]
    await ana.command("dialogue", action="next", expected_version=v)
    second_round = await ana.wait_for(
        lambda f: f["type"] == "couple" and f["state"]["dialogue"] and f["state"]["dialogue"]["round"] == 2
    )
    assert (second_round["state"]["dialogue"]["phase"], second_round["state"]["dialogue"]["speaker"]) == (0, ben_id)


async def test_ready_counts_and_removal_of_a_couple(custom_live):
    live, ana, ben, fac, projector = await room(custom_live)
    cleo, dan = await live.couple("Cleo", "Dan")
    await cleo.connect(live.session.pk)
    await at_step(live, REFLECTION)
    await ana.command("couple.done", done=True)
    roster = await fac.wait_for(lambda f: f["type"] == "roster" and f["ready"] == 1)
    assert sorted(c["status"] for c in roster["couples"]) == ["done", "working"]
    cleo_couple = next(c for c in roster["couples"] if c["names"] == "Cleo & Dan")
    assert (await fac.command("couple.remove", couple_id=cleo_couple["couple_id"]))["type"] == "ack"
    removed = await cleo.wait_for(lambda f: f["type"] == "removed")
    assert removed == {"type": "removed"}
    closed = await cleo.socket.receive_output(timeout=3)
    assert closed == {"type": "websocket.close", "code": 4410}


async def test_on_one_shared_phone_each_partner_keeps_back_their_own_answer_and_takes_turns(custom_live):
    live = await custom_live(*KEYS)
    (eve,) = await live.couple("Eve & Finn", one_phone=True)
    await eve.connect(live.session.pk)
    await at_step(live, ANSWER_TEXT)
    assert (await put(eve, ANSWER_TEXT, "answer", "0", marked("EVE")))["type"] == "ack"
    assert (await put(eve, ANSWER_TEXT, "answer", "0", marked("FINN"), as_partner=2))["type"] == "ack"
    await eve.command("answer.keep_back", step_index=ANSWER_TEXT, key="0", kept_back=True, as_partner=2)
    frame = await eve.wait_for(
        lambda f: f["type"] == "couple" and any(e.get("kept_back") for e in f["state"]["entries"])
    )
    kept = {e["as_partner"]: e["kept_back"] for e in frame["state"]["entries"] if e["kind"] == "answer"}
    assert kept == {1: False, 2: True}
    await command(live, "breakout.close", warning_seconds=0)
    await command(live, "goto", index=DIALOGUE)
    await command(live, "breakout.open", seconds=600)
    version = (await eve.latest("couple"))["version"]
    await eve.command("dialogue", action="start", expected_version=version)
    started = await eve.wait_for(lambda f: f["type"] == "couple" and f["state"]["dialogue"])
    assert started["state"]["dialogue"]["speaker_partner"] == 1
    await eve.command("dialogue", action="swap", expected_version=started["version"])
    swapped = await eve.wait_for(
        lambda f: f["type"] == "couple" and f["state"]["dialogue"] and f["state"]["dialogue"]["speaker_partner"] == 2
    )
    assert swapped["state"]["dialogue"]["speaker"] is None  # the second person has no phone of their own


async def test_agreements_from_a_retreats_earlier_session_stay_visible(custom_live):
    from realtime.models import CoupleSpace
    from tests import factories

    live = await custom_live(*KEYS)
    ana, ben = await live.couple("Ana", "Ben")
    couple_id = (await sync_to_async(lambda: ana.get(f"/live/api/sessions/{live.session.pk}/me").json())())["me"][
        "couple"
    ]["id"]

    def an_earlier_agreement():
        earlier = factories.past_session(live.session.workshop, live.session.starts_at - timezone.timedelta(days=1))
        space = CoupleSpace.objects.create(session=earlier, couple_id=couple_id)
        CoupleEntry.objects.create(
            space=space,
            step_index=3,
            kind="agreement",
            key="a1",
            scope="shared",
            payload=agreement,
        )

    agreement = marked("OUR-EARLIER-AGREEMENT")
    await sync_to_async(an_earlier_agreement)()
    await ana.connect(live.session.pk)
    frame = await ana.wait_for(lambda f: f["type"] == "couple")
    assert [e["payload"] for e in frame["state"]["entries"]] == [agreement]


def _pair_newcomer(session, partner, name):
    """A new phone enters the session and pairs into `partner`'s couple (code, the key exchange confirmed on both)."""
    from tests.realtime.phones import Device

    newcomer = Device()
    newcomer.post("/live/api/join/code", {"code": session.join_code})
    newcomer.post("/live/api/enter", {"consent": True, "feedback_consent": True, "display_name": name})
    pair_by_exchange(session, partner, newcomer)
    return newcomer


def _answers(frame):
    return [e for e in frame["state"]["entries"] if e["kind"] == "answer"]


async def test_a_partner_who_unpairs_reveals_nothing_and_a_new_partner_sees_nothing_private_of_theirs(custom_live):
    """The leaver's unrevealed answer never reaches the partner who stays, however the couple changes: not when
    the leaver goes (the couple is one person now), nor when a new phone pairs in and both of them answer."""
    live, ana, ben, fac, projector = await room(custom_live)
    await at_step(live, ANSWER_TEXT)
    left = marked("ANSWER-ANA-LEFT")
    await put(ana, ANSWER_TEXT, "answer", "0", left)
    await ben.wait_for(lambda f: f["type"] == "couple" and _answers(f))
    assert (await ana.apost("/live/api/pair/unpair", {"session_id": live.session.pk})).status_code == 200
    alone = await ben.wait_for(lambda f: f["type"] == "couple" and len(f["state"]["couple"]["partners"]) == 1)
    assert alone["state"]["couple"]["alone"] is True
    assert _answers(alone) == []  # not even "answered": that answer belongs to no partner of this couple now

    cleo = await sync_to_async(_pair_newcomer)(live.session, ben, "Cleo")
    await cleo.connect(live.session.pk)
    await cleo.wait_for(lambda f: f["type"] == "couple" and f["state"]["couple"] is not None)
    bens, cleos = marked("ANSWER-BEN"), marked("ANSWER-CLEO")
    await put(ben, ANSWER_TEXT, "answer", "0", bens)
    waiting = await cleo.wait_for(lambda f: f["type"] == "couple" and _answers(f))
    assert _answers(waiting) == [
        {"kind": "answer", "step_index": ANSWER_TEXT, "key": "0", "mine": False, "revealed": False, "answered": True}
    ]
    await put(cleo, ANSWER_TEXT, "answer", "0", cleos)
    revealed = await cleo.wait_for(
        lambda f: f["type"] == "couple" and len(_answers(f)) == 2 and all(e["revealed"] for e in _answers(f))
    )
    assert sorted(e["payload"] for e in _answers(revealed)) == sorted([bens, cleos])
    await ben.wait_for(lambda f: f["type"] == "couple" and len(_answers(f)) == 2)
    for phone in (ben, cleo, fac, projector):
        assert "ANSWER-ANA-LEFT" not in text_of(phone.frames) and left not in text_of(phone.frames)
