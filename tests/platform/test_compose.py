"""docker-compose.yml, checked by parsing: there is no Docker engine on this
machine, so the topology it describes is also run for real in
test_two_processes.py."""

import json
import re
import subprocess
import sys

import pytest
import yaml

from tests.support import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
WEB = ["web1", "web2"]


def interpolate(value, variables):
    """Docker Compose's ${VAR}, ${VAR:-default} and ${VAR:?error} forms."""

    def replace(match):
        name, op, arg = match.group(1), match.group(2), match.group(3)
        if name in variables:
            return variables[name]
        if op == ":-":
            return arg
        raise KeyError(f"{name} is required: {arg}")

    return re.sub(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", replace, value)


def test_services_of_the_production_topology():
    assert set(SERVICES) == {"postgres", "redis", "migrate", "web1", "web2", "maintenance", "proxy"}
    assert SERVICES["postgres"]["image"].startswith("postgres:")
    assert SERVICES["redis"]["image"].startswith("redis:")
    assert SERVICES["proxy"]["image"].startswith("nginx:")


@pytest.mark.parametrize("name", ["migrate", "maintenance", *WEB])
def test_app_services_build_the_attune_image(name):
    build = SERVICES[name]["build"]
    assert build["context"] == "."
    assert (ROOT / build["dockerfile"]).is_file()
    assert SERVICES[name]["image"] == "attune:latest"


@pytest.mark.parametrize("name", ["postgres", "redis", *WEB, "proxy"])
def test_long_running_services_have_healthchecks(name):
    check = SERVICES[name]["healthcheck"]
    assert check["test"][0] == "CMD"
    assert check["retries"] >= 3


def test_web_processes_wait_for_migrations_and_probe_readiness():
    for name in WEB:
        service = SERVICES[name]
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert any("/readyz" in part for part in service["healthcheck"]["test"])
    assert SERVICES["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert SERVICES["migrate"]["restart"] == "no"


def test_web_environment_points_at_the_compose_postgres_and_redis():
    env = SERVICES["web1"]["environment"]
    assert env["ATTUNE_MODE"] == "production"
    assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert SERVICES["web2"]["environment"] == env
    with pytest.raises(KeyError, match="SECRET_KEY is required"):
        interpolate(env["SECRET_KEY"], {})


def test_web_environment_requires_the_public_base_url_from_env_with_a_clear_message():
    env = SERVICES["web1"]["environment"]
    with pytest.raises(KeyError, match=r"PUBLIC_BASE_URL is required: put PUBLIC_BASE_URL in \.env"):
        interpolate(env["PUBLIC_BASE_URL"], {})
    assert (
        interpolate(env["PUBLIC_BASE_URL"], {"PUBLIC_BASE_URL": "https://attune.example"}) == "https://attune.example"
    )
    for name in ("migrate", "maintenance", *WEB):  # the maintenance job e-mails waitlist offers
        assert SERVICES[name]["environment"]["PUBLIC_BASE_URL"] == env["PUBLIC_BASE_URL"]


def test_web_environment_passes_the_production_settings_checks():
    raw = SERVICES["web1"]["environment"]
    given = {"SECRET_KEY": "s" * 50, "PUBLIC_BASE_URL": "https://attune.example"}
    env = {key: interpolate(str(value), given) for key, value in raw.items()}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.CHANNEL_LAYERS['default']['BACKEND'], settings.DATABASES['default']['HOST'])",
        ],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["channels_redis.pubsub.RedisPubSubChannelLayer", "postgres"]


def test_proxy_upstreams_are_the_web_services_and_sockets_are_upgraded():
    mount = next(v for v in SERVICES["proxy"]["volumes"] if v.endswith(":/etc/nginx/nginx.conf:ro"))
    conf = (ROOT / mount.split(":")[0]).read_text()
    upstream = re.search(r"upstream attune \{(.*?)\}", conf, re.S).group(1)
    servers = re.findall(r"^\s*server\s+([\w.-]+):(\d+)", upstream, re.M)
    assert servers == [("web1", "8000"), ("web2", "8000")]
    assert all(name in SERVICES for name, _ in servers)
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert {"web1", "web2"} <= set(SERVICES["proxy"]["depends_on"])


def test_proxy_access_log_keeps_no_uri_or_client_address():
    conf = (ROOT / "platform" / "nginx.conf").read_text()
    log_format = re.search(r"log_format attune '([^']*)'", conf).group(1)
    for field in ("$request", "$uri", "$request_uri", "$args", "$remote_addr"):
        assert field not in log_format.split()


def image_command():
    dockerfile = (ROOT / "platform" / "Dockerfile").read_text()
    return json.loads(re.search(r"^CMD (.*)$", dockerfile, re.M).group(1)), dockerfile


def test_image_serves_the_asgi_application_with_uvicorn_without_an_access_log():
    """uvicorn, since it serves live sessions better than Daphne (docs/performance.md); `make run` keeps Daphne."""
    cmd, dockerfile = image_command()
    assert cmd[:2] == ["uvicorn", "config.asgi:application"]
    assert "--no-access-log" in cmd
    assert cmd[cmd.index("--log-level") + 1] == "warning"  # its info lines name each socket's path
    assert cmd[cmd.index("--port") + 1] == "8000" and cmd[cmd.index("--host") + 1] == "0.0.0.0"
    assert "--proxy-headers" in cmd
    assert cmd[cmd.index("--ws") + 1] == "websockets-sansio" and cmd[cmd.index("--loop") + 1] == "uvloop"
    assert cmd[cmd.index("--ws-per-message-deflate") + 1] == "false"  # tests/realtime/test_real_topology.py
    assert "requirements/base.txt" in dockerfile
    base = (ROOT / "requirements" / "base.txt").read_text().split()
    assert {"uvicorn", "uvloop", "httptools", "websockets"} <= {line.split("==")[0] for line in base}


def test_the_bench_and_the_tests_run_uvicorn_with_the_image_options():
    """bench.procs' uvicorn command (the bench's production server, and the tests' uvicorn processes) has every
    option of the image's command that changes how sockets are served, with the same value."""
    from bench.procs import command

    cmd, _ = image_command()
    ours = command("attune", "uvicorn", 8000)
    for option in ("--loop", "--http", "--ws", "--ws-per-message-deflate", "--lifespan", "--log-level"):
        assert ours[ours.index(option) + 1] == cmd[cmd.index(option) + 1], option
    assert {"--no-access-log", "--proxy-headers"} <= set(ours)


def test_web_services_run_the_image_command_without_repeating_it():
    """compose leaves `command:` out for the web processes, so they run the image's CMD and cannot drift from it."""
    cmd, _ = image_command()
    assert cmd[0] == "uvicorn"
    for name in WEB:
        assert "command" not in SERVICES[name]
        assert "entrypoint" not in SERVICES[name]


def test_maintenance_runs_the_periodic_jobs_after_migrations():
    service = SERVICES["maintenance"]
    assert service["command"][:3] == ["python", "manage.py", "run_maintenance"]
    assert int(service["command"][service["command"].index("--every") + 1]) > 0
    assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert (ROOT / "workshops" / "management" / "commands" / "run_maintenance.py").is_file()
