"""A strict Content-Security-Policy on every page.

Scripts and styles come only from our own origin (the live apps are built into static files and take their
configuration from a JSON block, which is never executed); no inline script, no third-party source, no
framing. Sockets and fetches go to our own origin ('self' covers ws:/wss: on the same host).

Two pages of third-party tools that rely on inline scripts keep their own defaults: the Django admin and
the API's browsable docs (staff only, no couple content).
"""

from django.conf import settings

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'none'",
        "object-src 'none'",
        "frame-src 'none'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
EXEMPT_PREFIXES = ("/admin/", "/api/v1/docs/")
HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Django's debug error pages (DEBUG only) are built of inline styles and scripts.
        debug_error = settings.DEBUG and response.status_code >= 400
        if HEADER not in response and not debug_error and not request.path.startswith(EXEMPT_PREFIXES):
            response[HEADER] = POLICY
        return response
