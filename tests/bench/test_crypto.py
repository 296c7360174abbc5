"""The bench's crypto step (bench/crypto.py): the participant app's e2e.ts, bundled and run in Debian's Chromium
with the CPU throttled, yields its figures; the participant app is weighed. No timing target is asserted here."""

import gzip
import os
import subprocess

import pytest

from bench import crypto
from tests.support import ROOT, require_binary

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def figures():
    if not os.path.exists(crypto.CHROMIUM):
        require_binary("chromium")  # skips, or fails where services are required
    require_binary("node")
    return crypto.measure_crypto(entries=20, pairings=3)


def test_the_crypto_bench_times_real_entries_and_pairings_in_a_throttled_chromium(figures):
    details = figures["crypto"]
    assert details["throttle_rate"] == 4
    for rate in ("throttled", "unthrottled"):
        for name, runs in (("entry_ms", 20), ("pairing_ms", 3)):
            row = details[rate][name]
            assert row["runs"] == runs
            assert 0 < row["min"] <= row["median"] <= row["p95"], (rate, name, row)
    assert figures["e2e_entry_ms_throttled"] == details["throttled"]["entry_ms"]["median"] > 0
    assert figures["pairing_ms_throttled"] == details["throttled"]["pairing_ms"]["median"] > 0
    assert 250 <= details["entry_json_bytes"] <= 350  # a typical entry, about 300 bytes of JSON
    assert details["cross_origin_isolated"] is True  # performance.now() at its fine grain


def test_the_summary_prints_the_crypto_figures(figures):
    text = "\n".join(crypto.lines({**figures, "participant_js": {"kb": 150.0, "gzip_kb": 52.0, "budget_kb": 60}}))
    assert f"e2e_entry_ms_throttled                 {figures['e2e_entry_ms_throttled']} ms" in text
    assert f"pairing_ms_throttled                   {figures['pairing_ms_throttled']} ms" in text
    assert "participant_js_gzip_kb                 52.0 KB (budget 60 KB" in text


def test_the_participant_app_is_weighed_gzipped_as_its_build_weighs_it():
    if not crypto.PARTICIPANT_JS.exists():  # as the browser tests do, build it when the checkout has none yet
        subprocess.run(["make", "frontend"], cwd=ROOT, capture_output=True, check=True)
    size = crypto.measure_size(build=False)
    gzipped = len(gzip.compress(crypto.PARTICIPANT_JS.read_bytes(), compresslevel=9)) / 1024  # another zlib
    assert abs(size["participant_js_gzip_kb"] - gzipped) <= 0.02 * gzipped
    assert 0 < size["participant_js_gzip_kb"] < size["participant_js"]["kb"]
    assert size["participant_js"]["budget_kb"] == 60
