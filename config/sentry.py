"""Optional error reporting (SENTRY_DSN), and the scrubber every event and breadcrumb passes on its way out.

What may leave the process is what Attune logs itself: where an error happened (exception type, stack of
file/function/line, the URL pattern and method of the request), never what it happened to. So:
- the SDK is started with personal data off (no user, no client address, no cookies, no query strings), no
  request bodies, no local variables, and only the integrations named here (no automatic ones: e.g. Redis
  commands name our groups);
- before_send keeps an allowlist of the event's parts: the request keeps its method, its URL reduced to the
  matched URL pattern (capability links carry tokens in their path: /i/<token>, /offer/<token>, /ical/...,
  /live/pair/<code>, /accounts/reset/...) and a few harmless headers (no cookies, no Authorization, no query
  string); an exception keeps its type and stack but not its message (a database error quotes the value it
  refused: what a participant wrote); log messages are kept with any path in them replaced by its pattern;
- before_breadcrumb drops SQL, HTTP and subprocess breadcrumbs and every breadcrumb's data.
"""

import re
from urllib.parse import urlsplit

import sentry_sdk
from django.urls import Resolver404, resolve
from sentry_sdk.integrations.atexit import AtexitIntegration
from sentry_sdk.integrations.dedupe import DedupeIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.excepthook import ExcepthookIntegration
from sentry_sdk.integrations.logging import LoggingIntegration
from sentry_sdk.integrations.threading import ThreadingIntegration

WITHHELD = "<withheld>"
UNMATCHED = "<path withheld>"
EVENT_KEYS = {
    "event_id",
    "timestamp",
    "level",
    "platform",
    "logger",
    "transaction",
    "server_name",
    "release",
    "environment",
    "dist",
    "sdk",
    "fingerprint",
    "type",
    "exception",
    "threads",
    "logentry",
    "message",
    "breadcrumbs",
    "request",
    "contexts",
}
CONTEXTS = {"runtime", "os", "device", "trace"}
HEADERS = {"content-type", "content-length", "host", "user-agent", "accept", "accept-language"}
BREADCRUMB_CATEGORIES_DROPPED = {"query", "redis", "httplib", "http", "subprocess", "websocket"}
# A URL or a path inside a text (a log message such as "Internal Server Error: /i/<token>"): its scheme and host
# if any (kept), then a slash and anything up to whitespace or a quote (replaced by its pattern).
_PATH_IN_TEXT = re.compile(r"(?P<origin>\b[a-z][a-z0-9+.-]*://[^/\s'\"<>]*|(?<![\w.:/]))(?P<path>/[^\s'\"<>]*)")


def init_sentry(dsn, *, environment, transport=None):
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        # Personal data off, category by category (the SDK's successor of send_default_pii=False, which it now
        # deprecates): no user, cookies, query strings, bodies, SQL values or frame variables; only HEADERS.
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "allowlist", "terms": sorted(HEADERS)}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
            "gen_ai": {"inputs": False, "outputs": False},
        },
        max_request_body_size="never",
        include_local_variables=False,
        default_integrations=False,
        auto_enabling_integrations=False,
        integrations=[
            DjangoIntegration(transaction_style="url"),
            LoggingIntegration(),  # breadcrumbs from INFO, events from ERROR (e.g. uvicorn's "Exception in ASGI...")
            ExcepthookIntegration(),
            DedupeIntegration(),
            AtexitIntegration(),
            ThreadingIntegration(),
        ],
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
        traces_sample_rate=None,
        transport=transport,
    )


def route_of(path):
    """A URL path as the pattern it matched ("/i/<str:token>"), or UNMATCHED: never the path itself."""
    try:
        return "/" + resolve(path).route
    except (Resolver404, ValueError, TypeError):
        return UNMATCHED


def scrub_text(text):
    """Every path in a text replaced by its URL pattern."""
    if not isinstance(text, str):
        return WITHHELD
    return _PATH_IN_TEXT.sub(lambda found: found["origin"] + route_of(urlsplit(found["path"]).path), text)


def scrub_event(event, hint=None):
    clean = {key: value for key, value in event.items() if key in EVENT_KEYS}
    if "request" in clean:
        clean["request"] = _scrub_request(clean["request"])
    for part in ("exception", "threads"):
        if part in clean:
            clean[part] = _scrub_exceptions(clean[part])
    if "logentry" in clean:
        entry = clean["logentry"] or {}
        clean["logentry"] = {
            "message": scrub_text(entry.get("message", "")),
            "formatted": scrub_text(entry.get("formatted", entry.get("message", ""))),
        }
    if "message" in clean:
        clean["message"] = scrub_text(clean["message"])
    if "transaction" in clean:
        clean["transaction"] = scrub_text(clean["transaction"])
    if "breadcrumbs" in clean:
        values = (clean["breadcrumbs"] or {}).get("values", [])
        clean["breadcrumbs"] = {"values": [b for b in (scrub_breadcrumb(dict(v)) for v in values) if b is not None]}
    if "contexts" in clean:
        clean["contexts"] = {key: value for key, value in (clean["contexts"] or {}).items() if key in CONTEXTS}
    return clean


def _scrub_request(request):
    url = urlsplit(request.get("url") or "")
    headers = request.get("headers") or {}
    clean = {"headers": {name: value for name, value in headers.items() if name.lower() in HEADERS}}
    if request.get("method"):
        clean["method"] = request["method"]
    if request.get("url"):
        clean["url"] = f"{url.scheme}://{url.netloc}{route_of(url.path)}" if url.netloc else route_of(url.path)
    return clean


def _scrub_exceptions(part):
    values = []
    for value in (part or {}).get("values", []):
        value = dict(value)
        if "value" in value:
            value["value"] = WITHHELD
        stacktrace = value.get("stacktrace")
        if stacktrace:
            value["stacktrace"] = {
                **stacktrace,
                "frames": [{k: v for k, v in frame.items() if k != "vars"} for frame in stacktrace.get("frames", [])],
            }
        values.append(value)
    return {"values": values}


def scrub_breadcrumb(crumb, hint=None):
    if crumb.get("category") in BREADCRUMB_CATEGORIES_DROPPED or crumb.get("type") in ("http", "query"):
        return None
    clean = {key: crumb[key] for key in ("type", "category", "level", "timestamp") if key in crumb}
    if "message" in crumb:
        clean["message"] = scrub_text(crumb["message"])
    return clean
