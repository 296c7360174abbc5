"""Connect storms alone, for one checkout or several interleaved: what a phone's connect costs the server.

`make bench` runs one storm per run, on a machine whose speed drifts by a third within minutes, so a change of a
tenth to a connect is lost in it. This repeats the storm, alternating the checkouts round by round, and reports
each storm and the medians:

    .venv/bin/python -m bench.storm                        # this checkout, 3 storms
    .venv/bin/python -m bench.storm /tmp/before . 6        # two checkouts, 6 storms each, interleaved
    N=500 .venv/bin/python -m bench.storm                  # 1,000 phones (N couples; 1,000 by default)

A room of N couples is made once in the bench's database (bench/fixtures.py, as `make bench` makes them) and its
session started. Each storm: a fresh uvicorn process of the checkout (its code, this checkout's .venv; the
bench's server command, pinned to the server's core), 100 phones connected and closed first, then all 2N at
once with 200 handshakes in flight (`make bench`'s storm). Reported: the seconds until every phone had its first
snapshots (`storm_s`) and the server process's CPU per phone connected (`cpu_ms_per_connect`, every thread of
it: the event loop's and the database threads').
"""

import asyncio
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import ROOT, fixtures
from bench.client import FEEDBACK, Pool, connect, storm
from bench.procs import command, cores, cpu_seconds, free_port, pin_self, raise_fd_limit
from bench.run import DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, server_env

WARM = 100
CONCURRENCY = 200


def start_server(checkout, env, core):
    """uvicorn serving `checkout`'s code, pinned to `core`; returns (process, port) once it listens."""
    port = free_port()
    process = subprocess.Popen(
        ["taskset", "-c", str(core), *command("attune", "uvicorn", port)],
        cwd=checkout,
        env={**env, "PYTHONPATH": str(checkout)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server of {checkout} exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return process, port
        time.sleep(0.05)
    process.kill()
    raise TimeoutError(f"the server of {checkout} did not listen")


async def start_session(world, url, origin):
    """The room's session started by its facilitator, as `make bench` starts it (it is planned minutes ago)."""
    from bench.scenarios import Facilitator, live_steps

    steps = await asyncio.to_thread(live_steps, world.sessions[0])
    headers = {"Cookie": world.facilitator_cookie, "Origin": origin}
    conn = await connect(Pool(), url + "?as=facilitator", headers=headers, counted=False, ready_on=FEEDBACK)
    facilitator = Facilitator([conn], steps)
    if facilitator.conn.status == "lobby":
        await facilitator.command("start", early=True)
    conn.close()


async def one_storm(checkout, env, core, world, cookies, first):
    process, port = start_server(checkout, env, core)
    try:
        url = f"ws://127.0.0.1:{port}/ws/live/{world.sessions[0].pk}/"
        origin = f"http://127.0.0.1:{port}"
        if first:
            await start_session(world, url, origin)
        phones = [(url, {"Cookie": cookie, "Origin": origin}) for cookie in cookies]
        _, warm, _ = await storm(Pool(), phones[:WARM], concurrency=50)
        for conn in warm:
            if conn:
                conn.close()
        await asyncio.sleep(1.0)
        cpu_before = cpu_seconds(process.pid)
        seconds, conns, failures = await storm(Pool(), phones, concurrency=CONCURRENCY)
        cpu = cpu_seconds(process.pid) - cpu_before
        connected = sum(1 for conn in conns if conn)
        for conn in conns:
            if conn:
                conn.close()
        await asyncio.sleep(0.5)
        return {
            "storm_s": round(seconds, 2),
            "cpu_ms_per_connect": round(cpu / max(1, connected) * 1000, 2),
            "failures": len(failures),
        }
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


async def storms(checkouts, rounds, env, core, world, cookies):
    figures = {checkout: [] for checkout in checkouts}
    for round_ in range(rounds):
        for checkout in checkouts if round_ % 2 == 0 else checkouts[::-1]:
            figures[checkout].append(await one_storm(checkout, env, core, world, cookies, not any(figures.values())))
            print(f"[storm] round {round_ + 1}, {checkout}: {figures[checkout][-1]}", flush=True)
    return figures


def main():
    args = sys.argv[1:]
    rounds = int(args.pop()) if args and args[-1].isdigit() else 3
    checkouts = [str(Path(path).resolve()) for path in args] or [str(ROOT)]
    couples = int(os.environ.get("N", "1000"))
    raise_fd_limit()
    every_cpu = os.sched_getaffinity(0)
    client_core, server_core = cores()
    env = server_env(DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, RATE_LIMITS="false")  # one address, many phones
    os.environ.update({k: v for k, v in env.items() if k != "PATH"})
    fixtures.ensure_database(DEFAULT_DATABASE_URL)
    fixtures.flush_redis(DEFAULT_REDIS_URL)
    import django

    django.setup()
    from django.db import connections

    world = fixtures.make_world(couples=couples, parts=1)
    pairs = fixtures.couples_in_database(world, couples, workers=4, cpus=every_cpu)
    connections.close_all()
    pin_self(client_core)
    import uvloop

    cookies = [cookie for pair in pairs for cookie in pair]
    figures = uvloop.run(storms(checkouts, rounds, env, server_core, world, cookies))
    for checkout, each in figures.items():
        print(
            f"{checkout}: storm_s median {statistics.median(f['storm_s'] for f in each):.2f}, cpu_ms_per_connect "
            f"median {statistics.median(f['cpu_ms_per_connect'] for f in each):.2f}, failures "
            f"{sum(f['failures'] for f in each)} ({len(each)} storms of {len(cookies)} phones)"
        )


if __name__ == "__main__":
    main()
