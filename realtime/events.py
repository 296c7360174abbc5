"""What a change did, turned into frames and sent: the one module of the live engine that publishes.

A service calls one of these inside its transaction, naming what it changed (the session's state, a couple, a
participant, the feedback, the roster). The frames are built there, from the rows the transaction holds, so a
frame's version always matches its content and a couple's row lock keeps its frames in order; they are sent
after commit (realtime.broadcast: each frame encoded once, handed to the sockets' event loop), to the audiences
named in realtime/groups.py. A rolled-back transaction sends nothing. No view, socket or snapshot publishes.

The roster (staff) and the couple count (projectors) are not sent as frames: their sockets are nudged, coalesce
the nudges, and rebuild what they show (realtime.member).
"""

import asyncio
import weakref

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from feedback.snapshots import feedback_frames, my_feedback
from realtime import broadcast, groups, handoff
from realtime.models import Participant
from realtime.rules import current_step
from realtime.snapshots import session_frames
from realtime.snapshots_couple import couple_frame_for, couple_frames
from workshops.steps import STEP_KIND


def session_changed(session, state, previous_step=None):
    """The session's state changed: its public and staff snapshots; the feedback too when a poll step's prompt
    came or went (`previous_step`: the step shown before) or the session ended (its survey opens); and the
    roster, whose "done" and status are per step."""
    public, staff = session_frames(state)
    frames = [(groups.session_everyone(session.pk), public), (groups.session_staff(session.pk), staff)]
    polls = [step for step in (previous_step, current_step(state)) if step and STEP_KIND[step["kind"]].poll]
    if polls or state.status == "ended":
        frames += _feedback(session, state)
    broadcast.publish(frames)
    roster_changed(session.pk)


def couple_changed(session, couple_id, *, state=None, space=None, couple=None, roster=False, change=None, writes=()):
    """A couple's space or membership changed: both partners' couple frames (each as that partner may see it).
    `state`, `space` and `couple`: as the transaction holds them already (not read again). `roster`: staff see
    the change too (done, paused, help, pairing). `change`: the statement that changes the couple's space and
    returns it, not run yet; `writes`: the change's other statements, not run yet: they are sent with the
    frames' reads, first (snapshots_couple.couple_frames)."""
    frames = couple_frames(session, couple_id, state, space=space, couple=couple, change=change, writes=writes)
    broadcast.publish([(groups.participant(session.pk, p.pk), frame) for p, frame in frames])
    if roster:
        roster_changed(session.pk)


def participant_changed(session, participant, *, roster=False):
    """What only this participant sees changed (their private help request, leaving a couple)."""
    frame = couple_frame_for(session, participant)
    broadcast.publish([(groups.participant(session.pk, participant.pk), frame)])
    if roster:
        roster_changed(session.pk)


def feedback_changed(session, state=None):
    """A prompt was added, released, shown, closed or hidden: the public and staff feedback frames."""
    broadcast.publish(_feedback(session, state))


def feedback_again(session, participant_ids, prompt_id):
    """A prompt's pending answers were dropped unread (their key was lost): each author's own sockets get their
    receipts again, with the prompt they may answer again."""
    participants = Participant.objects.filter(pk__in=participant_ids)
    broadcast.publish(
        [
            (groups.participant(session.pk, p.pk), {**my_feedback(session, p), "again": [prompt_id]})
            for p in participants
        ]
    )


def _feedback(session, state):
    public, staff = feedback_frames(session, state)
    return [(groups.session_everyone(session.pk), public), (groups.session_staff(session.pk), staff)]


def couple_removed(session, participant_ids):
    """A facilitator removed a couple: after commit, each partner's sockets are told and closed (4410)."""
    removed = [groups.participant(session.pk, pid) for pid in participant_ids]

    def tell():
        if not handoff.call_soon(lambda: asyncio.ensure_future(_send_removed(removed))):
            async_to_sync(_send_removed)(removed)

    transaction.on_commit(tell)
    roster_changed(session.pk)


async def _send_removed(removed):
    layer = get_channel_layer()
    for group in removed:
        await broadcast.send_event(layer, group, {"type": "live.removed"})


def roster_changed(session_id):
    """Presence, pairing or progress changed: after commit, the session's staff (roster) and projector (couple
    count) sockets are nudged; they coalesce and rebuild.

    From a database thread of a server process (a socket's command, an HTTP request), the nudge is handed to the
    process's event loop and coalesced there (roster_soon): the thread does not wait for it. Elsewhere (a
    management command, a test without a loop) it is sent before returning."""

    def nudge():
        if not handoff.call_soon(roster_soon, session_id):
            async_to_sync(_send_nudge)(session_id)

    transaction.on_commit(nudge)


async def _send_nudge(session_id):
    # Through broadcast.send_event: named by group for the hubs, within a time limit, quiet while Redis is down
    # (staff sockets also refresh on a timer, so a lost nudge heals).
    layer = get_channel_layer()
    for group in (groups.session_staff(session_id), groups.session_projectors(session_id)):
        await broadcast.send_event(layer, group, {"type": "live.roster_dirty"})


NUDGE_COALESCE_S = 0.25  # staff sockets rebuild at most every 0.3 s (member.ROSTER_COALESCE_S) anyway
_nudging = weakref.WeakKeyDictionary()  # event loop -> session ids with a nudge about to go


def roster_soon(session_id):
    """roster_changed from the event loop (a socket's connect and close), without a trip to a thread, and once
    per NUDGE_COALESCE_S per session per process: a room of phones connecting at once sends the staff a few
    nudges, not one per phone (each staff socket coalesces them again before rebuilding its roster)."""
    loop = handoff.note_running_loop()
    pending = _nudging.setdefault(loop, set())
    if session_id in pending:
        return
    pending.add(session_id)
    loop.call_later(NUDGE_COALESCE_S, lambda: asyncio.ensure_future(_nudge(pending, session_id)))


async def _nudge(pending, session_id):
    pending.discard(session_id)
    await _send_nudge(session_id)
