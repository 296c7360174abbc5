"""The production server's own scenarios of `make bench` (bench/topology.py, bench/nginx.py): the nginx config made
from platform/nginx.conf, how nginx is found or installed, how sockets are counted per process, and how the
results are planned and printed. The slow test puts our nginx in front of two real server processes."""

import asyncio
import os
import re
import socket
import subprocess
import sys

import pytest

from bench import nginx, procs
from bench.client import SESSION, Pool, connect, storm
from bench.run import extra_lines, run_extras
from bench.scenarios import Config
from bench.topology import Processes


def rendered(**overrides):
    args = dict(upstreams=[41001, 41002], port=42000, prefix="/tmp/bench-x", connections=20000)
    args.update(overrides)
    return nginx.render_config(nginx.TEMPLATE.read_text(), **args)


def upstream_block(text):
    return re.search(r"upstream\s+attune\s*\{([^}]*)\}", text).group(1)


def test_the_config_keeps_production_routing_and_points_it_at_our_processes():
    text = rendered()
    block = upstream_block(text)
    assert "least_conn;" in block
    servers = re.findall(r"^\s*server\s+([^;]+);", block, re.M)
    assert servers == ["127.0.0.1:41001 max_fails=0", "127.0.0.1:41002 max_fails=0"]
    assert "web1" not in text and "web2" not in text
    ws = re.search(r"location /ws/ \{([^}]*)\}", text).group(1)
    assert "proxy_pass http://attune;" in ws
    assert "proxy_set_header Upgrade $http_upgrade;" in ws
    assert "proxy_set_header Connection $connection_upgrade;" in ws
    assert "map $http_upgrade $connection_upgrade" in text
    assert re.findall(r"listen\s+([^;]+);", text) == ["127.0.0.1:42000"]


def test_the_config_runs_one_worker_with_room_for_every_socket_twice_and_keeps_its_files_in_the_prefix():
    text = rendered(connections=20000)
    assert re.search(r"^worker_processes 1;", text, re.M)
    assert "worker_connections 20000;" in text
    assert int(re.search(r"worker_rlimit_nofile (\d+);", text).group(1)) > 20000
    assert "daemon off;" in text
    assert "pid /tmp/bench-x/nginx.pid;" in text
    assert "error_log /tmp/bench-x/error.log" in text
    for path in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        assert f"{path}_temp_path /tmp/bench-x/{path};" in text
    assert "access_log off;" in text and "/dev/stdout" not in text


def test_the_config_leaves_out_modules_nginx_was_built_without_and_can_log_to_a_file():
    text = rendered(without={"uwsgi", "scgi"}, access_log="/tmp/bench-x/access.log")
    assert "uwsgi_temp_path" not in text and "scgi_temp_path" not in text and "fastcgi_temp_path" in text
    assert "access_log /tmp/bench-x/access.log attune;" in text


def test_the_config_takes_any_number_of_upstreams():
    block = upstream_block(rendered(upstreams=[1, 2, 3]))
    assert re.findall(r"server\s+127\.0\.0\.1:(\d+)", block) == ["1", "2", "3"]


def test_a_template_the_bench_cannot_rewrite_is_an_error_not_a_silent_default():
    with pytest.raises(ValueError, match="upstream"):
        nginx.render_config(
            "worker_processes auto;\nevents { worker_connections 10; }\nhttp {\n access_log off;\n listen 80;\n}\n",
            upstreams=[1, 2],
            port=3,
            prefix="/x",
            connections=100,
        )


@pytest.mark.skipif(not nginx.find_nginx(), reason="nginx is not installed (make bench installs it)")
def test_nginx_accepts_the_generated_config(tmp_path):
    binary = nginx.find_nginx()
    text = nginx.render_config(
        nginx.TEMPLATE.read_text(),
        upstreams=[41001, 41002],
        port=procs.free_port(),
        prefix=tmp_path,
        connections=20000,
        without=nginx.compiled_without(binary),
    )
    (tmp_path / "nginx.conf").write_text(text)
    done = subprocess.run(
        [binary, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_nginx_is_used_when_installed_and_skipped_with_a_reason_when_it_cannot_be_installed(monkeypatch):
    monkeypatch.setattr(nginx.shutil, "which", lambda name: "/usr/sbin/nginx" if name == "nginx" else None)
    assert nginx.ensure_nginx() == "/usr/sbin/nginx"
    monkeypatch.setattr(nginx.shutil, "which", lambda name: None)
    monkeypatch.setattr(nginx.os, "geteuid", lambda: 1000)
    with pytest.raises(nginx.Unavailable, match="not root"):
        nginx.ensure_nginx()


def test_a_process_sockets_are_its_established_connections_on_its_port():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        port = listener.getsockname()[1]
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
        accepted = [listener.accept()[0] for _ in clients]
        try:
            assert nginx.established(port) == nginx.established(port, os.getpid()) == 3
            assert nginx.established(port, child_pid()) == 0
        finally:
            for sock in clients + accepted:
                sock.close()


def child_pid():
    return os.getppid()  # any other process


def test_children_are_found_from_proc_and_processes_are_measured_together():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        assert child.pid in nginx.children(os.getpid())
    finally:
        child.kill()
        child.wait()

    class Fake:
        def __init__(self, cpu, rss):
            self._cpu, self._rss = cpu, rss

        def cpu(self):
            return self._cpu

        def rss_kb(self):
            return self._rss

    both = Processes(Fake(1.5, 100), Fake(2.0, 50))
    assert both.cpu() == 3.5 and both.rss_kb() == 150


async def test_skipped_scenarios_are_recorded_with_their_reason_and_two_process_needs_the_main_runs_phones():
    plan = {
        "two_process": {"skipped": "BENCH_TWO_PROCESS=0"},
        "idle_10k": {"skipped": "BENCH_IDLE_SOCKETS=0"},
        "idle_pairs": [],
        "idle_fixture_s": 0.0,
    }
    extras = await run_extras(
        plan,
        production="uvicorn",
        env={},
        log=None,
        world=None,
        pairs=[["a", "b"]],
        cfg=Config(),
        cores=(0, 1),
        fd_limit=1,
    )
    assert extras == {"two_process": plan["two_process"], "idle_10k": plan["idle_10k"]}
    plan["two_process"] = object()
    extras = await run_extras(
        plan, production="uvicorn", env={}, log=None, world=None, pairs=None, cfg=Config(), cores=(0, 1), fd_limit=1
    )
    assert "no phones" in extras["two_process"]["skipped"] and extras["idle_10k"] == plan["idle_10k"]


def test_the_table_has_a_row_for_each_production_scenario():
    results = {
        "two_process": {
            "server": "uvicorn",
            "advance_p50_ms": 50.0,
            "advance_p99_ms": 90.0,
            "lost": 0,
            "duplicated": 0,
            "connect_storm_s": 12.5,
            "connect_failures": 0,
            "sockets_per_process": [1001, 1000],
            "server_cpu_us_per_recipient": 21.0,
        },
        "idle_10k": {"skipped": "BENCH_IDLE_SOCKETS=0"},
    }
    text = "\n".join(extra_lines(results))
    assert "two_process (uvicorn" in text and "50.0/90.0 ms" in text and "[1001, 1000]" in text
    assert "idle_10k" in text and "skipped: BENCH_IDLE_SOCKETS=0" in text
    results["idle_10k"] = {"server": "uvicorn", "idle_sockets_held": 10000, "sockets_requested": 10000}
    assert "10000 of 10000 held" in "\n".join(extra_lines(results))


def test_the_new_knobs_are_config_numbers_so_bench_env_sets_them():
    assert Config.idle_sockets == 10000 and Config.two_process == 1
    assert all(isinstance(getattr(Config, k), int) for k in ("idle_sockets", "idle_wave", "idle_concurrency"))


@pytest.mark.slow
@pytest.mark.multiprocess
@pytest.mark.skipif(not nginx.find_nginx(), reason="nginx is not installed (make bench installs it)")
async def test_our_nginx_spreads_sockets_over_two_real_server_processes(tmp_path):
    """The raw ASGI app under uvicorn, twice, behind nginx as the bench configures it: 20 sockets through the
    proxy's /ws/ location land on both processes, and each process's broadcast reaches its own (a few seconds)."""
    env = {**os.environ, "BENCH_FRAME_BYTES": "300", "PYTHONPATH": str(procs.ROOT)}
    pool = Pool()
    with open(tmp_path / "servers.log", "w") as log:
        servers = [procs.Server("raw", "uvicorn", env, procs.cores()[1], log) for _ in range(2)]
        proxy = None
        try:
            for server in servers:
                server.wait_ready()
            proxy = nginx.Nginx(nginx.find_nginx(), [s.port for s in servers], sockets=20, log=log)
            proxy.wait_ready()
            url = proxy.base.replace("http://", "ws://") + "/ws/s/"
            _, conns, failures = await storm(
                pool, [(url, {"Origin": proxy.base})] * 20, concurrency=5, ready_on=SESSION, timeout=10
            )
            assert not failures and all(conns)
            per_process = [nginx.established(s.port, s.pid) for s in servers]
            assert sum(per_process) == 20 and min(per_process) > 0, per_process
            for server in servers:
                control = await connect(
                    pool,
                    server.base.replace("http://", "ws://") + "/control/",
                    headers={},
                    counted=False,
                    ready_on=None,
                )
                control.send_text("1")
            await asyncio.wait_for(pool.expect(1, 20), 10)
            assert len(proxy.pids()) >= 2 and proxy.cpu() >= 0  # the master and its worker
        finally:
            for conn in pool.conns:
                conn.close()
            await asyncio.sleep(0.2)
            if proxy is not None:
                proxy.stop()
            for server in servers:
                server.stop()
    assert not (proxy.dir).exists()
