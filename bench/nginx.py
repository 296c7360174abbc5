"""nginx in front of two Attune processes, as in the production topology (docker-compose.yml, platform/nginx.conf).

The bench runs its own nginx (`-c` a config generated from platform/nginx.conf, on a free port of 127.0.0.1, its
pid, logs and temporary files in a temporary directory), never the system's service. When nginx is missing it is
installed with apt as root (as `make test` installs Chromium), with services kept from starting; otherwise the
scenario is skipped (`Unavailable`)."""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from bench import ROOT, procs
from bench.procs import cpu_seconds, free_port, rss_kb

TEMPLATE = ROOT / "platform" / "nginx.conf"
CANDIDATES = ("nginx", "/usr/sbin/nginx")
PACKAGES = ("nginx-light", "nginx")  # nginx-light (Debian 12) has the proxy, upstream and map modules; nginx has all
POLICY_RC_D = Path("/usr/sbin/policy-rc.d")
# The temporary files' directives of the http modules that may be compiled out (`nginx -V`: --without-...).
OPTIONAL_TEMP_PATHS = ("fastcgi", "uwsgi", "scgi")


class Unavailable(RuntimeError):
    """nginx is missing and cannot be installed here: the scenario is skipped, with this as the reason."""


def find_nginx():
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def ensure_nginx(log=print):
    """The nginx binary, installed with apt when missing (as root). Raises Unavailable with the reason."""
    path = find_nginx()
    if path:
        return path
    if os.geteuid() != 0:
        raise Unavailable("nginx is not installed and the bench is not root (install it: apt-get install nginx-light)")
    if not shutil.which("apt-get"):
        raise Unavailable("nginx is not installed and there is no apt-get to install it")
    log("[bench] nginx is missing: installing it with apt (services kept from starting)")
    ours = not POLICY_RC_D.exists()
    if ours:  # invoke-rc.d then starts no service: the package's own nginx would take port 80
        POLICY_RC_D.write_text("#!/bin/sh\n# written by Attune's bench while it installs nginx\nexit 101\n")
        POLICY_RC_D.chmod(0o755)
    service_pid = Path("/run/nginx.pid")
    had_service = service_pid.exists()
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    errors = []
    try:
        subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, timeout=600)
        for package in PACKAGES:
            done = subprocess.run(
                ["apt-get", "install", "-y", "-qq", "--no-install-recommends", package],
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            if done.returncode == 0 and find_nginx():
                break
            errors.append(f"{package}: {(done.stderr or done.stdout).strip()[-200:]}")
    except (OSError, subprocess.SubprocessError) as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        if ours:
            with contextlib.suppress(OSError):
                POLICY_RC_D.unlink()
    path = find_nginx()
    if not path:
        raise Unavailable("nginx is not installed and apt could not install it: " + "; ".join(errors)[:300])
    if not had_service and service_pid.exists():  # started by the package after all: stop the service we caused
        subprocess.run([path, "-s", "quit"], capture_output=True, timeout=30)
    return path


def compiled_without(binary):
    """The optional http modules this nginx was built without (from `nginx -V`)."""
    done = subprocess.run([binary, "-V"], capture_output=True, text=True, timeout=30)
    text = done.stdout + done.stderr
    return {name for name in OPTIONAL_TEMP_PATHS if f"--without-http_{name}_module" in text}


def _sub_once(pattern, replacement, text, what):
    new, count = re.subn(pattern, lambda _: replacement, text, count=1, flags=re.M)
    if count != 1:
        raise ValueError(f"platform/nginx.conf has no {what} the bench knows how to rewrite ({pattern})")
    return new


def render_config(template, *, upstreams, port, prefix, connections, access_log=None, without=()):
    """platform/nginx.conf for a run on this machine.

    Everything that routes stays as in production: the upstream block (least_conn, each server's parameters),
    the `map` of the Upgrade header and both locations; what changes is where: the upstream servers are
    127.0.0.1:<each port>, it listens on 127.0.0.1:<port>, one worker with room for `connections` connections
    (a proxied socket holds two), and its pid, error log and temporary files are under `prefix`. The access log
    is off, or written to `access_log` in the template's format."""
    prefix = str(prefix)
    text = template
    nofile = connections + 1024
    text = _sub_once(
        r"^worker_processes\s+[^;]+;",
        "\n".join(
            [
                "worker_processes 1;",
                f"worker_rlimit_nofile {nofile};",
                "daemon off;",
                f"pid {prefix}/nginx.pid;",
                f"error_log {prefix}/error.log warn;",
            ]
        ),
        text,
        "worker_processes",
    )
    text = _sub_once(r"worker_connections\s+\d+;", f"worker_connections {connections};", text, "worker_connections")
    log = f"access_log {access_log} attune;" if access_log else "access_log off;"
    text, count = re.subn(r"access_log\s+[^;]+;", lambda _: log, text)
    if count == 0:
        raise ValueError("platform/nginx.conf has no access_log the bench knows how to rewrite")
    temp = [f"client_body_temp_path {prefix}/client_body;", f"proxy_temp_path {prefix}/proxy;"]
    temp += [f"{name}_temp_path {prefix}/{name};" for name in OPTIONAL_TEMP_PATHS if name not in without]
    text = _sub_once(r"^http\s*\{", "http {\n    " + "\n    ".join(temp), text, "http block")

    block = re.search(r"upstream\s+attune\s*\{(?P<body>[^}]*)\}", text)
    if block is None:
        raise ValueError("platform/nginx.conf has no `upstream attune` block")
    body = block.group("body")
    line = re.compile(r"^(?P<indent>[ \t]*)server\s+(?P<address>[^\s;]+)(?P<params>[^;]*);[ \t]*\n?", re.M)
    first = line.search(body)
    if first is None:
        raise ValueError("platform/nginx.conf's upstream block names no server")
    # Ours where the template's first server was, each with its parameters (max_fails...); the others go.
    ours = "".join(f"{first['indent']}server 127.0.0.1:{p}{first['params']};\n" for p in upstreams)
    body = body[: first.start()] + ours + line.sub("", body[first.start() :])
    text = text[: block.start("body")] + body + text[block.end("body") :]

    text = _sub_once(r"listen\s+[^;]+;", f"listen 127.0.0.1:{port};", text, "listen")
    return text


class Nginx:
    """Our own nginx instance in front of `upstreams` (ports of 127.0.0.1), for about `sockets` client sockets."""

    def __init__(self, binary, upstreams, *, sockets, log, access_log=False):
        self.binary = binary
        self.dir = Path(tempfile.mkdtemp(prefix="attune-bench-nginx-"))
        self.dir.chmod(0o755)  # workers run as nobody when the master is root: they must reach their temp files
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        connections = max(16384, 2 * (sockets + 64) + 1024)
        self.config = self.dir / "nginx.conf"
        self.config.write_text(
            render_config(
                TEMPLATE.read_text(),
                upstreams=upstreams,
                port=self.port,
                prefix=self.dir,
                connections=connections,
                access_log=self.dir / "access.log" if access_log else None,
                without=compiled_without(binary),
            )
        )
        cmd = [binary, "-p", str(self.dir), "-c", str(self.config), "-e", str(self.dir / "error.log")]
        test = subprocess.run([*cmd, "-t"], capture_output=True, text=True, timeout=30)
        if test.returncode != 0:
            raise RuntimeError(f"nginx -t failed: {(test.stderr or test.stdout).strip()[-400:]}")
        self.process = subprocess.Popen(cmd, stdout=log, stderr=log)
        self.pid = self.process.pid
        from bench import procs

        procs._started.append(self)  # stopped at exit whatever happens (procs._stop_all)

    def wait_ready(self, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.process.returncode}: {self.error_log()[-400:]}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return
            time.sleep(0.05)
        raise TimeoutError(f"nginx did not listen within {timeout}s")

    def error_log(self):
        with contextlib.suppress(OSError):
            return (self.dir / "error.log").read_text()
        return ""

    def pids(self):
        """The master and its workers."""
        return [self.pid, *children(self.pid)]

    def cpu(self):
        total = 0.0
        for pid in self.pids():
            with contextlib.suppress(OSError):
                total += cpu_seconds(pid)
        return total

    def rss_kb(self):
        total = 0
        for pid in self.pids():
            with contextlib.suppress(OSError):
                total += rss_kb(pid)
        return total

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # fast shutdown: master and workers
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                for pid in children(self.pid):
                    with contextlib.suppress(OSError):
                        os.kill(pid, signal.SIGKILL)
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def children(pid):
    """The pids whose parent is `pid` (from /proc)."""
    return [child for child, _, fields in procs.every_process() if fields[1] == str(pid)]


def socket_inodes(pid):
    """The inodes of the sockets process `pid` holds open (from /proc/<pid>/fd)."""
    inodes = set()
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
    return inodes


def established(port, pid=None):
    """The TCP connections established on local `port` (the sockets a server on that port holds), of process `pid`
    only when given (so no other program's connection that happens to use the same port is counted)."""
    wanted = f":{port:04X}"
    owned = socket_inodes(pid) if pid is not None else None
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as f:
            next(f, None)
            for line in f:
                fields = line.split()
                ours = len(fields) > 9 and fields[3] == "01" and fields[1].endswith(wanted)
                if ours and (owned is None or fields[9] in owned):
                    count += 1
    return count
