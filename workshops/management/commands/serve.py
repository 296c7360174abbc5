"""Start Daphne for `make run`, after printing where to reach Attune.

With HOST=0.0.0.0 it also prints the machine's LAN addresses and a QR code of
the first one, so phones on the venue's Wi-Fi can open Attune from their camera.
"""

import ipaddress
import json
import os
import shutil
import socket
import subprocess
import sys

import qrcode
from django.core.management.base import BaseCommand

from workshops import demo


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


class Command(BaseCommand):
    help = "Serve Attune with Daphne on $HOST:$PORT (defaults 127.0.0.1:8000)."

    def handle(self, *args, **options):
        host = os.environ.get("HOST") or "127.0.0.1"
        port = os.environ.get("PORT") or "8000"
        if not port.isdigit():
            self.stderr.write(f"PORT must be a number, got {port!r}.")
            sys.exit(2)
        shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
        out = self.stdout
        out.write("")
        out.write(f"Attune is starting on http://{shown}:{port}/")
        out.write(f"  health:    http://{shown}:{port}/healthz   readiness: http://{shown}:{port}/readyz")
        out.write(f"  sign in:   http://{shown}:{port}/accounts/login/  (organizer pages at /o/{demo.DEMO_ORG_SLUG}/)")
        for login in demo.DEMO_STAFF:
            out.write(f"  demo login ({login.role}): {login.email} / {login.password}")
        extra_hosts = []
        if host in ("0.0.0.0", "::"):
            addresses = lan_addresses()
            extra_hosts = addresses
            if addresses:
                url = f"http://{addresses[0]}:{port}/"
                out.write(f"  on the venue's Wi-Fi: {', '.join(f'http://{a}:{port}/' for a in addresses)}")
                out.write("  scan to open on a phone:")
                code = qrcode.QRCode(border=1)
                code.add_data(url)
                code.print_ascii(out=out._out, invert=True)
            else:
                out.write("  no LAN address found: is this machine on a network?")
        out.write("Press Ctrl+C to stop.")
        out.flush()
        env = dict(os.environ)
        if extra_hosts and "ALLOWED_HOSTS" not in env:
            env["ALLOWED_HOSTS"] = ",".join(["localhost", "127.0.0.1", "[::1]", *extra_hosts])
        daphne = os.path.join(os.path.dirname(sys.executable), "daphne")
        # No Daphne access log: capability links carry tokens in their path.
        # config.middleware.RequestLogMiddleware logs URL patterns instead.
        argv = [daphne, "-b", host, "-p", port, "--access-log", os.devnull, "config.asgi:application"]
        os.execve(daphne, argv, env)
