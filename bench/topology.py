"""Two scenarios on the production server only (platform/Dockerfile's CMD), after the per-server runs; each is
recorded under its own key of bench-results.json, or as {"skipped": why}.

`two_process`: the production topology of docker-compose.yml. Two Attune processes (bench.procs' uvicorn command)
on two ports, on the same PostgreSQL and Redis (so a change made on one reaches the other's phones through Redis),
behind our own nginx configured from platform/nginx.conf (bench/nginx.py: its upstream block with least_conn, its
/ws/ location; installed with apt when missing, as root). Every phone and the facilitator connect through nginx;
then the sockets idle `idle_s`, then `advances` step advances as in the single-server run. One process is pinned
to the phones' core, the other to the client's, nginx to neither: two servers, nginx, PostgreSQL and the client
share two cores, so its latency is no target. Figures: the storm through the proxy (`connect_storm_s`,
`connect_failures`, `server_cpu_ms_per_connect` over both processes), `sockets_per_process` (each process's
established TCP connections on its port: one per socket nginx proxies to it, the facilitator's included; the
facilitator's process is `facilitator_process`), advance p50/p99, `lost`/`duplicated` over every version of the
series (the same check as the main run), `server_cpu_us_per_recipient` (both processes' CPU summed, in the
broadcasts' windows, net of their idle rate; `..._per_process` splits it by each process's share of the phones:
the facilitator's process also applies the command and rebuilds the roster), and nginx's own CPU per recipient
over the series (`proxy_cpu_series_us_per_recipient`).

`idle_10k`: the target "10,000 idle sockets held by one process at <= 30 KB RSS each". One Attune process (the
phones' core); after one socket opened and closed (the process's first-connect costs), `idle_sockets` phones'
sockets opened in waves of `idle_wave`, `idle_concurrency` handshakes in flight (each wave's time, server CPU per
connect and RSS are in `connect_waves`), held idle `idle_s` (longer than one 15 s presence renewal), then: how
many are still open, the RSS grown since before the first wave per socket held, and the process's CPU doing
nothing per socket a second. The sockets are real participants' phones, each its own: `idle_sockets` / 2 couples
of a workshop of their own (so the main run's roster stays N couples), made with the same services as the main
run's database couples (bench.fixtures.couples_in_database, by four threads), before the runs start. That room is
kept in the bench's database between runs (bench.fixtures.idle_room: a manifest under var/, checked against the
database; each run gets a fresh session of it; BENCH_FRESH=1 builds it again): `fixture_reused` says which,
`fixture_s` how long it took (checking a kept room: about a second; building one: 1.5-2 minutes for 5,000 couples,
which the GIL bounds). Only beyond a workshop's capacity
(scheduling.MAX_CAPACITY, 5,000 couples) would phones open a second socket each (`sockets_per_phone`). With
PROFILE=<dir>, py-spy records the process during the connects (`<server>-idle10k-connect.txt`).

Knobs (Config, set as BENCH_<NAME>): BENCH_TWO_PROCESS=0 and BENCH_IDLE_SOCKETS=0 skip them; BENCH_IDLE_SOCKETS,
BENCH_IDLE_WAVE and BENCH_IDLE_CONCURRENCY size the idle one. Both are skipped when SERVERS leaves out the
production server."""

import asyncio
import contextlib

from bench.client import FEEDBACK, Pool, connect, cpu_window, now, storm
from bench.nginx import Nginx, Unavailable, ensure_nginx, established
from bench.procs import Server
from bench.scenarios import (
    Facilitator,
    advance_series,
    idle_hold,
    live_steps,
    loss_and_dups,
    open_participants,
    phase,
    start_profiler,
    stop_profiler,
)


class Processes:
    """Several server processes measured as one: CPU and RSS summed (for the scenarios' `server`)."""

    def __init__(self, *members):
        self.members = members

    def cpu(self):
        return sum(member.cpu() for member in self.members)

    def rss_kb(self):
        return sum(member.rss_kb() for member in self.members)


async def reconnect_missing(pool, conns, url_headers, rounds=2, concurrency=16):
    """The sockets a storm lost come back, a few at a time (untimed), so the loss check covers every phone."""
    for _ in range(rounds):
        missing = [i for i, conn in enumerate(conns) if conn is None]
        if not missing:
            return
        _, again, _ = await storm(pool, [url_headers[i] for i in missing], concurrency=concurrency)
        for i, conn in zip(missing, again, strict=True):
            conns[i] = conn


async def run_two_process(server_name, *, env, cores, log, world, session, pairs, cfg):
    """Two Attune processes behind nginx: storm, idle, advance series through the proxy (see the module)."""
    client_core, server_core = cores
    try:
        binary = await asyncio.to_thread(ensure_nginx)
    except Unavailable as exc:
        print(f"[bench] two_process skipped: {exc}", flush=True)
        return {"skipped": str(exc)}
    sockets = 2 * len(pairs)
    # One process on the phones' core, the other on the client's (as the facilitator's process of the main run);
    # nginx is not pinned.
    servers = [
        Server("attune", server_name, env, server_core, log),
        Server("attune", server_name, env, client_core, log),
    ]
    both = Processes(*servers)
    proxy = None
    pool = Pool()
    result = {"server": server_name, "processes": len(servers), "proxy": "nginx", "sockets_requested": sockets}
    try:
        for server in servers:
            server.wait_ready()
        proxy = Nginx(binary, [s.port for s in servers], sockets=sockets + 16, log=log)
        proxy.wait_ready()
        steps = await asyncio.to_thread(live_steps, session)
        origin = proxy.base
        url = proxy.base.replace("http://", "ws://") + f"/ws/live/{session.pk}/"
        facilitator_headers = {"Cookie": world.facilitator_cookie, "Origin": origin}

        async def facilitator_socket():
            return await connect(
                pool, url + "?as=facilitator", headers=facilitator_headers, counted=False, ready_on=FEEDBACK
            )

        fac = Facilitator([await facilitator_socket()], steps)
        result["facilitator_process"] = next(
            (i for i, server in enumerate(servers) if established(server.port, server.pid)), None
        )
        if fac.conn.status == "lobby":
            await fac.command("start", early=True)  # a session planned later in the day: started now (issue 16)

        phase("two_process storm")
        url_headers = [(url, {"Cookie": cookie, "Origin": origin}) for pair in pairs for cookie in pair]
        # One phone's socket straight to each process first, closed again: a process's first-connect costs
        # (imports, the hub) are not counted as its sockets' memory.
        for server in servers:
            direct = server.base.replace("http://", "ws://") + f"/ws/live/{session.pk}/"
            warm = await connect(pool, direct, headers={"Cookie": pairs[0][0], "Origin": server.base}, counted=False)
            warm.close()
        await asyncio.sleep(1.0)
        rss0 = [server.rss_kb() for server in servers]
        cpu0, proxy_cpu0 = both.cpu(), proxy.cpu()
        with cpu_window() as storm_cpu:
            seconds, conns, failures = await storm(pool, url_headers, concurrency=cfg.storm_concurrency)
        connected = sum(1 for conn in conns if conn is not None)
        result.update(
            connect_storm_s=round(seconds, 3),
            connect_failures=len(failures),
            server_cpu_ms_per_connect=round((both.cpu() - cpu0) / max(1, connected) * 1e3, 2),
            proxy_cpu_ms_per_connect=round((proxy.cpu() - proxy_cpu0) / max(1, connected) * 1e3, 3),
        )
        if failures:
            result["connect_first_failure"] = failures[0]
        await reconnect_missing(pool, conns, url_headers)

        phase("two_process idle")
        cpu0, t0 = [server.cpu() for server in servers], now()
        idle_rate, held = await idle_hold(both, pool, cfg.idle_s)
        idle_rates = [(server.cpu() - before) / (now() - t0) for server, before in zip(servers, cpu0, strict=True)]
        # Each process's established TCP connections: one per socket nginx proxies to it, the facilitator's too
        per_process = [established(server.port, server.pid) for server in servers]
        phones = [count - (i == result["facilitator_process"]) for i, count in enumerate(per_process)]
        result.update(
            sockets=held,
            idle_sockets_held=held,
            sockets_per_process=per_process,
            rss_kb_per_socket_per_process=[
                round((server.rss_kb() - before) / max(1, count), 1)
                for server, before, count in zip(servers, rss0, per_process, strict=True)
            ],
            idle_cpu_us_per_socket_per_s=round(idle_rate / max(1, held) * 1e6, 2),
            idle_cpu_us_per_socket_per_s_per_process=[
                round(rate / max(1, count) * 1e6, 2) for rate, count in zip(idle_rates, per_process, strict=True)
            ],
        )
        first_version = fac.version + 1

        phase("two_process advance")
        proxy_cpu0 = proxy.cpu()
        with cpu_window() as series_cpu:
            series = await advance_series(
                fac, pool, held, cfg.advances, cfg, both, idle_rate, parts=list(zip(servers, idle_rates, strict=True))
            )
        proxy_cpu = proxy.cpu() - proxy_cpu0
        await asyncio.sleep(0.5)
        lost, dups = loss_and_dups(pool, fac.version)
        receipts = sum(pool.arrivals.get(v, [0])[0] for v in range(first_version, fac.version + 1))
        result.update(
            advance_p50_ms=series["p50_ms"],
            advance_p99_ms=series["p99_ms"],
            advance_samples=series["samples"],
            advance_ack_p50_ms=series["ack_p50_ms"],
            # Both processes together, in the broadcasts' windows, net of their idle rate (as the main run's)
            server_cpu_us_per_recipient=series["cpu_us_per_recipient"],
            server_cpu_series_us_per_recipient=series["series_cpu_us_per_recipient"],
            server_cpu_gross_us_per_recipient=series["gross_cpu_us_per_recipient"],
            # Each process's CPU in the same windows, per recipient it serves (its share of the phones); the
            # facilitator's process also applies the command and rebuilds the roster there
            server_cpu_us_per_recipient_per_process=[
                round(max(0.0, cpu) / max(1, series["receipts"] * count / max(1, sum(phones))) * 1e6, 2)
                for cpu, count in zip(series["parts_window_cpu_s"], phones, strict=True)
            ],
            proxy_cpu_series_us_per_recipient=round(proxy_cpu / max(1, receipts) * 1e6, 2),
            lost=lost,
            duplicated=dups,
            versions_broadcast=fac.version - first_version + 1,
            command_errors=len(fac.errors),
            sockets_open_at_end=len(open_participants(pool)),
            processes_alive=[server.alive() for server in servers],
            client_cpu_busy_fraction=round(max(storm_cpu["busy"], series_cpu["busy"]), 3),
        )
        errors = proxy.error_log().strip().splitlines()
        if errors:
            result["proxy_error_log_lines"] = len(errors)
            result["proxy_error_log_last"] = errors[-1][-300:]
    except Exception as exc:  # noqa: BLE001 - a failed run is reported, and the others go on
        import traceback

        traceback.print_exc()
        result["error"] = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        for conn in pool.conns:
            conn.close()
        await asyncio.sleep(0.5)
        if proxy is not None:
            proxy.stop()
        for server in servers:
            server.stop()
    return result


async def run_idle_sockets(server_name, *, env, core, log, session, cookies, cfg, fd_limit):
    """`idle_sockets` phones' sockets on one process, held idle (see the module). `cookies`: one per phone."""
    requested = cfg.idle_sockets
    result = {"server": server_name, "sockets_requested": requested, "phones": min(requested, len(cookies))}
    room = fd_limit - 512  # this process holds the client side of every socket
    count = min(requested, room)
    if count < requested:
        result["capped_by_fd_limit"] = count
    if len(cookies) < count:  # more sockets than phones: the others are second sockets of the same phones
        result["sockets_per_phone"] = round(count / len(cookies), 2)
    server = Server("attune", server_name, env, core, log)
    pool = Pool()
    profiler = None
    try:
        server.wait_ready()
        base = server.base
        url = base.replace("http://", "ws://") + f"/ws/live/{session.pk}/"
        url_headers = [(url, {"Cookie": cookies[i % len(cookies)], "Origin": base}) for i in range(count)]
        # One socket first, closed again, so the process's first-connect costs (imports, connections, the hub) are
        # not counted as the sockets' memory.
        warm = await connect(pool, url, headers=url_headers[0][1], counted=False)
        warm.close()
        await asyncio.sleep(1.0)
        rss0 = server.rss_kb()
        phase(f"idle_10k: {count} sockets in waves of {cfg.idle_wave}")
        waves, failures, started = [], [], now()
        cpu0 = server.cpu()
        if cfg.profile_dir:
            profiler = start_profiler(server, cfg, f"{server_name}-idle10k-connect")
        with cpu_window() as connect_cpu:
            for first in range(0, count, cfg.idle_wave):
                wave = url_headers[first : first + cfg.idle_wave]
                wave_cpu0 = server.cpu()
                seconds, _, failed = await storm(pool, wave, concurrency=cfg.idle_concurrency, timeout=60.0)
                failures += failed
                ok = len(wave) - len(failed)
                waves.append(
                    {
                        "sockets": len(wave),
                        "s": round(seconds, 2),
                        "failures": len(failed),
                        "server_cpu_ms_per_connect": round((server.cpu() - wave_cpu0) / max(1, ok) * 1e3, 2),
                        "rss_kb": server.rss_kb(),
                    }
                )
                phase(f"idle_10k: {first + len(wave)} of {count} ({seconds:.1f}s, {len(failed)} failed)")
                if not server.alive():
                    raise RuntimeError("the server exited while connecting")
        connect_s = now() - started
        stop_profiler(profiler)
        profiler = None
        connected = count - len(failures)
        result.update(
            connect_s=round(connect_s, 2),
            connect_failures=len(failures),
            server_cpu_ms_per_connect=round((server.cpu() - cpu0) / max(1, connected) * 1e3, 2),
            connect_waves=waves,
            client_cpu_busy_fraction=round(connect_cpu["busy"], 3),
        )
        if failures:
            result["connect_first_failure"] = failures[0]
        await asyncio.sleep(1.0)  # the last connects' own work (presence, roster nudges) is not idle
        phase(f"idle_10k: idle {cfg.idle_s}s")
        idle_rate, _ = await idle_hold(server, pool, cfg.idle_s)
        held = len(open_participants(pool))
        rss1 = server.rss_kb()
        result.update(
            idle_sockets_held=held,
            server_sockets=established(server.port, server.pid),
            rss_kb=rss1,
            rss_kb_per_socket=round((rss1 - rss0) / max(1, held), 1),
            idle_cpu_fraction=round(idle_rate, 4),
            idle_cpu_us_per_socket_per_s=round(idle_rate / max(1, held) * 1e6, 2),
        )
    except Exception as exc:  # noqa: BLE001
        import traceback

        traceback.print_exc()
        result["error"] = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        for conn in pool.conns:
            with contextlib.suppress(Exception):
                conn.close()
        stop_profiler(profiler)
        await asyncio.sleep(0.5)
        server.stop()
    return result
