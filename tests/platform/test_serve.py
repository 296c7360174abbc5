"""`make run`'s last step, `manage.py serve`: prints where to go, then serves with Daphne and runs the periodic
maintenance beside it; both stop together. Without PUBLIC_BASE_URL it derives the base of e-mailed links and QR
codes from HOST/PORT and hands it to both children."""

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.e2e.browser import DIST
from tests.platform.servers import server_env
from tests.support import ROOT, VENV_BIN, free_port, stop, wait_for_http
from workshops.management.commands.serve import lan_addresses, public_base_url

pytestmark = [pytest.mark.multiprocess, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def start_serve(host, port, **extra_env):
    return subprocess.Popen(
        [str(VENV_BIN / "python"), "manage.py", "serve"],
        cwd=ROOT,
        env=server_env(HOST=host, PORT=str(port), **extra_env),
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
        # Phones scanning the projector's QR code reach this server at its LAN address.
        assert f"links in e-mails and QR codes: http://{addresses[0]}:{port}/" in text
        for pid in server_and_maintenance(process):
            assert environ_of(pid)["PUBLIC_BASE_URL"] == f"http://{addresses[0]}:{port}"
    finally:
        stop(process)


def alive(pid):
    """A process that exists and is not a zombie waiting for its parent to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def children(pid):
    """{pid: command line} of the live processes whose parent is `pid`."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if ppid == pid and alive(int(entry.name)):
            found[int(entry.name)] = cmdline
    return found


def server_and_maintenance(serve, timeout=20):
    """The pids of serve's two children: Daphne and `run_maintenance`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = children(serve.pid)
        daphne = [pid for pid, cmd in found.items() if "daphne" in cmd and "config.asgi:application" in cmd]
        maintenance = [pid for pid, cmd in found.items() if "manage.py run_maintenance --every 60" in cmd]
        if daphne and maintenance:
            assert len(found) == 2, found
            return daphne[0], maintenance[0]
        time.sleep(0.1)
    raise TimeoutError(f"serve's children: {children(serve.pid)}")


def environ_of(pid):
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


def wait_gone(pids, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.1)
    return [pid for pid in pids if alive(pid)]


def started_and_ready(**extra_env):
    port = free_port()
    serve = start_serve("127.0.0.1", port, **extra_env)
    read_banner(serve)
    wait_for_http(f"http://127.0.0.1:{port}/readyz", process=serve)
    return serve, port


def test_serve_runs_maintenance_beside_daphne_and_sigterm_stops_both():
    serve, _ = started_and_ready()
    try:
        daphne, maintenance = server_and_maintenance(serve)
        # The first round runs at once and reports on maintenance's own output (serve's stdout here).
        assert any(line.startswith("upkeep: ") for line in read_banner(serve, until="upkeep: "))
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(15) == 0
        assert wait_gone([daphne, maintenance]) == []
    finally:
        stop(serve)


def test_serve_stops_on_ctrl_c_with_both_children():
    serve, _ = started_and_ready()
    try:
        pids = server_and_maintenance(serve)
        serve.send_signal(signal.SIGINT)
        assert serve.wait(15) == 0
        assert wait_gone(list(pids)) == []
    finally:
        stop(serve)


def test_when_the_server_dies_serve_stops_maintenance_and_fails():
    serve, _ = started_and_ready()
    try:
        daphne, maintenance = server_and_maintenance(serve)
        os.kill(daphne, signal.SIGKILL)
        assert serve.wait(15) == 1
        assert wait_gone([maintenance]) == []
    finally:
        stop(serve)


def test_killing_serve_itself_leaves_no_child_running():
    serve, _ = started_and_ready()
    try:
        pids = server_and_maintenance(serve)
        serve.kill()  # no chance to clean up: the kernel's parent-death signal stops the children
        serve.wait(5)
        assert wait_gone(list(pids)) == []
    finally:
        stop(serve)


def test_serve_derives_the_public_base_url_from_host_and_port_for_both_children():
    serve, port = started_and_ready()
    try:
        for pid in server_and_maintenance(serve):
            assert environ_of(pid)["PUBLIC_BASE_URL"] == f"http://localhost:{port}"
    finally:
        stop(serve)


def test_serve_keeps_a_configured_public_base_url():
    serve, _ = started_and_ready(PUBLIC_BASE_URL="https://attune.example")
    try:
        for pid in server_and_maintenance(serve):
            assert environ_of(pid)["PUBLIC_BASE_URL"] == "https://attune.example"
    finally:
        stop(serve)


def test_serve_collects_the_static_files_and_serves_them_compressed_and_kept_for_good():
    """A venue's phones on a slow network load the live app compressed (a third of its size), and only once: the
    page names each file by its content's hash, which the phone may keep for good."""
    if not (DIST / "participant.js").exists():  # as the browser tests do, build it when the checkout has none yet
        subprocess.run(["make", "frontend"], cwd=ROOT, capture_output=True, check=True)
    serve, port = started_and_ready()
    try:
        base = f"http://127.0.0.1:{port}"
        page = httpx.get(f"{base}/live/").text
        (script,) = re.findall(r'src="(/static/live/participant\.[0-9a-f]{12}\.js)"', page)
        styles = re.findall(r'href="(/static/(?:attune|live/participant)\.[0-9a-f]{12}\.css)"', page)
        assert len(styles) == 2
        for path in (script, *styles):
            response = httpx.get(base + path, headers={"accept-encoding": "gzip"})
            assert response.status_code == 200, path
            assert response.headers["content-encoding"] == "gzip", path
            assert response.headers["cache-control"] == "max-age=315360000, public, immutable", path
        app = httpx.get(base + script, headers={"accept-encoding": "gzip"})
        assert app.content == (DIST / "participant.js").read_bytes()  # httpx unpacked it: the built app
        assert int(app.headers["content-length"]) < len(app.content) / 2
    finally:
        stop(serve)


@pytest.mark.parametrize(
    ("host", "addresses", "expected"),
    [
        ("0.0.0.0", ["192.168.1.20", "10.0.0.5"], "http://192.168.1.20:8102"),
        ("::", ["192.168.1.20"], "http://192.168.1.20:8102"),
        ("0.0.0.0", [], "http://localhost:8102"),
        ("127.0.0.1", [], "http://localhost:8102"),
        ("::1", [], "http://localhost:8102"),
        ("10.1.2.3", [], "http://10.1.2.3:8102"),
        ("fd00::7", [], "http://[fd00::7]:8102"),
    ],
)
def test_public_base_url_is_the_first_lan_address_on_all_interfaces_else_the_host(host, addresses, expected):
    assert public_base_url(host, "8102", addresses) == expected


def test_make_run_hands_the_derived_base_url_to_the_demo_whose_emails_then_link_to_this_port(builtin_library):
    """`make run` runs load_demo with serve's PUBLIC_BASE_URL: the demo couples' e-mails (sent on the first run,
    printed on the console) link to the port the server is about to use, not to :8000."""
    recipe = (ROOT / "Makefile").read_text()
    assert 'PUBLIC_BASE_URL="$$($(PY) manage.py serve --print-base-url)" $(PY) manage.py load_demo' in recipe
    port = str(free_port())
    python = str(VENV_BIN / "python")
    derived = subprocess.run(
        [python, "manage.py", "serve", "--print-base-url"],
        cwd=ROOT,
        env=server_env(HOST="127.0.0.1", PORT=port),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()
    assert derived == f"http://localhost:{port}"
    # load_demo sends the demo's queued e-mails at once, through the console backend, to its output.
    demo = subprocess.run(
        [python, "manage.py", "load_demo"],
        cwd=ROOT,
        env=server_env(PUBLIC_BASE_URL=derived),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    links = re.findall(r"https?://[^\s/]+/\S*", demo.stdout)
    couple_links = [link for link in links if "/i/" in link]
    assert len(couple_links) >= 3  # one personal link per demo registration
    assert {link.split("/")[2] for link in couple_links} == {f"localhost:{port}"}
    # Other links (the online workshop's video call) are the workshop's own; none points at another Attune port.
    assert not [
        link for link in links if re.match(r"https?://(localhost|127\.0\.0\.1)", link) and f":{port}/" not in link
    ]
