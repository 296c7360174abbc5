from channels.auth import AuthMiddlewareStack
from django.urls import path

from realtime.auth import LazyAuthMiddlewareStack
from realtime.echo import EchoConsumer
from realtime.sockets import PhoneSocket, StaffSocket, wanted_role


def live_socket():
    """/ws/live/: staff and projector sockets through Channels' cookie and session middleware (their user is read
    on first use, realtime/auth.py); a phone's socket straight to its transport, which reads its device cookie
    itself (realtime.member.Member.identify)."""

    async def staff_socket(scope, receive, send):
        return await StaffSocket()(scope, receive, send)

    staff = LazyAuthMiddlewareStack(staff_socket)

    async def app(scope, receive, send):
        if wanted_role(scope) == "participant":
            return await PhoneSocket()(scope, receive, send)
        return await staff(scope, receive, send)

    return app


websocket_urlpatterns = [
    path("ws/echo/", AuthMiddlewareStack(EchoConsumer.as_asgi())),
    path("ws/live/<int:session_id>/", live_socket()),
]
