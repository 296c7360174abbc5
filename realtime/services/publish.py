"""The one place that publishes: each frame is encoded once, sent after the transaction commits.

Each message carries its group and frame kind besides the text, so a process's fan-out hub
(realtime/fanout.py) can write it to every local socket of the group from one channel-layer message."""

import asyncio
import json
import logging
import weakref

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from config import metrics
from realtime import groups, handoff
from realtime.fanout import frame_event

logger = logging.getLogger("attune.live")


def encode(frame: dict) -> str:
    return json.dumps(frame, separators=(",", ":"), default=str)


def publish(groups_and_frames):
    """Send [(group, frame)] after commit, handed to the sockets' event loop where there is one (the committing
    thread does not wait for Redis: realtime/handoff.py). A frame lost here is healed by the clients' version
    check."""
    encoded = [(group, encode(frame), str(frame.get("type", ""))) for group, frame in groups_and_frames]

    def send():
        started = metrics.publish_started()
        if handoff.call_soon(_enqueue, encoded, started):
            return
        try:
            async_to_sync(_send_all)(get_channel_layer(), encoded, started)
        except Exception:  # noqa: BLE001 - a failed fan-out must not fail the command; clients resync
            logger.warning("fan-out failed", exc_info=True)

    transaction.on_commit(send)


_outboxes = weakref.WeakKeyDictionary()  # event loop -> (queue of changes' frames to send, its sender task)


def _enqueue(encoded, started=None):
    """On the event loop: queue a change's frames for the process's one sender, which sends them in the order the
    changes were handed over (a couple's versions go out in order, as they did when each thread sent its own)."""
    loop = asyncio.get_running_loop()
    outbox = _outboxes.get(loop)
    if outbox is None:
        queue = asyncio.Queue()
        outbox = _outboxes[loop] = (queue, asyncio.ensure_future(_sender(queue)))
    outbox[0].put_nowait((encoded, started))


async def _sender(queue):
    while True:
        encoded, started = await queue.get()
        try:
            await _send_all(get_channel_layer(), encoded, started)
        except Exception:  # noqa: BLE001 - a failed fan-out must not end the sender; clients resync
            logger.warning("fan-out failed", exc_info=True)


async def _send_all(layer, encoded, started=None):
    """All of one change's frames, in as few channel-layer messages as their carriers allow: the frames of the
    groups carried in one group (both partners' couple frames, in their session's `everyone`) travel as one
    `live.frames` message, which each process's hub hands out frame by frame (fanout.Hub.deliver)."""
    carried = {}
    for group, text, kind in encoded:
        carrier = groups.carrier(group)
        if carrier == group:
            await _send_one(layer, group, frame_event(group, text, kind))
        else:
            carried.setdefault(carrier, []).append([group, text, kind])
    for carrier, frames in carried.items():
        await _send_one(layer, carrier, {"type": "live.frames", "frames": frames})
    metrics.publish_done(started)  # from the commit (publish's send) to the last frame taken by the layer


async def _send_one(layer, group, event):
    try:
        await send_event(layer, group, event)
    except Exception:  # noqa: BLE001 - one group's failure must not keep the others from their frame
        metrics.publish_failed()
        logger.warning("fan-out to a group failed", exc_info=True)


async def send_event(layer, group, event):
    """Send an event to a live group: the one way in, so a participant's group always travels in its carrier
    (groups.carrier) and names its group, which is how each process's hub routes it to that participant only."""
    await layer.group_send(groups.carrier(group), {**event, "group": group})
