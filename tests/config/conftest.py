import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from bench.procs import command as server_command
from tests.support import ROOT, free_port, stop, wait_for_http

METRICS_TOKEN = "a-metrics-token-for-the-tests-42"


@pytest.fixture(scope="session")
def served():
    """One Attune process as production runs it (the image's uvicorn command line), with LOG_FORMAT=json and a
    METRICS_TOKEN, on the embedded defaults but with an empty SQLite database: what reads a table answers 500
    (a real error, for the logs). Its log (stderr) is a file the tests read."""

    class Served:
        pass

    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="attune-served-")) / "stderr.log"
    command = server_command("attune", "uvicorn", port)  # bench.procs: the image's options
    environ = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LOG_FORMAT": "json",
        "METRICS_TOKEN": METRICS_TOKEN,
        "DATABASE_URL": f"sqlite:///{log.parent / 'empty.sqlite3'}",
    }
    with log.open("w") as stderr:
        process = subprocess.Popen(command, cwd=ROOT, env=environ, stdout=stderr, stderr=stderr)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz", process=process)
        served = Served()
        served.port, served.base, served.log, served.process = port, f"http://127.0.0.1:{port}", log, process
        yield served
    finally:
        stop(process)
        shutil.rmtree(log.parent, ignore_errors=True)


# The live-session fixture (a running session, couples, staff devices) for the tests here that use sockets.
from tests.realtime.conftest import custom_live  # noqa: E402, F401
