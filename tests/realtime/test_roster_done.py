"""The console's "n of m couples done" (the roster's ready count): a couple is done at a step when it said so, or,
at a step whose answers are revealed together, once both its answers (or passes) are revealed to it.

Program: naming-moments (steps 0-3: its step 2 asks an answer, then reveals), boundary-map (4-7).
"""

import pytest
from asgiref.sync import sync_to_async
from django.db import connection
from django.test.utils import CaptureQueriesContext

from realtime import snapshots_roster
from tests.realtime.conftest import marked
from tests.realtime.test_couple_space import at_step, put

pytestmark = pytest.mark.django_db(transaction=True)

KEYS = ("naming-moments", "boundary-map")
ANSWER_TEXT, WORKSHEET = 2, 6


async def _room(custom_live):
    live = await custom_live(*KEYS)
    ana, ben = await live.couple("Ana", "Ben")
    cleo, dan = await live.couple("Cleo", "Dan")
    (eve,) = await live.couple("Eve", one_phone=True)
    fac = await sync_to_async(live.staff_device)()
    await fac.connect(live.session.pk, role="facilitator")
    for phone in (ana, ben, cleo, dan, eve):
        await phone.connect(live.session.pk)
    return live, (ana, ben, cleo, dan, eve), fac


def _done(roster):
    return {c["names"]: (c["done"], c["status"]) for c in roster["couples"]}


async def test_a_couple_that_has_seen_its_reveal_counts_as_done(custom_live):
    live, (ana, ben, cleo, dan, eve), fac = await _room(custom_live)
    await at_step(live, ANSWER_TEXT)

    # Ana answers: Ben's phone shows "Ana answered", nothing is revealed, nobody is done.
    await put(ana, ANSWER_TEXT, "answer", "0", marked("ANA"))
    await ben.wait_for(lambda f: f["type"] == "couple" and f["state"]["entries"])
    # Cleo and Dan: one answers, the other passes; both see the reveal.
    await put(cleo, ANSWER_TEXT, "answer", "0", marked("CLEO"))
    await put(dan, ANSWER_TEXT, "answer", "0", passed=True)
    roster = await fac.wait_for(lambda f: f["type"] == "roster" and f["step_index"] == ANSWER_TEXT and f["ready"] == 1)
    assert _done(roster) == {
        "Ana & Ben": (False, "working"),
        "Cleo & Dan": (True, "done"),
        "Eve": (False, "working"),
    }

    # Ben answers: their reveal. Eve and her partner answer in turn on their one phone.
    await put(ben, ANSWER_TEXT, "answer", "0", marked("BEN"))
    await put(eve, ANSWER_TEXT, "answer", "0", marked("EVE"))
    roster = await fac.wait_for(lambda f: f["type"] == "roster" and f["ready"] == 2)
    assert _done(roster)["Eve"] == (False, "working")  # one of the two people on the shared phone answered
    await put(eve, ANSWER_TEXT, "answer", "0", marked("FINN"), as_partner=2)
    roster = await fac.wait_for(lambda f: f["type"] == "roster" and f["ready"] == 3)
    assert _done(roster) == {"Ana & Ben": (True, "done"), "Cleo & Dan": (True, "done"), "Eve": (True, "done")}
    assert "ANA" not in str(roster) and "BEN" not in str(roster)  # structure only, never what they answered

    # At a worksheet (nothing is revealed there), a couple is done when it says so.
    await at_step(live, WORKSHEET)
    await put(ana, WORKSHEET, "item", "i1", marked("ITEM"), expected_version=0)
    roster = await fac.wait_for(lambda f: f["type"] == "roster" and f["step_index"] == WORKSHEET)
    assert roster["ready"] == 0
    await ana.command("couple.done", done=True)
    roster = await fac.wait_for(lambda f: f["type"] == "roster" and f["step_index"] == WORKSHEET and f["ready"] == 1)
    assert _done(roster)["Ana & Ben"] == (True, "done")


def _roster_queries(session, step_index):
    with CaptureQueriesContext(connection) as queries:
        snapshots_roster.roster(session, step_index)
    return len(queries)


async def test_the_roster_reads_the_reveals_in_one_query_however_many_couples(custom_live):
    live = await custom_live(*KEYS)
    (ana, ben) = await live.couple("Ana", "Ben")
    await at_step(live, ANSWER_TEXT)
    for phone in (ana, ben):
        await phone.connect(live.session.pk)
        await put(phone, ANSWER_TEXT, "answer", "0", marked("A"))
    one_couple = await sync_to_async(_roster_queries)(live.session, ANSWER_TEXT)
    for names in (("Cleo", "Dan"), ("Gus", "Hal"), ("Ida", "Jo")):
        phones = await live.couple(*names)
        for phone in phones:
            await phone.connect(live.session.pk)
            await put(phone, ANSWER_TEXT, "answer", "0", marked("B"))
    assert await sync_to_async(_roster_queries)(live.session, ANSWER_TEXT) == one_couple
    roster = await sync_to_async(snapshots_roster.roster)(live.session, ANSWER_TEXT)
    assert roster["ready"] == 4
