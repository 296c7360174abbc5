"""Fuzz the socket with generated invalid messages: error frames only, no crash, no state change."""

import json
import re

import pytest
from asgiref.sync import sync_to_async
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from bench import sealed
from realtime.models import CoupleEntry, CoupleSpace, ProcessedCommand
from realtime.protocol import client_message
from realtime.services.session import state_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

TYPES = [
    "ping",
    "sync",
    "session.command",
    "help.acknowledge",
    "couple.remove",
    "entry.put",
    "entry.delete",
    "answer.keep_back",
    "couple.done",
    "couple.pause",
    "help.ask",
    "help.cancel",
    "dialogue",
    "feedback.answer",
    "feedback.add",
    "feedback.show",
    "feedback.close",
    "feedback.hide",
    "",
    "x" * 70,
    "ping\0",
    "\ud800",
]
# Texts with NUL and lone surrogates too (hypothesis's text() leaves surrogates out).
bad_texts = st.text(st.characters(codec=None, categories=None), max_size=10).map(lambda t: t + "\0") | st.sampled_from(
    ["\ud800", "a\udfff", "\0"]
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**64), 2**64)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | bad_texts
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8) | bad_texts, inner, max_size=3),
    max_leaves=8,
)
FIELDS = [
    "id",
    "type",
    "action",
    "expected_version",
    "index",
    "seconds",
    "step_index",
    "kind",
    "key",
    "payload",
    "passed",
    "request_id",
    "couple_id",
    "raised",
    "done",
    "private",
    "kept_back",
    "as_partner",
    "warning_seconds",
    "text",
    "resolve",
    "prompt_id",
    "value",
    "question",
    "options",
    "scale",
    "answer_id",
    "hidden",
    "extra",
]
messages = (
    st.fixed_dictionaries(
        {"type": st.sampled_from(TYPES)},
        optional={name: values for name in FIELDS if name != "type"} | {"id": st.text(max_size=70) | st.integers()},
    )
    | values
)


def is_valid(message):
    try:
        client_message.validate_python(message)
    except ValidationError:
        return False
    return True


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(batch=st.lists(messages.filter(lambda m: not is_valid(m)), min_size=10, max_size=20))
async def test_invalid_messages_get_error_frames_and_change_nothing(live, batch):
    if not hasattr(live, "ana"):  # the fixture lives across hypothesis examples: one couple, fresh sockets
        live.ana, _ = await live.couple("Ana", "Ben")
        live.fac = await sync_to_async(live.staff_device)()
    ana, fac = live.ana, live.fac
    await ana.connect(live.session.pk)
    await fac.connect(live.session.pk, role="facilitator")
    before = await sync_to_async(
        lambda: (
            state_for(live.session).version,
            CoupleEntry.objects.count(),
            list(CoupleSpace.objects.values_list("version", flat=True)),
        )
    )()
    for device in (ana, fac):
        await device.latest("session")
        device.frames.clear()
        for message in batch:
            await device.socket.send_to(text_data=json.dumps(message))
        await device.latest("error", timeout=0.3)
        replies = [f for f in device.frames if f["type"] not in ("roster", "session", "couple")]
        assert len(replies) == len(batch)
        assert {f["type"] for f in replies} == {"error"}
        assert {f["code"] for f in replies} <= {"bad_message", "bad_json", "bad_text", "bad_number", "rate_limited"}
    after = await sync_to_async(
        lambda: (
            state_for(live.session).version,
            CoupleEntry.objects.count(),
            list(CoupleSpace.objects.values_list("version", flat=True)),
        )
    )()
    assert after == before
    for device in (ana, fac):
        await device.close()


# --- Valid messages of every type with one part spoiled: NUL, lone surrogates, deep nesting, numbers ----------------

SEALED = sealed.sealed()  # a payload in the form a phone seals it (bench/sealed.py)
VALID = {
    "ping": {},
    "sync": {},
    "session.command": {"action": "broadcast", "expected_version": 0, "text": "Welcome"},
    "help.acknowledge": {"request_id": 1, "resolve": True},
    "couple.remove": {"couple_id": 1},
    "entry.put": {"step_index": 1, "kind": "reflection", "key": "0", "payload": SEALED, "expected_version": 0},
    "entry.delete": {"step_index": 1, "key": "0", "expected_version": 0},
    "answer.keep_back": {"step_index": 1, "key": "0", "kept_back": True},
    "couple.done": {"done": True},
    "couple.pause": {"raised": True},
    "help.ask": {"private": True},
    "help.cancel": {"private": True},
    "dialogue": {"action": "start", "expected_version": 0},
    "feedback.answer": {"prompt_id": 1, "value": "calm"},
    "feedback.add": {"kind": "single", "question": "How?", "options": ["a", "b"], "scale": {"min": 1, "max": 5}},
    "feedback.show": {"prompt_id": 1},
    "feedback.close": {"prompt_id": 1},
    "feedback.hide": {"prompt_id": 1, "answer_id": "a1", "hidden": True},
}
RAW = "\x01raw\x01"  # stands for a literal JSON cannot make from a Python value (1e400, NaN)


def places(value, path=()):
    """Every text, number, container and key in a message: (path, what)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key), "key"
            yield from places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from places(item, (*path, index))
    if path:
        yield path, "text" if isinstance(value, str) else "value"


unstorable = st.sampled_from(["\0", "\ud800", "\udfff", "\udc00\ud800"])
texts = st.builds(lambda before, bad, after: before + bad + after, st.text(max_size=5), unstorable, st.text(max_size=5))
# Deeper than allowed: parsed, so the error names the message's id; or beyond Python's recursion, so it cannot.
deep = (st.integers(33, 400) | st.integers(2000, 4000)).map(lambda depth: RAW + "[" * depth + "]" * depth)
# Numbers JSON cannot carry back (a float that overflows, NaN, Infinity) or Python cannot read (over 4,300 digits).
huge = st.sampled_from([RAW + "1e400", RAW + "-1e999", RAW + "NaN", RAW + "-Infinity", RAW + "2.5E+308"])
huge = huge | st.integers(4301, 6000).map(lambda digits: RAW + "9" * digits)


@st.composite
def spoiled(draw):
    """(frame text, codes it may get, whether its id survives): a valid message with one place spoiled."""
    message_type = draw(st.sampled_from(sorted(VALID)))
    message = {"id": "f1", "type": message_type, **json.loads(json.dumps(VALID[message_type]))}
    path, what = draw(st.sampled_from(list(places(message))))
    *parents, last = path
    holder = message
    for step in parents:
        holder = holder[step]
    if what == "key":
        holder[last + draw(unstorable)] = holder.pop(last)
        code = "bad_text"
    elif what == "text" and draw(st.booleans()):
        holder[last] = draw(texts)
        code = "bad_text"
    else:
        holder[last], code = draw(
            st.sampled_from([(deep, "too_deep"), (huge, "bad_number")]).flatmap(
                lambda pair: pair[0].map(lambda value: (value, pair[1]))
            )
        )
    text = json.dumps(message)
    raws = []
    text = re.sub(r'"\\u0001raw\\u0001([^"]*)"', lambda m: raws.append(m.group(1)) or m.group(1), text)
    unparsed = any(raw.startswith(("[" * 2000, "9" * 4301)) for raw in raws)  # nothing parsed: no id to answer
    keeps_id = path != ("id",) and not unparsed
    return text, code, "f1" if keeps_id else None


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(batch=st.lists(spoiled(), min_size=5, max_size=10))
async def test_a_spoiled_part_of_any_message_gets_its_error_code_on_a_socket_that_stays_up(live, batch):
    if not hasattr(live, "ana"):
        live.ana, _ = await live.couple("Ana", "Ben")
        live.fac = await sync_to_async(live.staff_device)()
    for device, role in ((live.ana, None), (live.fac, "facilitator")):
        await device.connect(live.session.pk, role=role)
        await device.latest("session")
        for text, code, msg_id in batch:
            await device.socket.send_to(text_data=text)
            error = await device.wait_for(lambda f: f["type"] == "error")
            assert (error["code"], error["id"]) == (code, msg_id)
        assert (await device.command("ping"))["type"] == "pong"
        await device.close()
    counts = await sync_to_async(lambda: (CoupleEntry.objects.count(), ProcessedCommand.objects.count()))()
    assert counts == (0, 0)
