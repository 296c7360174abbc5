"""platform/Dockerfile, replayed stage by stage in a clean copy of the tree, then served.

No container can be built and run from this Dockerfile on this machine: podman (Debian's) builds only images whose
steps COPY, its containers stop at crun's setrlimit, and no base image (node, python) can be pulled: there is no
registry but PyPI, Debian and npm (/work/shared/RECIPES.md, "Container images on this machine"). So this test does
what the build does, in the same order, with the Dockerfile as the only script:

1. A clean copy of the tree: the files git tracks, plus what must never reach the image planted beside them (.env
   with a secret, .venv, node_modules, var/attune.sqlite3, a stale frontend/dist, .git, test and tool outputs).
2. The build context is made from that copy by docker-py's own .dockerignore matching (`docker.utils.build.tar`,
   what `docker build` through docker-py sends), and unpacked.
3. Each instruction, parsed with dockerfile-parse, is replayed: FROM starts an empty folder as the stage's root
   (absolute paths such as WORKDIR /app and COPY --from=frontend /frontend/dist live under it); ENV, WORKDIR, COPY
   (from the context or an earlier stage), RUN (with `bash -c`, in the stage's WORKDIR), USER and CMD.

What is adapted, and only that:
- The base images' own content comes from this machine: Node and npm for the Node stage (`npm ci` runs for real and
  may reuse the local npm cache); for the Python stage a throwaway Python 3.11 venv whose bin/ is first on PATH, as
  the image's /usr/local/bin is. The RUN `pip install -r requirements/base.txt` runs for real into that venv (not the
  project's shared venv), so the app is served with base.txt alone: a runtime import of a test-only package fails here.
- `groupadd`/`useradd` would change this machine's accounts, so they are not run: their ids are checked against
  USER instead, and `chown -R attune:attune` is replayed with those numeric ids.
- CMD runs as USER's uid (setpriv), on 127.0.0.1 and a free port instead of 0.0.0.0:8000.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import tempfile
import uuid
from pathlib import Path

import httpx
import pytest
from docker.utils.build import tar
from dockerfile_parse import DockerfileParser

from tests.platform.servers import database_url_of_test_db
from tests.support import ROOT, VENV_BIN, free_port, private_redis, stop, wait_for_http

DOCKERFILE = "platform/Dockerfile"
LIVE_APPS = ("participant", "facilitator", "projector")
DECOY_SECRET = f"decoy-secret-{uuid.uuid4().hex}"  # made now, so no file of the tree holds it
# Planted in the copy of the tree: each must stay out of the build context, hence out of the image.
PLANTED = {
    ".env": f"SECRET_KEY={DECOY_SECRET}\n",
    ".env.production": f"SECRET_KEY={DECOY_SECRET}\n",
    ".venv/bin/python": "#!/bin/sh\n",
    "frontend/node_modules/left-pad/index.js": "module.exports = 1;\n",
    "frontend/dist/live/participant.js": "/* stale build from the host */\n",
    "var/attune.sqlite3": "SQLite format 3\0",
    "var/static/old.css": "body{}\n",
    ".git/HEAD": "ref: refs/heads/main\n",
    "test-artifacts/trace.zip": "trace",
    ".pytest_cache/v/cache/lastfailed": "{}",
    ".ruff_cache/CACHEDIR.TAG": "tag",
    ".hypothesis/examples/x": "x",
    "bench-results.json": "{}",
    "workshops/__pycache__/models.cpython-311.pyc": "pyc",
}
ACCOUNT_COMMANDS = {"groupadd", "useradd"}


def replayed(test):
    """A test of the replayed image: the replay takes two minutes or so and runs npm, pip and the server."""
    return pytest.mark.slow(pytest.mark.multiprocess(test))


def dockerignore_patterns(context):
    """.dockerignore's patterns, read as docker-py's APIClient.build reads them."""
    lines = (context / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def clean_copy_with_planted_files(destination):
    tracked = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, tracked):
        source = ROOT / name.decode()
        if source.is_file() and not source.is_symlink():
            target = destination / name.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    for name, content in PLANTED.items():
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)


def build_context(source, destination):
    patterns = dockerignore_patterns(source)
    archive = tar(str(source), exclude=list(patterns), dockerfile=(DOCKERFILE, None))
    with tarfile.open(fileobj=archive) as unpacked:
        unpacked.extractall(destination, filter="tar")
    # docker-py always sends .dockerignore (the daemon reads it); the daemon then leaves a listed one out of COPY.
    if ".dockerignore" in patterns:
        (destination / ".dockerignore").unlink()


class Stage:
    def __init__(self, name, root):
        self.name = name
        self.root = root
        self.workdir = "/"
        self.env = {}
        self.user = None
        self.cmd = None
        self.accounts = []  # the groupadd/useradd commands, checked instead of run

    def path(self, absolute):
        return self.root / absolute.lstrip("/")

    def resolve(self, path):
        return self.path(path if path.startswith("/") else f"{self.workdir.rstrip('/')}/{path}")


def copy_into(sources, destination, into_directory):
    for source in sources:
        target = destination / source.name if into_directory and source.is_file() else destination
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True, symlinks=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def split_commands(command):
    """A RUN's shell line split at its top-level `&&`s (this Dockerfile chains simple commands only)."""
    return [part.strip() for part in re.split(r"\s&&\s", command) if part.strip()]


def run_step(stage, command, host_path):
    env = {
        "PATH": host_path,
        "HOME": str(stage.root / "root"),
        "npm_config_cache": os.path.expanduser("~/.npm"),  # the local npm cache, as a build cache mount would
        **stage.env,
    }
    subprocess.run(["bash", "-euo", "pipefail", "-c", command], cwd=stage.path(stage.workdir), env=env, check=True)


def replay(dockerfile, context, workspace, python_bin):
    """Every instruction of `dockerfile` in order; returns the stages by name (the last one also as "final")."""
    stages = {}
    stage = None
    host_tools = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
    for instruction in DockerfileParser(path=str(dockerfile)).structure:
        kind, value = instruction["instruction"], instruction["value"]
        if kind == "COMMENT":
            continue
        if kind == "FROM":
            image, _, name = value.partition(" AS ")
            name = name.strip() or str(len(stages))
            stage = stages[name] = Stage(name, workspace / f"stage-{name}")
            stage.root.mkdir(parents=True)
            (stage.root / "root").mkdir()
            # The base image's tools: this machine's Node for node:*, the throwaway venv for python:*.
            stage.host_path = f"{python_bin}:{host_tools}" if image.startswith("python:") else host_tools
        elif kind == "WORKDIR":
            stage.workdir = value if value.startswith("/") else f"{stage.workdir.rstrip('/')}/{value}"
            stage.path(stage.workdir).mkdir(parents=True, exist_ok=True)
        elif kind == "ENV":
            for pair in shlex.split(value):
                key, _, val = pair.partition("=")
                stage.env[key] = val
        elif kind == "COPY":
            words = shlex.split(value)
            options = [w for w in words if w.startswith("--")]
            *sources, destination = [w for w in words if not w.startswith("--")]
            origin = context
            paths = [context / s for s in sources]
            for option in options:
                key, _, val = option[2:].partition("=")
                assert key == "from", f"COPY option {option} is not replayed"
                origin = stages[val]
                paths = [origin.path(s) for s in sources]
            assert all(p.exists() for p in paths), f"COPY {value}: missing in {origin}"
            target = stage.resolve(destination)
            copy_into(paths, target, into_directory=destination.endswith("/") or len(paths) > 1)
        elif kind == "RUN":
            for command in split_commands(value):
                program = command.split()[0]
                if program in ACCOUNT_COMMANDS:
                    stage.accounts.append(command)
                    continue
                if program == "chown":
                    command = command.replace("attune:attune", "{uid}:{gid}".format(**account_ids(stage)))
                run_step(stage, command, stage.host_path)
        elif kind == "USER":
            stage.user = value
        elif kind == "CMD":
            stage.cmd = json.loads(value)
        elif kind in ("EXPOSE", "LABEL"):
            pass
        else:
            raise AssertionError(f"{kind} is not replayed by this test: teach it, or keep the Dockerfile simple")
    stages["final"] = stage
    return stages


def account_ids(stage):
    """The uid and gid that the stage's groupadd/useradd give the `attune` account."""
    text = " ".join(stage.accounts)
    return {
        "uid": int(re.search(r"useradd\b.*--uid (\d+)", text).group(1)),
        "gid": int(re.search(r"groupadd\b.*--gid (\d+)", text).group(1)),
    }


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    if not shutil.which("npm"):
        pytest.skip("npm is not installed")
    # Not under pytest's own temporary folder (mode 0700): the app's user must be able to read the replayed tree.
    workspace = Path(tempfile.mkdtemp(prefix="attune-image-"))
    workspace.chmod(0o755)
    try:
        source, context = workspace / "source", workspace / "context"
        clean_copy_with_planted_files(source)
        build_context(source, context)
        venv = workspace / "python"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        stages = replay(context / DOCKERFILE, context, workspace, venv / "bin")
        yield stages["final"], context
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


def files_under(root):
    return {path.relative_to(root).as_posix() for path in root.rglob("*")}


@replayed
def test_the_build_context_leaves_out_everything_dockerignore_lists(image):
    _, context = image
    held = files_under(context)
    for planted in PLANTED:
        assert planted not in held
    assert not any(
        part in (".git", ".venv", "node_modules", "__pycache__") for name in held for part in name.split("/")
    )
    assert {"manage.py", "requirements/base.txt", "frontend/package-lock.json", DOCKERFILE} <= held


@replayed
def test_the_final_stage_holds_nothing_that_is_ignored_nor_the_planted_secret(image):
    final, _ = image
    app = final.path(final.workdir)
    held = files_under(app)
    for planted in PLANTED:
        if not planted.startswith("frontend/dist/"):  # built in the image: its content is checked below
            assert planted not in held
    names = [part for name in held for part in name.split("/")]
    for ignored in (".env", ".env.production", ".venv", "node_modules", ".git", "test-artifacts", ".pytest_cache"):
        assert ignored not in names
    assert "bench-results.json" not in held
    assert not [name for name in held if name.endswith((".sqlite3", ".pyc"))]
    # var/ holds only what the build collected into it.
    assert {name.split("/")[1] for name in held if name.startswith("var/")} == {"static"}
    assert not [name for name in held if (app / name).is_file() and DECOY_SECRET.encode() in (app / name).read_bytes()]


@replayed
def test_the_live_apps_are_built_in_the_image_and_in_the_static_manifest(image):
    final, _ = image
    app = final.path(final.workdir)
    for name in LIVE_APPS:
        built = app / "frontend" / "dist" / "live" / f"{name}.js"
        assert built.stat().st_size > 1000  # the Node stage's build, not the planted stale file
        assert b"stale build from the host" not in built.read_bytes()
    manifest = json.loads((app / "var" / "static" / "staticfiles.json").read_text())["paths"]
    for name in LIVE_APPS:
        for ext in ("js", "css"):
            hashed = manifest[f"live/{name}.{ext}"]
            assert re.fullmatch(rf"live/{name}\.[0-9a-f]{{12}}\.{ext}", hashed)
            assert (app / "var" / "static" / hashed).is_file()


@replayed
def test_the_image_runs_as_the_non_root_account_it_creates(image):
    final, _ = image
    ids = account_ids(final)
    assert final.user == f"{ids['uid']}:{ids['gid']}"
    assert ids["uid"] != 0 and ids["gid"] != 0
    assert any("--no-log-init" in command and "--uid" in command for command in final.accounts)
    app = final.path(final.workdir)
    # The code stays root's: the server's user can write var/ only.
    assert (app / "var").stat().st_uid == ids["uid"]
    assert (app / "manage.py").stat().st_uid == os.getuid()


@replayed
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_replayed_image_serves_the_participant_app_under_production_settings(image):
    final, _ = image
    ids = account_ids(final)
    command = list(final.cmd)
    assert command[0] == "uvicorn"
    port = free_port()
    command[command.index("--host") + 1] = "127.0.0.1"
    command[command.index("--port") + 1] = str(port)
    with private_redis() as (_, redis_url):
        env = {
            **final.env,
            "PATH": f"{final.host_path}",
            "ATTUNE_MODE": "production",
            "SECRET_KEY": "image-test-" + "k" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            "DATABASE_URL": database_url_of_test_db(),
            "REDIS_URL": redis_url,
            "SECURE_COOKIES": "false",
        }
        as_user = ["setpriv", f"--reuid={ids['uid']}", f"--regid={ids['gid']}", "--clear-groups"]
        server = subprocess.Popen(
            [*as_user, *command], cwd=final.path(final.workdir), env=env, stdout=sys.stderr, stderr=sys.stderr
        )
        try:
            page = wait_for_http(f"http://127.0.0.1:{port}/live/", process=server)
            assert page.status_code == 200
            html = page.text
            script = re.search(r'<script type="module" src="(/static/live/participant\.[0-9a-f]{12}\.js)"', html)
            style = re.search(r'<link rel="stylesheet" href="(/static/live/participant\.[0-9a-f]{12}\.css)"', html)
            assert script and style, html
            for url, kind in ((script.group(1), "javascript"), (style.group(1), "css")):
                asset = httpx.get(f"http://127.0.0.1:{port}{url}", timeout=5)
                assert asset.status_code == 200
                assert kind in asset.headers["content-type"]
                assert "immutable" in asset.headers.get("cache-control", "")
        finally:
            stop(server)


def test_hadolint_passes_the_dockerfile():
    result = subprocess.run(
        [str(VENV_BIN / "hadolint"), "--no-color", str(ROOT / DOCKERFILE)], capture_output=True, text=True, timeout=60
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
