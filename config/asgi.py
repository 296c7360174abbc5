"""ASGI entry point: HTTP through Django, WebSockets through an origin-validating,
session-authenticated router."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.garbage_collection import tune_for_live_sockets  # noqa: E402
from realtime.routing import websocket_urlpatterns  # noqa: E402

# Each route carries its own session and auth stack (realtime/routing.py): the live sockets read their user
# only when they need it, in a database thread (realtime/auth.py).
application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns)),
    }
)
# Last, with everything loaded: what is loaded now is never garbage (config/garbage_collection.py).
tune_for_live_sockets()
