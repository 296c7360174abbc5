"""Helpers for tests that run real processes: free ports, waiting, a private Redis."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import REQUIRE_SERVICES

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listened on port {port} within {timeout}s")


def wait_for_http(url, timeout=20.0, process=None):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering {url}")
        try:
            response = httpx.get(url, timeout=1.0)
            if response.status_code < 500:
                return response
            last = response.status_code
        except httpx.HTTPError as exc:
            last = exc.__class__.__name__
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout}s (last: {last})")


def require_binary(name):
    path = shutil.which(name)
    if path:
        return path
    reason = f"{name} is not installed"
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason}, and ATTUNE_REQUIRE_SERVICES=1 forbids skipping", pytrace=False)
    pytest.skip(reason)


@contextlib.contextmanager
def private_redis():
    """A redis-server of the test's own, on a free port, that the test may stop."""
    binary = require_binary("redis-server")
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="attune-redis-")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", workdir],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield process, f"redis://127.0.0.1:{port}/0"
    finally:
        stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


class RedisOnItsPort:
    """A redis-server of the test's own on a fixed free port that a test can take down and bring back as a real
    outage does: stop() kills it (connections are refused until start() runs a new, empty one on the same port),
    pause() freezes it with SIGSTOP (it accepts connections and answers nothing until resume())."""

    def __init__(self):
        self.binary = require_binary("redis-server")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = tempfile.mkdtemp(prefix="attune-redis-")
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", self.workdir],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self):
        self.process.kill()
        self.process.wait()

    def pause(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def close(self):
        if self.process is not None and self.process.poll() is None:
            self.resume()  # a stopped process does not act on SIGTERM
            stop(self.process)
        shutil.rmtree(self.workdir, ignore_errors=True)


@contextlib.contextmanager
def redis_on_its_port():
    """A running RedisOnItsPort, closed (by its own pid) at the end."""
    redis = RedisOnItsPort()
    try:
        redis.start()
        yield redis
    finally:
        redis.close()


def stop(process, sig=signal.SIGTERM, timeout=10):
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def python_with_settings(code, environ):
    """Run `code` in a fresh Python with config.settings and only `environ` (besides PATH): settings are read
    once per process, so each environment's answer needs a process of its own."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", **environ},
        capture_output=True,
        text=True,
        timeout=60,
    )
