"""Who is connected: one row per open socket, renewed by its server process for all its sockets at once every
PRESENCE_RENEW_S (Renewals), offline once not renewed for PRESENCE_TTL_S. What staff see of it is built by
realtime/snapshots_roster.py; the nudge that tells them is realtime.events.roster_changed.
"""

import asyncio
import logging
import weakref
from datetime import timedelta

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone

from realtime.models import PRESENCE_RENEW_S, Presence
from realtime.prepared import insert_statement
from realtime.threads import in_db_thread

logger = logging.getLogger("attune.live")


def entry(*, session_id, channel_name, participant_id, role):
    """The INSERT that records a socket's presence (a Write: a phone's connect sends it with its first reads,
    realtime.prepared.read_together). A channel name is new for each socket: one INSERT (update_or_create would
    lock, look, then insert), its SQL written once (every connect makes one: realtime/prepared.py). The process
    renews it with its other sockets (Renewals)."""
    return insert_statement(
        Presence,
        channel_name=channel_name,
        session_id=session_id,
        participant_id=participant_id,
        role=role,
        last_seen=timezone.now(),
    )


def renew_many(channel_names):
    """Renew many sockets at once (a process's renewal round); closed ones match nothing. On PostgreSQL the
    names go as one array parameter: Django prepares each value of an IN list on its own, which for a process's
    thousands of sockets held the GIL for tens of milliseconds every round (py-spy)."""
    names = list(channel_names)
    if connection.vendor == "postgresql":
        wanted = Presence.objects.filter(channel_name__in=RawSQL("SELECT unnest(%s::varchar[])", (names,)))
    else:
        wanted = Presence.objects.filter(channel_name__in=names)
    return wanted.update(last_seen=timezone.now())


def disconnected(*, channel_name):
    Presence.objects.filter(channel_name=channel_name).delete()


def purge_expired(older_than_s=3600):
    Presence.objects.filter(last_seen__lt=timezone.now() - timedelta(seconds=older_than_s)).delete()


class Renewals:
    """The presence of every socket of this process, renewed together: one UPDATE for all of them (in chunks)
    every `interval` seconds, from one timer, instead of a timer and a database trip per socket. Two thousand
    sockets renewing one by one every 15 s kept the database thread busy most of the time (and each socket's
    own timer task cost memory and wake-ups). A socket is renewed within `interval` of its connect (which
    writes its row) and then every `interval`, against a PRESENCE_TTL_S expiry; one that closed is no longer
    tracked, and a row already deleted is not made again (the UPDATE matches nothing)."""

    CHUNK = 1000

    def __init__(self, interval):
        self.interval = interval
        self.live = set()
        self.task = None

    def track(self, channel_name):
        self.live.add(channel_name)
        if self.task is None:
            self.task = asyncio.ensure_future(self._run())

    def untrack(self, channel_name):
        self.live.discard(channel_name)

    async def _run(self):
        try:
            while self.live:
                await asyncio.sleep(self.interval)
                names = sorted(self.live)
                try:
                    await in_db_thread(_renew_all)(names, self.CHUNK)
                except Exception:  # noqa: BLE001 - retried at the next tick, within the TTL
                    logger.warning("presence renewal failed", exc_info=True)
        finally:
            self.task = None
            if self.live:  # tracked again while the last round ran
                self.task = asyncio.ensure_future(self._run())


def _renew_all(channel_names, chunk):
    for start in range(0, len(channel_names), chunk):
        renew_many(channel_names[start : start + chunk])


_renewals = weakref.WeakKeyDictionary()  # event loop -> Renewals


def renewals():
    """This process's presence renewals (for the running event loop)."""
    loop = asyncio.get_running_loop()
    batch = _renewals.get(loop)
    if batch is None:
        batch = _renewals[loop] = Renewals(PRESENCE_RENEW_S)
    return batch
