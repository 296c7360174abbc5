"""What a live socket's trips to a database thread cost the server's CPU, measured in one thread, without sockets.

`make bench` measures the whole server on a machine whose speed drifts by 15-50% within an hour, so a change of a
tenth to one trip is lost in it. This measures the trips alone, in this thread's CPU time (time.thread_time:
Python, psycopg and the system calls; not PostgreSQL's own), over a room of N couples made for it in the bench's
database (bench/fixtures.py, as `make bench` makes them), in rounds, and reports each round and the median:

- `connect_trip_us`: a phone's connect (realtime.member.Member.admit: its device's session, its participant and
  couple, its presence, its first snapshots), for each of the room's 2N phones;
- `couple_frames_us`: a couple's two frames as a couple message builds them (realtime.snapshots_couple
  .couple_frames, in a transaction: the step, the partners, the space's entries and help requests);
- `couple_message_us`: a couple message as a socket's database thread runs it (realtime.member.Member.run of a
  `couple.pause`, raised then lowered: its record with the participant's read, the space written with both
  frames' reads, the commit), for one phone of each couple. What it publishes is handed to an event loop in
  another thread, as a server process hands it to its sockets' loop (realtime/handoff.py), so it is not in this
  thread's time.
- `entry_message_us`: an entry as a socket's database thread saves it (Member.run of an `entry.put`: a shared
  worksheet item written again from the version the phone saw, in the session's breakout), for one phone of each
  couple.
- `trip_us`: what a trip to a database thread costs the event loop's thread (its own CPU, per trip, of an empty
  call, on uvloop as the server runs): `attune`, realtime.threads as the sockets use it; `asgiref`, the same call
  through Channels' database_sync_to_async on the same threads, as the sockets made it until 2026-12-07.

Each of the first four also has `database_median`: PostgreSQL's CPU per item (all its processes on this machine;
clock ticks of 10 ms, so use a few hundred couples), which the same cores pay for.

    .venv/bin/python -m bench.trips             # N=200 couples, 5 rounds; JSON on stdout
    N=400 BENCH_TRIPS_ROUNDS=9 .venv/bin/python -m bench.trips

To compare two versions of the code, run it from each checkout in turn, more than once: rounds still drift.
"""

import asyncio
import json
import os
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from bench import fixtures, procs
from bench.run import DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, server_env


def _median_rounds(rounds, work, count, after=None):
    """`work()` run `rounds` times (`after()` after each, untimed): the CPU of each run per item (µs), and their
    median; and PostgreSQL's (`database_median`, where it runs on this machine: procs.database_cpu_seconds)."""
    each, database = [], []
    for _ in range(rounds):
        started, database_started = time.thread_time(), procs.database_cpu_seconds()
        work()
        each.append((time.thread_time() - started) / count * 1e6)
        if database_started is not None:
            database.append((procs.database_cpu_seconds() - database_started) / count * 1e6)
        if after is not None:
            after()
    figures = {"rounds": [round(x) for x in each], "median": round(statistics.median(each))}
    if database:
        figures["database_median"] = round(statistics.median(database))
    return figures


def main():
    couples = int(os.environ.get("N", 200))
    rounds = int(os.environ.get("BENCH_TRIPS_ROUNDS", 5))
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    os.environ.update({k: v for k, v in server_env(database_url, redis_url).items() if k != "PATH"})
    fixtures.ensure_database(database_url)
    import django

    django.setup()
    from django.db import transaction

    from realtime import handoff, protocol
    from realtime.identity import shared_session
    from realtime.member import Member, PublicFrames
    from realtime.models import Participant, Presence
    from realtime.snapshots_couple import couple_frames

    world = fixtures.make_world(couples=couples, parts=1)
    phones = [cookie for pair in fixtures.couples_in_database(world, couples, workers=4) for cookie in pair]
    session = shared_session(world.sessions[0].pk)
    public = PublicFrames.read(session)  # as a room's process hands it on (Hub.remember)
    couple_ids = sorted(set(Participant.objects.filter(workshop=session.workshop).values_list("couple_id", flat=True)))
    tag = f"live!trips-{time.monotonic_ns()}"

    members = []

    def connect_every_phone():
        members.clear()
        for n, cookie in enumerate(phones):
            member = Member(f"{tag}-{n}", "participant")
            member.session = session
            refused, _ = member.admit({"headers": [(b"cookie", cookie.encode())], "query_string": b""}, public)
            if refused is not None:
                raise RuntimeError(f"a phone of the room was refused ({refused})")
            members.append(member)

    def disconnect_every_phone():
        Presence.objects.filter(channel_name__startswith=tag).delete()

    def frame_every_couple():
        for couple_id in couple_ids:
            with transaction.atomic():
                couple_frames(session, couple_id)

    sent = [0]

    def pause_every_couple():
        for member in members[::2]:  # one phone of each couple (fixtures pair phones in order)
            sent[0] += 1
            text = json.dumps({"id": f"trips{time.monotonic_ns()}", "type": "couple.pause", "raised": sent[0] % 2 == 1})
            member.run(protocol.parse(text))

    loop = asyncio.new_event_loop()  # where what commits is published from, as in a server process
    threading.Thread(target=loop.run_forever, daemon=True).start()
    asyncio.run_coroutine_threadsafe(_note_loop(handoff), loop).result()

    connect_every_phone()  # its prepared queries compiled and its connection opened before anything is timed
    disconnect_every_phone()
    figures = {
        "couples": couples,
        "connect_trip_us": _median_rounds(rounds, connect_every_phone, len(phones), after=disconnect_every_phone),
        "couple_frames_us": _median_rounds(rounds, frame_every_couple, len(couple_ids)),
    }
    connect_every_phone()
    pause_every_couple()  # the messages' queries compiled
    figures["couple_message_us"] = _median_rounds(rounds, pause_every_couple, len(members) // 2)
    step = _open_a_worksheet_breakout(session)
    versions = {}

    def put_every_couples_item():
        for member in members[::2]:
            text = json.dumps(
                {
                    "id": f"trips{time.monotonic_ns()}",
                    "type": "entry.put",
                    "step_index": step,
                    "kind": "item",
                    "key": "trips",
                    "payload": "tripskey." + "A" * 64,  # the shape of a sealed payload: the server reads no more
                    "expected_version": versions.get(member.channel_name, 0),
                }
            )
            member.run(protocol.parse(text))
            versions[member.channel_name] = versions.get(member.channel_name, 0) + 1

    put_every_couples_item()  # each couple's item made, and the statements compiled: then written again
    figures["entry_message_us"] = _median_rounds(rounds, put_every_couples_item, len(members) // 2)
    disconnect_every_phone()
    figures["trip_us"] = _trip_cost(rounds)
    print(json.dumps(figures, indent=2))


async def _note_loop(handoff):
    handoff.note_running_loop()


def _open_a_worksheet_breakout(session):
    """The session running, at its first shared worksheet step, its breakout open (where couples write items):
    that step's index."""
    from realtime.services.session import session_command, state_for

    state = state_for(session)
    if state.status != "running":
        state = session_command(session=session, action="start", expected_version=state.version)
    index = next(n for n, step in enumerate(state.steps) if step["kind"] == "worksheet")
    state = session_command(session=session, action="goto", expected_version=state.version, args={"index": index})
    session_command(session=session, action="breakout.open", expected_version=state.version)
    return index


def _trip_cost(rounds, trips=5000):
    """The event loop thread's CPU per trip to a database thread and back, of a call that does nothing: through
    realtime.threads (in a language, as a socket's calls are) and through Channels' DatabaseSyncToAsync on an
    executor of as many threads."""
    import uvloop
    from channels.db import DatabaseSyncToAsync

    from realtime import threads

    def nothing(n):
        return n

    executor = ThreadPoolExecutor(max_workers=threads.DB_THREADS)  # Channels' way, on as many threads as ours
    ways = {
        "attune": lambda: threads.in_db_thread(nothing, "en"),
        "asgiref": lambda: DatabaseSyncToAsync(nothing, thread_sensitive=False, executor=executor),
    }

    async def measure():
        each = {name: [] for name in ways}
        for _ in range(rounds):
            for name, wrap in ways.items():  # interleaved, so that drift falls on both
                started = time.thread_time()
                for n in range(trips):
                    await wrap()(n)
                each[name].append((time.thread_time() - started) / trips * 1e6)
        return {name: round(statistics.median(values), 1) for name, values in each.items()}

    return uvloop.run(measure())


if __name__ == "__main__":
    main()
