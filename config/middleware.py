"""Request logging that never writes a raw path.

Capability links (registration, invitation, pairing, iCal) carry a token in
their path, so the access log names the matched URL pattern instead. Each line's
method, route, status and ms are fields of its record too (LOG_FORMAT=json writes
them as keys), and the request is counted in the process's metrics.
"""

import logging
import time

from config import metrics

logger = logging.getLogger("attune.request")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        seconds = time.monotonic() - started
        match = getattr(request, "resolver_match", None)
        route = "/" + match.route if match else "<unmatched>"
        fields = {
            "method": request.method,
            "route": route,
            "status": response.status_code,
            "ms": round(seconds * 1000, 1),
        }
        logger.info("%s %s %s %.1fms", request.method, route, response.status_code, seconds * 1000, extra=fields)
        metrics.http_request(request.method, route, response.status_code, seconds)
        return response


class DropRawPathFilter(logging.Filter):
    """Keeps raw paths out of Django's own request log records.

    Warnings such as "Not Found: /i/<token>" are dropped; errors keep their
    traceback but the path in the message is replaced by the matched route.
    /readyz's 503 is dropped too: it is the probe's answer (naming the failing
    part), asked every few seconds, and the outage itself is logged once by the
    part that meets it (attune.live).
    """

    def filter(self, record):
        if record.name not in ("django.request", "django.server"):
            return True
        if record.levelno < logging.ERROR:
            return False
        request = getattr(record, "request", None)
        if getattr(record, "status_code", None) == 503 and getattr(request, "path", None) == "/readyz":
            return False
        path = getattr(request, "path", None)
        if path and isinstance(record.args, tuple):
            match = getattr(request, "resolver_match", None)
            route = "/" + match.route if match else "<path withheld>"
            record.args = tuple(route if arg == path else arg for arg in record.args)
        return True
