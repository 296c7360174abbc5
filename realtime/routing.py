from channels.auth import AuthMiddlewareStack
from django.urls import path

from realtime import consumers
from realtime.auth import LazyAuthMiddlewareStack

websocket_urlpatterns = [
    path("ws/echo/", AuthMiddlewareStack(consumers.EchoConsumer.as_asgi())),
    path("ws/live/<int:session_id>/", LazyAuthMiddlewareStack(consumers.LiveConsumer.as_asgi())),
]
