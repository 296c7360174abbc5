"""Sending frames to the live groups: each frame encoded once, sent after the transaction commits (what to send
is decided by realtime/events.py, the one module that publishes).

Each message carries its group and frame kind besides the text, so a process's fan-out hub
(realtime/fanout.py) can write it to every local socket of the group from one channel-layer message.

PostgreSQL holds every live state; Redis only carries the news of a change. When Redis is down (refusing, or
hanging and answering nothing), a publish fails quietly and at once: each send waits LAYER_TIMEOUT_S at most, and
for RETRY_S after a failure sends are not even tried (one probe per RETRY_S, so pushes resume within it of Redis
answering again); the process's sender keeps at most OUTBOX_LIMIT changes, dropping the oldest; the outage is
logged when it starts and when it ends, not per frame. Clients catch up by their version check (pong, sync)."""

import asyncio
import json
import logging
import time
import weakref

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from config import metrics
from realtime import groups, handoff
from realtime.fanout import LAYER_TIMEOUT_S, RETRY_S, frame_event

logger = logging.getLogger("attune.live")

OUTBOX_LIMIT = 1000  # changes waiting for the process's sender; a full outbox drops its oldest
# What the sender takes from its outbox at once, at most: changes, and their frames' characters (a couple's frame
# can carry a step's sealed entries, up to a MiB; a channel-layer message is held whole by every process).
SEND_BATCH = 50
SEND_BATCH_CHARS = 256 * 1024


class _Outage:
    """Whether the channel layer failed moments ago, so that a Redis that hangs costs one LAYER_TIMEOUT_S per
    RETRY_S, not one per frame, and the log has two lines per outage, not one per frame."""

    def __init__(self):
        self.since = None  # monotonic time of the first failure, while no send has succeeded since
        self.retry_at = 0.0
        self.dropped = 0

    def skip(self):
        if self.since is not None and time.monotonic() < self.retry_at:
            self.dropped += 1
            return True
        return False

    def failed(self, exc):
        now = time.monotonic()
        if self.since is None:
            self.since, self.dropped = now, 0
            logger.warning(
                "publish: the channel layer does not answer (%s); frames are dropped until it does, "
                "clients catch up by their version check",
                exc.__class__.__name__,
            )
        self.retry_at = now + RETRY_S
        self.dropped += 1

    def succeeded(self):
        if self.since is not None:
            logger.warning(
                "publish: the channel layer answers again after %.1f s (%d frames dropped)",
                time.monotonic() - self.since,
                self.dropped,
            )
            self.since = None


_outage = _Outage()


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
            async_to_sync(_send_all)(get_channel_layer(), encoded, [started])
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
        queue = asyncio.Queue(maxsize=OUTBOX_LIMIT)
        outbox = _outboxes[loop] = (queue, asyncio.ensure_future(_sender(queue)))
    queue = outbox[0]
    if queue.full():  # the layer is slower than the changes come: the oldest go (clients catch up)
        queue.get_nowait()
        _outage.dropped += 1
    queue.put_nowait((encoded, started))


async def _sender(queue):
    """The process's one sender. The changes queued while it sent the last ones go together (up to SEND_BATCH and
    SEND_BATCH_CHARS), so that a busy process makes one channel-layer message of many changes to a session, not
    one each: a PUBLISH and each process's receive of it cost the server about a tenth of a couple message
    (docs/performance.md). An idle process sends each change as it comes."""
    while True:
        batch = [await queue.get()]
        chars = _chars(batch[0])
        while len(batch) < SEND_BATCH and chars < SEND_BATCH_CHARS and not queue.empty():
            batch.append(queue.get_nowait())
            chars += _chars(batch[-1])
        frames = [frame for encoded, _ in batch for frame in encoded]
        try:
            await _send_all(get_channel_layer(), frames, [started for _, started in batch])
        except Exception:  # noqa: BLE001 - a failed fan-out must not end the sender; clients resync
            logger.warning("fan-out failed", exc_info=True)


def _chars(change):
    encoded, _ = change
    return sum(len(text) for _, text, _ in encoded)


async def _send_all(layer, encoded, started=()):
    """Frames (group, text, kind), in order, in as few channel-layer messages as keep that order for every
    socket: each run of frames whose groups travel in one carrier (groups.carrier: both partners' couple frames
    and the session's public frame travel in its `everyone`) goes as one `live.frames` message, which each
    process's hub hands out frame by frame (fanout.Hub.deliver); a run of one frame to its own carrier goes as
    that frame. `started`: when each change in them was committed (the publish metric)."""
    runs = []
    for group, text, kind in encoded:
        carrier = groups.carrier(group)
        if runs and runs[-1][0] == carrier:
            runs[-1][1].append([group, text, kind])
        else:
            runs.append((carrier, [[group, text, kind]]))
    for carrier, frames in runs:
        if len(frames) == 1 and frames[0][0] == carrier:
            await _send_one(layer, carrier, frame_event(*frames[0]))
        else:
            await _send_one(layer, carrier, {"type": "live.frames", "frames": frames})
    for each in started:  # from the commit (publish's send) to the last frame taken by the layer
        metrics.publish_done(each)


async def _send_one(layer, group, event):
    if not await send_event(layer, group, event):  # never raises: the outage is logged once by _Outage
        metrics.publish_failed()


async def send_event(layer, group, event):
    """Send an event to a live group: the one way in, so a participant's group always travels in its carrier
    (groups.carrier) and names its group, which is how each process's hub routes it to that participant only.
    Never raises for the channel layer's failure and never waits more than LAYER_TIMEOUT_S (see _Outage): True
    when the layer took the event."""
    if _outage.skip():
        return False
    try:
        async with asyncio.timeout(LAYER_TIMEOUT_S):  # not wait_for (3.11's can swallow a cancellation: fanout.py)
            await layer.group_send(groups.carrier(group), {**event, "group": group})
    except Exception as exc:  # noqa: BLE001 - Redis refusing or hanging: clients catch up by their version check
        _outage.failed(exc)
        return False
    _outage.succeeded()
    return True
