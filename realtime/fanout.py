"""Process-local fan-out of a session's frames: one channel-layer subscription per process per group (and, in
the same spirit, realtime.services.presence.Renewals renews the presence of all its sockets in one round).

Without it, every socket subscribes to its session's `everyone` group on its own, and a publish costs one
channel-layer message per socket: one Redis write, one read, one decode and one consumer dispatch (with a
database-thread hop) for each of a thousand phones. Here the first socket of a group in this process
subscribes the process's single relay channel to the group; a publish then reaches each process once, and
the hub writes the already-encoded frame to every local socket of the group, straight to the ASGI server (under
uvicorn, framed once and straight to each socket's connection: realtime/wire.py).
The last socket to leave unsubscribes the process.

Correctness comes first:
- Frames are complete, versioned snapshots, so a socket that cannot keep up (its ASGI server reports a full
  write buffer) keeps only the newest frame of each kind until it drains: it never stalls the hub, the
  other sockets or the process, and it ends on the current state. A socket that is still sending its
  first snapshots gets what arrived meanwhile right after them, as a consumer's own queue would have.
- An outlet leaves the registry when its socket ends, however it ends (see realtime.sockets.LiveSocket).
- Who gets a group's frames is decided by the socket: it joins only after it has identified and authorized
  itself (realtime.member), and only its role's groups.
- The channel layer may fail (Redis down, refusing or hanging) without any socket noticing: a socket connects
  whether or not its group could be subscribed, the hub keeps re-making every subscription of its sockets until
  the layer answers (within RETRY_S of it answering again), and what was lost meanwhile heals by the clients'
  version check (hello, pong). No layer call is awaited without a time limit (asyncio.timeout, not wait_for: on
  Python 3.11, wait_for can swallow a cancellation that arrives as its call completes, and a loop such as the
  sender's or the hub's would then never end).
"""

import asyncio
import itertools
import logging
import time
import types
import weakref

from realtime import groups
from realtime.wire import framed, server_send

logger = logging.getLogger("attune.live")

# After a failure of the channel layer, the hub subscribes again and the publisher tries a send again this often
# (pushes resume within it of the layer answering).
RETRY_S = 0.5
# How long any call to the channel layer may take, the hub's and the publisher's (normally a millisecond). A Redis
# that hangs (stopped, or a network that drops packets) answers nothing at all: a socket then connects without
# its group's subscription, which the hub makes once the layer answers again, a publish is dropped, and the
# sockets catch up by their version check meanwhile.
LAYER_TIMEOUT_S = 1.0


def frame_event(group, text, kind):
    """The channel-layer message of one encoded frame: each process's hub routes it by `group` to its local
    sockets, which send the text as it is."""
    return {"type": "live.frame", "text": text, "group": group, "kind": kind}


# Hand-driven coroutines, for a newcomer. Writing a frame to a socket is `await send(message)`, the ASGI
# server's coroutine. Awaiting it needs a coroutine of our own around it, and a task to run that in: one per
# socket per frame, for a thousand phones. Instead, Outlet._write starts the server's coroutine by hand:
# `coro.send(None)` runs it up to the point where it would wait. Almost always the server takes the frame at
# once and the coroutine finishes right there (StopIteration): one call, no task, no turn of the event loop.
# Only when the server makes it wait (the socket's buffer is full) does it stop, handing back the future it waits
# on; then a task (Outlet._finish) takes over with _resume below, which goes on exactly where it stopped: it
# gives that future to the event loop, as an `await` would, and passes the result (or the exception, a
# cancellation included) back into the coroutine, until it finishes.
@types.coroutine
def _resume(coro, awaited):
    """Drive a coroutine that was started by hand (coro.send(None)) and is suspended on `awaited`."""
    while True:
        try:
            value = yield awaited
        except BaseException as exc:  # noqa: BLE001 - cancellation and errors are handed to the coroutine
            try:
                awaited = coro.throw(exc)
            except StopIteration:
                return
        else:
            try:
                awaited = coro.send(value)
            except StopIteration:
                return


class Outlet:
    """One socket's end of the fan-out. push() never waits: a write that completes at once (the normal case:
    the server puts the frame in the socket's buffer) costs one call; a write the server makes wait (the
    socket's buffer is full) continues in a task of its own, and frames arriving meanwhile are coalesced."""

    __slots__ = ("send", "wire", "on_event", "ready", "waiting", "task", "closed", "__weakref__")

    def __init__(self, send, on_event=None, wire=None):
        self.send = server_send(send)  # the socket's ASGI send
        self.wire = wire  # its connection, for a broadcast's frame framed once (realtime/wire.py), or None
        self.on_event = on_event  # called with any other event for its groups (e.g. live.removed)
        self.ready = False  # until its socket has sent the first snapshots
        self.waiting = {}  # kind -> newest message not yet written (before ready, or while a write waits)
        self.task = None
        self.closed = False

    def push(self, kind, message, framed=None):
        """Write `message` (its bytes on the wire `framed`, when the hub framed them once for all its sockets)."""
        if self.closed:
            return
        if not self.ready or self.task is not None:
            self.waiting.pop(kind, None)
            self.waiting[kind] = message  # newest last; an older frame of the same kind is superseded
            return
        if framed is not None and self.wire is not None and self.wire.write(framed):
            return
        self._write(message)

    def write_framed(self, data):
        """Write frames its socket framed itself (LiveSocket.send_together) straight to its wire, and return True;
        or return False, writing nothing, while a frame of the outlet is still on its way (waiting in the server's
        send): bytes written now would pass it, where the socket's own ASGI send queues behind it."""
        return self.task is None and self.wire is not None and self.wire.write(data)

    def _write(self, message):
        coro = self.send(message)
        try:
            awaited = coro.send(None)
        except StopIteration:
            return
        except Exception:  # noqa: BLE001 - the socket is going away; it leaves when it ends
            logger.debug("fan-out write failed", exc_info=True)
            return
        self.task = asyncio.ensure_future(self._finish(coro, awaited))

    async def _finish(self, coro, awaited):
        try:
            await _resume(coro, awaited)
            while self.waiting and not self.closed:
                kind = next(iter(self.waiting))
                await self.send(self.waiting.pop(kind))
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001
            logger.debug("fan-out write failed", exc_info=True)
        finally:
            self.task = None

    def open(self):
        """The socket has sent its first snapshots: write what arrived meanwhile, then write directly."""
        if self.closed or self.ready:
            return
        self.ready = True
        while self.waiting and self.task is None:
            kind = next(iter(self.waiting))
            self._write(self.waiting.pop(kind))

    def close(self):
        self.closed = True
        self.waiting = {}
        if self.task is not None:
            self.task.cancel()
            self.task = None


class Hub:
    """The fan-out of one process (one event loop and channel layer)."""

    def __init__(self, layer):
        self.layer = layer
        self.groups = {}  # group -> {outlet: None}, the local sockets in join order
        self.subscribed = set()  # groups this process's channel is a member of in the layer (as far as it knows)
        self.lock = asyncio.Lock()  # orders subscribe and unsubscribe
        self.channel = None
        self.tasks = set()
        self.generations = {}  # subscribed carrier group -> events of it received (see generation())
        self.subscriptions = itertools.count(1)  # each subscription's generations start apart from any earlier one
        self.memos = {}  # carrier group -> (generation, expiry, value) (see remember())
        self.resubscribe = asyncio.Event()  # set when the process's subscriptions must be made again
        self.down_since = None  # monotonic time of the layer's first failure, while it has not answered since

    # --- membership ------------------------------------------------------------------------------
    async def join(self, group, send=None, *, outlet=None, on_event=None, wire=None):
        """Register a socket's ASGI `send` (and its `wire`, when it has one: realtime/wire.py) for a group (or
        its existing `outlet`, for one more group); returns its Outlet (call outlet.open() once the socket has
        sent its first snapshots). Returns once this process receives the group's frames, or, when the channel
        layer does not answer (within LAYER_TIMEOUT_S, or it failed moments ago), at once: the hub subscribes
        the group as soon as the layer answers again, and the socket catches up by its version check meanwhile.
        Never raises for the layer's failure."""
        outlet = outlet or Outlet(send, on_event, wire)
        self.groups.setdefault(group, {})[outlet] = None
        if groups.carrier(group) != group:
            # Carried inside another group (a participant's, inside its session's `everyone`), which the socket
            # has joined first: registered here only, nothing to subscribe.
            return outlet
        if group in self.subscribed and not self.lock.locked():
            return outlet  # no unsubscribe can be in flight, and any later one will see this outlet
        try:
            await self._start()
            if self.down_since is not None:
                self.resubscribe.set()  # the layer failed moments ago: no connect waits for it
                return outlet
            async with asyncio.timeout(LAYER_TIMEOUT_S):
                await self._subscribe(group)
        except asyncio.CancelledError:
            self.leave(group, outlet)  # the socket is going away (its registration is not its yet)
            raise
        except Exception as exc:  # noqa: BLE001 - Redis refusing or hanging: subscribed when it answers again
            self._layer_failed("subscribe", exc)
            self.resubscribe.set()
        return outlet

    async def _start(self):
        """The process's relay channel and its tasks, on the first join."""
        if self.channel is not None:
            return
        channel = await self.layer.new_channel()  # named here; nothing is asked of Redis
        if self.channel is None:
            self.channel = channel
            self._spawn(self._read())
            self._spawn(self._keep_subscribed())

    async def _subscribe(self, group):
        async with self.lock:
            if group not in self.subscribed and group in self.groups:
                await self.layer.group_add(group, self.channel)
                self.subscribed.add(group)
                self.generations[group] = next(self.subscriptions) << 40

    def leave(self, group, outlet):
        """Remove a socket from a group at once (idempotent); the process unsubscribes when it was the group's
        last. The outlet is closed: a socket leaves all its groups together."""
        outlet.close()
        members = self.groups.get(group)
        if members is None or outlet not in members:
            return
        del members[outlet]
        if not members:
            del self.groups[group]
            if group in self.subscribed:
                self._spawn(self._unsubscribe(group))

    async def _unsubscribe(self, group):
        async with self.lock:
            if group in self.subscribed and group not in self.groups:
                self.subscribed.discard(group)
                self.generations.pop(group, None)
                self.memos.pop(group, None)
                try:
                    async with asyncio.timeout(LAYER_TIMEOUT_S):
                        await self.layer.group_discard(group, self.channel)
                except Exception:  # noqa: BLE001 - a subscription left behind costs events nobody here reads
                    logger.info("fan-out unsubscribe failed; the group's events reach this process unread")

    async def _subscribe_all(self):
        """Make every subscription of the process's sockets again: a Redis that restarted has forgotten them,
        and a group whose subscription failed at its first socket's connect has none yet."""
        self._forget_all()  # events may have been lost meanwhile
        async with self.lock:
            for group in [group for group in self.groups if groups.carrier(group) == group]:
                async with asyncio.timeout(LAYER_TIMEOUT_S):
                    await self.layer.group_add(group, self.channel)
                if group not in self.subscribed:
                    self.subscribed.add(group)
                    self.generations[group] = next(self.subscriptions) << 40

    async def _keep_subscribed(self):
        """Whenever the subscriptions may be missing (the layer failed, a join could not subscribe), make them
        again, every RETRY_S until the layer answers, each call within a time limit. (On Redis pub/sub, the
        connection that lost Redis subscribes again by itself when it comes back: redis-py's PubSub.)"""
        while True:
            await self.resubscribe.wait()
            self.resubscribe.clear()
            try:
                await self._subscribe_all()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - Redis refusing or hanging: try again shortly
                self._layer_failed("subscribe", exc)
                self.resubscribe.set()
                await asyncio.sleep(RETRY_S)
            else:
                self._layer_back()

    def _layer_failed(self, what, exc):
        """Logged once per outage, without a trace: the sockets stay up and catch up by their version check."""
        if self.down_since is None:
            self.down_since = time.monotonic()
            logger.warning(
                "fan-out: the channel layer does not answer (%s: %s); sockets stay up and catch up by their "
                "version check, subscriptions are made again when it answers",
                what,
                exc.__class__.__name__,
            )

    def _layer_back(self):
        if self.down_since is not None:
            logger.warning("fan-out: the channel layer answers again after %.1f s", time.monotonic() - self.down_since)
            self.down_since = None

    # --- what the process knows of a group's current state ------------------------------------------
    def generation(self, group):
        """How many events of a subscribed group this process has received so far (None when it is not
        subscribed). The same value before and after a database read means that no change published in the
        group reached this process meanwhile: what the read built is at least as new as anything the group's
        sockets have been sent, and any later change reaches them (and bumps the count)."""
        return self.generations.get(group)

    def remember(self, group, generation, value, ttl):
        """Keep `value` (built from the database after generation() returned `generation`) as the group's current
        state while no event of the group arrives, for at most `ttl` seconds: a bound on how long a change whose
        publish was lost (the clients' version check heals those) could be missed by sockets connecting now."""
        if generation is not None and self.generations.get(group) == generation and ttl > 0:
            self.memos[group] = (generation, time.monotonic() + ttl, value)

    def recall(self, group):
        """The value remembered for a group, if no event of the group arrived since and it has not expired."""
        memo = self.memos.get(group)
        if memo is None:
            return None
        generation, expiry, value = memo
        if generation != self.generations.get(group) or time.monotonic() >= expiry:
            del self.memos[group]
            return None
        return value

    def _forget_all(self):
        self.memos.clear()
        for group in self.generations:
            self.generations[group] += 1

    # --- delivery ----------------------------------------------------------------------------------
    def deliver(self, event):
        group = event.get("group")
        carrier = groups.carrier(group) if group else None
        if carrier in self.generations:
            self.generations[carrier] += 1
        if event.get("type") == "live.frames":  # carried groups' frames, sent together (publish._send_all)
            for target, text, kind in event["frames"]:
                self._route(frame_event(target, text, kind))
        else:
            self._route(event)

    def _route(self, event):
        group = event.get("group")
        members = self.groups.get(group)
        if not members:
            return
        if event.get("type") != "live.frame":
            for outlet in tuple(members):
                if outlet.on_event is not None and not outlet.closed:
                    outlet.on_event(event)
            return
        text = event["text"]
        message = {"type": "websocket.send", "text": text}
        encoded = framed(text)  # once, for every socket with a wire
        kind = event.get("kind", "")
        for outlet in tuple(members):
            outlet.push(kind, message, encoded)

    async def _read(self):
        while True:
            try:
                event = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - e.g. Redis restarting: retry, and subscribe again
                self._layer_failed("receive", exc)
                self.resubscribe.set()  # a restarted Redis has forgotten the subscriptions
                await asyncio.sleep(RETRY_S)
                continue
            try:
                self.deliver(event)
            except Exception:  # noqa: BLE001 - one bad event must not end the process's fan-out
                logger.exception("fan-out delivery failed")

    def _spawn(self, coro):
        task = asyncio.ensure_future(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    def sockets(self, group=None):
        """How many sockets are registered (for a group, or in all): for tests and diagnostics."""
        if group is not None:
            return len(self.groups.get(group, ()))
        return sum(len(members) for members in self.groups.values())


_hubs = weakref.WeakKeyDictionary()  # event loop -> Hub


def hub_for(layer):
    """This process's hub for the running event loop and the given channel layer."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None or hub.layer is not layer:
        hub = _hubs[loop] = Hub(layer)
    return hub
