"""The phones' cryptography and the participant app's size (docs/performance.md, "The phones' cryptography"):
a step of `make bench` that takes seconds, and on its own:

    python -m bench.crypto                     # prints the figures as JSON
    BENCH_CRYPTO_ENTRIES=50 BENCH_CRYPTO_PAIRINGS=5 python -m bench.crypto

The participant app's own e2e.ts is bundled on the fly (frontend/src/bench/build.mjs, into a temporary directory:
nothing of it reaches dist/) and timed in a page of Debian's Chromium, headless, with the CPU slowed 4x through the
DevTools protocol (`Emulation.setCPUThrottlingRate`), a phone's speed rather than this machine's: one entry sealed
and opened (`e2e_entry_ms_throttled`) and one pairing exchange's cryptography, both phones' share of it in one page,
the network round trips left out (`pairing_ms_throttled`). Each is timed with performance.now() inside the page,
after untimed warm-up runs; the figures are the medians (p95 beside them). The page is served cross-origin isolated
(COOP and COEP headers), where Chromium's performance.now() has a 5 us grain instead of 100 us. Then the
participant app is built as `make frontend` builds it (`npm run build`) and its gzipped JavaScript weighed
(`participant_js_gzip_kb`; budget 60 KB). Nothing here asserts a target: it measures."""

import contextlib
import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench import ROOT
from bench.chromium import CHROMIUM, LAUNCH_ARGS

FRONTEND = ROOT / "frontend"
PARTICIPANT_JS = FRONTEND / "dist" / "live" / "participant.js"
BUDGET_KB = 60  # frontend/build.mjs, BUDGET_KB
THROTTLE = 4
ENTRIES, ENTRY_WARMUP = 200, 50
PAIRINGS, PAIRING_WARMUP = 20, 5
# Before anything is timed, the page runs this many of each unthrottled, for the JIT's optimising tiers.
FIRST_WARMUP = {"entry": 500, "pairing": 30}
TARGETS_MS = {"entry": 2, "pairing": 300}
PAGE = """<!doctype html><meta charset="utf-8"><title>Attune crypto bench</title>
<script type="module" src="crypto-bench.js"></script>"""


class BenchFailed(RuntimeError):
    pass


def pct(values, p):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered)) - 1))]


def stats(times):
    return {
        "median": round(statistics.median(times), 3),
        "p95": round(pct(times, 95), 3),
        "mean": round(statistics.fmean(times), 3),
        "min": round(min(times), 3),
        "runs": len(times),
    }


def build_page(directory):
    """crypto-bench.js (the real e2e.ts, bundled as the live apps are) and a page that loads it, in `directory`."""
    node = shutil.which("node")
    if node is None:
        raise BenchFailed("node is not on PATH (the bench bundles frontend/src/bench/crypto-bench.ts with vite)")
    result = subprocess.run(
        [node, "src/bench/build.mjs", str(directory)], cwd=FRONTEND, capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        raise BenchFailed(f"building the crypto bench failed: {(result.stderr or result.stdout).strip()[-800:]}")
    (directory / "index.html").write_text(PAGE)


class IsolatedHandler(SimpleHTTPRequestHandler):
    """Serves the page cross-origin isolated, so that performance.now() has its fine grain."""

    def end_headers(self):
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(directory):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(IsolatedHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def chromium():
    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if not path:
        raise BenchFailed("Chromium is missing: apt-get install chromium")
    return path


def time_in_page(page, cdp, rate, entries, pairings):
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
    entry = page.evaluate("([n, w]) => attuneCryptoBench.entry(n, w)", [entries, min(ENTRY_WARMUP, entries)])
    pair = page.evaluate("([n, w]) => attuneCryptoBench.pairing(n, w)", [pairings, min(PAIRING_WARMUP, pairings)])
    return {"entry_ms": stats(entry), "pairing_ms": stats(pair)}


def measure_crypto(entries=ENTRIES, pairings=PAIRINGS):
    """The crypto figures: the medians under the 4x throttle as the keys, and the details under `crypto`."""
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="attune-crypto-bench-") as tmp:
        directory = Path(tmp)
        build_page(directory)
        with serve(directory) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium(), args=LAUNCH_ARGS)
            try:
                page = browser.new_page()
                page.goto(url)
                page.wait_for_function("() => window.attuneCryptoBench !== undefined", timeout=15000)
                page.evaluate(
                    "([e, p]) => { attuneCryptoBench.entry(0, e); attuneCryptoBench.pairing(0, p); }",
                    [FIRST_WARMUP["entry"], FIRST_WARMUP["pairing"]],
                )
                cdp = page.context.new_cdp_session(page)
                throttled = time_in_page(page, cdp, THROTTLE, entries, pairings)
                unthrottled = time_in_page(page, cdp, 1, entries, pairings)
                isolated = page.evaluate("() => window.crossOriginIsolated")
                entry_bytes = page.evaluate("() => attuneCryptoBench.entryJsonBytes")
                version = browser.version
            finally:
                browser.close()
    return {
        "e2e_entry_ms_throttled": throttled["entry_ms"]["median"],
        "pairing_ms_throttled": throttled["pairing_ms"]["median"],
        "crypto": {
            "throttle_rate": THROTTLE,
            "throttled": throttled,
            "unthrottled": unthrottled,
            # how much slower the throttled runs were (medians): about 4 when the throttle's own thread gets a core
            "slowdown": {
                name: round(throttled[f"{name}_ms"]["median"] / unthrottled[f"{name}_ms"]["median"], 1)
                for name in ("entry", "pairing")
            },
            "targets_ms": TARGETS_MS,
            "entry_json_bytes": entry_bytes,
            "warmup_runs": {
                "first_unthrottled": FIRST_WARMUP,
                "each_rate": {"entry": min(ENTRY_WARMUP, entries), "pairing": min(PAIRING_WARMUP, pairings)},
            },
            "cross_origin_isolated": isolated,
            "chromium": version,
            "run_s": round(time.monotonic() - started, 1),
        },
    }


def gzip_kb(path):
    """A file's size gzipped by node's zlib at level 9, in KiB: as frontend/build.mjs weighs it against the budget
    (Python's zlib, another build of it, comes out some 0.5% smaller)."""
    node = shutil.which("node")
    if node is None:
        raise BenchFailed("node is not on PATH: the participant app cannot be weighed as its build weighs it")
    script = "process.stdout.write(String(require('node:zlib').gzipSync(require('node:fs').readFileSync("
    script += "process.argv[1]), {level: 9}).length))"
    result = subprocess.run([node, "-e", script, str(path)], capture_output=True, text=True, timeout=60, check=True)
    return round(int(result.stdout) / 1024, 1)


def measure_size(build=True):
    """The participant app's gzipped JavaScript, built first as `make frontend` builds it (`npm run build`)."""
    if build:
        npm = shutil.which("npm")
        if npm is None:
            raise BenchFailed("npm is not on PATH: the participant app cannot be built")
        result = subprocess.run(
            [npm, "run", "--silent", "build"], cwd=FRONTEND, capture_output=True, text=True, timeout=300
        )
        output = (result.stdout + result.stderr).strip()
        if result.returncode != 0 and "OVER the" not in output:  # over budget: built all the same, and weighed
            raise BenchFailed(f"npm run build failed: {output[-800:]}")
    if not PARTICIPANT_JS.exists():
        raise BenchFailed(f"{PARTICIPANT_JS.relative_to(ROOT)} is missing (cd frontend && npm run build)")
    kb = gzip_kb(PARTICIPANT_JS)
    return {
        "participant_js_gzip_kb": kb,
        "participant_js": {
            "kb": round(PARTICIPANT_JS.stat().st_size / 1024, 1),
            "gzip_kb": kb,
            "budget_kb": BUDGET_KB,
            "within_budget": kb <= BUDGET_KB,
        },
    }


def measure(entries=None, pairings=None, build=True):
    """Every figure of this step; a part that cannot run says why under its key instead of stopping the bench."""
    entries = entries or int(os.environ.get("BENCH_CRYPTO_ENTRIES", ENTRIES))
    pairings = pairings or int(os.environ.get("BENCH_CRYPTO_PAIRINGS", PAIRINGS))
    figures = {}
    try:
        figures.update(measure_crypto(entries, pairings))
    except Exception as exc:  # a missing browser or node: reported, the rest of the bench runs
        figures["crypto"] = {"error": f"{type(exc).__name__}: {exc}"}
    try:
        figures.update(measure_size(build=build))
    except Exception as exc:
        figures["participant_js"] = {"error": f"{type(exc).__name__}: {exc}"}
    return figures


def lines(results):
    """The summary's lines for these figures."""
    crypto = results.get("crypto")
    size = results.get("participant_js")
    out = []
    if crypto:
        out += ["", f"phone cryptography (Chromium, CPU throttled {THROTTLE}x; medians, p95 in brackets)"]
        if "error" in crypto or "skipped" in crypto:
            out.append(f"  {'ERROR' if 'error' in crypto else 'skipped'}: {crypto.get('error') or crypto['skipped']}")
        else:
            for name, key in (("entry", "e2e_entry_ms_throttled"), ("pairing", "pairing_ms_throttled")):
                mine = crypto["throttled"][f"{name}_ms"]
                plain = crypto["unthrottled"][f"{name}_ms"]
                out.append(
                    f"  {key:<38} {results[key]} ms (p95 {mine['p95']}; {mine['runs']} runs; "
                    f"target <= {TARGETS_MS[name]} ms; unthrottled {plain['median']} ms, "
                    f"{crypto['slowdown'][name]}x)"
                )
    if size:
        if "error" in size:
            out.append(f"  participant_js_gzip_kb ERROR: {size['error']}")
        else:
            out.append(
                f"  {'participant_js_gzip_kb':<38} {size['gzip_kb']} KB (budget {size['budget_kb']} KB; "
                f"{size['kb']} KB raw)"
            )
    return out


def main():
    figures = measure()
    json.dump(figures, sys.stdout, indent=2)
    print()
    print("\n".join(lines(figures)), file=sys.stderr)
    return 1 if any("error" in figures.get(key, {}) for key in ("crypto", "participant_js")) else 0


if __name__ == "__main__":
    sys.exit(main())
