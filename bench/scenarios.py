"""The scenarios, run against one server process at a time.

Every latency is "command sent" to "last recipient has the frame" on the client's clock; every server CPU figure
comes from /proc/<pid>/stat of the server process, with its idle rate (measured while the sockets sit idle)
taken out, so it is the marginal cost of the broadcasts themselves."""

import asyncio
import collections
import contextlib
import json
import os
import secrets
import statistics

from bench import client as wsclient
from bench import procs
from bench.client import FEEDBACK, SESSION, Pool, connect, cpu_window, now, storm
from bench.procs import Server


def phase(name, started=[None]):  # noqa: B006 - the run's start, kept between calls
    """Progress on stderr: how far a run is, for a human watching it."""
    import sys

    if started[0] is None:
        started[0] = now()
    print(f"[bench] {now() - started[0]:7.1f}s {name}", file=sys.stderr, flush=True)


class Config:
    couples = 1000
    storm_concurrency = 200
    idle_s = 16.0  # longer than one presence renewal (15 s)
    baseline_idle_s = 3.0
    advances = 20
    single_process_advances = 8
    advance_period_s = 1.0
    baseline_broadcasts = 20
    baseline_period_s = 0.5
    breakouts = 5
    breakout_period_s = 0.5
    sustained_s = 5.0
    couple_step_s = 3.0
    couple_rates = (5, 10, 20, 40, 80, 120, 160, 240, 320, 500, 640)  # messages a second in all, until p99 > 500 ms
    couple_reference_rate = 10  # couple_msg_p99_ms is the p99 at this rate
    couple_settle_s = 1.0  # after each rate's step, its last messages have this long to arrive
    delivery_timeout_s = 10.0
    profile_dir = None  # py-spy record of each Attune server's advance scenario
    # bench/topology.py, on the production server only
    two_process = 1  # two processes behind nginx (0: skipped)
    idle_sockets = 10000  # idle_10k: sockets on one process (0: skipped)
    idle_wave = 1000  # opened this many at a time
    idle_concurrency = 100  # handshakes in flight within a wave
    fixture_workers = 4  # threads making the database couples (bench/fixtures.py), before anything is measured


def pct(values, q):
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def ms(seconds):
    return None if seconds is None else round(seconds * 1000, 2)


class Measured:
    """Server CPU over a window, net of the server's idle rate."""

    def __init__(self, server, idle_rate):
        self.server, self.idle_rate = server, idle_rate

    def __enter__(self):
        self.cpu0, self.t0 = self.server.cpu(), now()
        return self

    def __exit__(self, *exc):
        self.wall = now() - self.t0
        self.cpu = self.server.cpu() - self.cpu0
        self.net = max(0.0, self.cpu - self.idle_rate * self.wall)


def open_participants(pool):
    return [c for c in pool.participants() if c.open]


def loss_and_dups(pool, final_version):
    lost = dups = 0
    for conn in pool.participants():
        dups += conn.dups
        lost += conn.gaps
        if conn.open and conn.session_v < final_version:
            lost += final_version - conn.session_v
    return lost, dups


async def deliver(pool, version, count, timeout):
    """Wait until `count` sockets have `version`; returns the time of the last receipt (or None)."""
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(pool.expect(version, count), timeout)
    record = pool.arrivals.get(version)
    return record[1] if record else None


async def idle_hold(server, pool, seconds):
    cpu0, t0 = server.cpu(), now()
    await asyncio.sleep(seconds)
    wall = now() - t0
    return (server.cpu() - cpu0) / wall, len(open_participants(pool))


# --- baselines ---------------------------------------------------------------------------------------


async def run_baseline(app, server_name, *, env, core, log, sockets, cfg):
    server = Server(app, server_name, env, core, log)
    result = {"app": app, "server": server_name if app != "floor" else "websockets"}
    pool = Pool()
    try:
        server.wait_ready()
        ws = server.base.replace("http://", "ws://")
        headers = {"Origin": server.base}
        control = await connect(pool, f"{ws}/control/", headers=headers, counted=False, ready_on=None)
        rss0 = server.rss_kb()
        with cpu_window() as storm_cpu:
            seconds, _, failures = await storm(
                pool, [(f"{ws}/s/", headers)] * sockets, concurrency=cfg.storm_concurrency, ready_on=SESSION
            )
        idle_rate, held = await idle_hold(server, pool, cfg.baseline_idle_s)
        result.update(
            sockets=held,
            connect_storm_s=round(seconds, 3),
            connect_failures=len(failures),
            rss_kb_per_socket=round((server.rss_kb() - rss0) / max(1, held), 1),
            idle_cpu_fraction=round(idle_rate, 4),
        )
        version, latencies = 0, []
        windows = Windows(server, idle_rate)
        with cpu_window() as client_cpu, Measured(server, idle_rate) as cpu:
            for _ in range(cfg.baseline_broadcasts):
                version += 1
                opened = windows.open()
                sent = now()
                control.send_text(str(version))
                last = await deliver(pool, version, held, cfg.delivery_timeout_s)
                windows.close(opened)
                if last is not None:
                    latencies.append(last - sent)
                await asyncio.sleep(max(0.0, cfg.baseline_period_s - (now() - sent)))
        receipts = sum(pool.arrivals.get(v, [0])[0] for v in range(version - cfg.baseline_broadcasts + 1, version + 1))
        done, t0 = 0, now()
        while now() - t0 < cfg.sustained_s:
            version += 1
            control.send_text(str(version))
            if await deliver(pool, version, held, cfg.delivery_timeout_s) is None:
                break
            done += 1
        sustained = done / (now() - t0)
        await asyncio.sleep(0.5)
        lost, dups = loss_and_dups(pool, version)
        result.update(
            broadcast_p50_ms=ms(pct(latencies, 50)),
            broadcast_p99_ms=ms(pct(latencies, 99)),
            server_cpu_us_per_recipient=round(max(0.0, windows.net) / max(1, receipts) * 1e6, 2),
            server_cpu_series_us_per_recipient=round(cpu.net / max(1, receipts) * 1e6, 2),
            sustained_broadcasts_per_s=round(sustained, 2),
            lost=lost,
            duplicated=dups,
            client_cpu_busy_fraction=round(max(client_cpu["busy"], storm_cpu["busy"]), 3),
        )
    except Exception as exc:  # noqa: BLE001 - a failed run is reported, and the others go on
        result["error"] = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        for conn in pool.conns:
            conn.close()
        await asyncio.sleep(0.2)
        server.stop()
    return result


# --- Attune ------------------------------------------------------------------------------------------


FACILITATOR_SOCKETS = 4


class Facilitator:
    """The facilitator's sockets, and the session's version and step as they know them.

    Commands rotate over the sockets: each socket may send 10 messages a second (bursts of 30), and the
    sustained scenario sends faster than that."""

    def __init__(self, conns, steps):
        from realtime.sockets import RATE_PER_S  # after django.setup()

        self.rate_per_s = RATE_PER_S  # what one socket may send a second
        self.conns, self.steps = conns, steps
        self.conn = conns[0]
        self.version = self.conn.session_v
        self.step = 0
        self.errors = []
        self.sent = 0
        self.sent_at = {}  # socket -> when its last rate_per_s commands went
        self.last_ack_s = None

    async def command(self, action, **args):
        self.sent += 1
        conn = self.conns[self.sent % len(self.conns)]
        # Within the socket's rate limit (realtime/sockets.py: 10 a second): a refused message has no id to answer,
        # so its command would wait here for nothing. Only a small room broadcasts faster than the sockets allow.
        recent = self.sent_at.setdefault(conn, collections.deque(maxlen=self.rate_per_s))
        if len(recent) == self.rate_per_s and now() - recent[0] < 1.0:
            await asyncio.sleep(1.0 - (now() - recent[0]))
        recent.append(now())
        sent = now()
        reply = await asyncio.wait_for(
            conn.command("session.command", action=action, expected_version=self.version, **args), 30
        )
        self.last_ack_s = now() - sent
        if reply["type"] != "ack":
            self.errors.append(reply.get("code"))
            if reply.get("code") == "stale_version":
                await asyncio.sleep(0.5)
                self.version = self.conn.session_v
            return None
        self.version += 1
        if action == "advance":
            self.step += 1
        elif action == "goto":
            self.step = args["index"]
        elif action == "start":
            self.step = 0
        return self.version

    def at_last_step(self):
        return self.step + 1 >= len(self.steps)


def live_steps(session):
    from realtime.services.session import state_for

    return state_for(session).steps


async def timed_command(fac, pool, recipients, action, cfg, **args):
    sent = now()
    version = await fac.command(action, **args)
    if version is None:
        return None
    last = await deliver(pool, version, recipients, cfg.delivery_timeout_s)
    return None if last is None else last - sent


async def settle(couples, longest, shortest=0.25):
    """Wait for the step's last couple messages: until no phone waits for one any more (at least `shortest`, so
    the next step still starts on a quiet server), or `longest` at most; what is still missing then is undelivered.
    The same count as a fixed wait of `longest`, without waiting it out when everything is in."""
    started = now()
    await asyncio.sleep(shortest)
    while now() - started < longest and any(phone.waiting is not None for pair in couples for phone in pair):
        await asyncio.sleep(0.02)


async def couple_ramp(pool, conns, cfg, server=None):
    """Pause signals between partners at increasing rates; the partner's phone times each one. With `server`,
    each rate's step also reports the server's CPU: its busy fraction and its CPU per message."""
    couples = [(conns[i], conns[i + 1]) for i in range(0, len(conns) - 1, 2) if conns[i] and conns[i + 1]]
    if not couples:
        return {}
    raised = [False] * len(couples)
    steps = []
    cursor = 0
    # Message ids unique to this ramp: the same phones ramp again on the next server, and the live engine applies
    # a client's message id once (a repeated id is acked as a duplicate and changes nothing, so nothing arrives).
    run = secrets.token_hex(3)
    reference = cfg.couple_reference_rate
    for rate in cfg.couple_rates:
        pool.couple_latencies = []
        pool.couple_errors = 0
        sent = skipped = 0
        cpu0 = server.cpu() if server is not None else None
        database_cpu0 = procs.database_cpu_seconds()
        t0 = now()
        due = t0
        while now() - t0 < cfg.couple_step_s:
            while due <= now():
                due += 1 / rate
                a, b = couples[cursor % len(couples)]
                sender, partner = (a, b) if (cursor // len(couples)) % 2 == 0 else (b, a)
                index = cursor % len(couples)
                cursor += 1
                if partner.waiting is not None or not sender.open:
                    skipped += 1
                    continue
                raised[index] = not raised[index]
                partner.waiting = (now(), partner.couple_v + 1)
                message = {"id": f"c{run}{cursor}", "type": "couple.pause", "raised": raised[index]}
                sender.send_text(json.dumps(message, separators=(",", ":")))
                sent += 1
            await asyncio.sleep(min(0.01, max(0.0, due - now())))
        elapsed = now() - t0
        await settle(couples, cfg.couple_settle_s)  # let the last ones arrive
        cpu = server.cpu() - cpu0 if server is not None else None
        database_cpu = procs.database_cpu_seconds()
        settled = now() - t0
        pending = 0
        for a, b in couples:
            for phone in (a, b):
                if phone.waiting is not None:
                    pending += 1
                    phone.waiting = None
        latencies = pool.couple_latencies
        steps.append(
            {
                "offered_per_s": round(rate, 1),
                "achieved_per_s": round(len(latencies) / elapsed, 1),
                "sent": sent,
                "skipped_busy": skipped,
                "undelivered": pending,
                "errors": pool.couple_errors,
                "p50_ms": ms(pct(latencies, 50)),
                "p99_ms": ms(pct(latencies, 99)),
            }
        )
        if cpu is not None:
            steps[-1]["server_busy"] = round(cpu / settled, 3)
            steps[-1]["server_cpu_ms_per_msg"] = round(cpu / max(1, len(latencies)) * 1000, 2)
        if database_cpu0 is not None and database_cpu is not None:
            database_ms = (database_cpu - database_cpu0) / max(1, len(latencies)) * 1000
            steps[-1]["database_cpu_ms_per_msg"] = round(database_ms, 2)
        if steps[-1]["p99_ms"] is None or steps[-1]["p99_ms"] > 500 or steps[-1]["undelivered"]:
            break
    good = [
        s["achieved_per_s"] for s in steps if s["p99_ms"] is not None and s["p99_ms"] <= 50 and not s["undelivered"]
    ]
    ref = next((s for s in steps if s["offered_per_s"] >= reference), steps[-1])
    return {
        "couple_msg_p99_ms": ref["p99_ms"],
        "couple_msg_reference_rate_per_s": ref["offered_per_s"],
        "couple_msg_max_rate_per_s": max(good) if good else 0.0,
        "couple_msg_ramp": steps,
    }


class Windows:
    """Server CPU in the windows of the broadcasts themselves (command sent to last receipt), net of the idle
    rate over each window: /proc/<pid>/stat counts in clock ticks, so short windows are summed."""

    def __init__(self, server, idle_rate):
        self.server, self.idle_rate = server, idle_rate
        self.cpu = self.net = 0.0

    def open(self):
        return self.server.cpu(), now()

    def close(self, opened):
        cpu0, t0 = opened
        cpu = self.server.cpu() - cpu0
        self.cpu += cpu
        self.net += cpu - self.idle_rate * (now() - t0)


async def advance_series(fac, pool, recipients, count, cfg, server, idle_rate, parts=()):
    """`count` step advances at a facilitator's pace: latency to the last phone, and the phones' server's CPU,
    both in the broadcasts' own windows and over the whole series (which also holds what follows a change:
    the roster the facilitator's socket rebuilds, when it is on this process). `parts`: (process, idle rate) of
    each process `server` sums, whose net CPU in the same windows is returned too (`parts_window_cpu_s`)."""
    latencies, receipts, acks = [], 0, []
    windows = Windows(server, idle_rate)
    part_windows = [Windows(part, rate) for part, rate in parts]
    with cpu_window() as client_cpu, Measured(server, idle_rate) as cpu:
        for _ in range(count):
            if fac.at_last_step():
                version = await fac.command("goto", index=0)
                if version:
                    await deliver(pool, version, recipients, cfg.delivery_timeout_s)
                await asyncio.sleep(cfg.advance_period_s)
                continue
            opened = windows.open()
            parts_opened = [w.open() for w in part_windows]
            sent = now()
            version = await fac.command("advance")
            if version is None:
                continue
            last = await deliver(pool, version, recipients, cfg.delivery_timeout_s)
            windows.close(opened)
            for w, part_opened in zip(part_windows, parts_opened, strict=True):
                w.close(part_opened)
            receipts += pool.arrivals.get(version, [0])[0]
            acks.append(fac.last_ack_s)
            if last is not None:
                latencies.append(last - sent)
            await asyncio.sleep(max(0.0, cfg.advance_period_s - (now() - sent)))
    per = max(1, receipts)
    return {
        "p50_ms": ms(pct(latencies, 50)),
        "p99_ms": ms(pct(latencies, 99)),
        "samples": len(latencies),
        "ack_p50_ms": ms(pct(acks, 50)),
        "cpu_us_per_recipient": round(max(0.0, windows.net) / per * 1e6, 2),
        "series_cpu_us_per_recipient": round(cpu.net / per * 1e6, 2),
        "gross_cpu_us_per_recipient": round(cpu.cpu / per * 1e6, 2),
        "client_busy": client_cpu["busy"],
        "receipts": receipts,
        "parts_window_cpu_s": [w.net for w in part_windows],
    }


async def run_attune(server_name, *, env, core, side_core, log, world, session, pairs, cfg, join=None):
    """All Attune scenarios. The phones are on one server process (pinned to `core`, the one measured); the
    facilitator is on a second process of the same server (pinned to `side_core`), as in the production topology,
    where any process may serve any socket. So the phones' process pays for the fan-out only, and the
    facilitator's for the command and the roster; a last short series puts the facilitator on the phones'
    process too. `join` (async callable) runs the HTTP join flow first: returns (pairs, seconds, failures)."""
    server = Server("attune", server_name, env, core, log)
    side = Server("attune", server_name, env, side_core, log)
    result = {"app": "attune", "server": server_name}
    pool = Pool()
    client_busy = []
    profiler = None
    try:
        server.wait_ready()
        side.wait_ready()
        if join is not None:
            with cpu_window() as join_cpu:
                pairs, seconds, failures = await join(server.base)
            result.update(join_flow_s=round(seconds, 2), join_flow_failures=len(failures), join_flow_http=True)
            client_busy.append(join_cpu["busy"])
            if failures:
                result["join_flow_first_failure"] = failures[0]
        steps = await asyncio.to_thread(live_steps, session)
        path = f"/ws/live/{session.pk}/"
        url = server.base.replace("http://", "ws://") + path
        side_url = side.base.replace("http://", "ws://") + path

        async def facilitator_socket(base_url, origin):
            headers = {"Cookie": world.facilitator_cookie, "Origin": origin}
            return await connect(pool, base_url + "?as=facilitator", headers=headers, counted=False, ready_on=FEEDBACK)

        fac = Facilitator([await facilitator_socket(side_url, side.base)], steps)
        if fac.conn.status == "lobby":
            await fac.command("start", early=True)  # a session planned later in the day: started now (issue 16)

        phase("attune-" + server_name + " storm")
        # Connect storm: every phone at once (a room after the QR code, or every phone after a deploy).
        rss0 = server.rss_kb()
        if cfg.profile_dir:
            profiler = start_profiler(server, cfg, f"attune-{server_name}-storm")
        storm_server_cpu0 = server.cpu()
        with cpu_window() as storm_cpu:
            seconds, conns, failures = await storm(
                pool,
                [(url, {"Cookie": cookie, "Origin": server.base}) for pair in pairs for cookie in pair],
                concurrency=cfg.storm_concurrency,
            )
        storm_server_cpu = server.cpu() - storm_server_cpu0
        client_busy.append(storm_cpu["busy"])
        stop_profiler(profiler)
        profiler = None
        # The phones the storm lost come back, a few at a time, for the scenarios that follow (not timed).
        cookies = [cookie for pair in pairs for cookie in pair]
        for _ in range(2):
            missing = [i for i, conn in enumerate(conns) if conn is None]
            if not missing:
                break
            _, again, _ = await storm(
                pool, [(url, {"Cookie": cookies[i], "Origin": server.base}) for i in missing], concurrency=16
            )
            for i, conn in zip(missing, again, strict=True):
                conns[i] = conn
        for i in range(0, len(conns) - 1, 2):
            if conns[i] and conns[i + 1]:
                conns[i].partner, conns[i + 1].partner = conns[i + 1], conns[i]

        phase("attune-" + server_name + " idle")
        # Idle: the sockets held, what they cost in memory, and what the server spends on them doing nothing.
        idle_rate, held = await idle_hold(server, pool, cfg.idle_s)
        result.update(
            sockets=held,
            connect_storm_s=round(seconds, 3),
            connect_failures=len(failures),
            connect_server_cpu_ms_per_socket=round(storm_server_cpu / max(1, sum(1 for c in conns if c)) * 1000, 2),
            idle_sockets_held=held,
            rss_kb_per_socket=round((server.rss_kb() - rss0) / max(1, held), 1),
            idle_cpu_fraction=round(idle_rate, 4),
            idle_cpu_us_per_socket_per_s=round(idle_rate / max(1, held) * 1e6, 2),
        )
        if failures:
            result["connect_first_failure"] = failures[0]
        first_version = fac.version + 1

        phase("attune-" + server_name + " advance")
        # Step advance, one a second (a facilitator's pace), timed to the last phone.
        if cfg.profile_dir:
            profiler = start_profiler(server, cfg, f"attune-{server_name}-advance")
        series = await advance_series(fac, pool, held, cfg.advances, cfg, server, idle_rate)
        stop_profiler(profiler)
        profiler = None
        client_busy.append(series["client_busy"])
        result.update(
            advance_p50_ms=series["p50_ms"],
            advance_p99_ms=series["p99_ms"],
            advance_samples=series["samples"],
            advance_ack_p50_ms=series["ack_p50_ms"],
            server_cpu_us_per_recipient=series["cpu_us_per_recipient"],
            server_cpu_series_us_per_recipient=series["series_cpu_us_per_recipient"],
            server_cpu_gross_us_per_recipient=series["gross_cpu_us_per_recipient"],
        )

        phase("attune-" + server_name + " breakouts")
        # Breakouts: go to a couple step, then open and close (with no warning) its breakout.
        couple_steps = [i for i, step in enumerate(steps) if step["couple_phase"]]
        opens, closes = [], []
        if couple_steps:
            target = next((i for i in couple_steps if i != fac.step), couple_steps[0])
            if target != fac.step:
                version = await fac.command("goto", index=target)
                if version:
                    await deliver(pool, version, held, cfg.delivery_timeout_s)
            for _ in range(cfg.breakouts):
                took = await timed_command(fac, pool, held, "breakout.open", cfg, seconds=600)
                if took is not None:
                    opens.append(took)
                await asyncio.sleep(cfg.breakout_period_s)
                took = await timed_command(fac, pool, held, "breakout.close", cfg, warning_seconds=0)
                if took is not None:
                    closes.append(took)
                await asyncio.sleep(cfg.breakout_period_s)
        result.update(
            breakout_open_p50_ms=ms(pct(opens, 50)),
            breakout_open_p99_ms=ms(pct(opens, 99)),
            breakout_close_p99_ms=ms(pct(closes, 99)),
        )

        phase("attune-" + server_name + " sustained")
        # Sustained: the next advance as soon as every phone has the last one. A socket may send 10 messages a
        # second, so the facilitator has more than one here (as on a laptop and a tablet).
        for _ in range(FACILITATOR_SOCKETS - 1):
            fac.conns.append(await facilitator_socket(side_url, side.base))
        done, t0 = 0, now()
        with cpu_window() as sus_cpu:
            while now() - t0 < cfg.sustained_s:
                action, args = ("goto", {"index": 0}) if fac.at_last_step() else ("advance", {})
                version = await fac.command(action, **args)
                if version is None or await deliver(pool, version, held, cfg.delivery_timeout_s) is None:
                    continue
                done += 1
        result["sustained_broadcasts_per_s"] = round(done / (now() - t0), 2)
        client_busy.append(sus_cpu["busy"])
        for extra in fac.conns[1:]:
            extra.close()
        fac.conns = fac.conns[:1]

        phase("attune-" + server_name + " couple messages")
        # Couple messages between partners, under the load of every socket connected.
        if cfg.profile_dir:
            profiler = start_profiler(server, cfg, f"attune-{server_name}-couple")
        with cpu_window() as couple_cpu:
            result.update(await couple_ramp(pool, conns, cfg, server))
        client_busy.append(couple_cpu["busy"])
        stop_profiler(profiler)
        profiler = None

        phase("attune-" + server_name + " single process")
        # One process for everything: the facilitator on the phones' process as well (it rebuilds the roster
        # there after every change).
        fac.conns = [await facilitator_socket(url, server.base)]
        await asyncio.sleep(1.0)
        single = await advance_series(fac, pool, held, cfg.single_process_advances, cfg, server, idle_rate)
        client_busy.append(single["client_busy"])
        result["single_process"] = {
            "advance_p50_ms": single["p50_ms"],
            "advance_p99_ms": single["p99_ms"],
            "server_cpu_us_per_recipient": single["cpu_us_per_recipient"],
            "server_cpu_series_us_per_recipient": single["series_cpu_us_per_recipient"],
            "server_cpu_gross_us_per_recipient": single["gross_cpu_us_per_recipient"],
        }

        await asyncio.sleep(0.5)
        lost, dups = loss_and_dups(pool, fac.version)
        result.update(
            lost=lost,
            duplicated=dups,
            versions_broadcast=fac.version - first_version + 1,
            command_errors=len(fac.errors),
            sockets_closed_unexpectedly=sum(
                1
                for c in pool.participants()
                if not c.open and c.ready.done() and not c.ready.cancelled()
                if c.ready.exception() is None
            ),
            client_cpu_busy_fraction=round(max(client_busy), 3),
            facilitator_process_cpu_s=round(side.cpu(), 2),
        )
    except Exception as exc:  # noqa: BLE001
        import traceback

        traceback.print_exc()
        result["error"] = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        stop_profiler(profiler)
        for conn in pool.conns:
            conn.close()
        await asyncio.sleep(0.5)
        server.stop()
        side.stop()
    return result, pairs


def start_profiler(server, cfg, name):
    import shutil
    import subprocess

    binary = shutil.which("py-spy") or str(wsclient.__file__).replace("bench/client.py", ".venv/bin/py-spy")
    path = f"{cfg.profile_dir}/{name}.txt"
    return subprocess.Popen(
        [
            binary,
            "record",
            "--pid",
            str(server.pid),
            "--format",
            "raw",
            "--rate",
            "200",
            "--output",
            path,
            "--subprocesses",
            *os.environ.get("BENCH_PYSPY_ARGS", "").split(),  # e.g. --gil: only the thread holding the GIL
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop_profiler(process):
    import signal

    if process is not None and process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(30)
        except Exception:  # noqa: BLE001
            process.kill()


def summary(values):
    return None if not values else round(statistics.mean(values), 3)
