"""A raw ASGI broadcast app (no framework): the best any application can do under a given ASGI server.

Path /control is the facilitator: each text it sends ("<version>") is written, with one `await send(...)`
per socket, to every other socket. Every socket gets the current frame on connect."""

from bench.frames import frame

sends = set()
current = {"message": {"type": "websocket.send", "text": frame(0)}}


async def application(scope, receive, send):
    if scope["type"] == "http":
        await receive()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"ok"})
        return
    if scope["type"] != "websocket":
        return
    control = scope["path"].startswith("/control")
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    if not control:
        sends.add(send)
        await send(current["message"])
    try:
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            if control and message.get("text"):
                current["message"] = {"type": "websocket.send", "text": frame(int(message["text"]))}
                for each in list(sends):
                    await each(current["message"])
    finally:
        sends.discard(send)
