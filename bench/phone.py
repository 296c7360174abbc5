"""What a phone feels: the participant app's first screen on a slow venue network (docs/performance.md, "A phone's
first screen"). A step of `make bench` (about two minutes, right after the phones' cryptography), and on its own:

    make bench-phone                                   # the figures as JSON on stdout, the summary on stderr
    BENCH_PHONE_RUNS=3 BENCH_PHONE_SERVERS=make_run make bench-phone
    BENCH_PHONE_LANGUAGE=de make bench-phone           # a phone whose browser reads German

Debian's Chromium, headless, as a phone: a 360x640 viewport with touch, and a fresh browser context for each cold
load (an empty HTTP cache, no service worker). The DevTools protocol slows it to a crowded venue Wi-Fi or a weak
mobile signal: `Network.emulateNetworkConditions` at 400 kbit/s each way (50,000 bytes a second) with 400 ms added
to every request, and `Emulation.setCPUThrottlingRate` 4 (a mid-range phone's speed). The app's service worker is a
DevTools target of its own, which the page's conditions do not reach: it is throttled the same way once it runs.

What is timed: from the navigation's start (the page's time origin) to the first animation frame in which the join
screen's code input (#join-code) is there, enabled, not read-only, laid out inside the viewport and visible. A
script the browser runs before the page's own (not subject to its Content-Security-Policy) checks on every frame;
frames run only once the page may be drawn (after its render-blocking styles), so the input is on the screen. The
page says so in a console message, so that nothing is asked of it while it loads (under the CPU throttle every
question would take its thread from the loading). Then the run checks that typing works: it types a character into
the input at once, waits for the app to have taken over (the app marks <html data-app="running">), and checks the
character is still in the input. A run where it is not says so (`typed_kept`), whatever its time.

Against two servers: `make run`'s (manage.py serve as `make run` starts it: Daphne, DEBUG on, on a SQLite file of
its own) and the production settings (the image's server, platform/Dockerfile's CMD, with bench/run.py's server
environment: DEBUG off, PostgreSQL and Redis, after `collectstatic` as the image runs it). Each server first
answers two untimed loads (its first requests import and compile). Then, `BENCH_PHONE_RUNS` times (5):

- cold, throttled (`phone_first_screen_ms_slow3g`), and the bytes it transferred (headers and bodies as they came
  over the wire), until the first screen and until the app has run;
- warm, throttled (`phone_first_screen_ms_warm`): in the same context once its service worker is active and has
  kept the shell, a new page (the app opened again from the home screen);
- cold, unthrottled (`phone_first_screen_ms_fast`), in a fresh context.

Each figure is the median per server, with every run under `phone`. Nothing here asserts a target."""

import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from unittest import mock
from urllib.parse import urlsplit

from bench import ROOT
from bench.chromium import CHROMIUM, LAUNCH_ARGS
from bench.procs import free_port

RUNS = 5
WARM_UP_LOADS = 2
SERVERS = ("make_run", "production")
APP_PATH = "/live/"
VIEWPORT = {"width": 360, "height": 640}
SLOW_NETWORK = {"offline": False, "latency": 400, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
CPU_SLOWDOWN = 4
TARGETS_MS = {"slow3g": 2000, "warm": 500}
TYPED = "K"
FOUND = "attune-first-screen"
RUNNING = "attune-app-running"
KINDS = {"slow3g": "cold_slow", "warm": "warm_slow", "fast": "cold_fast"}
LOG = ROOT / "var" / "bench-phone-servers.log"

# Runs in every page before the page's own scripts (see above).
WATCH = """
(() => {
  if (window.top !== window) return;
  const onScreen = (input) => {
    if (!input || input.disabled || input.readOnly) return false;
    const box = input.getBoundingClientRect();
    if (box.width < 1 || box.height < 1 || box.bottom <= 0 || box.top >= innerHeight) return false;
    return input.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  };
  const frame = () => {
    if (onScreen(document.getElementById("join-code"))) console.debug("%FOUND%", performance.now());
    else requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  new MutationObserver((changes, observer) => {
    if (document.documentElement.dataset.app !== "running") return;
    console.debug("%RUNNING%", performance.now());
    observer.disconnect();
  }).observe(document, { attributes: true, attributeFilter: ["data-app"], subtree: true });
})();
""".replace("%FOUND%", FOUND).replace("%RUNNING%", RUNNING)


class BenchFailed(RuntimeError):
    pass


def chromium():
    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if not path:
        raise BenchFailed("Chromium is missing: apt-get install chromium")
    return path


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


# --- the servers ----------------------------------------------------------------------------------------------


def wait_listening(process, port, timeout=90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchFailed(f"the server exited with {process.returncode} ({LOG.relative_to(ROOT)})")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    raise BenchFailed(f"the server did not listen within {timeout:.0f} s ({LOG.relative_to(ROOT)})")


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def manage(args, env, log):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=log, stderr=log, check=True)


@contextlib.contextmanager
def running(command, env, log, port):
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
    try:
        wait_listening(process, port)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@contextlib.contextmanager
def make_run_server(log):
    """`make run`'s server as `make run` starts it (manage.py serve, which collects the static files and starts Daphne
    with DEBUG on, and the maintenance beside it), on a free port and a migrated SQLite file of the bench's own."""
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/"),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "DATABASE_URL": f"sqlite:///{ROOT / 'var' / 'bench-phone.sqlite3'}",
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    manage(["migrate", "--noinput", "-v", "0"], env, log)
    with running([sys.executable, "manage.py", "serve"], env, log, port) as base:
        yield base


@contextlib.contextmanager
def production_settings_server(log):
    """The image's server with the production settings of the bench's servers (bench/run.py, server_env), after
    `collectstatic` as platform/Dockerfile runs it."""
    from bench import fixtures
    from bench.procs import command
    from bench.run import DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, production_server, server_env

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    env = server_env(database_url, os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    with mock.patch.dict(os.environ, {key: value for key, value in env.items() if key != "PATH"}):
        fixtures.ensure_database(database_url)  # migrates with these settings
    manage(["collectstatic", "--noinput", "-v", "0"], env, log)
    port = free_port()
    with running(command("attune", production_server(), port), env, log, port) as base:
        yield base


SERVER_STARTERS = {"make_run": make_run_server, "production": production_settings_server}


# --- one page load ----------------------------------------------------------------------------------------------


class Transfers:
    """What a page received, from the DevTools protocol's Network events: each request's bytes (encodedDataLength:
    headers and body as they came over the wire, compressed if they were) and when it finished (the browser's
    monotonic clock)."""

    def __init__(self, cdp):
        self.urls, self.sent, self.done = {}, {}, []
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.loadingFinished", self._finished)

    def _sent(self, event):
        self.urls[event["requestId"]] = event["request"]["url"]
        self.sent.setdefault(event["requestId"], event["timestamp"])

    def _finished(self, event):
        self.done.append((event["timestamp"], self.urls.get(event["requestId"], "?"), int(event["encodedDataLength"])))

    def bytes_until(self, ms_after_start=None):
        """Bytes of the requests finished within `ms_after_start` of the first request (all of them: None)."""
        if ms_after_start is None:
            return sum(size for _, _, size in self.done)
        start = min(self.sent.values(), default=0)
        return sum(size for when, _, size in self.done if (when - start) * 1000 <= ms_after_start)

    def by_path(self):
        sizes = {}
        for _, url, size in self.done:
            path = urlsplit(url).path
            sizes[path] = sizes.get(path, 0) + size
        return sizes


def throttle(cdp, network):
    cdp.send("Network.enable")
    if network:
        cdp.send("Network.emulateNetworkConditions", network)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})


def context_id(context):
    """The DevTools id of a browser context (a page's target knows it)."""
    page = context.new_page()
    try:
        return context.new_cdp_session(page).send("Target.getTargetInfo")["targetInfo"]["browserContextId"]
    finally:
        page.close()


@contextlib.contextmanager
def service_workers_throttled(browser, context, network):
    """The same network conditions for the service workers running in `context` (each a DevTools target of its own,
    which the page's conditions do not reach), for the block: they hold while the DevTools session that set them is
    attached. Its messages go through the browser's session (Target.sendMessageToTarget): Playwright opens sessions
    on pages only. Yields how many workers."""
    cdp = browser.new_browser_cdp_session()
    try:
        mine = context_id(context)
        workers = [
            target
            for target in cdp.send("Target.getTargets")["targetInfos"]
            if target["type"] == "service_worker" and target.get("browserContextId") == mine
        ]
        for target in workers:
            session = cdp.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": False})
            for number, (method, params) in enumerate(
                [("Network.enable", {}), ("Network.emulateNetworkConditions", network)], start=1
            ):
                message = json.dumps({"id": number, "method": method, "params": params})
                cdp.send("Target.sendMessageToTarget", {"sessionId": session["sessionId"], "message": message})
        yield len(workers)
    finally:
        cdp.detach()


def load_once(context, url, network):
    """One page load in `context`: when the join screen could take typing (ms from the navigation's start), whether a
    character typed at that moment is still there once the app has taken over, and the bytes transferred. Returns
    the page (open) and its figures."""
    page = context.new_page()
    try:
        cdp = context.new_cdp_session(page)
        throttle(cdp, network)
        transfers = Transfers(cdp)
        running = []
        page.on("console", lambda m: running.append(float(m.text.split()[1])) if m.text.startswith(RUNNING) else None)
        with page.expect_console_message(lambda m: m.text.startswith(FOUND), timeout=90000) as message:
            page.goto(url, wait_until="commit", timeout=90000)
        found = float(message.value.text.split()[1])
        page.focus("#join-code", timeout=5000)
        page.keyboard.type(TYPED)
        typed = page.input_value("#join-code", timeout=5000)
        page.wait_for_function("() => document.documentElement.dataset.app === 'running'", timeout=90000)
        kept = page.input_value("#join-code", timeout=5000)
        page_arrived = page.evaluate("() => performance.getEntriesByType('navigation')[0].responseEnd")
        figures = {
            "ms": round(found, 1),
            "page_arrived_ms": round(page_arrived, 1),
            "app_running_ms": round(running[0], 1) if running else None,
            "typed_kept": typed.endswith(TYPED) and kept == typed,
            "bytes_until_first_screen": transfers.bytes_until(found),
            "bytes_until_app": transfers.bytes_until(),
            "bytes_by_path": transfers.by_path(),
        }
        return page, figures
    except Exception:
        page.close()
        raise


def keeps_the_shell(page, timeout=60.0):
    """Until the app's service worker is active and has kept the shell (its install fetched every file)."""
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    deadline = time.monotonic() + timeout
    kept = "() => caches.keys().then((names) => names.some((name) => name.startsWith('attune-shell-')))"
    while time.monotonic() < deadline:
        if page.evaluate(kept):
            return
        time.sleep(0.1)
    raise BenchFailed("the service worker did not keep the app's shell")


def phone_context(browser, language, service_workers="allow"):
    return browser.new_context(
        viewport=VIEWPORT, is_mobile=True, has_touch=True, locale=language, service_workers=service_workers
    )


def measure_server(browser, base, runs, language):
    """Every run against one server: {kind: [figures of each run]}."""
    url = base + APP_PATH
    warm_up = phone_context(browser, language, service_workers="block")
    warm_up.add_init_script(WATCH)
    try:
        for _ in range(WARM_UP_LOADS):
            load_once(warm_up, url, None)[0].close()
    finally:
        warm_up.close()
    found = {kind: [] for kind in KINDS.values()}
    for _ in range(runs):
        context = phone_context(browser, language)
        context.add_init_script(WATCH)
        try:
            page, figures = load_once(context, url, SLOW_NETWORK)
            found["cold_slow"].append(figures)
            keeps_the_shell(page)
            page.close()
            with service_workers_throttled(browser, context, SLOW_NETWORK) as workers:
                if workers != 1:
                    raise BenchFailed(f"{workers} service workers run: the installed app's is not alone")
                page, figures = load_once(context, url, SLOW_NETWORK)
                page.close()
            found["warm_slow"].append(figures)
        finally:
            context.close()
        context = phone_context(browser, language)
        context.add_init_script(WATCH)
        try:
            page, figures = load_once(context, url, None)
            page.close()
            found["cold_fast"].append(figures)
        finally:
            context.close()
    return found


def summarize(loads):
    """One kind of load against one server: the median and every run."""
    times = [load["ms"] for load in loads]
    return {
        "median_ms": round(statistics.median(times)),
        "runs_ms": [round(ms) for ms in times],
        # when the page's HTML had arrived (Navigation Timing's responseEnd), in each run
        "page_arrived_ms": [round(load["page_arrived_ms"]) for load in loads],
        # when the app had taken the page over (its script arrived and ran), in each run
        "app_running_ms": [None if load["app_running_ms"] is None else round(load["app_running_ms"]) for load in loads],
        "typed_kept": sum(load["typed_kept"] for load in loads),
        "runs": len(loads),
        "bytes_until_first_screen": round(statistics.median(load["bytes_until_first_screen"] for load in loads)),
        "bytes_until_app": round(statistics.median(load["bytes_until_app"] for load in loads)),
        "bytes_by_path": loads[0]["bytes_by_path"],  # the first run's: each run loads the same files
    }


def measure(runs=None, servers=None, language=None):
    """The figures of this step; a server that cannot run says why under its name instead of stopping the bench."""
    from playwright.sync_api import sync_playwright

    runs = runs or int(os.environ.get("BENCH_PHONE_RUNS", RUNS))
    servers = servers or [s for s in os.environ.get("BENCH_PHONE_SERVERS", ",".join(SERVERS)).split(",") if s]
    language = language or os.environ.get("BENCH_PHONE_LANGUAGE", "en-US")
    started = time.monotonic()
    details = {
        "network": SLOW_NETWORK,
        "cpu_slowdown": CPU_SLOWDOWN,
        "viewport": VIEWPORT,
        "browser_language": language,
        "targets_ms": TARGETS_MS,
        "load_average_before": loadavg(),
        "by_server": {},
    }
    LOG.parent.mkdir(exist_ok=True)
    try:
        with open(LOG, "w") as log, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium(), args=LAUNCH_ARGS)
            details["chromium"] = browser.version
            try:
                for name in servers:
                    try:
                        with SERVER_STARTERS[name](log) as base:
                            loads = measure_server(browser, base, runs, language)
                        details["by_server"][name] = {kind: summarize(loads[kind]) for kind in KINDS.values()}
                    except Exception as exc:  # one server failing: reported, the other measured
                        details["by_server"][name] = {"error": f"{type(exc).__name__}: {exc}"}
            finally:
                browser.close()
    except Exception as exc:  # no browser: reported, the rest of the bench runs
        return {"phone": {**details, "error": f"{type(exc).__name__}: {exc}"}}
    details["load_average_after"] = loadavg()
    details["run_s"] = round(time.monotonic() - started, 1)
    figures = {"phone": details}
    measured = {name: row for name, row in details["by_server"].items() if "error" not in row}
    for key, kind in KINDS.items():
        figures[f"phone_first_screen_ms_{key}"] = {name: row[kind]["median_ms"] for name, row in measured.items()}
    return figures


def lines(results):
    """The summary's lines for these figures."""
    phone = results.get("phone")
    if not phone:
        return []
    out = [
        "",
        f"a phone's first screen (Chromium 360x640, {SLOW_NETWORK['downloadThroughput'] * 8 // 1000} kbit/s, "
        f"+{SLOW_NETWORK['latency']} ms, CPU {CPU_SLOWDOWN}x; until the join code input takes typing; "
        "medians, every run in brackets)",
    ]
    if "error" in phone or "skipped" in phone:
        return [*out, f"  {'ERROR' if 'error' in phone else 'skipped'}: {phone.get('error') or phone['skipped']}"]
    for name, measured in phone["by_server"].items():
        if "error" in measured:
            out.append(f"  {name:<11} ERROR: {measured['error']}")
            continue
        for key, kind in KINDS.items():
            row = measured[kind]
            target = f"; target <= {TARGETS_MS[key]} ms" if key in TARGETS_MS else ""
            kept = "" if row["typed_kept"] == row["runs"] else f"; TYPING LOST in {row['runs'] - row['typed_kept']}"
            size = f"; {row['bytes_until_first_screen'] / 1000:.1f} kB to the screen" if kind == "cold_slow" else ""
            out.append(
                f"  {name:<11} {'phone_first_screen_ms_' + key:<34} {row['median_ms']} ms "
                f"({', '.join(map(str, row['runs_ms']))}{target}{size}{kept})"
            )
    return out


def main():
    figures = measure()
    json.dump(figures, sys.stdout, indent=2)
    print()
    print("\n".join(lines(figures)), file=sys.stderr)
    phone = figures["phone"]
    return 1 if "error" in phone or any("error" in row for row in phone["by_server"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
