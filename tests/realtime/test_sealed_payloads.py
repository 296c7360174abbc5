"""What the server checks of a couple's entries now that they are sealed on the phones (issue 14): the payload's
shape and size only (`<8-character key id>.<base64url>`, at most MAX_SEALED_CHARS characters, or null with a pass),
and the version the writer saw for every rewrite, a private one too. Anything else is an error frame, and nothing
is saved or sent to the partner.
Program: naming-moments (steps 0-3), boundary-map (4-7), structured-disagreement (8-11).
"""

import pytest
from asgiref.sync import sync_to_async

from bench import sealed
from realtime.models import CoupleEntry, CoupleSpace, Participant
from realtime.services.couple import MAX_SEALED_CHARS
from tests.realtime.conftest import marked
from tests.realtime.test_couple_space import ANSWER_TEXT, KEYS, REFLECTION, WORKSHEET, at_step, put

pytestmark = pytest.mark.django_db(transaction=True)

PLAIN = "what-Ana-wrote-in-the-clear"  # base64url characters, but no key id and no dot
TOO_LONG = marked("x" * (MAX_SEALED_CHARS + 1 - len(marked())))
# (what it is, the payload, the error code)
REFUSED = [
    ("a JSON object", {"text": PLAIN}, "bad_message"),
    ("a number", 42, "bad_message"),
    ("a list", [PLAIN], "bad_message"),
    ("a plain string", PLAIN, "bad_payload"),
    ("a plain string with spaces", "what Ana wrote in the clear", "bad_payload"),
    ("an empty string", "", "bad_payload"),
    ("nothing without a pass", None, "bad_payload"),
    ("a sealed string one character too long", TOO_LONG, "too_large"),
    ("a '+' (base64, not base64url)", marked() + "a+b", "bad_payload"),
    ("a '/' (base64, not base64url)", marked() + "a/b", "bad_payload"),
    ("padding", marked() + "==", "bad_payload"),
    ("a second dot", marked() + ".x", "bad_payload"),
    ("a key id of 7 characters", sealed.sealed()[1:], "bad_payload"),
    ("a body too short for a nonce and a tag", "abcdefgh." + "A" * 53, "bad_payload"),
    ("a trailing newline", sealed.sealed() + "\n", "bad_payload"),
]


async def entries_and_version(live):
    return await sync_to_async(
        lambda: (
            list(CoupleEntry.objects.values_list("key", "payload", "version")),
            list(CoupleSpace.objects.filter(session=live.session).values_list("version", flat=True)),
        )
    )()


async def test_a_payload_not_in_the_sealed_shape_is_refused_with_an_error_frame_and_nothing_is_saved(custom_live):
    live = await custom_live(*KEYS)
    ana, ben = await live.couple("Ana", "Ben")
    await at_step(live, WORKSHEET)
    for phone in (ana, ben):
        await phone.connect(live.session.pk)
        await phone.latest("couple")
    before = await entries_and_version(live)
    assert before[0] == []
    for what, payload, code in REFUSED:
        error = await put(ana, WORKSHEET, "item", "i1", payload)
        assert (error["type"], error["code"]) == ("error", code), what
        assert PLAIN not in error["message"] and "in the clear" not in error["message"], what
    assert len(TOO_LONG) == MAX_SEALED_CHARS + 1
    assert await entries_and_version(live) == before
    assert await ben.socket.receive_nothing(timeout=0.3)  # no change reached the partner
    at_most = TOO_LONG[:-1]
    assert (await put(ana, WORKSHEET, "item", "i1", at_most))["type"] == "ack"
    saved = await ben.wait_for(lambda f: f["type"] == "couple" and f["state"]["entries"])
    assert [(e["key"], e["payload"], e["scope"]) for e in saved["state"]["entries"]] == [("i1", at_most, "shared")]
    for phone in (ana, ben):
        await phone.close()


async def test_a_pass_is_saved_without_a_payload_and_a_payload_with_a_pass_is_dropped(custom_live):
    live = await custom_live(*KEYS)
    ana, _ben = await live.couple("Ana", "Ben")
    await at_step(live, ANSWER_TEXT)
    await ana.connect(live.session.pk)
    assert (await put(ana, ANSWER_TEXT, "answer", "0", None, passed=True))["type"] == "ack"
    assert (await put(ana, ANSWER_TEXT, "answer", "1", marked("kept"), passed=True))["type"] == "ack"
    stored = await sync_to_async(lambda: sorted(CoupleEntry.objects.values_list("key", "payload", "passed")))()
    assert stored == [("0", None, True), ("1", None, True)]
    await ana.close()


async def test_a_private_entrys_versions_only_go_up(custom_live):
    """A reflection (and an answer before the reveal) is its author's alone: each write names the version it is
    sealed for (`expected_version` + 1), which must be above the stored one, so an older write (another screen,
    a resent message) never replaces a newer one, and edits still on their way from one phone all land."""
    live = await custom_live(*KEYS)
    ana, _ben = await live.couple("Ana", "Ben")
    await at_step(live, REFLECTION)
    await ana.connect(live.session.pk)
    first, second, third = marked("FIRST"), marked("SECOND"), marked("THIRD")
    assert (await put(ana, REFLECTION, "reflection", "0", first))["type"] == "ack"
    mine = await ana.wait_for(lambda f: f["type"] == "couple" and f["state"]["entries"])
    ana_id = await sync_to_async(lambda: Participant.objects.get(display_name="Ana").pk)()
    assert [(e["scope"], e["version"], e["payload"]) for e in mine["state"]["entries"]] == [(f"p{ana_id}", 1, first)]
    for stale in (None, 0):
        refused = await put(ana, REFLECTION, "reflection", "0", second, expected_version=stale)
        assert (refused["type"], refused["code"]) == ("error", "stale_item"), stale
    stored = await sync_to_async(lambda: list(CoupleEntry.objects.values_list("payload", "version")))()
    assert stored == [(first, 1)]
    assert (await put(ana, REFLECTION, "reflection", "0", second, expected_version=1))["type"] == "ack"
    # The phone sealed two more edits (versions 3 and 4) while offline; the first was replaced in its outbox.
    assert (await put(ana, REFLECTION, "reflection", "0", third, expected_version=3))["type"] == "ack"
    stored = await sync_to_async(lambda: list(CoupleEntry.objects.values_list("payload", "version")))()
    assert stored == [(third, 4)]
    late = await put(ana, REFLECTION, "reflection", "0", second, expected_version=2)  # older than what is stored
    assert (late["type"], late["code"]) == ("error", "stale_item")
    await ana.close()


async def test_an_answer_rewritten_before_the_reveal_names_its_version_too(custom_live):
    live = await custom_live(*KEYS)
    ana, _ben = await live.couple("Ana", "Ben")
    await at_step(live, ANSWER_TEXT)
    await ana.connect(live.session.pk)
    assert (await put(ana, ANSWER_TEXT, "answer", "0", marked("one")))["type"] == "ack"
    assert (await put(ana, ANSWER_TEXT, "answer", "0", marked("two")))["code"] == "stale_item"
    changed = marked("three")
    assert (await put(ana, ANSWER_TEXT, "answer", "0", changed, expected_version=1))["type"] == "ack"
    stored = await sync_to_async(lambda: list(CoupleEntry.objects.values_list("payload", "version")))()
    assert stored == [(changed, 2)]
    await ana.close()
