from django.urls import path

from realtime import consumers

websocket_urlpatterns = [
    path("ws/echo/", consumers.EchoConsumer.as_asgi()),
    path("ws/live/<int:session_id>/", consumers.LiveConsumer.as_asgi()),
]
