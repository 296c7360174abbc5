"""A broadcast's frame framed once and written to each connection (realtime/wire.py), against uvicorn as the image
runs it (websockets-sansio, no per-message compression), served in this test's event loop, with a real
`websockets` client reading what comes over TCP."""

import asyncio
import contextlib
import json
import tempfile

import pytest
import uvicorn
from asgiref.sync import sync_to_async
from channels.layers import InMemoryChannelLayer
from channels.sessions import SessionMiddlewareStack
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from realtime.fanout import Hub, frame_event
from realtime.wire import framed, wire_of
from tests.realtime.test_bad_input_uvicorn import uvicorn_process
from tests.realtime.test_real_topology import Socket, cookie_of
from tests.support import free_port, stop


class Served:
    """Each socket the server accepted: (its ASGI send, its Wire or None), in a queue, for the test to drive."""

    def __init__(self):
        self.sockets = asyncio.Queue()

    async def __call__(self, scope, receive, send):
        assert scope["type"] == "websocket"
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        await self.sockets.put((send, wire_of(send)))
        while (await receive())["type"] != "websocket.disconnect":
            pass


@contextlib.asynccontextmanager
async def uvicorn_serving(app, *, deflate=False):
    """uvicorn with the image's WebSocket options (platform/Dockerfile), in this event loop; yields its ws:// URL."""
    port = free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        ws="websockets-sansio",
        ws_per_message_deflate=deflate,
        lifespan="off",
        log_level="warning",
    )
    server = uvicorn.Server(config)
    task = asyncio.ensure_future(server.serve())
    try:
        while not server.started:
            assert not task.done(), "uvicorn did not start"
            await asyncio.sleep(0.01)
        yield f"ws://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)


async def test_frames_written_to_the_wire_arrive_whole_and_in_order_with_the_servers_own():
    served = Served()
    texts = ["", "ä" * 10, "x" * 125, "y" * 126, "z" * 65_535, "w" * 65_536, '{"type":"session","version":7}']
    async with uvicorn_serving(served) as url, connect(url, max_size=None, compression=None) as client:
        send, wire = await served.sockets.get()
        assert wire is not None
        await send({"type": "websocket.send", "text": "through ASGI, first"})
        for text in texts:
            assert wire.write(framed(text))
        await send({"type": "websocket.send", "text": "through ASGI, last"})
        received = [await asyncio.wait_for(client.recv(), 5) for _ in range(len(texts) + 2)]
    assert received == ["through ASGI, first", *texts, "through ASGI, last"]


async def test_no_wire_when_the_connection_negotiated_an_extension_or_the_server_is_not_uvicorns():
    served = Served()
    async with uvicorn_serving(served, deflate=True) as url, connect(url) as client:  # the client offers deflate
        send, wire = await served.sockets.get()
        assert wire is None  # its frames are compressed per socket: ASGI only
        await send({"type": "websocket.send", "text": "still through ASGI"})
        assert await asyncio.wait_for(client.recv(), 5) == "still through ASGI"

    async def not_uvicorns(message):  # Daphne's, or the test communicator's
        pass

    assert wire_of(not_uvicorns) is None


async def test_a_socket_under_channels_session_middleware_has_its_wire():
    served = Served()
    async with uvicorn_serving(SessionMiddlewareStack(served)) as url, connect(url, compression=None) as client:
        send, wire = await served.sockets.get()
        assert send is not None and wire is not None  # the staff sockets' stack (realtime/routing.py)
        assert wire.write(framed("under the session middleware"))
        assert await asyncio.wait_for(client.recv(), 5) == "under the session middleware"


async def test_the_wire_writes_nothing_once_the_close_is_sent_or_the_client_is_gone():
    served = Served()
    async with uvicorn_serving(served) as url:
        async with connect(url, compression=None) as client:
            send, wire = await served.sockets.get()
            await send({"type": "websocket.close", "code": 4000})
            assert not wire.write(framed("after the close"))
            after = []
            with contextlib.suppress(ConnectionClosed):
                while True:  # until the close: nothing may come before it
                    after.append(await asyncio.wait_for(client.recv(), 5))
            assert after == []
            assert client.close_code == 4000

        async with connect(url, compression=None) as client:
            send, wire = await served.sockets.get()
        for _ in range(100):  # the client closed: uvicorn learns it from the connection
            if wire.protocol.disconnected:
                break
            await asyncio.sleep(0.01)
        assert not wire.write(framed("to nobody"))


async def test_a_full_buffer_sends_the_hubs_frames_through_asgi_coalesced_and_the_socket_ends_on_the_newest():
    """A phone that stops reading: its transport's buffer fills, uvicorn stops taking writes (its `writable`), the
    wire refuses, and the hub's frames for it wait in its outlet, newest of each kind kept, as without a wire."""
    served = Served()
    hub, group = Hub(InMemoryChannelLayer()), "live.1.all"
    async with uvicorn_serving(served) as url, connect(url, compression=None, max_queue=1) as client:
        send, wire = await served.sockets.get()
        outlet = await hub.join(group, send, wire=wire)
        outlet.open()
        big = "b" * 256 * 1024
        pushed = 0
        while wire.protocol.writable.is_set():  # the client holds one message and reads no further
            hub.deliver(frame_event(group, f"{pushed}:{big}", f"filler{pushed}"))
            pushed += 1
            assert pushed < 2_000, "the buffer never filled"
            await asyncio.sleep(0)
        assert not wire.write(framed("refused while full"))
        for version in range(5):  # the same kind, while the socket is behind: only the newest is kept
            hub.deliver(frame_event(group, f'{{"type":"session","version":{version}}}', "session"))
        # The socket's own frames (a sync's snapshots) may not pass the hub's still on their way: even once the
        # connection takes writes again (as the transport tells uvicorn when its buffer drains), the outlet
        # refuses them while its frame waits in uvicorn's send, and the socket sends them through ASGI, behind it.
        wire.protocol.resume_writing()
        assert outlet.task is not None
        assert not outlet.write_framed(framed("the socket's own, too early"))
        received = [await asyncio.wait_for(client.recv(), 10) for _ in range(pushed + 2)]
        for _ in range(500):  # the outlet's last frame written, its task ends
            if outlet.task is None:
                break
            await asyncio.sleep(0.01)
        assert outlet.write_framed(framed("the socket's own"))
        received.append(await asyncio.wait_for(client.recv(), 10))
    assert [text.split(":")[0] for text in received[:pushed]] == [str(n) for n in range(pushed)]
    # The first waited in uvicorn's send; of the four behind it, the newest; then the socket's own.
    assert received[pushed:] == ['{"type":"session","version":0}', '{"type":"session","version":4}', "the socket's own"]


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.multiprocess
@pytest.mark.django_db(transaction=True)
async def test_a_connects_frames_written_together_arrive_each_a_frame_of_its_own_in_order(live):
    """A connect writes its hello and first snapshots to the wire at once, and a sync its snapshots
    (LiveSocket.send_together): against Attune under uvicorn as the image runs it, each still arrives as a frame of
    its own, whole and in order."""
    ana, _ben = await live.couple("Ana", "Ben")
    cookie = await sync_to_async(cookie_of)(ana)
    snapshots = ["session", "couple", "feedback", "my_feedback"]
    with tempfile.TemporaryFile() as log:
        process, base = await sync_to_async(uvicorn_process)(log)
        try:
            phone = Socket(base, live.session.pk, cookie)
            await phone.open()
            await phone.wait_for(lambda frame: frame["type"] == "my_feedback")
            assert [frame["type"] for frame in phone.frames] == ["hello", *snapshots]
            assert phone.frames[1]["version"] == phone.frames[0]["versions"]["session"]
            await phone.ws.send(json.dumps({"id": "again", "type": "sync"}))
            await phone.wait_for(lambda frame: frame["type"] == "ack")
            assert [frame["type"] for frame in phone.frames[5:]] == [*snapshots, "ack"]
            assert phone.frames[5:9] == phone.frames[1:5]
            await phone.ws.close()
        finally:
            stop(process)
        log.seek(0)
        assert "Traceback" not in log.read().decode(errors="replace")
