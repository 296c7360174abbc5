"""The bench's phone step (bench/phone.py): a throttled Chromium loads the participant app from `make run`'s server
and finds when its join screen takes typing, and whether typing survives the app taking over. No timing target is
asserted here."""

import contextlib
import functools
import os
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import phone
from tests.support import ROOT, require_binary

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(phone.CHROMIUM):
        require_binary("chromium")  # skips, or fails where services are required
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=phone.chromium(), args=phone.LAUNCH_ARGS)
        yield launched
        launched.close()


def test_the_phone_bench_measures_cold_warm_and_fast_loads_of_make_runs_server():
    if not (ROOT / "frontend" / "dist" / "live" / "participant.js").exists():
        subprocess.run(["make", "frontend"], cwd=ROOT, capture_output=True, check=True)
    figures = phone.measure(runs=1, servers=["make_run"], language="en-US")
    measured = figures["phone"]["by_server"]["make_run"]
    assert "error" not in measured, measured
    for key, kind in phone.KINDS.items():
        row = measured[kind]
        assert row["runs"] == 1 and row["typed_kept"] == 1, (kind, row)
        assert figures[f"phone_first_screen_ms_{key}"] == {"make_run": row["median_ms"]}
        assert 0 < row["median_ms"] == row["runs_ms"][0]
    cold = measured["cold_slow"]
    # The cold load fetched the page and the app, compressed; the warm one took them from the service worker.
    paths = cold["bytes_by_path"]
    assert "/live/" in paths and [p for p in paths if p.startswith("/static/live/participant.") and p.endswith(".js")]
    assert 0 < cold["bytes_until_first_screen"] < cold["bytes_until_app"] < 100_000
    assert measured["warm_slow"]["bytes_until_first_screen"] == 0
    assert figures["phone"]["network"]["latency"] == 400 and figures["phone"]["cpu_slowdown"] == 4
    text = "\n".join(phone.lines(figures))
    assert f"make_run    phone_first_screen_ms_slow3g       {cold['median_ms']} ms ({cold['median_ms']};" in text


# A page that draws an input, whose "app" then draws a new one: what was typed before is gone.
FORGETFUL_PAGE = """<!doctype html><meta charset="utf-8"><title>forgetful</title>
<div id="app"><input id="join-code"></div>
<script type="module" src="app.js"></script>"""
FORGETFUL_APP = """await new Promise((done) => setTimeout(done, 300));
document.getElementById("app").innerHTML = '<input id="join-code">';
document.documentElement.dataset.app = "running";"""


@contextlib.contextmanager
def forgetful_site(directory):
    (directory / "index.html").write_text(FORGETFUL_PAGE)
    (directory / "app.js").write_text(FORGETFUL_APP)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(directory))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()


def test_a_run_whose_app_loses_what_was_typed_says_so(browser, tmp_path):
    with forgetful_site(tmp_path) as url:
        context = phone.phone_context(browser, "en-US", service_workers="block")
        context.add_init_script(phone.WATCH)
        try:
            page, figures = phone.load_once(context, url, None)
            page.close()
        finally:
            context.close()
    assert figures["typed_kept"] is False
    assert figures["ms"] > 0 and figures["app_running_ms"] > figures["ms"]
