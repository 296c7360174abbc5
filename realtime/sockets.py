"""The live session's sockets (/ws/live/<session id>/): the transports. A phone's socket (PhoneSocket) and a
facilitator's or projector's (StaffSocket) are plain ASGI applications around one shared realtime.member.Member,
which identifies the socket and runs its commands and snapshots in a database thread. A transport only keeps the
socket: it rate-limits, parses (realtime.protocol), dispatches to the member, acknowledges, and writes what the
process's fan-out hub (realtime.fanout) hands it for the socket's groups.

No socket is a Channels consumer and none has a channel of its own. Channels' consumer loop costs a phone more
than its own work does (docs/performance.md): a task and an `asyncio.wait` for every message it waits for, a
thread hop before every message handled, and the session middleware's copies of the scope for the socket's life
(a phone reads its device cookie itself; staff sockets come through the session middleware, realtime/routing.py).
And with a channel, Channels ends the socket (1006) on the first ConnectionError of its receive while Redis is
down, whereas the hub retries its subscriptions in the background and the socket catches up by its version check
(pong, sync) meanwhile.
"""

import asyncio
import logging
import secrets
import time
import traceback
from typing import NamedTuple

from channels.layers import get_channel_layer
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config import metrics
from config.i18n import language_of_socket
from realtime import events, fanout, groups, handoff, protocol
from realtime.broadcast import encode
from realtime.errors import LiveError
from realtime.identity import known_session, shared_session
from realtime.member import PUBLIC_FRAMES_TTL_S, Member
from realtime.registry import FACILITATOR, PARTICIPANT
from realtime.services import presence
from realtime.threads import in_connect_thread, in_db_thread
from realtime.wire import framed, wire_of

logger = logging.getLogger("attune.live")

LIVE_MAX_FRAME_BYTES = 20 * 1024  # a 16 KiB payload plus its envelope
ABUSE_FRAME_BYTES = 256 * 1024
RATE_PER_S = 10
RATE_BURST = 30
ABUSE_DROPS = 100  # dropped messages within 10 s that close the socket
ROSTER_COALESCE_S = 0.3
STAFF_REFRESH_S = 5
STALE = ("stale_version", "stale_item")  # refusals followed by the current snapshots
# A command sent by a role that may not send it: the message, in the socket's language.
_ONLY = {
    FACILITATOR: gettext_lazy("Only a facilitator can do that."),
    PARTICIPANT: gettext_lazy("Only a participant can do that."),
}


class KnownVersions(NamedTuple):
    versions: dict
    generations: tuple  # the hub's, for the socket's groups, before they were read
    until: float  # monotonic


def wanted_role(scope):
    """The role a socket asks for: ?as=facilitator or ?as=projector; a phone's otherwise."""
    query = scope.get("query_string", b"").decode()
    return dict(pair.split("=", 1) for pair in query.split("&") if "=" in pair).get("as", "participant")


class RateLimit:
    """A token bucket per socket (RATE_PER_S, bursts of RATE_BURST), and the drops that make it abuse."""

    def __init__(self):
        self.tokens, self.last_refill, self.drops = RATE_BURST, time.monotonic(), []

    def take(self):
        now = time.monotonic()
        self.tokens = min(RATE_BURST, self.tokens + (now - self.last_refill) * RATE_PER_S)
        self.last_refill = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        self.drops = [t for t in self.drops if now - t < 10] + [now]
        return False

    def abused(self):
        return len(self.drops) > ABUSE_DROPS


class LiveSocket:
    """What every live socket does; PhoneSocket and StaffSocket add their role's own."""

    def __init__(self):
        self.closed = False  # its close was sent, or the client went away: nothing more is sent
        self.left = False  # its clean-up ran
        self.member = None
        self.hub = self.outlet = None
        self.wire = None  # its connection, when the server is uvicorn's (realtime/wire.py): the hub writes to it
        self.groups = ()
        self.known = None  # what its first snapshots said (KnownVersions), for its first pong
        self.rate = RateLimit()
        self.metrics_role = None
        self.language = None  # its page's (config.i18n.language_of_socket), from its handshake

    async def __call__(self, scope, receive, send):
        self.scope, self.asgi_send = scope, self._until_closed(send)
        self.wire = wire_of(send)
        # Its presence's key, unique across processes and restarts (secrets' 128 random bits, as a uuid4's 122, without
        # building a UUID object: a room's phones make two thousand at once).
        self.member = Member(f"live!{secrets.token_hex(16)}", wanted_role(scope))
        # Its error frames are in the language its page is in: those it words itself (activated for its task only)
        # and those of its database work (handed to each call: realtime/threads.py).
        self.language = language_of_socket(scope)
        translation.activate(self.language)
        try:
            while True:
                message = await receive()
                if message["type"] == "websocket.receive":
                    await self.receive(message.get("text"), message.get("bytes"))
                elif message["type"] == "websocket.connect":
                    await self.connect()
                elif message["type"] == "websocket.disconnect":
                    return
        finally:
            # However the socket ends (the client's disconnect, an error, a cancellation): no registration left
            # behind, and its presence removed once.
            self.closed = True
            await self._leave()

    def _until_closed(self, send):
        """The ASGI send, for everything this socket sends (the hub's writes too): after the close nothing goes
        out (an ASGI server refuses a send after 'websocket.close'; frames still queued meanwhile are dropped),
        and a client that has gone is not an error: its disconnect ends the socket's loop next."""

        async def send_until_closed(message):
            if self.closed:
                return
            if message["type"] == "websocket.close":
                self.closed = True
            try:
                await send(message)
            except OSError:  # the client went away while this was on its way (uvicorn's ClientDisconnected)
                self.closed = True

        return send_until_closed

    async def send(self, text):
        await self.asgi_send({"type": "websocket.send", "text": text})

    async def send_together(self, texts):
        """Frames that go out together (a connect's hello and first snapshots, a sync's), in order: on a socket
        with a wire (realtime/wire.py) framed here and written at once, one system call where each send was one (a
        room connecting together makes thousands); else, or when its outlet would not write now
        (Outlet.write_framed), one ASGI send each."""
        if not self.closed and self.wire is not None and self.outlet.write_framed(b"".join(map(framed, texts))):
            return
        for text in texts:
            await self.send(text)

    async def close(self, code):
        await self.asgi_send({"type": "websocket.close", "code": code})

    # --- connect -----------------------------------------------------------------------------------------------

    async def connect(self):
        handoff.note_running_loop()  # database threads hand this loop what they publish (realtime/handoff.py)
        session_id = self.scope["url_route"]["kwargs"]["session_id"]
        # The session as this process's sockets share it: read only by the first of them (a room arrives together).
        session = known_session(session_id) or await in_connect_thread(shared_session)(session_id)
        if session is None:
            await self.asgi_send({"type": "websocket.accept"})
            await self.close(protocol.CLOSE_NOT_FOUND)
            return
        # The groups of the role it asks for are joined first (their frames wait in its outlet, which opens only if
        # it is admitted), so that one trip to a database thread identifies the socket, records its presence and
        # reads its first snapshots, and a change published meanwhile is not missed: the hub counts it.
        self.member.session = session
        self.hub = fanout.hub_for(get_channel_layer())
        await self._join_groups()
        seen = self._generations()
        public = self.hub.recall(self.groups[0]) if self.member.wanted_role != FACILITATOR else None
        refused, first = await in_connect_thread(self.member.admit, self.language)(self.scope, public)
        await self.asgi_send({"type": "websocket.accept"})
        if refused:
            self._leave_fanout()
            await self.close(refused)
            return
        metrics.socket_opened(self, self.member.role)
        await self._join_groups()  # and a participant's own group, now that they are known (carried: no trip)
        if self._generations() != seen:  # a change came meanwhile (a pairing, too): read again
            seen = self._generations()
            first = await in_connect_thread(self.member.first_frames, self.language)()
        self._remember(first, seen)
        await self.send_together([self.member.hello(first.versions), *first.frames])
        self.outlet.open()
        presence.renewals().track(self.member.channel_name)  # renewed with the process's other sockets
        self.started()

    async def _join_groups(self):
        """Its role's groups not joined yet, through the process's hub: their frames are written to this socket
        once its own first snapshots are out (frames that come meanwhile wait, coalesced, in its outlet). Joining
        never fails for Redis: while it is down, the hub subscribes when it answers again, and the socket catches
        up by its version check."""
        for group in self.member.groups():
            if group not in self.groups:
                self.outlet = await self.hub.join(
                    group, self.asgi_send, outlet=self.outlet, on_event=self._hub_event, wire=self.wire
                )
                self.groups = (*self.groups, group)

    def _generations(self):
        """How many events this process has received of each group that carries its groups (see Hub.generation;
        a participant's own group travels in its session's)."""
        carriers = dict.fromkeys(groups.carrier(group) for group in self.groups)
        return tuple(self.hub.generation(carrier) for carrier in carriers)

    def _remember(self, first, seen):
        """What the socket's first snapshots say, read while the hub's generations were `seen`: the session's public
        frames for the sockets connecting after it (Hub.remember), and their versions for its own first pong."""
        if first.read is not None:
            self.hub.remember(self.groups[0], seen[0], first.read, first.read.ttl)
        self.known = KnownVersions(first.versions, seen, time.monotonic() + PUBLIC_FRAMES_TTL_S)

    def _versions_known(self):
        """The versions its first snapshots carried, while they are at most PUBLIC_FRAMES_TTL_S old and no event of
        its groups has reached this process since (None otherwise). Every app pings as its hello comes (to measure
        its clock against the server's), so a room connecting together would make a trip to the database per
        phone for versions it was sent a moment ago. A change whose publish was lost in between is told by the
        next ping's versions, as any lost publish is."""
        known, self.known = self.known, None  # one pong only: later pings ask the database
        if known is None or time.monotonic() >= known.until or None in known.generations:
            return None
        return known.versions if self._generations() == known.generations else None

    def started(self):
        """The socket is up (its first snapshots sent): what its role does from then on."""

    def _hub_event(self, event):
        """A non-frame event for one of this socket's groups, through the hub."""

    # --- messages ----------------------------------------------------------------------------------------------

    @metrics.counts_commands
    async def receive(self, text=None, data=None):
        """Every client frame: the size and rate limits, then parse and validate (one place, before anything
        reaches a service or the database: realtime.protocol.parse), then the command. Whatever is refused gets an
        error frame with a code and the socket stays up; only the abuse limits close it (docs/protocol.md)."""
        if self.closed:  # a frame queued behind this socket's close
            return
        size = len(text.encode(errors="surrogatepass")) if text is not None else len(data or b"")
        if size > ABUSE_FRAME_BYTES:
            await self.close(protocol.CLOSE_ABUSE)
            return
        if not self.rate.take():
            if self.rate.abused():
                await self.close(protocol.CLOSE_ABUSE)
            else:
                await self._error(None, "rate_limited", _("Too many messages; slow down a little."))
            return
        if text is None or size > LIVE_MAX_FRAME_BYTES:
            limit = number_format(LIVE_MAX_FRAME_BYTES, force_grouping=True)
            await self._error(
                None, "too_large", _("Send one JSON text frame of at most %(limit)s bytes.") % {"limit": limit}
            )
            return
        try:
            message = protocol.parse(text)
        except protocol.Refused as refused:
            await self._error(refused.message_id, refused.code, refused.message)
            return
        metrics.command_type(self, message.type)
        try:
            await self._handle(message)
        except Exception as exc:  # noqa: BLE001 - the last resort: an error frame, the socket stays up
            self._log_failure(message, exc)
            if not self.closed:
                await self._error(message.id, "internal", _("Something went wrong on our side. Try again in a moment."))

    async def _handle(self, message):
        if message.type == "ping":
            versions = self._versions_known() or await in_db_thread(self.member.versions, self.language)()
            now = timezone.now().isoformat()
            await self.send(encode({"type": "pong", "id": message.id, "versions": versions, "server_time": now}))
        elif message.type == "sync":
            await self._resend_snapshots()
            await self._ack(message.id, duplicate=False)
        elif not self.member.may_send(type(message)):
            await self._error(message.id, "forbidden", str(_ONLY[type(message).role]))
        else:
            await self._run(message)

    async def _run(self, message):
        try:
            duplicate, reply = await in_db_thread(self.member.run, self.language)(message)
        except LiveError as error:
            await self._error(message.id, error.code, error.message)
            if error.code in STALE:
                await self._resend_snapshots()
            return
        if reply is not None:
            await self.send(encode({**reply, "id": message.id}))
        await self._ack(message.id, duplicate=duplicate)

    async def _resend_snapshots(self):
        first = await in_db_thread(self.member.first_frames, self.language)()
        await self.send_together(first.frames)

    async def _ack(self, message_id, *, duplicate):
        await self.send(encode({"type": "ack", "id": message_id, "duplicate": duplicate}))

    async def _error(self, message_id, code, text):
        metrics.command_error(self, code)
        await self.send(encode({"type": "error", "id": message_id, "code": code, "message": text}))

    def _log_failure(self, message, exc):
        """Logged without what was sent or the exception's text (a database error can quote a value): the message
        type, the role, the exception's class and where it was raised."""
        logger.error(
            "live %s from a %s failed with %s\n%s",
            message.type,
            self.member.role,
            type(exc).__qualname__,
            "".join(traceback.format_tb(exc.__traceback__)).rstrip(),
        )

    # --- the end -----------------------------------------------------------------------------------------------

    async def _leave(self):
        """Clean up once, however the socket ended: out of the hub, its presence renewals and the metrics, and
        its presence row removed (so the roster shows no ghost)."""
        if self.left:
            return
        self.left = True
        self._leave_fanout()
        presence.renewals().untrack(self.member.channel_name)
        metrics.socket_closed(self)
        if self.member.role is None:
            return
        try:
            await in_db_thread(self.member.left)()
        except Exception:  # noqa: BLE001 - logged; the row expires with its TTL all the same
            logger.exception("live socket clean-up failed")
        self.ended()

    def _leave_fanout(self):
        outlet, self.outlet = self.outlet, None
        if outlet is not None:
            for group in self.groups:
                self.hub.leave(group, outlet)

    def ended(self):
        """The socket has ended (called in its clean-up): what its role undoes."""


class PhoneSocket(LiveSocket):
    """A participant's phone: their couple's frames besides the session's; the staff's roster hears it come and go;
    it is shown out when a facilitator removes its couple."""

    def started(self):
        events.roster_soon(self.member.session.pk)

    def ended(self):
        events.roster_soon(self.member.session.pk)

    def _hub_event(self, event):
        if event.get("type") == "live.removed":
            asyncio.ensure_future(self._removed())

    async def _removed(self):
        self._leave_fanout()
        await self.send(encode({"type": "removed"}))
        await self.close(protocol.CLOSE_REMOVED)


class StaffSocket(LiveSocket):
    """A facilitator's socket (the roster) or a projector's (the couple count): both rebuilt when nudged
    (coalesced) and every STAFF_REFRESH_S."""

    def __init__(self):
        super().__init__()
        self.heartbeat = None
        self.refresh_pending = False

    def started(self):
        self.heartbeat = asyncio.ensure_future(self._beat())

    def ended(self):
        if self.heartbeat is not None:
            self.heartbeat.cancel()

    async def _beat(self):
        while True:
            await asyncio.sleep(STAFF_REFRESH_S)
            await self._refresh_later()

    def _hub_event(self, event):
        """Presence or progress changed: rebuild the roster or the couple count, coalesced."""
        if event.get("type") != "live.roster_dirty" or self.refresh_pending:
            return
        self.refresh_pending = True
        asyncio.get_running_loop().call_later(ROSTER_COALESCE_S, lambda: asyncio.ensure_future(self._refresh_later()))

    async def _refresh_later(self):
        try:
            await self._refresh()
        except Exception:  # noqa: BLE001 - e.g. the socket closed meanwhile; the timer refreshes a live one
            logger.debug("roster refresh skipped", exc_info=True)

    async def _refresh(self):
        """Send the roster (facilitator) or the couple count (projector) if it changed since the last one sent."""
        self.refresh_pending = False
        if self.closed:
            return
        member = self.member
        rebuild = member.roster_if_changed if member.role == FACILITATOR else member.couple_count_if_changed
        text = await in_db_thread(rebuild, self.language)()
        if text is not None:
            await self.send(text)
