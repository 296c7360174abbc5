"""The floor: a bare `websockets` server whose broadcast() writes one frame to every socket.

Path /control is the facilitator: each text it sends ("<version>") is broadcast to every other socket.
Every socket gets the current frame on connect, as Attune sends its snapshot."""

import argparse
import asyncio

from websockets.asyncio.server import broadcast, serve

from bench.frames import frame

clients = set()
current = {"text": frame(0)}


async def handler(ws):
    if ws.request.path.startswith("/control"):
        async for message in ws:
            current["text"] = frame(int(message))
            broadcast(clients, current["text"])
        return
    clients.add(ws)
    try:
        await ws.send(current["text"])
        await ws.wait_closed()
    finally:
        clients.discard(ws)


async def main(port):
    async with serve(handler, "127.0.0.1", port, ping_interval=20, max_size=1 << 20, backlog=4096) as server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    asyncio.run(main(parser.parse_args().port))
