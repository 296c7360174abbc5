"""The invented walk-in attack of issue 15 (point 1), replayed over the real protocol: someone in the room makes
participants up, one fresh cookie each, who join by code as couples of one, to make a release out of one real
answer and their own. k = 5.

What must hold: invented couples cannot answer (or pass) until a facilitator admits them; once admitted, every
phone and the projector say they can answer before the real couple's phone lets it answer; the counts never go
down when they leave or are removed; and a release says how many couples it came from.
"""

import pytest
from asgiref.sync import sync_to_async

from feedback.models import Receipt
from realtime.models import Participant

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SCALE = {"min": 1, "max": 5, "min_label": "", "max_label": ""}


def opened(question):
    """A feedback frame that shows the open prompt asking `question`."""
    return lambda f: f["type"] == "feedback" and any(p["question"] == question for p in f["prompts"])


def prompt_in(frame, question):
    return next(p for p in frame["prompts"] if p["question"] == question)


async def invent(live, names):
    """Invented participants, each on a fresh cookie, each a walk-in couple of one, connected."""
    phones = []
    for name in names:
        (phone,) = await live.couple(name, admitted=False)
        await phone.connect(live.session.pk)
        phones.append(phone)
    return phones


async def leave_and_be_removed(fac, phones):
    """Each invented phone closes and the facilitator removes its couple."""
    for phone in phones:
        await phone.close()
        couple_id = await sync_to_async(lambda p=phone: Participant.objects.get(pk=p.participant_id).couple_id)()
        assert (await fac.command("couple.remove", couple_id=couple_id))["type"] == "ack"


async def counts_now(device, question):
    """What the device is shown now for the prompt asking `question`: (couples, walk-ins), after a resync."""
    assert (await device.command("sync"))["type"] == "ack"
    frame = await device.latest("feedback")
    prompt = prompt_in(frame, question)
    return prompt["couples"], prompt["walk_ins"]


async def test_invented_walk_ins_answer_nothing_until_admitted_and_then_are_counted_before_anyone_answers(live):
    ana, _ben = await live.couple("Ana", "Ben")  # the real couple, admitted in sight of the room
    fac = await sync_to_async(live.staff_device)()
    projector = await sync_to_async(live.staff_device)()
    await fac.connect(live.session.pk, role="facilitator")
    await projector.connect(live.session.pk, role="projector")
    await ana.connect(live.session.pk)

    # 1. Four invented couples, not admitted, are in the session when a question opens: they are not counted, and
    # neither an answer nor a pass from them is taken (an error frame; the socket stays up).
    invented = await invent(live, [f"Invented {n}" for n in range(4)])
    first = "How safe does this room feel?"
    assert (await fac.command("feedback.add", kind="scale", question=first, scale=SCALE))["type"] == "ack"
    for device in (ana, projector, *invented):
        shown = prompt_in(await device.wait_for(opened(first)), first)
        assert (shown["couples"], shown["walk_ins"]) == (1, 1)  # Ana and Ben, an admitted walk-in couple
    prompt_id = shown["id"]
    for phone in invented:
        for answer in ({"value": 5}, {"passed": True}):
            refused = await phone.command("feedback.answer", prompt_id=prompt_id, **answer)
            assert (refused["type"], refused["code"]) == ("error", "not_eligible")
        assert (await phone.command("ping"))["type"] == "pong"
    assert (await ana.command("feedback.answer", prompt_id=prompt_id, value=2))["type"] == "ack"
    release = await fac.command("feedback.show", prompt_id=prompt_id)
    assert release["type"] == "ack"
    assert [f for f in fac.frames if f["type"] == "release"][-1]["released"] is False

    # Admitted now, they still cannot answer the question that opened before.
    roster = await fac.wait_for(lambda f: f["type"] == "roster" and len(f["couples"]) == 5)
    waiting = [c for c in roster["couples"] if c["walk_in"] and not c["admitted"]]
    assert len(waiting) == 4
    for couple in waiting:
        assert (await fac.command("couple.admit", couple_id=couple["couple_id"]))["type"] == "ack"
    await fac.wait_for(lambda f: f["type"] == "roster" and all(c["admitted"] for c in f["couples"]), timeout=5)
    refused = await invented[0].command("feedback.answer", prompt_id=prompt_id, value=5)
    assert refused["code"] == "not_eligible"
    for phone in invented:
        told = await phone.wait_for(lambda f: f["type"] == "couple" and f["state"]["couple"]["admitted"])
        assert told["state"]["couple"]["admitted"] is True

    # 2. The next question opens with the four admitted: before Ana's phone lets her answer, it says five couples
    # can answer, all five walk-ins; so does the projector.
    second = "How close do you feel right now?"
    assert (await fac.command("feedback.add", kind="scale", question=second, scale=SCALE))["type"] == "ack"
    for device in (ana, projector):
        shown = prompt_in(await device.wait_for(opened(second)), second)
        assert (shown["couples"], shown["walk_ins"]) == (5, 5)
    prompt_id = shown["id"]
    ana_couple = (await ana.latest("couple"))["state"]["couple"]["id"]
    assert ana_couple in shown["eligible"]
    for phone in invented:
        assert (await phone.command("feedback.answer", prompt_id=prompt_id, value=5))["type"] == "ack"

    # They leave and are removed, one by one: the counts never go down, on any phone or the projector.
    await leave_and_be_removed(fac, invented)
    assert await counts_now(ana, second) == (5, 5)
    assert await counts_now(projector, second) == (5, 5)
    assert await counts_now(ana, first) == (1, 1)
    assert await counts_now(fac, second) == (5, 5)

    # Ana answers, seeing five couples; the release that follows says it is five answers from five couples.
    assert (await ana.command("feedback.answer", prompt_id=prompt_id, value=2))["type"] == "ack"
    assert (await fac.command("feedback.show", prompt_id=prompt_id))["type"] == "ack"
    assert [f for f in fac.frames if f["type"] == "release"][-1]["released"] is True
    on_screen = await projector.wait_for(lambda f: f["type"] == "feedback" and f["shown"])
    result = on_screen["shown"][0]["result"]
    assert (result["answers"], result["couples"]) == (5, 5)
    assert {c["count"] for c in result["counts"] if c["value"] == 5} == {4}
    # Nothing of the first question was released or kept for the invented couples.
    first_receipts = await sync_to_async(
        lambda: list(Receipt.objects.filter(prompt__question=first).values_list("participant_id", flat=True))
    )()
    assert first_receipts == [ana.participant_id]
    for device in (ana, fac, projector):
        await device.close()
