"""`make run`'s last step, `manage.py serve`: prints where to go, then serves."""

import os
import subprocess
import time

import pytest

from tests.platform.servers import server_env
from tests.support import ROOT, VENV_BIN, free_port, stop, wait_for_http
from workshops.management.commands.serve import lan_addresses

pytestmark = [pytest.mark.multiprocess, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def start_serve(host, port):
    return subprocess.Popen(
        [str(VENV_BIN / "python"), "manage.py", "serve"],
        cwd=ROOT,
        env=server_env(HOST=host, PORT=str(port)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def read_banner(process, until="Press Ctrl+C", timeout=20):
    lines = []
    os.set_blocking(process.stdout.fileno(), False)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line:
            lines.append(line.rstrip("\n"))
            if until in line:
                return lines
        else:
            time.sleep(0.05)
    raise TimeoutError("\n".join(lines))


def test_serve_prints_urls_and_demo_logins_and_becomes_ready():
    port = free_port()
    process = start_serve("127.0.0.1", port)
    try:
        banner = "\n".join(read_banner(process))
        assert f"http://localhost:{port}/" in banner
        assert "organizer@demo.attune.local / attune-demo" in banner
        ready = wait_for_http(f"http://127.0.0.1:{port}/readyz", process=process)
        assert ready.status_code == 200
        assert ready.json()["status"] == "ready"
    finally:
        stop(process)


def test_serve_on_all_interfaces_prints_the_lan_address_and_a_qr_code():
    addresses = lan_addresses()
    if not addresses:
        pytest.skip("this machine has no LAN address")
    port = free_port()
    process = start_serve("0.0.0.0", port)
    try:
        banner = read_banner(process)
        text = "\n".join(banner)
        assert f"http://{addresses[0]}:{port}/" in text
        qr_rows = [line for line in banner if "█" in line or "▀" in line or "▄" in line]
        assert len(qr_rows) >= 10
        # The LAN address is an allowed host, so a phone's request is served.
        response = wait_for_http(f"http://{addresses[0]}:{port}/healthz", process=process)
        assert response.status_code == 200
    finally:
        stop(process)
