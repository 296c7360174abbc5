"""WebSocket consumers.

LiveConsumer (/ws/live/<session id>/) is the live session's socket for participants,
facilitators (?as=facilitator) and projectors (?as=projector). It parses and
validates each message (realtime.protocol), checks who may send it, and calls a
service; services publish snapshots after commit, each encoded once. Every frame published
for a socket (the session's public frames, a couple's, staff frames, roster nudges) reaches it
through the process's fan-out hub (realtime.fanout): one channel-layer subscription per
process per group, not per socket, and no socket reads a channel of its own. Every socket is
served as a plain ASGI loop (LiveConsumer._serve), so none depends on Redis to stay up.

EchoConsumer is the stack's self-test: a signed-in user's message reaches every
socket of that user, through the channel layer, on whichever server process
holds it.
"""

import asyncio
import json
import logging
import os
import time
import traceback
import uuid
from typing import NamedTuple

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone

from config import json_input, metrics
from feedback import services as feedback_services
from feedback import snapshots as feedback_snapshots
from feedback.models import Prompt
from realtime import fanout, groups, handoff, protocol
from realtime.db import db
from realtime.errors import LiveError
from realtime.identity import (
    device_participant,
    device_session_data,
    participant_with_couple,
    shared_session,
    staff_may_run,
)
from realtime.models import Couple, CoupleSpace, Participant, ProcessedCommand, SessionState
from realtime.prepared import Prepared
from realtime.services import couple as couple_services
from realtime.services import presence
from realtime.services.joining import couple_remove
from realtime.services.publish import send_event
from realtime.services.session import session_command, state_for
from realtime.snapshots import session_frames, session_public_frame
from realtime.snapshots_couple import couple_frame_for

logger = logging.getLogger("attune.live")

# Close codes (documented in docs/protocol.md).
CLOSE_UNAUTHENTICATED = 4401
MAX_FRAME_BYTES = 16 * 1024
LIVE_MAX_FRAME_BYTES = 20 * 1024  # a 16 KiB payload plus its envelope
ABUSE_FRAME_BYTES = 256 * 1024
RATE_PER_S = 10
RATE_BURST = 30
ABUSE_DROPS = 100  # dropped messages within 10 s that close the socket
ROSTER_COALESCE_S = 0.3
STAFF_REFRESH_S = 5
# A process hands the session's public frames read for one connecting socket to the others connecting after it
# (a room's phones arrive together) while no change of the session reaches it, for this long at most.
PUBLIC_FRAMES_TTL_S = 2.0


def _dump(frame):
    return json.dumps(frame, separators=(",", ":"), default=str)


class PublicFrames(NamedTuple):
    """What every phone and projector of a session gets first, encoded once: the public session snapshot and the
    public feedback frame, with the state they were built from, how many prompts the session has, and how long
    a process may hand them to connecting sockets while no change of the session reaches it (Hub.remember)."""

    state: object
    session: str
    feedback: str
    prompts: int
    ttl: float

    @classmethod
    def read(cls, session):
        state = state_for(session)
        now = timezone.now()
        feedback, prompts = feedback_snapshots.feedback_public(session, state)
        ttl = PUBLIC_FRAMES_TTL_S
        if state.breakout_closes_at is not None and state.breakout_closes_at > now:
            ttl = min(ttl, (state.breakout_closes_at - now).total_seconds())  # the frame shows "closed" after
        return cls(state, _dump(session_public_frame(state, now)), _dump(feedback), prompts, ttl)


# What a pong carries, read every RENEW_S for every socket (realtime/prepared.py).
_session_version = Prepared(
    lambda session_id: SessionState.objects.filter(session_id=session_id).values_list("version")
)
_couple_version = Prepared(
    lambda session_id, participant_id: CoupleSpace.objects.filter(
        session_id=session_id, couple__participants=participant_id
    ).values_list("version")
)


def wants_role(scope):
    query = scope.get("query_string", b"").decode()
    return dict(pair.split("=", 1) for pair in query.split("&") if "=" in pair).get("as", "participant")


class LiveConsumer(AsyncWebsocketConsumer):
    """A live session's socket. No socket has a channel of its own: every frame and event for it (the session's
    public snapshots; a participant's couple snapshots and removal; the staff's and projectors' frames and
    roster nudges) comes through the process's hub, which holds one channel-layer subscription per group for all
    the process's sockets. That spares each phone a channel (its receive buffer and task) and a channel-layer
    round trip to join its group on connect and another to leave it; and it keeps every socket up while Redis is
    down: Channels' own loop for a consumer with a channel ends the socket (1006) on the first ConnectionError of
    its channel's receive or of a group_add, while the hub retries its subscriptions in the background and the
    socket catches up by its version check (pong, sync) meanwhile."""

    role = None
    channel_name = None
    session = None
    participant = None
    user = None
    hub = None
    outlet = None  # this socket's registration in the process's fan-out hub
    fanout_groups = ()

    closed = False  # this socket's close was sent, or the client went away: nothing more is sent
    disconnect_ran = False

    async def __call__(self, scope, receive, send):
        send = self._until_closed(send)
        try:
            await self._serve(scope, receive, send)
        finally:
            # However the consumer ends (disconnect, error, cancellation): no entry left behind, and disconnect()
            # (presence clean-up) has run once.
            self.closed = True
            self._leave_fanout()
            metrics.socket_closed(self)
            if self.channel_name is not None:
                fanout.renewals().untrack(self.channel_name)
            if not self.disconnect_ran:
                await self._disconnect_after_failure()

    def _until_closed(self, send):
        """The ASGI send, for everything this socket sends (the hub's writes too): after the close nothing goes
        out (an ASGI server refuses a send after 'websocket.close'; frames still queued or handled meanwhile are
        dropped)."""

        async def send_until_closed(message):
            if self.closed:
                return
            if message["type"] == "websocket.close":
                self.closed = True
            await send(message)

        return send_until_closed

    async def _disconnect_after_failure(self):
        """The consumer ended without the client's disconnect (an exception, a cancellation): clean up as
        disconnect() would; at the least the presence row goes, so the roster does not show a ghost."""
        try:
            await self.disconnect(1011)
        except Exception:  # noqa: BLE001 - logged; the presence row is removed below all the same
            logger.exception("live socket clean-up failed")
            if self.role and self.channel_name is not None:
                await db(presence.disconnected)(channel_name=self.channel_name)

    async def _serve(self, scope, receive, send):
        """A socket served as a plain ASGI application. Channels' consumer loop costs a phone more than its own
        work does (docs/performance.md): a task and an `asyncio.wait` for every message it waits for, a thread hop
        before every message handled (to close stale database connections, which realtime.db.db does in the
        thread that uses them), and the session middleware's copies of the scope, held for the socket's life
        (a phone reads its device cookie itself, _identify; staff sockets come through the session middleware,
        realtime/routing.py). No socket has a channel to read (see the class docstring), so none needs that loop:
        messages go straight to the same handlers, one after another, as Channels would call them."""
        self.scope, self.base_send = scope, send
        self.channel_layer = get_channel_layer()  # to publish (a couple's removal); never read by a socket
        self.channel_name = f"live!{uuid.uuid4().hex}"  # its presence's key
        while True:
            message = await receive()
            kind = message["type"]
            if kind == "websocket.receive":
                await self.websocket_receive(message)
            elif kind == "websocket.connect":
                await self.connect()
            elif kind == "websocket.disconnect":
                await self.disconnect(message.get("code", 1005))
                return

    def _leave_fanout(self):
        outlet, self.outlet = self.outlet, None
        if outlet is not None:
            for group in self.fanout_groups:
                self.hub.leave(group, outlet)

    def _hub_event(self, event):
        """A non-frame event for one of this socket's groups, through the hub: a participant's removal, or a
        roster nudge for staff and projectors."""
        kind = event.get("type")
        if kind == "live.removed":
            asyncio.ensure_future(self.live_removed(event))
        elif kind == "live.roster_dirty":
            asyncio.ensure_future(self.live_roster_dirty(event))

    async def connect(self):
        handoff.note_running_loop()  # database threads hand this loop what they publish (realtime/handoff.py)
        session_id = self.scope["url_route"]["kwargs"]["session_id"]
        wanted = wants_role(self.scope)
        # One trip to a database thread to identify and authorize the socket (and record its presence), one
        # for its first snapshots: nothing else of a connect waits on the database.
        self.session, self.role, self.participant, close_code = await db(self._identify)(session_id, wanted)
        await self.accept()
        if close_code:
            await self.close(code=close_code)
            return
        metrics.socket_opened(self)
        sid = self.session.pk
        # Its groups, through the process's hub, written to this socket as soon as its own first snapshots are out
        # (frames that come meanwhile wait, coalesced, in its outlet). Joining never fails for Redis: while it is
        # down, the hub subscribes when it answers again, and the socket catches up by its version check.
        if self.role == "facilitator":
            self.fanout_groups = [groups.session_staff(sid)]
        elif self.role == "projector":
            self.fanout_groups = [groups.session_everyone(sid), groups.session_projectors(sid)]
        else:
            self.fanout_groups = [groups.session_everyone(sid), groups.participant(sid, self.participant.pk)]
        self.hub = fanout.hub_for(self.channel_layer)
        for group in self.fanout_groups:
            self.outlet = await self.hub.join(group, self.base_send, outlet=self.outlet, on_event=self._hub_event)
        self.tokens, self.last_refill, self.drops = RATE_BURST, time.monotonic(), []
        self.roster_pending = False
        public = generation = None
        if self.role != "facilitator":  # the session's public frames, if this process read them moments ago
            everyone = groups.session_everyone(sid)
            generation, public = self.hub.generation(everyone), self.hub.recall(everyone)
        versions, frames, read = await db(self._snapshots)(participant_is_fresh=True, public=public)
        if public is None and read is not None:
            self.hub.remember(everyone, generation, read, read.ttl)
        await self.send(
            text_data=_dump(
                {
                    "type": "hello",
                    "role": self.role,
                    "server_time": timezone.now().isoformat(),
                    "versions": versions,
                    "ping_interval_s": presence.RENEW_S,
                }
            )
        )
        for text in frames:
            await self.send(text_data=text)
        self.outlet.open()
        fanout.renewals().track(self.channel_name)  # renewed with the process's other sockets
        if self.role == "participant":
            presence.mark_dirty_soon(sid)
        else:  # staff and projectors refresh their roster or couple count on a timer too
            self.heartbeat = asyncio.ensure_future(self._heartbeat())

    def _identify(self, session_id, wanted):
        session = shared_session(session_id)
        if session is None:
            return None, None, None, protocol.CLOSE_NOT_FOUND
        if wanted in ("facilitator", "projector"):
            user = self.scope.get("user")
            if user is None or not user.is_authenticated:
                return session, None, None, protocol.CLOSE_UNAUTHENTICATED
            if not staff_may_run(user, session):
                return session, None, None, protocol.CLOSE_FORBIDDEN
            self.user = user
            self._present(session, wanted, None)
            return session, wanted, None, None
        # The device's session data, read from its cookie here (a phone's socket needs it only now).
        participant = device_participant(device_session_data(self.scope), session.workshop_id)
        if participant is None:
            return session, None, None, protocol.CLOSE_UNAUTHENTICATED
        if participant.couple is not None and participant.couple.removed_at is not None:
            return session, None, None, protocol.CLOSE_REMOVED
        self._present(session, "participant", participant)
        return session, "participant", participant, None

    def _present(self, session, role, participant):
        presence.connected(
            session_id=session.pk,
            channel_name=self.channel_name,
            participant_id=participant.pk if participant else None,
            role=role,
        )

    async def disconnect(self, code):
        self.closed = True  # the client is gone: nothing more to send
        self._leave_fanout()
        heartbeat = getattr(self, "heartbeat", None)
        if heartbeat:
            heartbeat.cancel()
        fanout.renewals().untrack(self.channel_name)
        if self.role:
            await db(presence.disconnected)(channel_name=self.channel_name)
            if self.role == "participant":
                presence.mark_dirty_soon(self.session.pk)
        self.disconnect_ran = True  # to the end: if a step above raised, the consumer's end runs it again

    async def _heartbeat(self):
        """Staff and projector sockets only (a participant's socket has no timer of its own)."""
        try:
            while True:
                await asyncio.sleep(STAFF_REFRESH_S)
                if self.role == "facilitator":
                    await self._send_roster()
                elif self.role == "projector":
                    await self._send_presence_count()
        except asyncio.CancelledError:
            pass

    # --- snapshots ----------------------------------------------------------------

    def _ping(self):
        """The versions a pong carries (a client that is behind asks for a sync). Every phone pings every
        RENEW_S, so these are two prepared reads; its presence is renewed with its process's other sockets
        (fanout.Renewals), not here."""
        row = _session_version.first(self.session.pk)
        versions = {"session": row[0] if row is not None else state_for(self.session).version}
        if self.participant is not None:
            row = _couple_version.first(self.session.pk, self.participant.pk)  # the couple they are in now
            versions["couple"] = row[0] if row is not None else 0
        return versions

    def _snapshots(self, participant_is_fresh=False, public=None):
        """(versions, encoded frames, public): this socket's first (or resent) snapshots, from one read of the
        session's state. `participant_is_fresh`: self.participant was read in this connect's first trip, moments
        ago. `public`: the session's public frames (PublicFrames) when this process has them already; else they
        are read here, and returned for the process to remember."""
        if self.role == "facilitator":
            state = state_for(self.session)
            _, staff = session_frames(state)
            roster = presence.roster(self.session, state)
            self.last_roster = _dump({k: v for k, v in roster.items() if k != "at"})
            frames = [staff, roster, feedback_snapshots.feedback_staff(self.session, state)]
            return {"session": state.version}, [_dump(frame) for frame in frames], None
        public = public or PublicFrames.read(self.session)
        versions = {"session": public.state.version}
        if self.role == "projector":
            self.last_count = presence.couples_present(self.session)
            count = _dump({"type": "presence", "couples_present": self.last_count})
            return versions, [public.session, count, public.feedback], public
        couple = couple_frame_for(self.session, self.participant, public.state, reload=not participant_is_fresh)
        versions["couple"] = couple["version"]
        mine = feedback_snapshots.my_feedback(self.session, self.participant, prompts=public.prompts)
        return versions, [public.session, _dump(couple), public.feedback, _dump(mine)], public

    async def _send_snapshots(self):
        _, frames, _ = await db(self._snapshots)()
        for text in frames:
            await self.send(text_data=text)

    async def _send_roster(self):
        """Rebuild the roster; send it only if something in it changed since the last one this socket got."""
        self.roster_pending = False
        frame = await db(lambda: presence.roster(self.session, state_for(self.session)))()
        content = _dump({k: v for k, v in frame.items() if k != "at"})
        if content != getattr(self, "last_roster", None):
            self.last_roster = content
            await self.send(text_data=_dump(frame))

    async def _send_presence_count(self):
        self.roster_pending = False
        count = await db(presence.couples_present)(self.session)
        if count != getattr(self, "last_count", None):
            self.last_count = count
            await self.send(text_data=_dump({"type": "presence", "couples_present": count}))

    # --- events of its groups (through the hub) ------------------------------------

    async def live_roster_dirty(self, event):
        """Presence or progress changed: staff rebuild the roster, projectors the couple count (coalesced)."""
        if self.role not in ("facilitator", "projector") or self.roster_pending:
            return
        self.roster_pending = True
        asyncio.get_running_loop().call_later(ROSTER_COALESCE_S, lambda: asyncio.ensure_future(self._refresh_later()))

    async def _refresh_later(self):
        refresh = self._send_roster if self.role == "facilitator" else self._send_presence_count
        try:
            await refresh()
        except Exception:  # noqa: BLE001 - e.g. the socket closed meanwhile; the timer refreshes a live one
            logger.debug("roster refresh skipped", exc_info=True)

    async def live_removed(self, event):
        self._leave_fanout()
        await self.send(text_data=_dump({"type": "removed"}))
        await self.close(code=protocol.CLOSE_REMOVED)

    # --- client messages ----------------------------------------------------------

    def _take_token(self):
        now = time.monotonic()
        self.tokens = min(RATE_BURST, self.tokens + (now - self.last_refill) * RATE_PER_S)
        self.last_refill = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        self.drops = [t for t in self.drops if now - t < 10] + [now]
        return False

    @metrics.counts_commands
    async def receive(self, text_data=None, bytes_data=None):
        """Every client frame: the size and rate limits, then parse and validate (one place, before anything
        reaches a service or the database: realtime.protocol.parse), then the command. Whatever is refused gets an
        error frame with a code and the socket stays up; only the abuse limits close it (docs/protocol.md)."""
        if self.closed:  # a frame queued behind this socket's close
            return
        size = len(text_data.encode(errors="surrogatepass")) if text_data is not None else len(bytes_data or b"")
        if size > ABUSE_FRAME_BYTES:
            await self.close(code=protocol.CLOSE_ABUSE)
            return
        if not self._take_token():
            if len(self.drops) > ABUSE_DROPS:
                await self.close(code=protocol.CLOSE_ABUSE)
                return
            await self._error(None, "rate_limited", "Too many messages; slow down a little.")
            return
        if text_data is None or size > LIVE_MAX_FRAME_BYTES:
            await self._error(None, "too_large", f"Send one JSON text frame of at most {LIVE_MAX_FRAME_BYTES} bytes.")
            return
        try:
            message = protocol.parse(text_data)
        except protocol.Refused as refused:
            await self._error(refused.message_id, refused.code, refused.message)
            return
        metrics.command_type(self, message.type)
        try:
            await self._handle(message)
        except Exception as exc:  # noqa: BLE001 - the last resort: an error frame, the socket stays up
            self._log_failure(message, exc)
            if not self.closed:
                await self._error(message.id, "internal", "Something went wrong on our side. Try again in a moment.")

    def _log_failure(self, message, exc):
        """Logged without what was sent or the exception's text (a database error can quote a value): the message
        type, the role, the exception's class and where it was raised."""
        logger.error(
            "live %s from a %s failed with %s\n%s",
            message.type,
            self.role,
            type(exc).__qualname__,
            "".join(traceback.format_tb(exc.__traceback__)).rstrip(),
        )

    async def _handle(self, message):
        if message.type == "ping":
            versions = await db(self._ping)()
            await self.send(
                text_data=_dump(
                    {"type": "pong", "id": message.id, "versions": versions, "server_time": timezone.now().isoformat()}
                )
            )
            return
        if message.type == "sync":
            await self._send_snapshots()
            await self.send(text_data=_dump({"type": "ack", "id": message.id, "duplicate": False}))
            return
        if message.type in protocol.STAFF_TYPES and self.role != "facilitator":
            await self._error(message.id, "forbidden", "Only a facilitator can do that.")
            return
        if message.type in protocol.PARTICIPANT_TYPES and self.role != "participant":
            await self._error(message.id, "forbidden", "Only a participant can do that.")
            return
        if message.type == "feedback.answer":
            # Not recorded in ProcessedCommand (that row has a time): the receipt itself stops a second answer.
            try:
                await db(self._answer_feedback)(message)
            except LiveError as error:
                if error.code == "already_answered":
                    await self.send(text_data=_dump({"type": "ack", "id": message.id, "duplicate": True}))
                else:
                    await self._error(message.id, error.code, error.message)
                return
            await self.send(text_data=_dump({"type": "ack", "id": message.id, "duplicate": False}))
            return
        try:
            outcome, reply = await db(self._apply_once)(message)
        except LiveError as error:
            await self._error(message.id, error.code, error.message)
            if error.code in ("stale_version", "stale_item"):
                await self._send_snapshots()
            return
        if reply is not None:
            await self.send(text_data=_dump({**reply, "id": message.id}))
        await self.send(text_data=_dump({"type": "ack", "id": message.id, "duplicate": outcome == "duplicate"}))

    def _client_key(self):
        return f"p{self.participant.pk}" if self.participant else f"u{self.user.pk}"

    def _apply_once(self, message):
        with transaction.atomic():
            if not ProcessedCommand.record(self._client_key(), message.id):
                return "duplicate", None
            return "applied", self._apply(message)

    def _apply(self, message):
        session = self.session
        kind = message.type
        if kind == "session.command":
            args = {
                k: v
                for k, v in {
                    "index": message.index,
                    "seconds": message.seconds,
                    "warning_seconds": message.warning_seconds,
                    "text": message.text,
                }.items()
                if v is not None
            }
            session_command(
                session=session, action=message.action, expected_version=message.expected_version, args=args
            )
        elif kind == "help.acknowledge":
            couple_services.help_acknowledge(
                session=session, request_id=message.request_id, user=self.user, resolve=message.resolve
            )
        elif kind == "couple.remove":
            self._remove_couple(message.couple_id)
        elif kind.startswith("feedback."):
            return self._apply_feedback(message)
        else:
            self._apply_participant(message)
        return None

    def _prompt(self, prompt_id):
        prompt = (
            Prompt.objects.select_related("session__workshop__organization")
            .filter(pk=prompt_id, session=self.session)
            .first()
        )
        if prompt is None:
            raise LiveError("no_prompt", "No such question in this session.")
        return prompt

    def _apply_feedback(self, message):
        kind = message.type
        if kind == "feedback.add":
            feedback_services.prompt_add_live(
                session=self.session, data=message.model_dump(include={"kind", "question", "options", "scale"})
            )
            reply = None
        elif kind == "feedback.hide":
            feedback_services.hide(
                prompt=self._prompt(message.prompt_id), answer_id=message.answer_id, hidden=message.hidden
            )
            reply = None
        else:
            prompt = self._prompt(message.prompt_id)
            operation = feedback_services.show if kind == "feedback.show" else feedback_services.close
            made = operation(prompt=prompt)
            reply = {"type": "release", "prompt_id": prompt.pk, "released": made is not None}
        feedback_snapshots.publish_feedback(self.session)
        return reply

    def _answer_feedback(self, message):
        feedback_services.answer(
            prompt=self._prompt(message.prompt_id),
            participant=self._reload_participant(),
            value=message.value,
            passed=message.passed,
        )

    def _remove_couple(self, couple_id):
        from asgiref.sync import async_to_sync

        couple = Couple.objects.filter(pk=couple_id, workshop_id=self.session.workshop_id).first()
        if couple is None:
            raise LiveError("no_couple", "No such couple in this workshop.")
        couple_remove(couple=couple)
        participant_groups = [
            groups.participant(self.session.pk, pid)
            for pid in Participant.objects.filter(couple=couple).values_list("pk", flat=True)
        ]

        def kick():
            for group in participant_groups:
                async_to_sync(send_event)(self.channel_layer, group, {"type": "live.removed"})
            presence.mark_dirty(self.session.pk)

        transaction.on_commit(kick)

    def _reload_participant(self):
        """The participant as they are now (pairing changes their couple), with their couple."""
        participant = participant_with_couple(self.participant.pk)
        if participant is None:
            raise Participant.DoesNotExist
        self.participant = participant
        return participant

    def _apply_participant(self, message):
        participant, session = self._reload_participant(), self.session
        kind = message.type
        if kind in ("help.ask", "help.cancel"):
            if not message.private and participant.couple_id is None:
                raise LiveError("not_paired", "Ask privately, or pair with your partner first.")
            fn = couple_services.help_request if kind == "help.ask" else couple_services.help_cancel
            fn(session=session, participant=participant, private=message.private)
            return
        if participant.couple_id is None:
            raise LiveError("not_paired", "Pair with your partner (or continue alone) first.")
        if kind == "entry.put":
            couple_services.entry_put(
                session=session,
                participant=participant,
                step_index=message.step_index,
                kind=message.kind,
                key=message.key,
                payload=message.payload,
                passed=message.passed,
                expected_version=message.expected_version,
                as_partner=message.as_partner,
            )
        elif kind == "entry.delete":
            couple_services.entry_delete(
                session=session,
                participant=participant,
                step_index=message.step_index,
                key=message.key,
                expected_version=message.expected_version,
            )
        elif kind == "answer.keep_back":
            couple_services.answer_keep_back(
                session=session,
                participant=participant,
                step_index=message.step_index,
                key=message.key,
                kept_back=message.kept_back,
                as_partner=message.as_partner,
            )
        elif kind == "couple.done":
            couple_services.mark_done(session=session, participant=participant, done=message.done)
        elif kind == "couple.pause":
            couple_services.pause_signal(session=session, participant=participant, raised=message.raised)
        elif kind == "dialogue":
            couple_services.dialogue_command(
                session=session,
                participant=participant,
                action=message.action,
                expected_version=message.expected_version,
            )

    async def _error(self, msg_id, code, message):
        metrics.command_error(self, code)
        await self.send(text_data=_dump({"type": "error", "id": msg_id, "code": code, "message": message}))


class EchoConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.group = groups.user_echo(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "process": os.getpid()})

    async def disconnect(self, code):
        group = getattr(self, "group", None)
        if group:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        if text_data is None or len(text_data.encode(errors="surrogatepass")) > MAX_FRAME_BYTES:
            await self.send_error(None, "bad_frame", f"Send one JSON text frame of at most {MAX_FRAME_BYTES} bytes.")
            return
        try:  # the same limits as the live socket (a lone surrogate cannot even cross Redis: msgpack refuses it)
            message = json_input.loads(text_data)
        except json_input.BadJSON as refused:
            await self.send_error(protocol.message_id(refused.document), refused.code, refused.message)
            return
        if not isinstance(message, dict) or message.get("type") != "echo" or not isinstance(message.get("text"), str):
            msg_id = message.get("id") if isinstance(message, dict) else None
            await self.send_error(msg_id, "bad_message", 'Expected {"type": "echo", "text": "..."}.')
            return
        await self.channel_layer.group_send(
            self.group, {"type": "echo.message", "text": message["text"], "process": os.getpid()}
        )
        await self.send_json({"type": "ack", "id": message.get("id")})

    async def echo_message(self, event):
        await self.send_json({"type": "echo", "text": event["text"], "process": event["process"]})

    async def send_error(self, msg_id, code, text):
        await self.send_json({"type": "error", "id": msg_id, "code": code, "message": text})

    async def send_json(self, payload):
        await self.send(text_data=json.dumps(payload, separators=(",", ":")))
