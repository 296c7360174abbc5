"""The security headers Attune sets on every response itself: a strict Content-Security-Policy and a
Permissions-Policy. (HSTS, nosniff and the referrer policy come from Django's SecurityMiddleware: settings.py.)

Scripts and styles come only from our own origin (the live apps are built into static files and take their
configuration from a JSON block, which is never executed); no inline script, no third-party source, no
framing. Sockets and fetches go to our own origin ('self' covers ws:/wss: on the same host). The API's
browsable docs (staff only, no couple content) keep their tool's own defaults: they rely on inline scripts.

The Permissions-Policy turns off every powerful browser feature for our pages and anything they could embed.
The one the live apps use is the Screen Wake Lock (the phone and the projector keep the screen on during a
session: frontend/src/shared/ui.tsx, useWakeLock), allowed for our own origin only.
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
EXEMPT_PREFIXES = ("/api/v1/docs/",)
HEADER = "Content-Security-Policy"

PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "autoplay=()",
        "bluetooth=()",
        "camera=()",
        "display-capture=()",
        "encrypted-media=()",
        "fullscreen=()",
        "geolocation=()",
        "gyroscope=()",
        "hid=()",
        "idle-detection=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "picture-in-picture=()",
        "publickey-credentials-get=()",
        "screen-wake-lock=(self)",
        "serial=()",
        "usb=()",
        "web-share=()",
        "xr-spatial-tracking=()",
    ]
)
PERMISSIONS_HEADER = "Permissions-Policy"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Django's debug error pages (DEBUG only) are built of inline styles and scripts.
        debug_error = settings.DEBUG and response.status_code >= 400
        if HEADER not in response and not debug_error and not request.path.startswith(EXEMPT_PREFIXES):
            response[HEADER] = POLICY
        response.setdefault(PERMISSIONS_HEADER, PERMISSIONS_POLICY)
        return response
