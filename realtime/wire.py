"""A broadcast's frame, framed once and written to every recipient's connection as the same bytes.

Through ASGI, a server frames each `websocket.send` on its own: uvicorn hands the text to websockets' protocol,
which builds and serializes a frame, and joins its output for the transport. For a broadcast to two thousand
phones that is two thousand framings of the same text, and it was the distance between raw ASGI under uvicorn
and the bare-websockets floor (docs/performance.md, issue 18). Yet a server's frame is the same bytes for every
socket: servers never mask (RFC 6455, section 5.1), and the image's uvicorn negotiates no extension (it refuses
per-message compression: platform/Dockerfile). So the hub frames each broadcast once, with websockets' own
serializer, and writes those bytes to each socket's transport.

Only under uvicorn's websockets-sansio protocol, the image's (and `make bench`'s): the socket's ASGI send is a
bound method of that protocol, whose state a write honours exactly as its own send does (nothing once a close
is sent or the client is gone; nothing while its transport's buffer is over the high-water mark, where uvicorn's
send would wait: the socket's outlet waits and coalesces instead, realtime/fanout.py). Any other server (Daphne
under `make run`, the test communicator), or a socket with an extension negotiated, sends through ASGI as before.
uvicorn is pinned (requirements/base.in); tests/realtime/test_wire.py checks the state read here against it.
"""

from channels.sessions import InstanceSessionWrapper
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import Frame, Opcode


def framed(text):
    """The bytes of one unfragmented, unmasked text frame carrying `text` (a str), as a server sends it."""
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=False)


class Wire:
    """One socket's connection, for frames already framed (framed())."""

    __slots__ = ("protocol",)

    def __init__(self, protocol):
        self.protocol = protocol

    def write(self, data):
        """Write `data` now, as uvicorn's send would, and return True; or return False, writing nothing, when
        uvicorn's send would not write at once (a close sent, the client gone, the buffer full): the caller
        then goes through ASGI, which waits or refuses as it always does."""
        protocol = self.protocol
        if protocol.close_sent or protocol.disconnected or not protocol.writable.is_set():
            return False
        transport = protocol.transport
        if transport.is_closing():
            return False
        transport.write(data)
        return True


def server_send(send):
    """The ASGI server's own send under Channels' session middleware, whose wrapper only acts on HTTP
    responses (it saves the session and sets its cookie): frames go straight to the server."""
    while isinstance(getattr(send, "__self__", None), InstanceSessionWrapper):
        send = send.__self__.real_send
    return send


def wire_of(send):
    """The Wire of a socket whose ASGI `send` (under any session middleware: server_send) is uvicorn's
    websockets-sansio protocol's, with no extension negotiated; else None."""
    protocol = getattr(server_send(send), "__self__", None)
    if type(protocol) is not WebSocketsSansIOProtocol:
        return None
    if protocol.conn.extensions:
        return None
    return Wire(protocol)
