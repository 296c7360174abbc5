"""Who is connected, renewed by each socket every 15 s and expiring without it.

Staff see, per couple, connected devices and a status (working, done, paused,
needs help, offline), never content. Changes are coalesced: a change only marks
the roster dirty; each staff socket rebuilds it at most a few times a second.
"""

import asyncio
import logging
import weakref
from datetime import timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from realtime import groups, handoff
from realtime.models import Couple, CoupleSpace, HelpRequest, Participant, Presence
from realtime.prepared import insert_row
from realtime.services.publish import send_event

logger = logging.getLogger("attune.live")

RENEW_S = 15
TTL_S = 22


def connected(*, session_id, channel_name, participant_id, role):
    """A channel name is new for each socket: one INSERT (update_or_create would lock, look, then insert), its SQL
    written once (every connect makes one: realtime/prepared.py). The process renews it with its other sockets
    (fanout.Renewals)."""
    insert_row(
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


def _alive(now=None):
    return Q(last_seen__gt=(now or timezone.now()) - timedelta(seconds=TTL_S))


def online_participants(session_id):
    """[(participant id, couple id)] with at least one live socket."""
    rows = (
        Presence.objects.filter(_alive(), session_id=session_id, participant__isnull=False)
        .values_list("participant_id", "participant__couple_id")
        .distinct()
    )
    return list(rows)


def purge_expired(older_than_s=3600):
    Presence.objects.filter(last_seen__lt=timezone.now() - timedelta(seconds=older_than_s)).delete()


def mark_dirty(session_id):
    """Tell the session's staff (roster) and projector (couple count) sockets; they coalesce and rebuild.

    From a database thread of a server process (a socket's command, an HTTP request), the nudge is handed to the
    process's event loop and coalesced there (mark_dirty_soon): the thread does not wait for it. Elsewhere (a
    management command, a test without a loop) it is sent before returning."""
    if not handoff.call_soon(mark_dirty_soon, session_id):
        async_to_sync(_send_nudge)(session_id)


async def _send_nudge(session_id):
    # Through publish.send_event: named by group for the hubs, within a time limit, quiet while Redis is down
    # (staff sockets also refresh on a timer, so a lost nudge heals).
    layer = get_channel_layer()
    for group in (groups.session_staff(session_id), groups.session_projectors(session_id)):
        await send_event(layer, group, {"type": "live.roster_dirty"})


NUDGE_COALESCE_S = 0.25  # staff sockets rebuild at most every 0.3 s (consumers.ROSTER_COALESCE_S) anyway
_nudging = weakref.WeakKeyDictionary()  # event loop -> session ids with a nudge about to go


def mark_dirty_soon(session_id):
    """mark_dirty from the event loop (a consumer's connect and disconnect), without a trip to a thread, and
    once per NUDGE_COALESCE_S per session per process: a room of phones connecting at once sends the staff a
    few nudges, not one per phone (each staff socket coalesces them again before rebuilding its roster)."""
    loop = handoff.note_running_loop()
    pending = _nudging.setdefault(loop, set())
    if session_id in pending:
        return
    pending.add(session_id)
    loop.call_later(NUDGE_COALESCE_S, lambda: asyncio.ensure_future(_nudge(pending, session_id)))


async def _nudge(pending, session_id):
    pending.discard(session_id)
    await _send_nudge(session_id)


def roster(session, state):
    """Per couple: names, devices online, status and ready; the help queue. Never any content."""
    now = timezone.now()
    online = {}
    for (participant_id,) in Presence.objects.filter(
        _alive(now), session=session, participant__isnull=False
    ).values_list("participant_id"):
        online[participant_id] = online.get(participant_id, 0) + 1
    # Plain rows, not model instances: the roster is rebuilt after every change a room makes.
    spaces = {
        row["couple_id"]: row
        for row in CoupleSpace.objects.filter(session=session).values("couple_id", "done_step", "paused_by_id")
    }
    help_rows = list(
        HelpRequest.objects.filter(session=session, resolved_at__isnull=True)
        .order_by("created_at")
        .values(
            "pk", "couple_id", "participant_id", "participant__display_name", "private", "created_at", "acknowledged_at"
        )
    )
    needs_help = {row["couple_id"] for row in help_rows}
    couples = []
    participants = Participant.objects.filter(workshop_id=session.workshop_id, couple__removed_at__isnull=True)
    by_couple = {}
    for participant in participants.order_by("pk").values("pk", "couple_id", "display_name"):
        by_couple.setdefault(participant["couple_id"], []).append(participant)
    names = {}
    for couple in (
        Couple.objects.filter(workshop_id=session.workshop_id, removed_at__isnull=True)
        .order_by("pk")
        .values("pk", "one_phone")
    ):
        couple_id = couple["pk"]
        members = by_couple.get(couple_id, [])
        devices = sum(online.get(p["pk"], 0) for p in members)
        space = spaces.get(couple_id)
        done = space is not None and space["done_step"] is not None and space["done_step"] == state.step_index
        if devices == 0:
            status = "offline"
        elif couple_id in needs_help:
            status = "needs_help"
        elif space is not None and space["paused_by_id"]:
            status = "paused"
        elif done:
            status = "done"
        else:
            status = "working"
        label = " & ".join(p["display_name"] for p in members) or "(empty)"
        names[couple_id] = label
        couples.append(
            {
                "couple_id": couple_id,
                "names": label,
                "partners": len(members),
                "one_phone": couple["one_phone"],
                "devices": devices,
                "status": status,
                "done": done,
            }
        )
    unpaired = [
        {"participant_id": p["pk"], "name": p["display_name"], "online": online.get(p["pk"], 0) > 0}
        for p in by_couple.get(None, [])
    ]
    help_queue = [
        {
            "id": row["pk"],
            "couple_id": row["couple_id"],
            "names": names.get(row["couple_id"], ""),
            "private": row["private"],
            "who": row["participant__display_name"] if row["private"] else None,
            "asked_at": row["created_at"].isoformat(),
            "acknowledged": row["acknowledged_at"] is not None,
        }
        for row in help_rows
    ]
    present = sum(1 for c in couples if c["devices"] > 0)
    return {
        "type": "roster",
        "step_index": state.step_index,  # "done" is per step
        "couples": couples,
        "unpaired": unpaired,
        "help": help_queue,
        "ready": sum(1 for c in couples if c["done"]),
        "couples_present": present,
        "at": now.isoformat(),
    }


def couples_present(session):
    return len({couple for _, couple in online_participants(session.pk) if couple})
