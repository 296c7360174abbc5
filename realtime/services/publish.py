"""The one place that publishes: each frame is encoded once, sent after the transaction commits."""

import json

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def encode(frame: dict) -> str:
    return json.dumps(frame, separators=(",", ":"), default=str)


def publish(groups_and_frames):
    """Send [(group, frame)] after commit. A frame lost here is healed by the clients' version check."""
    encoded = [(group, encode(frame)) for group, frame in groups_and_frames]

    def send():
        layer = get_channel_layer()
        for group, text in encoded:
            try:
                async_to_sync(layer.group_send)(group, {"type": "live.frame", "text": text})
            except Exception:  # noqa: BLE001 - a failed fan-out must not fail the command; clients resync
                import logging

                logging.getLogger("attune.live").warning("fan-out to a group failed", exc_info=True)

    transaction.on_commit(send)
