"""`make run`'s server: Daphne on $HOST:$PORT and, beside it, the periodic maintenance
(`run_maintenance --every 60`: waitlist offers expire, couple content past retention is purged).

It prints where to reach Attune first. With HOST=0.0.0.0 it also prints the machine's
LAN addresses and a QR code of the first one, so phones on the venue's Wi-Fi can open
Attune from their camera. Unless PUBLIC_BASE_URL is set, it derives it from HOST/PORT
(the first LAN address with HOST=0.0.0.0) so that e-mailed links and the projector's
QR code point at this server.

Static files are collected first (collectstatic: hashed names, gzipped copies), and the server serves those
(COLLECTED_STATIC, config/settings.py): compressed, and cached by phones for good, as in production. A venue's
phones on a slow network load the live app once, and a third of its size.

Both children stop together: Ctrl+C or SIGTERM stops both, if the server exits the
maintenance child is stopped, and if this process is killed the kernel signals both
(PR_SET_PDEATHSIG), so nothing lingers.
"""

import ctypes
import ipaddress
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import qrcode
from django.core.management.base import BaseCommand

from config.env import Env
from workshops import demo

MAINTENANCE_EVERY_SECONDS = 60
MANAGE_PY = Path(__file__).resolve().parents[3] / "manage.py"
_PR_SET_PDEATHSIG = 1


def lan_addresses():
    """IPv4 addresses of this machine's interfaces, loopback excluded. Sends nothing."""
    found = []
    if shutil.which("ip"):
        out = subprocess.run(["ip", "-j", "-4", "addr", "show"], capture_output=True, text=True, check=False)
        try:
            for iface in json.loads(out.stdout or "[]"):
                for info in iface.get("addr_info", []):
                    found.append(info.get("local", ""))
        except ValueError:
            pass
    if not found:
        try:
            found = socket.gethostbyname_ex(socket.gethostname())[2]
        except OSError:
            found = []
    result = []
    for address in found:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            continue
        if not ip.is_loopback and not ip.is_link_local and address not in result:
            result.append(address)
    return result


def public_base_url(host, port, addresses):
    """The base of links opened elsewhere (e-mails, QR codes) when PUBLIC_BASE_URL is not set: the first LAN
    address with HOST=0.0.0.0 (phones scanning the projector must reach it), localhost on loopback."""
    if host in ("0.0.0.0", "::"):
        host = addresses[0] if addresses else "localhost"
    elif host in ("127.0.0.1", "::1", "localhost"):
        host = "localhost"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _die_with_parent():
    """In the child, before exec: the kernel sends SIGTERM when `serve` dies, even by SIGKILL."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _start(argv, env):
    # A session of its own: Ctrl+C in the terminal reaches `serve` only, which stops both children in order.
    on_linux = sys.platform.startswith("linux")
    return subprocess.Popen(argv, env=env, start_new_session=True, preexec_fn=_die_with_parent if on_linux else None)


def _stop(process, timeout=10):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Command(BaseCommand):
    help = "Serve Attune with Daphne on $HOST:$PORT (defaults 127.0.0.1:8000), with the periodic maintenance beside it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--print-base-url",
            action="store_true",
            help="print the PUBLIC_BASE_URL this server would use and exit (`make run` hands it to load_demo)",
        )

    def handle(self, *args, print_base_url=False, **options):
        host = os.environ.get("HOST") or "127.0.0.1"
        port = os.environ.get("PORT") or "8000"
        if not port.isdigit():
            self.stderr.write(f"PORT must be a number, got {port!r}.")
            sys.exit(2)
        addresses = lan_addresses() if host in ("0.0.0.0", "::") else []
        base_url = os.environ.get("PUBLIC_BASE_URL") or public_base_url(host, port, addresses)
        if print_base_url:
            self.stdout.write(base_url)
            return
        shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
        out = self.stdout
        out.write("")
        out.write(f"Attune is starting on http://{shown}:{port}/")
        out.write(f"  health:    http://{shown}:{port}/healthz   readiness: http://{shown}:{port}/readyz")
        out.write(f"  sign in:   http://{shown}:{port}/accounts/login/  (organizer pages at /o/{demo.DEMO_ORG_SLUG}/)")
        out.write(f"  sign up:   http://{shown}:{port}/accounts/signup/  (a new organizer's own account)")
        for login in demo.DEMO_STAFF:
            out.write(f"  demo login ({login.role}): {login.email} / {login.password}")
        out.write(f"  links in e-mails and QR codes: {base_url}/  (PUBLIC_BASE_URL)")
        if host in ("0.0.0.0", "::"):
            if addresses:
                url = f"http://{addresses[0]}:{port}/"
                out.write(f"  on the venue's Wi-Fi: {', '.join(f'http://{a}:{port}/' for a in addresses)}")
                out.write("  scan to open on a phone:")
                code = qrcode.QRCode(border=1)
                code.add_data(url)
                code.print_ascii(out=out._out, invert=True)
            else:
                out.write("  no LAN address found: is this machine on a network?")
        out.write(f"  maintenance: every {MAINTENANCE_EVERY_SECONDS} s (waitlist offers, retention purge)")
        out.write("Press Ctrl+C to stop.")
        out.flush()
        # Unbuffered: maintenance's report of each round shows at once, also when serve's output goes to a file.
        env = dict(os.environ, PUBLIC_BASE_URL=base_url, PYTHONUNBUFFERED="1")
        env.setdefault("COLLECTED_STATIC", "true")
        if Env(env).bool("COLLECTED_STATIC", True) and not self.collect_static(env):
            sys.exit(1)
        if addresses and "ALLOWED_HOSTS" not in env:
            env["ALLOWED_HOSTS"] = ",".join(["localhost", "127.0.0.1", "[::1]", *addresses])
        daphne = os.path.join(os.path.dirname(sys.executable), "daphne")
        # No Daphne access log: capability links carry tokens in their path.
        # config.middleware.RequestLogMiddleware logs URL patterns instead.
        server = _start([daphne, "-b", host, "-p", port, "--access-log", os.devnull, "config.asgi:application"], env)
        maintenance = _start(
            [sys.executable, str(MANAGE_PY), "run_maintenance", "--every", str(MAINTENANCE_EVERY_SECONDS)], env
        )
        sys.exit(self.supervise(server, maintenance))

    def collect_static(self, env):
        """collectstatic with the server's settings, before it starts (a few seconds): its pages name these files."""
        collected = subprocess.run(
            [sys.executable, str(MANAGE_PY), "collectstatic", "--noinput", "-v", "0"],
            env=env,
            capture_output=True,
            text=True,
        )
        if collected.returncode != 0:
            self.stderr.write(f"collectstatic failed, not serving:\n{collected.stderr.strip()}")
        return collected.returncode == 0

    def supervise(self, server, maintenance):
        """Wait until the server exits or a stop signal comes; then stop both. Returns the exit status."""
        stopping = []

        def request_stop(signum, frame):
            stopping.append(signum)

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        warned = False
        try:
            while not stopping and server.poll() is None:
                if maintenance.poll() is not None and not warned:
                    # The server goes on: nothing depends on maintenance running on time.
                    self.stderr.write(f"maintenance stopped (exit status {maintenance.returncode}); still serving.")
                    warned = True
                time.sleep(0.2)
        finally:
            _stop(server)
            _stop(maintenance)
        # Stopped on request: success. The server exiting on its own is a failure, whatever its status.
        return 0 if stopping else max(server.returncode, 1)
