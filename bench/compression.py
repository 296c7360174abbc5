"""What per-message compression costs a broadcast server, measured with clients that ask for it as browsers do.

Every browser offers `permessage-deflate` on a WebSocket handshake, and uvicorn grants it unless told not to;
the load client of `make bench` (picows) never offers it, so the bench cannot see it. This runs the raw ASGI
broadcast app (bench/raw_asgi.py) under the production uvicorn command line (bench.procs), once as it is
(`--ws-per-message-deflate false`, as platform/Dockerfile runs it) and once with compression granted, each on
the last CPU, against N clients of the `websockets` library (which offer compression by default) on the first:
the extension granted, the server's RSS growth per socket, and its CPU per recipient over 20 broadcasts of a
frame as long as Attune's public session snapshot. JSON on stdout.

    .venv/bin/python -m bench.compression        # N=1000 clients
"""

import asyncio
import json
import os
import shutil
import subprocess
import sys

from websockets.asyncio.client import connect

from bench import ROOT
from bench.procs import command, cores, cpu_seconds, free_port, pin_self, raise_fd_limit, rss_kb

BROADCASTS = 20
OPEN_AT_ONCE = 100


def server_command(port, compression):
    cmd = command("raw", "uvicorn", port)
    cmd[cmd.index("--ws-per-message-deflate") + 1] = "true" if compression else "false"
    return cmd


async def measure(clients, compression, core):
    port = free_port()
    cmd = server_command(port, compression)
    taskset = shutil.which("taskset")
    process = subprocess.Popen(
        [taskset, "-c", str(core), *cmd] if taskset else cmd,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=sys.stderr,
    )
    try:
        url = f"ws://127.0.0.1:{port}/"
        for _ in range(200):  # until it listens
            try:
                probe = await connect(url)
                await probe.recv()
                await probe.close()
                break
            except OSError:
                await asyncio.sleep(0.05)
        rss_before = rss_kb(process.pid)
        sockets = []
        for start in range(0, clients, OPEN_AT_ONCE):
            batch = min(OPEN_AT_ONCE, clients - start)
            sockets += await asyncio.gather(*(connect(url, max_queue=None) for _ in range(batch)))
        await asyncio.gather(*(s.recv() for s in sockets))  # the frame each gets on connect
        rss_after = rss_kb(process.pid)
        control = await connect(f"ws://127.0.0.1:{port}/control")
        cpu = 0.0
        for version in range(1, BROADCASTS + 1):
            before = cpu_seconds(process.pid)
            await control.send(str(version))
            await asyncio.gather(*(s.recv() for s in sockets))
            cpu += cpu_seconds(process.pid) - before
        granted = sockets[0].response.headers.get("Sec-WebSocket-Extensions")
        await asyncio.gather(control.close(), *(s.close() for s in sockets))
        return {
            "server_grants_compression": compression,
            "extension_granted": granted,
            "rss_kb_per_socket": round((rss_after - rss_before) / clients, 1),
            "server_cpu_us_per_recipient": round(cpu / (BROADCASTS * clients) * 1e6, 1),
        }
    finally:
        process.terminate()
        process.wait()


def main():
    raise_fd_limit()
    clients = int(os.environ.get("N", 1000))
    client_core, server_core = cores()
    pin_self(client_core)
    runs = [asyncio.run(measure(clients, compression, server_core)) for compression in (False, True, False, True)]
    print(json.dumps({"clients": clients, "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
