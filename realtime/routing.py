from channels.auth import AuthMiddlewareStack
from django.urls import path

from realtime import consumers
from realtime.auth import LazyAuthMiddlewareStack


def live_socket():
    """/ws/live/: staff and projector sockets through Channels' cookie and session middleware (their user is read
    on first use, realtime/auth.py); a phone's socket straight to its consumer, which reads its device cookie
    itself (LiveConsumer._serve, which serves every live socket)."""
    staff = LazyAuthMiddlewareStack(consumers.LiveConsumer.as_asgi())

    async def app(scope, receive, send):
        if consumers.wants_role(scope) == "participant":
            return await consumers.LiveConsumer()(scope, receive, send)
        return await staff(scope, receive, send)

    return app


websocket_urlpatterns = [
    path("ws/echo/", AuthMiddlewareStack(consumers.EchoConsumer.as_asgi())),
    path("ws/live/<int:session_id>/", live_socket()),
]
