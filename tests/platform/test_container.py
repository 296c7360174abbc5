"""platform/Dockerfile built by a real container engine (podman) and served from a container.

/work/shared/RECIPES.md says podman cannot RUN here; it can, given three settings that this machine's sandbox
needs (found by trying, and harmless elsewhere):
- `--runtime runc`: crun refuses ("cgroups in hybrid mode not supported");
- `--cgroup-manager cgroupfs`: there is no systemd to ask;
- `--ulimit nofile=...,nproc=...` at most the current hard limits: podman's defaults ask for more, and raising a
  limit is not permitted here ("setrlimit RLIMIT_NOFILE: Operation not permitted").
No base image can be pulled (no registry but PyPI, Debian and npm). When `node:22-bookworm-slim` or
`python:3.11-slim-bookworm` is not already in podman's store, a stand-in is made under that name (labelled
attune.standin=true): Debian bookworm by debootstrap, plus Debian's Python 3.11 in a venv first on PATH (as the
official image's /usr/local/bin), or this machine's Node and npm. On a machine with the real images they are used.

The image is built with `podman build` from a clean copy of the tree with decoys planted (test_image.py: .env with a
secret, .venv, node_modules, var/attune.sqlite3, ...), then checked from inside a container, and served: its own CMD
(uvicorn on 0.0.0.0:8000 as uid 10001) under production settings, PostgreSQL and Redis reached on the host's loopback
(slirp4netns), /live/ fetched through the published port.
"""

import contextlib
import json
import re
import resource
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import pytest
from dockerfile_parse import DockerfileParser

from tests.platform.servers import database_url_of_test_db
from tests.platform.test_image import DECOY_SECRET, DOCKERFILE, LIVE_APPS, PLANTED, clean_copy_with_planted_files
from tests.support import ROOT, free_port, private_redis, wait_for_http

pytestmark = [pytest.mark.slow, pytest.mark.multiprocess]  # builds and runs containers

HOST_FROM_CONTAINER = "10.0.2.2"  # slirp4netns's address of the host's loopback (allow_host_loopback=true)
STANDIN_ROOTFS = "localhost/attune-standin-bookworm:latest"


def podman_command():
    podman, runc = shutil.which("podman"), shutil.which("runc") or shutil.which("runc", path="/usr/sbin")
    if not podman or not runc:
        pytest.skip("podman and runc are not installed (apt-get install podman runc)")
    return [podman, "--runtime", runc, "--cgroup-manager", "cgroupfs"]


def limits():
    """Limits the sandbox lets a container have: nofile up to the current hard limit; nproc is refused even at the
    current hard limit (96,369 here) but 4,096 is granted, plenty for a build step or the server."""
    files = min(resource.getrlimit(resource.RLIMIT_NOFILE)[1], 65536)
    processes = min(resource.getrlimit(resource.RLIMIT_NPROC)[1], 4096)
    return ["--ulimit", f"nofile={files}:{files}", "--ulimit", f"nproc={processes}:{processes}"]


def run(argv, **kwargs):
    return subprocess.run(argv, capture_output=True, text=True, check=True, **kwargs)


def image_exists(podman, name):
    return subprocess.run([*podman, "image", "exists", name], capture_output=True).returncode == 0


def build(podman, directory, tag, containerfile="Containerfile", network="host", extra=()):
    # --layers=false: no intermediate images are kept, so removing the tag removes the build.
    argv = [*podman, "build", "--pull=never", "--layers=false", f"--network={network}", *limits(), *extra]
    result = subprocess.run(
        [*argv, "-f", str(directory / containerfile), "-t", tag, str(directory)],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def standin_rootfs(podman, workspace):
    if image_exists(podman, STANDIN_ROOTFS):
        return
    debootstrap = shutil.which("debootstrap") or shutil.which("debootstrap", path="/usr/sbin")
    if not debootstrap:
        pytest.skip("no base image and no debootstrap to make a stand-in (apt-get install debootstrap)")
    rootfs = workspace / "rootfs"
    run(
        [
            debootstrap,
            "--variant=minbase",
            "--include=python3,python3-venv,ca-certificates",
            "bookworm",
            str(rootfs),
            "http://deb.debian.org/debian",
        ],
        timeout=1200,
    )
    packed = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
    run([*podman, "import", "--change", "LABEL attune.standin=true", "-", STANDIN_ROOTFS], stdin=packed.stdout)
    packed.wait()
    shutil.rmtree(rootfs, ignore_errors=True)


def standin_python(podman, workspace, name):
    folder = workspace / "standin-python"
    folder.mkdir()
    shutil.copy("/etc/ssl/certs/ca-certificates.crt", folder)  # this machine's CAs (its registries' proxy)
    (folder / "Containerfile").write_text(
        f"FROM {STANDIN_ROOTFS}\n"
        "COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt\n"
        "RUN python3 -m venv /usr/local/python\n"
        "ENV PATH=/usr/local/python/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \\\n"
        "    PIP_CERT=/etc/ssl/certs/ca-certificates.crt\n"
        "LABEL attune.standin=true\n"
    )
    build(podman, folder, name)


def standin_node(podman, workspace, name):
    node = shutil.which("node")
    npm_root = Path("/usr/lib/node_modules/npm")
    if not node or not npm_root.is_dir():
        pytest.skip("no Node base image and no local Node/npm to make a stand-in")
    folder = workspace / "standin-node"
    folder.mkdir()
    shutil.copy(node, folder / "node")
    shutil.copytree(npm_root, folder / "npm")
    shutil.copy("/etc/ssl/certs/ca-certificates.crt", folder)
    (folder / "Containerfile").write_text(
        f"FROM {STANDIN_ROOTFS}\n"
        "COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt\n"
        "COPY node /usr/local/bin/node\n"
        "COPY npm /usr/local/lib/node_modules/npm\n"
        "RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm\n"
        "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt\n"
        "LABEL attune.standin=true\n"
    )
    build(podman, folder, name)


def base_images(podman, workspace):
    for parent in DockerfileParser(path=str(ROOT / DOCKERFILE)).parent_images:
        name = parent if "/" in parent else f"docker.io/library/{parent}"
        if image_exists(podman, name):
            continue
        standin_rootfs(podman, workspace)
        if parent.startswith("python:"):
            standin_python(podman, workspace, name)
        elif parent.startswith("node:"):
            standin_node(podman, workspace, name)
        else:
            pytest.skip(f"no way to make a stand-in for {parent}")


@pytest.fixture(scope="module")
def image():
    podman = podman_command()
    workspace = Path(tempfile.mkdtemp(prefix="attune-container-"))
    tag = f"localhost/attune:test-{uuid.uuid4().hex[:12]}"
    try:
        base_images(podman, workspace)
        source = workspace / "source"
        clean_copy_with_planted_files(source)
        build(podman, source, tag, containerfile=DOCKERFILE)
        yield podman, tag
    finally:
        subprocess.run([*podman, "rmi", "-f", tag], capture_output=True)
        subprocess.run([*podman, "image", "prune", "-f"], capture_output=True)  # the Node stage's image
        shutil.rmtree(workspace, ignore_errors=True)


def in_container(podman, tag, script):
    return run([*podman, "run", "--rm", *limits(), "--network=none", tag, "sh", "-c", script], timeout=120).stdout


def test_the_built_image_runs_as_uid_10001_and_holds_nothing_ignored(image):
    podman, tag = image
    inspected = json.loads(run([*podman, "image", "inspect", tag]).stdout)[0]["Config"]
    assert inspected["User"] == "10001:10001"
    assert inspected["WorkingDir"] == "/app"
    assert in_container(podman, tag, "id -u; id -g").split() == ["10001", "10001"]
    held = set(in_container(podman, tag, "cd /app && find . -mindepth 1 | cut -c3-").split("\n")) - {""}
    for planted in PLANTED:
        if not planted.startswith("frontend/dist/"):
            assert planted not in held
    parts = {part for name in held for part in name.split("/")}
    assert not parts & {".env", ".env.production", ".venv", "node_modules", ".git", "test-artifacts", ".pytest_cache"}
    assert not [name for name in held if name.endswith((".sqlite3", ".pyc")) or name == "bench-results.json"]
    assert {name.split("/")[1] for name in held if name.startswith("var/")} == {"static"}
    searched = "/app /etc /usr/local /tmp /root"
    assert in_container(podman, tag, f"grep -rl {DECOY_SECRET} {searched} 2>/dev/null || true").strip() == ""
    # Only var/ is the server's to write.
    owners = in_container(podman, tag, "stat -c '%u %n' /app/manage.py /app/var /app/var/static").split("\n")
    assert owners[:3] == ["0 /app/manage.py", "10001 /app/var", "10001 /app/var/static"]


def test_the_built_image_has_the_live_apps_in_its_static_manifest(image):
    podman, tag = image
    manifest = json.loads(in_container(podman, tag, "cat /app/var/static/staticfiles.json"))["paths"]
    for name in LIVE_APPS:
        for ext in ("js", "css"):
            assert re.fullmatch(rf"live/{name}\.[0-9a-f]{{12}}\.{ext}", manifest[f"live/{name}.{ext}"])


@contextlib.contextmanager
def container(podman, tag, env, port):
    name = f"attune-test-{uuid.uuid4().hex[:12]}"
    env_args = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
    run(
        [
            *podman,
            "run",
            "-d",
            "--name",
            name,
            *limits(),
            "--network=slirp4netns:allow_host_loopback=true",
            "-p",
            f"127.0.0.1:{port}:8000",
            *env_args,
            tag,
        ],
        timeout=120,
    )
    try:
        yield name
    finally:
        subprocess.run([*podman, "rm", "-f", "-t", "10", name], capture_output=True, timeout=60)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_container_of_the_image_serves_the_live_apps_under_production_settings(image):
    podman, tag = image
    port = free_port()
    database_url = re.sub(r"@(127\.0\.0\.1|localhost)(?=[:/])", f"@{HOST_FROM_CONTAINER}", database_url_of_test_db())
    with private_redis() as (_, redis_url):
        env = {
            "ATTUNE_MODE": "production",
            "SECRET_KEY": "container-test-" + "k" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url.replace("127.0.0.1", HOST_FROM_CONTAINER),
            "SECURE_COOKIES": "false",
        }
        with container(podman, tag, env, port) as name:
            try:
                ready = wait_for_http(f"http://127.0.0.1:{port}/readyz", timeout=60)
                assert ready.status_code == 200, ready.text
                page = httpx.get(f"http://127.0.0.1:{port}/live/", timeout=10)
                assert page.status_code == 200
                for kind in ('<script type="module" src="', '<link rel="stylesheet" href="'):
                    url = re.search(re.escape(kind) + r"(/static/live/participant\.[0-9a-f]{12}\.(js|css))", page.text)
                    asset = httpx.get(f"http://127.0.0.1:{port}{url.group(1)}", timeout=10)
                    assert asset.status_code == 200, kind
                    assert "immutable" in asset.headers["cache-control"]
                top = run([*podman, "top", name, "user", "args"]).stdout
                assert re.search(r"^(10001|attune)\s+.*uvicorn config\.asgi:application", top, re.M), top
            finally:
                logs = subprocess.run([*podman, "logs", name], capture_output=True, text=True).stderr
                print(logs[-3000:])
            started = time.monotonic()
            run([*podman, "stop", "-t", "15", name], timeout=60)
            assert time.monotonic() - started < 15  # uvicorn stops on SIGTERM, not by the kill after the timeout
