"""Every Prometheus metric of an Attune process, its hooks, and the endpoint that serves them.

Each server process (one uvicorn per container; `make run`'s Daphne) has its own registry and answers
GET /metrics with it, so Prometheus scrapes each process directly: no multiprocess mode is needed. The endpoint
is not public: it answers only a request with `Authorization: Bearer <METRICS_TOKEN>`, and 404 to anything else
(and to everyone when METRICS_TOKEN is unset); nginx answers /metrics with 404 itself (platform/nginx.conf).

No label holds an id, a name, a join code, a token or anything a participant wrote: the labels are roles,
message types of the protocol's fixed set (realtime/protocol.py), error codes written in our code, URL patterns
and HTTP methods and statuses. Anything else is counted as "other".

The hooks are one line at each call site and cheap on the hot path: a command costs one dict lookup and one
counter increment; gauges that describe state (fan-out groups, the database pool) are read at scrape time.
"""

import hmac
import re
import time

from django.conf import settings
from django.http import Http404, HttpResponse
from prometheus_client import REGISTRY, Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

ROLES = ("participant", "facilitator", "projector")
UNPARSED = "unparsed"  # a frame that never became a protocol message (not JSON, too large, invalid, rate limited)
_LABEL = re.compile(r"^[a-z][a-z0-9_.]{0,39}$")
HTTP_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

LIVE_SOCKETS = Gauge("attune_live_sockets", "Live-session sockets open in this process, by role.", ["role"])
LIVE_COMMANDS = Counter(
    "attune_live_commands",
    "Messages received on live sockets, by protocol type and outcome: ok, an error frame's code, 'closed' (the "
    "socket was closed for abuse) or 'failed' (an exception).",
    ["type", "outcome"],
)
PUBLISH_SECONDS = Histogram(
    "attune_publish_seconds",
    "From the commit of a change to the channel layer taking all its frames (hand-off to the event loop, the "
    "sender's queue, the Redis round trips).",
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
PUBLISH_FAILURES = Counter("attune_publish_failures", "Frames' sends to a group that the channel layer refused.")
HTTP_REQUESTS = Counter(
    "attune_http_requests", "HTTP requests answered, by method, URL pattern and status.", ["method", "route", "status"]
)
HTTP_SECONDS = Histogram("attune_http_request_seconds", "Time to answer an HTTP request (all routes together).")

for role in ROLES:  # every role shows, at 0 too
    LIVE_SOCKETS.labels(role)

# --- live sockets (realtime/sockets.py) ------------------------------------------------------------------------


def socket_opened(socket, role):
    """A live socket was accepted with a role. Counted until socket_closed (its end, however it ends)."""
    socket.metrics_role = role if role in ROLES else "other"
    LIVE_SOCKETS.labels(socket.metrics_role).inc()


def socket_closed(socket):
    role, socket.metrics_role = socket.metrics_role, None
    if role is not None:
        LIVE_SOCKETS.labels(role).dec()


_commands = {}  # (type, outcome) -> the counter's child: labels() is slower than a dict lookup


def _label(value):
    return value if isinstance(value, str) and _LABEL.match(value) else "other"


def count_command(kind, outcome):
    child = _commands.get((kind, outcome))
    if child is None:
        child = _commands[(kind, outcome)] = LIVE_COMMANDS.labels(_label(kind), _label(outcome))
    child.inc()


def counts_commands(receive):
    """Decorates a live socket's receive(): one count per message received, by the type it was validated as
    (command_type) and the code of the error frame it got (command_error), else ok."""

    async def counted(socket, text=None, data=None):
        socket.metrics_command = (UNPARSED, None)
        outcome = "failed"
        try:
            await receive(socket, text, data)
            kind, outcome = socket.metrics_command
            outcome = outcome or ("closed" if kind == UNPARSED else "ok")
        finally:
            count_command(socket.metrics_command[0], outcome)

    counted.__wrapped__ = receive
    counted.__name__ = receive.__name__
    counted.__doc__ = receive.__doc__
    return counted


def command_type(socket, kind):
    socket.metrics_command = (kind, None)


def command_error(socket, code):
    socket.metrics_command = (getattr(socket, "metrics_command", (UNPARSED, None))[0], code)


# --- publishing (realtime/broadcast.py) ------------------------------------------------------------------------


def publish_started():
    return time.perf_counter()


def publish_done(started):
    if started is not None:
        PUBLISH_SECONDS.observe(time.perf_counter() - started)


def publish_failed():
    PUBLISH_FAILURES.inc()


# --- HTTP requests (config/middleware.py) ----------------------------------------------------------------------


_requests = {}  # (method, route, status) -> the counter's child


def http_request(method, route, status, seconds):
    key = (method if method in HTTP_METHODS else "other", route, status)  # bounded: a client picks the method
    child = _requests.get(key)
    if child is None:
        child = _requests[key] = HTTP_REQUESTS.labels(key[0], route, str(status))
    child.inc()
    HTTP_SECONDS.observe(seconds)


# --- read at scrape time ---------------------------------------------------------------------------------------


class _ReadAtScrape:
    def describe(self):
        """Nothing: without describe(), registering a collector calls collect() at once, at import time (for the
        database pool, before the test database or the process's settings are in place)."""
        return []


class FanoutCollector(_ReadAtScrape):
    """The fan-out hubs of this process (realtime/fanout.py): channel-layer groups subscribed, sockets registered."""

    def collect(self):
        from realtime import fanout

        groups = GaugeMetricFamily(
            "attune_fanout_groups", "Channel-layer groups this process's fan-out hub is subscribed to."
        )
        sockets = GaugeMetricFamily("attune_fanout_sockets", "Sockets registered in this process's fan-out hub.")
        subscribed, outlets = 0, set()
        for loop, hub in list(fanout._hubs.items()):  # one per event loop: one in a server process
            if loop.is_closed():
                continue
            subscribed += len(hub.subscribed)
            for members in list(hub.groups.values()):  # a phone is in two groups (everyone, its own): one socket
                outlets.update(members)
        groups.add_metric([], subscribed)
        sockets.add_metric([], len(outlets))
        yield groups
        yield sockets


POOL_GAUGES = {
    "pool_max": "Connections the pool may open (DATABASE_POOL_MAX).",
    "pool_size": "Connections the pool holds now, in use or not.",
    "pool_available": "Connections idle in the pool now.",
    "requests_waiting": "Requests for a connection waiting now, the pool being empty.",
}
POOL_COUNTERS = {
    "requests_num": ("requests", "Connections asked of the pool."),
    "requests_queued": ("requests_queued", "Requests for a connection that had to wait, the pool being empty."),
    "requests_errors": ("requests_errors", "Requests for a connection that failed (timeout, pool closed)."),
    "connections_lost": ("connections_lost", "Connections found broken when taken back or checked."),
}


class DatabasePoolCollector(_ReadAtScrape):
    """The PostgreSQL connection pool of this process (psycopg_pool's get_stats(), Django's OPTIONS["pool"])."""

    def collect(self):
        from django.db import connections

        connection = connections["default"]
        if connection.vendor != "postgresql" or not connection.settings_dict.get("OPTIONS", {}).get("pool"):
            return
        stats = connection.pool.get_stats()  # counters since the pool opened; measures as of now
        for key, help_text in POOL_GAUGES.items():
            yield GaugeMetricFamily(f"attune_db_{key}", help_text, value=stats.get(key, 0))
        for key, (name, help_text) in POOL_COUNTERS.items():
            yield CounterMetricFamily(f"attune_db_pool_{name}", help_text, value=stats.get(key, 0))
        yield CounterMetricFamily(
            "attune_db_pool_wait_seconds",
            "Time requests for a connection spent waiting for one, in all.",
            value=stats.get("requests_wait_ms", 0) / 1000,
        )


REGISTRY.register(FanoutCollector())
REGISTRY.register(DatabasePoolCollector())


# --- the endpoint ----------------------------------------------------------------------------------------------


def _authorized(request):
    token = settings.METRICS_TOKEN
    if not token:
        return False
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def metrics_view(request):
    """This process's metrics, in Prometheus' text format, to the bearer of METRICS_TOKEN; 404 to anyone else."""
    if not _authorized(request):
        raise Http404
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
