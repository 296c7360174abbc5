"""The process's metrics (config/metrics.py) follow a real socket session exactly, and hold nothing of it."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from django.test import Client, override_settings
from prometheus_client.parser import text_string_to_metric_families

from realtime.services.session import session_command, state_for
from tests.realtime.conftest import marked

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = "metrics-token-for-tests-0123456789"
MARKER = "MARKER-7f3c-what-ana-wrote"
REFLECTION = 1  # naming-moments' private reflection


def _scrape():
    with override_settings(METRICS_TOKEN=TOKEN):
        response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    return response.content.decode()


async def scrape():
    """{(sample name, frozenset of labels): value} and the raw text, through the endpoint itself."""
    text = await sync_to_async(_scrape)()
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples, text


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())), 0.0)


def delta(before, after, name, **labels):
    return value(after, name, **labels) - value(before, name, **labels)


async def step(live, index):
    state = await sync_to_async(state_for)(live.session)
    await sync_to_async(session_command)(session=live.session, action="start", expected_version=state.version, args={})
    for action, args in (("goto", {"index": index}), ("breakout.open", {"seconds": 600})):
        state = await sync_to_async(state_for)(live.session)
        await sync_to_async(session_command)(
            session=live.session, action=action, expected_version=state.version, args=args
        )


async def settled(check, timeout=3):
    """Scrape until `check(samples)` holds (publishing finishes on the event loop after the ack)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        samples, text = await scrape()
        if check(samples) or asyncio.get_running_loop().time() > deadline:
            return samples, text
        await asyncio.sleep(0.02)


async def test_sockets_groups_commands_and_publishes_are_counted_exactly_and_hold_no_content(custom_live):
    live = await custom_live("naming-moments")
    await step(live, REFLECTION)
    ana, ben = await live.couple("Ana", "Ben")
    fac = await sync_to_async(live.staff_device)()
    projector = await sync_to_async(live.staff_device)()
    before, _ = await scrape()

    for device, role in ((ana, None), (ben, None), (fac, "facilitator"), (projector, "projector")):
        await device.connect(live.session.pk, role=role)
    opened, _ = await scrape()
    assert delta(before, opened, "attune_live_sockets", role="participant") == 2
    assert delta(before, opened, "attune_live_sockets", role="facilitator") == 1
    assert delta(before, opened, "attune_live_sockets", role="projector") == 1
    # The session's `everyone` (phones' own groups ride in it), its staff and its projectors.
    assert delta(before, opened, "attune_fanout_groups") == 3
    assert delta(before, opened, "attune_fanout_sockets") == 4  # every socket receives through the hub

    written = marked(MARKER)  # sealed on the phone; the marker is there to look for
    ack = await ana.command("entry.put", step_index=REFLECTION, kind="reflection", key="0", payload=written)
    assert ack["type"] == "ack"
    assert (await ana.command("ping"))["type"] == "pong"
    refused = await fac.command("entry.put", step_index=REFLECTION, kind="reflection", key="0", payload=written)
    assert refused["code"] == "forbidden"
    await ana.socket.send_to(text_data="{" + MARKER)
    assert (await ana.wait_for(lambda f: f["type"] == "error"))["code"] == "bad_json"

    published = value(before, "attune_publish_seconds_count") + 1
    after, text = await settled(lambda s: value(s, "attune_publish_seconds_count") >= published)
    commands = "attune_live_commands_total"
    assert delta(before, after, commands, type="entry.put", outcome="ok") == 1
    assert delta(before, after, commands, type="ping", outcome="ok") == 1
    assert delta(before, after, commands, type="entry.put", outcome="forbidden") == 1
    assert delta(before, after, commands, type="unparsed", outcome="bad_json") == 1
    assert delta(before, after, "attune_publish_seconds_count") == 1  # the reflection's one change
    assert MARKER not in text
    assert "Ana" not in text and live.session.join_code not in text

    for device in (ana, ben, fac, projector):
        await device.close()
    closed, _ = await settled(lambda s: delta(before, s, "attune_fanout_groups") == 0)
    for role in ("participant", "facilitator", "projector"):
        assert delta(before, closed, "attune_live_sockets", role=role) == 0
    assert delta(before, closed, "attune_fanout_groups") == 0
    assert delta(before, closed, "attune_fanout_sockets") == 0
