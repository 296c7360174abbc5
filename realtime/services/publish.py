"""The one place that publishes: each frame is encoded once, sent after the transaction commits.

Each message carries its group and frame kind besides the text, so a process's fan-out hub
(realtime/fanout.py) can write it to every local socket of the group from one channel-layer message."""

import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from realtime import groups
from realtime.fanout import frame_event

logger = logging.getLogger("attune.live")


def encode(frame: dict) -> str:
    return json.dumps(frame, separators=(",", ":"), default=str)


def publish(groups_and_frames):
    """Send [(group, frame)] after commit. A frame lost here is healed by the clients' version check."""
    encoded = [(group, encode(frame), str(frame.get("type", ""))) for group, frame in groups_and_frames]

    def send():
        try:
            async_to_sync(_send_all)(get_channel_layer(), encoded)
        except Exception:  # noqa: BLE001 - a failed fan-out must not fail the command; clients resync
            logger.warning("fan-out failed", exc_info=True)

    transaction.on_commit(send)


async def _send_all(layer, encoded):
    """All of one change's frames in one trip to the event loop."""
    for group, text, kind in encoded:
        try:
            await send_event(layer, group, frame_event(group, text, kind))
        except Exception:  # noqa: BLE001 - one group's failure must not keep the others from their frame
            logger.warning("fan-out to a group failed", exc_info=True)


async def send_event(layer, group, event):
    """Send an event to a live group: the one way in, so a participant's group always travels in its carrier
    (groups.carrier) and names its group, which is how each process's hub routes it to that participant only."""
    await layer.group_send(groups.carrier(group), {**event, "group": group})
