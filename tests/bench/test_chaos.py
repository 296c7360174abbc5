"""`make chaos` in little (bench/chaos.py): the production topology on loopback (two uvicorn processes behind
nginx, PostgreSQL, a Redis of its own), three couples and a facilitator at work through every fault, with short
phases. It exits 0 only with nothing lost, nothing applied twice, no abnormal close and no 5xx; the rows say so
too. The full run (20 couples, Redis down 60 s) is `make chaos`; its figures are in docs/operations.md."""

import json
import os
import subprocess
import sys

import pytest

from tests.support import ROOT

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.multiprocess, pytest.mark.slow]


def _fresh_database(url):
    """A database made anew for this run: one left by an earlier checkout may hold another migration history."""
    import psycopg

    admin, name = url.rsplit("/", 1)
    with psycopg.connect(f"{admin}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return url


def test_the_room_loses_nothing_through_every_fault(tmp_path):
    database = _fresh_database(os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/attune_chaos_test")
    env = {
        **os.environ,
        "CHAOS_COUPLES": "3",
        "CHAOS_PHASE_S": "3",
        "CHAOS_REDIS_DOWN_S": "6",
        "CHAOS_LOSSY_S": "6",
        "CHAOS_DATABASE_URL": database,
        "CHAOS_OUT": str(tmp_path / "chaos-results.json"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bench.chaos"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    rows = json.loads((tmp_path / "chaos-results.json").read_text())["phases"]
    assert [r["fault"] for r in rows] == [
        "baseline",
        "SIGKILL web1",
        "SIGKILL web2",
        "Redis down 6.0 s",
        "lossy proxy",
        "fuzz",
    ]
    for row in rows:
        assert (row["lost"], row["applied_twice"], row["abnormal_closes"], row["http_5xx"]) == (0, 0, 0, 0), row
        assert row["settled"] and row["acknowledged"] > 0, row
    fuzz = rows[-1]
    assert fuzz["fuzz_frames_answered"] == fuzz["fuzz_frames_sent"]
    assert rows[3]["push_resume_s"] is not None
