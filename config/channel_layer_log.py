"""The channel layer's log while Redis is away.

channels_redis's pub/sub layer reads what its subscriptions are pushed in a task of its own, which logs every
failed read with its trace and tries again a second later: while Redis is down, a trace a second per process.
The outage itself is logged by Attune, once when it starts and once when it ends (realtime/broadcast.py for
publishing, realtime/fanout.py for subscribing). This filter keeps one line without a trace for each
OUTAGE_NOTE_S of those failed reads (so a log still shows that the pushes stopped, and how long for); any other
record of the layer passes unchanged."""

import logging
import time

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

OUTAGE_NOTE_S = 60.0
_CONNECTION_FAILURES = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)


class ReceiveOutageFilter(logging.Filter):
    def __init__(self, name=""):
        super().__init__(name)
        self.noted_at = None

    def filter(self, record):
        failure = record.exc_info[1] if record.exc_info else None
        if not isinstance(failure, _CONNECTION_FAILURES):
            return True
        now = time.monotonic()
        if self.noted_at is not None and now - self.noted_at < OUTAGE_NOTE_S:
            return False
        self.noted_at = now
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.msg, record.args = (
            "channel layer: pushes stopped, Redis does not answer (%s); retrying",
            (type(failure).__name__,),
        )
        record.exc_info = record.exc_text = None
        return True
