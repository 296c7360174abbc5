"""Request logging that never writes a raw path.

Capability links (registration, invitation, pairing, iCal) carry a token in
their path, so the access log names the matched URL pattern instead.
"""

import logging
import time

logger = logging.getLogger("attune.request")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = match.route if match else "<unmatched>"
        logger.info(
            "%s /%s %s %.1fms",
            request.method,
            route,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        return response


class DropRawPathFilter(logging.Filter):
    """Keeps raw paths out of Django's own request log records.

    Warnings such as "Not Found: /i/<token>" are dropped; errors keep their
    traceback but the path in the message is replaced by the matched route.
    """

    def filter(self, record):
        if record.name not in ("django.request", "django.server"):
            return True
        if record.levelno < logging.ERROR:
            return False
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if path and isinstance(record.args, tuple):
            match = getattr(request, "resolver_match", None)
            route = "/" + match.route if match else "<path withheld>"
            record.args = tuple(route if arg == path else arg for arg in record.args)
        return True
