"""Server processes under test, pinned to their own core, and what /proc says about them."""

import atexit
import contextlib
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time

from bench import ROOT

VENV_BIN = ROOT / ".venv" / "bin"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def raise_fd_limit():
    """As many open files as the hard limit allows (servers started from here inherit it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = 1 << 20
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def cores():
    """(client core, server core): the first and the last CPU this process may use."""
    allowed = sorted(os.sched_getaffinity(0))
    return allowed[0], allowed[-1]


def pin_self(core):
    os.sched_setaffinity(0, {core})


@contextlib.contextmanager
def on_cores(cpus):
    """The calling thread (and the threads it starts meanwhile, which inherit it) on `cpus` for the block, then
    back where it was: for the fixtures, made while nothing is measured. None: left as it is."""
    if not cpus:
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, cpus)
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stat(pid):
    """A process's command name and the fields of /proc/<pid>/stat after it: state is fields[0], the parent's pid
    fields[1], utime, stime, cutime and cstime fields[11:15] (stat fields 14 to 17)."""
    with open(f"/proc/{pid}/stat") as f:
        head, _, rest = f.read().rpartition(")")  # the name may hold ")" itself
    return head.partition("(")[2], rest.split()


def every_process():
    """(pid, command name, stat fields) of every process /proc shows; one that ends meanwhile is left out."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                yield (int(entry), *stat(entry))
            except OSError:
                continue


def cpu_seconds(pid):
    """User plus system CPU time of a process (from /proc/<pid>/stat)."""
    fields = stat(pid)[1]
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def database_cpu_seconds():
    """CPU time of this machine's PostgreSQL (its backends, those that ended included: the postmaster counts its
    children's), or None where it does not run here. The bench's database shares the machine's cores with the
    server under test, so what a message costs PostgreSQL is part of what it costs."""
    ticks = [sum(map(int, fields[11:15])) for _, name, fields in every_process() if name == "postgres"]
    return sum(ticks) / CLOCK_TICKS if ticks else None


def rss_kb(pid):
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * PAGE_KB


def self_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def command(app, server, port):
    """The command line of one server: app is attune, raw or naive (ASGI apps) or floor (bare websockets)."""
    if app == "floor":
        return [sys.executable, "-m", "bench.floor_server", "--port", str(port)]
    target = {
        "attune": "config.asgi:application",
        "raw": "bench.raw_asgi:application",
        "naive": "bench.naive_asgi:application",
    }[app]
    if server == "daphne":
        # As platform/Dockerfile runs it.
        return [
            str(VENV_BIN / "daphne"),
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "--access-log",
            os.devnull,
            "--proxy-headers",
            target,
        ]
    if server == "uvicorn":
        return [
            str(VENV_BIN / "uvicorn"),
            target,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--ws",
            "websockets-sansio",
            "--ws-per-message-deflate",
            "false",
            "--lifespan",
            "off",
            "--no-access-log",
            "--log-level",
            "warning",
            "--proxy-headers",
        ]
    raise ValueError(server)


_started = []


@atexit.register
def _stop_all():
    """Never leave a server behind, whatever happened to the run."""
    for server in _started:
        with contextlib.suppress(Exception):
            server.stop()


class Server:
    def __init__(self, app, server, env, core, log):
        self.app, self.server = app, server
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        cmd = command(app, server, self.port)
        taskset = shutil.which("taskset")
        if taskset:
            cmd = [taskset, "-c", str(core), *cmd]
        self.process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log)
        self.pid = self.process.pid
        _started.append(self)

    def wait_ready(self, timeout=60.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.app}/{self.server} exited with {self.process.returncode}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return
            time.sleep(0.05)
        raise TimeoutError(f"{self.app}/{self.server} did not listen within {timeout}s")

    def cpu(self):
        return cpu_seconds(self.pid)

    def rss_kb(self):
        return rss_kb(self.pid)

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
