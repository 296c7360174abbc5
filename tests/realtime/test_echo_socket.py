"""The authenticated socket of the foundation, through the real ASGI stack."""

import json

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from config.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = (b"origin", b"http://localhost")


def session_cookie_for(username):
    user = get_user_model().objects.create_user(username=username, password="pw-not-used-123")
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode())


async def connect(headers):
    communicator = WebsocketCommunicator(application, "/ws/echo/", headers=headers)
    connected, code = await communicator.connect()
    return communicator, connected, code


async def test_anonymous_socket_is_closed_with_4401():
    communicator, connected, code = await connect([ORIGIN])
    assert connected is False
    assert code == 4401


async def test_foreign_origin_is_refused():
    from asgiref.sync import sync_to_async

    cookie = await sync_to_async(session_cookie_for)("ana")
    communicator, connected, _ = await connect([(b"origin", b"http://evil.example"), cookie])
    assert connected is False


async def test_signed_in_user_reaches_all_their_sockets():
    from asgiref.sync import sync_to_async

    cookie = await sync_to_async(session_cookie_for)("ben")
    first, connected, _ = await connect([ORIGIN, cookie])
    assert connected
    second, connected, _ = await connect([ORIGIN, cookie])
    assert connected
    assert (await first.receive_json_from())["type"] == "hello"
    assert (await second.receive_json_from())["type"] == "hello"

    await first.send_json_to({"type": "echo", "id": "m1", "text": "hi"})
    frames = [await first.receive_json_from(), await first.receive_json_from()]
    assert {"type": "ack", "id": "m1"} in frames
    assert any(f["type"] == "echo" and f["text"] == "hi" for f in frames)
    echoed = await second.receive_json_from()
    assert echoed["type"] == "echo" and echoed["text"] == "hi"
    await first.disconnect()
    await second.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json", "bad_json"),
        (json.dumps({"type": "shout", "id": "x"}), "bad_message"),
        (json.dumps(["echo"]), "bad_message"),
        ("x" * (17 * 1024), "bad_frame"),
        ("[" * 5000 + "]" * 5000, "too_deep"),
        (json.dumps({"type": "echo", "id": "x", "text": "\ud800"}), "bad_text"),
        (json.dumps({"type": "echo", "id": "x", "text": "a\0"}), "bad_text"),
        ('{"type": "echo", "id": "x", "text": "a", "n": 1e400}', "bad_number"),
    ],
)
async def test_bad_frames_get_an_error_and_the_socket_stays_up(frame, code):
    from asgiref.sync import sync_to_async

    cookie = await sync_to_async(session_cookie_for)("cleo")
    communicator, connected, _ = await connect([ORIGIN, cookie])
    assert connected
    await communicator.receive_json_from()  # hello
    await communicator.send_to(text_data=frame)
    error = await communicator.receive_json_from()
    assert error["type"] == "error"
    assert error["code"] == code
    assert error["message"]
    await communicator.send_json_to({"type": "echo", "id": "after", "text": "still here"})
    frames = [await communicator.receive_json_from(), await communicator.receive_json_from()]
    assert {"type": "ack", "id": "after"} in frames
    await communicator.disconnect()
