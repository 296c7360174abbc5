"""`make bench` (N=1000 couples by default): Attune's live session against bare broadcasts, interleaved, in one run.

    N=200 make bench                 # another number of couples
    SERVERS=daphne make bench        # only one ASGI server
    PROFILE=var/profiles make bench  # also py-spy the Attune servers during the advance scenario
    BENCH_IDLE_SOCKETS=0 make bench  # without idle_10k (10,000 idle sockets on one process; default 10000)
    BENCH_TWO_PROCESS=0 make bench   # without two_process (two processes behind nginx)
    BENCH_FRESH=1 make bench         # build idle_10k's room again (kept in the bench's database between runs)
    BENCH_CRYPTO=0 make bench        # without the phones' cryptography and the participant app's size (bench/crypto.py)
    BENCH_PHONE=0 make bench         # without a phone's first screen on a slow network (bench/phone.py)

First, in seconds, the phones' cryptography in Chromium throttled 4x and the participant app's gzipped size
(bench/crypto.py; on its own: python -m bench.crypto), then a phone's first screen on a slow venue network against
make run's server and the production settings (bench/phone.py, about two minutes; on its own: make bench-phone).
After the per-server runs, two scenarios of the production server only (bench/topology.py): two_process and
idle_10k, each under its own key of bench-results.json.

Writes bench-results.json and prints a table. See docs/performance.md for what each figure means."""

import asyncio
import datetime
import json
import os
import platform
import re
import sys
import time
from unittest import mock

from bench import ROOT, crypto, phone
from bench.procs import cores, pin_self, raise_fd_limit
from bench.scenarios import Config, run_attune, run_baseline
from bench.topology import run_idle_sockets, run_two_process

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/attune_perf"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/3"
HTTP_COUPLES = 200  # couples that join and pair over HTTP (the others are made with the services, in the database)

FIELDS = [
    "server",
    "sockets",
    "advance_p50_ms",
    "advance_p99_ms",
    "lost",
    "server_cpu_us_per_recipient",
    "floor_server_cpu_us_per_recipient",
    "raw_asgi_server_cpu_us_per_recipient",
    "naive_server_cpu_us_per_recipient",
    "sustained_broadcasts_per_s",
    "couple_msg_p99_ms",
    "couple_msg_max_rate_per_s",
    "connect_storm_s",
    "idle_sockets_held",
    "connect_failures",
    "connect_server_cpu_ms_per_socket",
    "rss_kb_per_socket",
    "client_cpu_busy_fraction",
]


def server_env(database_url, redis_url, **extra):
    """The environment of the Attune servers, and of this process (same SECRET_KEY: the cookies are valid there)."""
    env = {
        "PATH": f"{ROOT / '.venv' / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": os.environ.get("BENCH_SERVER_SETTINGS", "config.settings"),
        "ATTUNE_MODE": "production",
        "SECRET_KEY": "bench-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PUBLIC_BASE_URL": "http://127.0.0.1",  # required in production; the bench follows no link
        "SECURE_COOKIES": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": str(ROOT),
    }
    env.update(extra)
    return env


def production_server():
    """The ASGI server of the production topology: the first word of platform/Dockerfile's CMD."""
    text = (ROOT / "platform" / "Dockerfile").read_text()
    match = re.search(r'^CMD \["([^"]+)"', text, re.M)
    return match.group(1) if match else "daphne"


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def ratio(value, base, lower_is_better=True):
    if value in (None, 0) or base in (None, 0):
        return None
    return round(value / base if lower_is_better else base / value, 2)


def combine(attune, floor, raw, naive):
    """The figures of one server with their ratios to each baseline (>1: Attune is that many times worse)."""
    row = {key: attune.get(key) for key in FIELDS if key in attune}
    row["floor_server_cpu_us_per_recipient"] = floor.get("server_cpu_us_per_recipient")
    row["raw_asgi_server_cpu_us_per_recipient"] = raw.get("server_cpu_us_per_recipient")
    row["naive_server_cpu_us_per_recipient"] = naive.get("server_cpu_us_per_recipient")
    for key in attune:
        if key not in row:
            row[key] = attune[key]
    comparisons = {
        "advance_p50_ms": ("broadcast_p50_ms", True),
        "advance_p99_ms": ("broadcast_p99_ms", True),
        "server_cpu_us_per_recipient": ("server_cpu_us_per_recipient", True),
        "sustained_broadcasts_per_s": ("sustained_broadcasts_per_s", False),
        "connect_storm_s": ("connect_storm_s", True),
        "rss_kb_per_socket": ("rss_kb_per_socket", True),
    }
    row["ratios"] = {
        key: {
            name: ratio(attune.get(key), base.get(other), lower)
            for name, base in (("floor", floor), ("raw_asgi", raw), ("naive", naive))
        }
        for key, (other, lower) in comparisons.items()
    }
    row["baselines"] = {"floor": floor, "raw_asgi": raw, "naive": naive}
    return row


def table(results):
    servers = list(results["by_server"])
    lines = []
    head = f"{'figure':<40}" + "".join(f"{s:>16}" for s in servers)
    lines += [head, "-" * len(head)]
    keys = [k for k in FIELDS if k != "server"] + ["breakout_open_p99_ms", "idle_cpu_us_per_socket_per_s"]
    for key in keys:
        cells = []
        for s in servers:
            value = results["by_server"][s].get(key)
            cells.append(f"{'-' if value is None else value:>16}")
        lines.append(f"{key:<40}" + "".join(cells))
    lines.append("")
    lines.append("ratios (Attune / baseline; for broadcasts per second baseline / Attune): floor, raw ASGI, naive")
    for key in ("advance_p99_ms", "server_cpu_us_per_recipient", "sustained_broadcasts_per_s", "connect_storm_s"):
        cells = []
        for s in servers:
            r = results["by_server"][s].get("ratios", {}).get(key, {})
            cells.append(f"{'/'.join(str(r.get(n, '-')) for n in ('floor', 'raw_asgi', 'naive')):>16}")
        lines.append(f"{key:<40}" + "".join(cells))
    lines.append("")
    lines.append("baselines: broadcast p50/p99 ms, CPU us/recipient, broadcasts/s, storm s, RSS KiB/socket")
    for name, base in results["baselines"].items():
        lines.append(
            f"  {name:<22} {base.get('broadcast_p50_ms')}/{base.get('broadcast_p99_ms')}  "
            f"{base.get('server_cpu_us_per_recipient')}  {base.get('sustained_broadcasts_per_s')}  "
            f"{base.get('connect_storm_s')}  {base.get('rss_kb_per_socket')}"
            + (f"  ERROR {base['error']}" if base.get("error") else "")
        )
    lines += extra_lines(results)
    return "\n".join(lines)


def extra_lines(results):
    """The rows of the production-server-only scenarios (bench/topology.py)."""

    def get(row, key, default="-"):
        value = row.get(key)
        return default if value is None else value

    lines = crypto.lines(results) + phone.lines(results)
    two = results.get("two_process")
    if two:
        lines += ["", f"two_process ({two.get('server', '-')}: two processes behind nginx, least_conn)"]
        if "skipped" in two or "error" in two:
            lines.append(f"  {'skipped' if 'skipped' in two else 'ERROR'}: {two.get('skipped') or two.get('error')}")
        if "skipped" not in two:
            lines.append(
                f"  advance p50/p99 {get(two, 'advance_p50_ms')}/{get(two, 'advance_p99_ms')} ms, "
                f"lost/duplicated {get(two, 'lost')}/{get(two, 'duplicated')}, "
                f"storm {get(two, 'connect_storm_s')} s with {get(two, 'connect_failures')} failures, "
                f"sockets per process {get(two, 'sockets_per_process')}, "
                f"server CPU per recipient {get(two, 'server_cpu_us_per_recipient')} us (both processes; "
                f"nginx {get(two, 'proxy_cpu_series_us_per_recipient')} us)"
            )
    idle = results.get("idle_10k")
    if idle:
        lines += ["", f"idle_10k ({idle.get('server', '-')}: idle sockets on one process; target <= 30 KB RSS each)"]
        if "skipped" in idle or "error" in idle:
            lines.append(f"  {'skipped' if 'skipped' in idle else 'ERROR'}: {idle.get('skipped') or idle.get('error')}")
        if "skipped" not in idle:
            lines.append(
                f"  {get(idle, 'idle_sockets_held')} of {get(idle, 'sockets_requested')} held, "
                f"connected in {get(idle, 'connect_s')} s with {get(idle, 'connect_failures')} failures "
                f"({get(idle, 'server_cpu_ms_per_connect')} ms server CPU each), "
                f"RSS {get(idle, 'rss_kb_per_socket')} KiB per socket, "
                f"idle CPU {get(idle, 'idle_cpu_us_per_socket_per_s')} us per socket a second"
            )
    return lines


async def run_extras(plan, *, production, env, log, world, pairs, cfg, cores, fd_limit):
    """The production server's own scenarios (bench/topology.py), after the per-server runs: `plan` maps each
    to its session, or to {"skipped": why}."""
    extras = {}
    for key in ("two_process", "idle_10k"):
        if isinstance(plan[key], dict):
            extras[key] = plan[key]
            print(f"[bench] {key} skipped: {plan[key]['skipped']}", flush=True)
    if "two_process" not in extras and not pairs:
        extras["two_process"] = {"skipped": "no phones: the join flow of the per-server run failed"}
    if "two_process" not in extras:
        print(f"[bench] two_process: {production} x2 behind nginx, {2 * len(pairs)} phones", flush=True)
        started = time.monotonic()
        extras["two_process"] = await run_two_process(
            production, env=env, cores=cores, log=log, world=world, session=plan["two_process"], pairs=pairs, cfg=cfg
        )
        extras["two_process"]["run_s"] = round(time.monotonic() - started, 1)
        extras["two_process"]["load_average"] = loadavg()
    if "idle_10k" not in extras:
        cookies = [cookie for pair in plan["idle_pairs"] for cookie in pair]
        print(f"[bench] idle_10k: {cfg.idle_sockets} idle sockets on one {production} process", flush=True)
        started = time.monotonic()
        extras["idle_10k"] = await run_idle_sockets(
            production,
            env=env,
            core=cores[1],
            log=log,
            session=plan["idle_10k"],
            cookies=cookies,
            cfg=cfg,
            fd_limit=fd_limit,
        )
        extras["idle_10k"]["run_s"] = round(time.monotonic() - started, 1)
        extras["idle_10k"]["fixture_couples"] = len(plan["idle_pairs"])
        extras["idle_10k"]["fixture_s"] = plan["idle_fixture_s"]
        # fixture_reused: the room was kept from an earlier run (and checked); else fixture_rebuilt_because
        extras["idle_10k"].update({k: v for k, v in plan.get("idle_fixture", {}).items() if k != "fixture_s"})
        extras["idle_10k"]["load_average"] = loadavg()
    return extras


async def main_async(cfg, servers, world, sessions, env, log, client_core, server_core, join, plan, fd_limit):
    import signal

    def dump_tasks():  # kill -USR1 <bench pid>: where is every task waiting?
        for task in asyncio.all_tasks():
            task.print_stack(limit=8, file=sys.stderr)

    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, dump_tasks)
    sockets = cfg.couples * 2
    baselines = {}
    by_server = {}

    async def baseline(app, server):
        key = "floor" if app == "floor" else f"{app}-{server}"
        if os.environ.get("BENCH_SKIP_BASELINES"):
            baselines[key] = {}
            return
        print(f"[bench] {key}: {sockets} sockets", flush=True)
        baselines[key] = await run_baseline(app, server, env=env, core=server_core, log=log, sockets=sockets, cfg=cfg)
        baselines[key]["load_average"] = loadavg()

    pairs = None
    await baseline("floor", None)
    for index, server in enumerate(servers):
        await baseline("raw", server)
        await baseline("naive", server)
        print(f"[bench] attune-{server}: {cfg.couples} couples", flush=True)
        started = time.monotonic()
        attune, pairs = await run_attune(
            server,
            env=env,
            core=server_core,
            side_core=client_core,
            log=log,
            world=world,
            session=sessions[index],
            pairs=pairs,
            cfg=cfg,
            join=join if pairs is None else None,
        )
        attune["load_average"] = loadavg()
        attune["run_s"] = round(time.monotonic() - started, 1)
        by_server[server] = combine(
            attune, baselines["floor"], baselines[f"raw-{server}"], baselines[f"naive-{server}"]
        )
        if attune.get("error"):
            print(f"[bench] attune-{server} failed: {attune['error']}", flush=True)
    extras = await run_extras(
        plan,
        production=production_server(),
        env=env,
        log=log,
        world=world,
        pairs=pairs,
        cfg=cfg,
        cores=(client_core, server_core),
        fd_limit=fd_limit,
    )
    return by_server, baselines, extras


def crypto_step():
    """The phones' cryptography and the participant app's size (bench/crypto.py): before anything else, on a quiet
    machine and before this process pins itself to one core (Chromium would inherit it)."""
    if os.environ.get("BENCH_CRYPTO", "1") == "0":
        return {"crypto": {"skipped": "BENCH_CRYPTO=0"}}
    print(f"[bench] crypto: e2e.ts in Chromium throttled {crypto.THROTTLE}x, then npm run build", flush=True)
    figures = crypto.measure()
    print("\n".join(line for line in crypto.lines(figures) if line), flush=True)
    return figures


def phone_step(database_url, redis_url):
    """A phone's first screen (bench/phone.py): Chromium throttled, as the crypto step, before this process pins
    itself; its production-settings server on the bench's database and Redis."""
    if os.environ.get("BENCH_PHONE", "1") == "0":
        return {"phone": {"skipped": "BENCH_PHONE=0"}}
    print("[bench] phone: the participant app's first screen on a slow network, make run and production", flush=True)
    with mock.patch.dict(os.environ, {"BENCH_DATABASE_URL": database_url, "BENCH_REDIS_URL": redis_url}):
        figures = phone.measure()
    print("\n".join(line for line in phone.lines(figures) if line), flush=True)
    return figures


def main():
    couples = int(os.environ.get("N", "1000"))
    production = production_server()
    others = [s for s in ("uvicorn", "daphne") if s != production]
    servers = [s for s in os.environ.get("SERVERS", ",".join([production, *others])).split(",") if s]
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    out = os.environ.get("BENCH_OUT", str(ROOT / "bench-results.json"))
    cfg = Config()
    cfg.couples = couples
    cfg.profile_dir = os.environ.get("PROFILE") or None
    for name, default in vars(Config).items():  # BENCH_ADVANCES=5 and so on, for short development runs
        value = os.environ.get(f"BENCH_{name.upper()}")
        if value is not None and isinstance(default, int | float) and not name.startswith("_"):
            setattr(cfg, name, type(default)(value))
    if cfg.profile_dir:
        os.makedirs(cfg.profile_dir, exist_ok=True)
    started = time.monotonic()
    figures = crypto_step()
    figures.update(phone_step(database_url, redis_url))
    fd_limit = raise_fd_limit()
    every_cpu = os.sched_getaffinity(0)  # the fixtures are made on all of them, before anything is measured
    client_core, server_core = cores()
    pin_self(client_core)
    # Hundreds of phones join from this one address, which a room's limits would stop (docs/privacy.md); make chaos
    # (the same server_env) keeps them on.
    env = server_env(database_url, redis_url, RATE_LIMITS="false")
    os.environ.update({k: v for k, v in env.items() if k not in ("PATH",)})
    load_before = loadavg()
    print(
        f"[bench] N={couples} couples ({2 * couples} phones), servers={servers}, client core {client_core}, "
        f"server core {server_core}, fd limit {fd_limit}, load {load_before}",
        flush=True,
    )

    from bench import fixtures

    fixtures.ensure_database(database_url)
    fixtures.flush_redis(redis_url)
    import django

    django.setup()
    from workshops.services.scheduling import MAX_CAPACITY

    # The production server's own scenarios (bench/topology.py): each on a session of its own, or skipped.
    plan = {"idle_pairs": [], "idle_fixture_s": None}
    not_production = {"skipped": f"SERVERS={','.join(servers)} leaves out the production server ({production})"}
    wanted = {
        "two_process": (cfg.two_process, "BENCH_TWO_PROCESS=0"),
        "idle_10k": (cfg.idle_sockets, "BENCH_IDLE_SOCKETS=0"),
    }
    for key, (enabled, off) in wanted.items():
        plan[key] = not_production if production not in servers else None if enabled else {"skipped": off}
    two_process = plan["two_process"] is None
    world = fixtures.make_world(couples=couples, parts=len(servers) + two_process)
    if two_process:
        plan["two_process"] = world.sessions[len(servers)]
    frame_bytes = fixtures.public_frame_bytes(world.sessions[0])
    env["BENCH_FRAME_BYTES"] = str(frame_bytes)
    from django.db import connections

    # The first couples join and pair over HTTP, as phones do; the rest are made with the same services in the
    # database (for time: a thousand couples over HTTP take minutes). Every socket connects for real.
    http_couples = min(couples, int(os.environ.get("BENCH_HTTP_COUPLES", str(HTTP_COUPLES))))
    made = time.monotonic()
    db_pairs = fixtures.couples_in_database(world, couples - http_couples, workers=cfg.fixture_workers, cpus=every_cpu)
    problem = fixtures.room_problem(world.workshop.pk, db_pairs, title=world.workshop.title)
    if problem:
        raise RuntimeError(f"the database couples came out wrong: {problem}")
    print(
        f"[bench] {couples - http_couples} couples made in the database in {time.monotonic() - made:.1f}s "
        f"({cfg.fixture_workers} threads)",
        flush=True,
    )
    if plan["idle_10k"] is None:
        # idle_10k's room: a workshop of its own (the main run's roster stays N couples), its couples made the same
        # way, each phone with a socket of its own (up to the workshop's capacity; beyond, phones share). Kept in
        # the bench's database between runs (var/ holds its manifest), with a fresh session each run.
        idle_couples = min(MAX_CAPACITY, -(-cfg.idle_sockets // 2))
        idle_world, plan["idle_pairs"], info = fixtures.idle_room(
            database_url=database_url,
            couples=idle_couples,
            fresh=os.environ.get("BENCH_FRESH", "") not in ("", "0"),
            workers=cfg.fixture_workers,
            cpus=every_cpu,
        )
        plan["idle_10k"] = idle_world.sessions[0]
        plan["idle_fixture_s"] = info["fixture_s"]
        plan["idle_fixture"] = info
        if info["fixture_reused"]:
            print(f"[bench] idle_10k's {idle_couples} couples reused, checked in {info['fixture_s']}s", flush=True)
        else:
            print(
                f"[bench] {idle_couples} couples for idle_10k made in the database in {info['fixture_s']}s "
                f"({info['fixture_rebuilt_because']})",
                flush=True,
            )
    from bench.client import join_couples

    async def join(base):
        pairs, seconds, failures = await join_couples(base, world.join_code, world.sessions[0].pk, http_couples)
        return pairs + db_pairs, seconds, failures

    connections.close_all()
    log_path = ROOT / "var" / "bench-servers.log"
    log_path.parent.mkdir(exist_ok=True)
    import uvloop

    with open(log_path, "w") as log:
        by_server, baselines, extras = uvloop.run(
            main_async(cfg, servers, world, world.sessions, env, log, client_core, server_core, join, plan, fd_limit)
        )
    default = production
    top = by_server.get(default) or next(iter(by_server.values()))
    results = {key: top.get(key) for key in FIELDS}
    results["server"] = top.get("server")
    results["by_server"] = by_server
    results["baselines"] = baselines
    results.update(extras)  # two_process, idle_10k
    # e2e_entry_ms_throttled, pairing_ms_throttled, participant_js_gzip_kb, phone_first_screen_ms_* and details
    results.update(figures)
    results["meta"] = {
        "couples": couples,
        "phones": 2 * couples,
        "production_server": default,
        "frame_bytes": frame_bytes,
        "http_couples": http_couples,
        "command": f"N={couples} make bench" + (f" SERVERS={','.join(servers)}" if "SERVERS" in os.environ else ""),
        "server_settings": os.environ.get("BENCH_SERVER_SETTINGS", "config.settings"),
        "client_core": client_core,
        "server_core": server_core,
        "fd_limit": fd_limit,
        "load_average_before": load_before,
        "load_average_after": loadavg(),
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "duration_s": round(time.monotonic() - started, 1),
    }
    with open(out, "w") as f:
        json.dump(results, f, indent=2)
    print()
    print(table(results))
    print(f"\n[bench] wrote {out} in {results['meta']['duration_s']}s (load before {load_before}, after {loadavg()})")


if __name__ == "__main__":
    main()
