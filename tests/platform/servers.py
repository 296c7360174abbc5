"""Real Attune server processes for multi-process tests."""

import contextlib
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from bench.nginx import Nginx, Unavailable, ensure_nginx
from bench.procs import command
from tests.conftest import REQUIRE_SERVICES
from tests.support import ROOT, VENV_BIN, free_port, stop, wait_for_http


def database_url_of_test_db():
    """The URL of the database this test runs on (pytest-django's test database)."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = db.get("USER") or "postgres"
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


def server_env(**extra):
    """A test server's environment: the test's database, Redis and SECRET_KEY. Its links (PUBLIC_BASE_URL) point
    at itself where its starter passes its address, as `make run` does."""
    env = {
        "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": settings.SECRET_KEY,  # so the test's session cookies are valid there
        "DATABASE_URL": database_url_of_test_db(),
        "LOG_LEVEL": "WARNING",
    }
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    env.update(extra)
    return env


@contextlib.contextmanager
def daphne_processes(count, **extra_env):
    """Start `count` Daphne processes of Attune on free ports; yields [(process, base_url)]."""
    with _server_processes(
        count,
        lambda port: (
            [str(VENV_BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port), "--access-log", os.devnull]
            + ["config.asgi:application"]
        ),
        sys.stderr,
        extra_env,
    ) as started:
        yield started


@contextlib.contextmanager
def uvicorn_processes(count, stderr=None, **extra_env):
    """Start `count` uvicorn processes of Attune on free ports, as the image runs them (platform/Dockerfile's
    server options); their log goes to `stderr` (a file; the test's own stderr by default). Yields
    [(process, base_url)]."""
    with _server_processes(
        count,
        lambda port: command("attune", "uvicorn", port),
        stderr or sys.stderr,
        extra_env,
    ) as started:
        yield started


@contextlib.contextmanager
def _server_processes(count, command_for_port, stderr, extra_env):
    started = []
    try:
        for _ in range(count):
            port = free_port()
            process = subprocess.Popen(
                command_for_port(port),
                cwd=ROOT,
                env=server_env(**{"PUBLIC_BASE_URL": f"http://127.0.0.1:{port}", **extra_env}),
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
            started.append((process, f"http://127.0.0.1:{port}"))
        for process, base in started:
            wait_for_http(f"{base}/healthz", process=process)
        yield started
    finally:
        for process, _ in started:
            stop(process)


class UvicornProcess:
    """Attune under uvicorn with the production server's command line (bench.procs, as platform/Dockerfile runs
    it) on a fixed free port, so that it can be killed and started again there, as compose restarts a container."""

    def __init__(self, **extra_env):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.argv = command("attune", "uvicorn", self.port)
        self.env = server_env(**{"PUBLIC_BASE_URL": self.base, **extra_env})
        self.process = None

    def start(self):
        self.process = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=sys.stderr)
        wait_for_http(f"{self.base}/healthz", process=self.process)

    def kill(self):
        self.process.kill()
        self.process.wait()

    def stop(self):
        if self.process is not None:
            stop(self.process)


@contextlib.contextmanager
def behind_nginx(processes):
    """nginx configured from platform/nginx.conf (bench.nginx: installed with apt when missing, as root) in front
    of `processes`; yields its base URL. Skips (or fails with ATTUNE_REQUIRE_SERVICES=1) when nginx can't be had."""
    try:
        binary = ensure_nginx(log=lambda line: None)
    except Unavailable as reason:
        if REQUIRE_SERVICES:
            pytest.fail(f"{reason}, and ATTUNE_REQUIRE_SERVICES=1 forbids skipping", pytrace=False)
        pytest.skip(str(reason))
    proxy = Nginx(binary, [p.port for p in processes], sockets=64, log=subprocess.DEVNULL)
    try:
        proxy.wait_ready()
        yield proxy.base
    finally:
        proxy.stop()
