"""Fuzz the socket with generated invalid messages: error frames only, no crash, no state change."""

import json

import pytest
from asgiref.sync import sync_to_async
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from realtime.models import CoupleEntry, CoupleSpace
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
    "",
    "x" * 70,
]
scalars = st.none() | st.booleans() | st.integers(-(2**64), 2**64) | st.floats(allow_nan=False) | st.text(max_size=30)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
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
        assert {f["code"] for f in replies} <= {"bad_message", "bad_json", "rate_limited"}
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
