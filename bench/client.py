"""The load client: picows sockets (the WebSocket parsing is compiled, so the client is not the bottleneck) and
a small HTTP client for the join and pairing flow. One event loop (uvloop), pinned to its own core.

Every socket that gets Attune's `hello` pings as the apps do (frontend/src/shared/socket.ts): once at the hello,
then every `ping_interval_s` it names, for as long as it is open, so every figure includes what a room's pings
cost the server.

Frames are recognised by their first bytes: Attune encodes every snapshot as {"type":...,"version":N,...}, so the
hot path reads the version without parsing JSON."""

import asyncio
import contextlib
import json
import secrets
import time
from http.cookiejar import CookieJar, DefaultCookiePolicy

from picows import WSCloseCode, WSListener, WSMsgType, ws_connect

from bench import sealed

SESSION = b'{"type":"session","version":'
COUPLE = b'{"type":"couple","version":'
MY_FEEDBACK = b'{"type":"my_feedback"'
HELLO = b'{"type":"hello"'
PONG = b'{"type":"pong"'
FEEDBACK = b'{"type":"feedback"'
ACK = b'{"type":"ack"'
ERROR = b'{"type":"error"'
now = time.perf_counter


class Pool:
    """Every socket of one scenario run, and what arrived on them."""

    def __init__(self):
        self.conns = []
        self.arrivals = {}  # session version -> [receipts, last receipt time]
        self.wait_version = None
        self.wait_count = 0
        self.wait_future = None
        self.acks = {}  # message id -> future (facilitator and control)
        self.couple_latencies = []
        self.couple_errors = 0
        self.closed = 0
        self.frames = 0

    def expect(self, version, count):
        """A future that resolves when `count` sockets have received session `version`."""
        self.wait_version, self.wait_count = version, count
        self.wait_future = asyncio.get_running_loop().create_future()
        record = self.arrivals.get(version)
        if record and record[0] >= count:
            self.wait_future.set_result(None)
        return self.wait_future

    def participants(self):
        return [c for c in self.conns if c.counted]


class Conn(WSListener):
    """One phone (counted: its session frames are the broadcast's receipts) or the facilitator."""

    def __init__(self, pool, *, counted=True, ready_on=MY_FEEDBACK):
        self.pool = pool
        self.counted = counted
        self.ready_on = ready_on
        self.transport = None
        self.open = False
        self.ready = asyncio.get_running_loop().create_future()
        self.session_v = -1  # none yet
        self.couple_v = 0
        self.dups = 0
        self.gaps = 0
        self.partner = None
        self.waiting = None  # (send time, couple version) this phone waits for from its partner
        self.json_frames = []  # the facilitator keeps what it does not recognise (small)
        self.status = None
        self.ping_timer = None
        self.pings_sent = 0

    def on_ws_connected(self, transport):
        self.transport = transport
        self.open = True
        if self.ready_on is None:
            self.ready.set_result(None)

    def on_ws_disconnected(self, transport):
        self.open = False
        self._stop_pinging()
        self.pool.closed += 1
        if not self.ready.done():
            self.ready.set_exception(ConnectionError("closed before its first snapshot"))

    def on_ws_frame(self, transport, frame):
        if frame.msg_type is not WSMsgType.TEXT:
            return
        data = frame.get_payload_as_bytes()
        pool = self.pool
        pool.frames += 1
        if data.startswith(SESSION):
            version = int(data[28 : data.index(b",", 28)])
            last = self.session_v
            if version == last:
                self.dups += 1
            elif version > last:
                if last >= 0 and version > last + 1:
                    self.gaps += version - last - 1
                self.session_v = version
                if self.counted:
                    record = pool.arrivals.get(version)
                    if record is None:
                        record = pool.arrivals[version] = [1, now()]
                    else:
                        record[0] += 1
                        record[1] = now()
                    if version == pool.wait_version and record[0] >= pool.wait_count:
                        future = pool.wait_future
                        if future is not None and not future.done():
                            future.set_result(None)
            if not self.counted and self.status is None:
                self.status = json.loads(data)["state"]["status"]
            if self.ready_on is SESSION and not self.ready.done():
                self.ready.set_result(None)
            return
        if data.startswith(COUPLE):
            version = int(data[27 : data.index(b",", 27)])
            if version > self.couple_v:
                self.couple_v = version
                waiting = self.waiting
                if waiting is not None and version >= waiting[1]:
                    pool.couple_latencies.append(now() - waiting[0])
                    self.waiting = None
            return
        if data.startswith(PONG):
            return
        if data.startswith(HELLO):
            interval = json.loads(data).get("ping_interval_s") or 15
            self._ping_every(max(5, interval))
            return
        if data.startswith(ACK) or data.startswith(ERROR):
            message = json.loads(data)
            future = pool.acks.pop(message.get("id"), None)
            if future is not None and not future.done():
                future.set_result(message)
            elif message["type"] == "error" and self.partner is not None:
                pool.couple_errors += 1
                self.partner.waiting = None
            return
        if self.ready_on is not SESSION and data.startswith(self.ready_on) and not self.ready.done():
            self.ready.set_result(None)
        if not self.counted and not data.startswith(b'{"type":"roster"') and len(self.json_frames) < 50:
            self.json_frames.append(data)

    # --- sending ---------------------------------------------------------------------------
    def send_text(self, text):
        self.transport.send(WSMsgType.TEXT, text.encode() if isinstance(text, str) else text)

    def command(self, message_type, **fields):
        """Send a message; returns a future for its ack or error."""
        msg_id = f"b{secrets.token_hex(6)}"
        future = asyncio.get_running_loop().create_future()
        self.pool.acks[msg_id] = future
        self.send_text(json.dumps({"id": msg_id, "type": message_type, **fields}, separators=(",", ":")))
        return future

    def _ping_every(self, seconds):
        """As the apps do on each hello: a ping now, then every `seconds`."""
        self._stop_pinging()

        def ping():
            if not self.open:
                return
            self.pings_sent += 1
            self.send_text(f'{{"id":"ping{self.pings_sent}","type":"ping"}}')
            self.ping_timer = asyncio.get_running_loop().call_later(seconds, ping)

        ping()

    def _stop_pinging(self):
        if self.ping_timer is not None:
            self.ping_timer.cancel()
            self.ping_timer = None

    def close(self):
        self._stop_pinging()
        if self.transport is not None and self.open:
            self.transport.send_close(WSCloseCode.OK)
            self.transport.disconnect()


async def connect(pool, url, *, headers, counted=True, ready_on=MY_FEEDBACK, timeout=30.0):
    """Open one socket and wait for its first snapshots. Raises on failure."""
    return await asyncio.wait_for(_connect(pool, url, headers, counted, ready_on, timeout), timeout * 2)


async def _connect(pool, url, headers, counted, ready_on, timeout):
    _, conn = await ws_connect(
        lambda: Conn(pool, counted=counted, ready_on=ready_on),
        url,
        extra_headers=headers,
        websocket_handshake_timeout=timeout,
        enable_auto_pong=True,
    )
    if conn is None:
        raise ConnectionError("closed during the handshake")
    pool.conns.append(conn)
    await asyncio.wait_for(conn.ready, timeout)
    return conn


async def storm(pool, url_headers, *, concurrency, ready_on=MY_FEEDBACK, timeout=30.0):
    """Connect every (url, headers) at once (at most `concurrency` handshakes in flight).

    Returns (seconds until all are ready or failed, [conn or None], failures)."""
    gate = asyncio.Semaphore(concurrency)
    failures = []

    async def one(url, headers):
        async with gate:
            try:
                return await connect(pool, url, headers=headers, ready_on=ready_on, timeout=timeout)
            except Exception as exc:  # noqa: BLE001 - a failed connect is a figure, not a crash
                failures.append(f"{type(exc).__name__}: {exc}"[:200])
                return None

    started = now()
    conns = await asyncio.gather(*(one(url, headers) for url, headers in url_headers))
    return now() - started, conns, failures


# --- HTTP: joining and pairing as the phones do it -------------------------------------------------


class Device:
    """One phone's cookies (session and CSRF), as a browser keeps them."""

    def __init__(self):
        self.cookies = {"csrftoken": secrets.token_hex(16)}

    def headers(self):
        return {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "X-CSRFToken": self.cookies["csrftoken"],
            "Content-Type": "application/json",
        }

    def session_cookie(self):
        return f"sessionid={self.cookies['sessionid']}"

    def keep(self, response):
        for header in response.headers.get_list("set-cookie"):
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value:
                self.cookies[name.strip()] = value


class JoinError(RuntimeError):
    pass


async def post(client, device, path, body):
    response = await client.post(path, content=json.dumps(body), headers=device.headers())
    device.keep(response)
    if response.status_code != 200:
        raise JoinError(f"{path}: {response.status_code} {response.text[:200]}")
    return response.json()


async def join_couple(client, join_code, session_id, n):
    """Two phones join by code, consent, pair by code (the key exchange's public values, bench/sealed.py) and
    confirm the three words: returns both devices."""
    phones = [Device(), Device()]
    for who, phone in zip("ab", phones, strict=True):
        await post(client, phone, "/live/api/join/code", {"code": join_code})
        await post(
            client, phone, "/live/api/enter", {"consent": True, "feedback_consent": True, "display_name": f"{who}{n}"}
        )
    first, joiner = phones
    exchange = sealed.Exchange()
    code = (await post(client, first, "/live/api/pair/start", {"session_id": session_id}))["code"]
    joined = {"session_id": session_id, "code": code, "commitment": exchange.commitment}
    request = {
        "session_id": session_id,
        "request_id": (await post(client, joiner, "/live/api/pair/join", joined))["request_id"],
    }
    await post(client, first, "/live/api/pair/key", {**request, "public_key": exchange.creator_key})
    await post(client, joiner, "/live/api/pair/key", {**request, "public_key": exchange.joiner_key})
    await post(client, first, "/live/api/pair/confirm", {**request, "wrapped_key": sealed.wrapped_key()})
    await post(client, joiner, "/live/api/pair/confirm", request)
    return phones


async def join_couples(base, join_code, session_id, count, concurrency=32):
    """The HTTP join flow for `count` couples: returns ([[cookie, cookie]], seconds, failures)."""
    import httpx

    # Cookies are kept per phone (Device), never in the shared client.
    jar = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    gate = asyncio.Semaphore(concurrency)
    failures = []
    pairs = []
    async with httpx.AsyncClient(base_url=base, cookies=jar, limits=limits, timeout=60.0) as client:

        async def one(n):
            async with gate:
                for attempt in range(3):
                    try:
                        phones = await join_couple(client, join_code, session_id, n)
                        pairs.append([p.session_cookie() for p in phones])
                        return
                    except (JoinError, httpx.HTTPError) as exc:
                        if attempt == 2:
                            failures.append(str(exc)[:200])

        started = now()
        await asyncio.gather(*(one(n) for n in range(count)))
    return pairs, now() - started, failures


@contextlib.contextmanager
def cpu_window():
    """Client CPU busy fraction over a block: {'busy': cpu seconds / wall seconds}."""
    from bench.procs import self_cpu_seconds

    result = {}
    cpu0, wall0 = self_cpu_seconds(), now()
    try:
        yield result
    finally:
        wall = now() - wall0
        result["busy"] = (self_cpu_seconds() - cpu0) / wall if wall > 0 else 0.0
        result["wall"] = wall
