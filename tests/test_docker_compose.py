"""What the Dockerfile and docker-compose.yml say, read as text: no image is built and no container runs.

What these checks prove: the two files agree with each other and with the app (ports, the health
path, the settings' names and defaults, the database URL's parts, the replica count against
PostgreSQL's connection limit), and the image's CMD with its ENV refuses to serve without an admin
token when `boi-mock serve` runs them in this process (MOCK-16).

What they cannot prove: that the image builds (the base image, `pip install` in it, the files its
COPY lines need), that the container starts, or that compose's proxy reaches the replicas. Only
`test_the_image_builds_and_its_container_answers_health` does that, and it runs only where a Docker
daemon answers (`docker info`); on this machine and in CI today there is none, so it is skipped with
that reason (`pytest -rs` shows it) and a broken image would go unnoticed here.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml  # type: ignore[import-untyped, unused-ignore]
from sqlalchemy.engine import make_url

from boi_mock.testing.server import ServerProcess, free_port

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str

    def exec_form(self) -> list[str]:
        """The JSON (exec) form's argument list; fails the test if the instruction uses shell form."""
        parsed = json.loads(self.arguments)
        assert isinstance(parsed, list), f"{self.keyword} should use the JSON exec form"
        assert all(isinstance(item, str) for item in parsed)
        return [str(item) for item in parsed]


@cache
def dockerfile() -> tuple[Instruction, ...]:
    """The Dockerfile's instructions, with comments dropped and continuation lines joined."""
    instructions: list[Instruction] = []
    pending = ""
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):  # a comment inside a continued instruction
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        pending += line
        keyword, _, arguments = pending.partition(" ")
        instructions.append(Instruction(keyword.upper(), arguments.strip()))
        pending = ""
    assert not pending, "Dockerfile ends inside a continued line"
    return tuple(instructions)


def instructions(keyword: str) -> list[Instruction]:
    return [instruction for instruction in dockerfile() if instruction.keyword == keyword]


@cache
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(loaded, dict)
    return loaded


def service(name: str) -> dict[str, Any]:
    services = compose()["services"]
    assert name in services, f"docker-compose.yml has no service {name!r}"
    found = services[name]
    assert isinstance(found, dict)
    return found


def environment(svc: dict[str, Any]) -> dict[str, str]:
    """A service's environment, whether written as a mapping or as a list of NAME=value."""
    env = svc.get("environment", {})
    if isinstance(env, list):
        return dict(str(item).partition("=")[::2] for item in env)
    assert isinstance(env, dict)
    return {str(key): str(value) for key, value in env.items()}


def published_ports(svc: dict[str, Any]) -> list[tuple[int, int]]:
    """(host port, container port) pairs from the short ("8080:8080") or long syntax."""
    pairs: list[tuple[int, int]] = []
    for entry in svc.get("ports", []):
        if isinstance(entry, dict):
            pairs.append((int(entry["published"]), int(entry["target"])))
            continue
        spec = str(entry).split("/")[0]
        host, _, container = spec.rpartition(":")
        pairs.append((int(host.rpartition(":")[2]), int(container)))
    return pairs


def healthcheck_command(svc: dict[str, Any]) -> list[str]:
    check = svc.get("healthcheck")
    assert isinstance(check, dict), "service has no healthcheck"
    assert not check.get("disable", False)
    test = check["test"]
    if isinstance(test, str):
        return ["CMD-SHELL", test]
    assert isinstance(test, list)
    return [str(part) for part in test]


def option_value(argv: list[str], option: str) -> str:
    for index, arg in enumerate(argv):
        if arg == option:
            return argv[index + 1]
        if arg.startswith(option + "="):
            return arg.split("=", 1)[1]
    raise AssertionError(f"{option} not in {argv}")


def exposed_ports() -> set[int]:
    return {int(port.split("/")[0]) for e in instructions("EXPOSE") for port in e.arguments.split()}


# -- docker-compose.yml -----------------------------------------------------------------------


def test_compose_file_defines_the_mock_its_proxy_and_its_database() -> None:
    assert set(compose()["services"]) >= {"boi-mock", "proxy", "db"}


def test_compose_file_wires_database_url_to_postgres16() -> None:
    app_env = environment(service("boi-mock"))
    db = service("db")
    db_env = environment(db)

    url = make_url(app_env["BOI_MOCK_DATABASE_URL"])
    assert url.drivername == "postgresql+psycopg"
    assert url.host == "db"  # the compose service name
    assert (url.port or 5432) == 5432
    assert url.username == db_env["POSTGRES_USER"]
    assert url.password == db_env["POSTGRES_PASSWORD"]
    assert url.database == db_env.get("POSTGRES_DB", db_env["POSTGRES_USER"])

    image, _, tag = str(db["image"]).partition(":")
    assert image in {"postgres", "docker.io/library/postgres", "library/postgres"}
    assert tag.split(".")[0].split("-")[0] == "16", f"expected PostgreSQL 16, got {db['image']}"


def test_compose_file_makes_the_mock_wait_for_a_healthy_database() -> None:
    depends_on = service("boi-mock")["depends_on"]
    assert isinstance(depends_on, dict), "depends_on must use the long form to carry a condition"
    assert depends_on["db"]["condition"] == "service_healthy"


def test_compose_file_gives_the_database_a_pg_isready_healthcheck_with_its_credentials() -> None:
    command = healthcheck_command(service("db"))
    assert command[0] in {"CMD", "CMD-SHELL"}
    argv = shlex.split(command[1]) if command[0] == "CMD-SHELL" else command[1:]
    assert argv[0] == "pg_isready"
    db_env = environment(service("db"))
    assert option_value(argv, "-U") == db_env["POSTGRES_USER"]
    assert option_value(argv, "-d") == db_env["POSTGRES_DB"]


def test_compose_file_gives_the_mock_a_python_healthcheck_of_mock_health() -> None:
    command = healthcheck_command(service("boi-mock"))
    assert command[:3] == ["CMD", "python", "-c"]
    code = command[3]
    compile(code, "<compose healthcheck>", "exec")
    assert "urllib.request" in code
    (container_port,) = {int(port) for port in service("boi-mock")["expose"]}
    assert f"http://127.0.0.1:{container_port}/_mock/health" in code


def test_compose_file_sets_all_interfaces_and_publishes_the_exposed_port() -> None:
    mock = service("boi-mock")
    assert environment(mock)["BOI_MOCK_HOST"] == "0.0.0.0"
    assert not mock.get("ports"), "replicas cannot share a host port: the proxy publishes it"
    assert {int(port) for port in mock["expose"]} == exposed_ports()
    assert published_ports(service("proxy")) == [(8080, 8080)]


def test_compose_file_seeds_every_packaged_scenario_without_a_mount() -> None:
    # The scenarios ship inside the package (boi_mock/seed); "*" loads each of them at start.
    mock = service("boi-mock")
    assert environment(mock)["BOI_MOCK_SEED_FILES"] == "*"
    assert not mock.get("volumes"), "the image needs no file from the repository at run time"


def test_compose_file_keeps_database_files_in_a_named_volume() -> None:
    volumes = [str(volume) for volume in service("db").get("volumes", [])]
    data_volumes = [v.split(":")[0] for v in volumes if v.split(":")[1] == "/var/lib/postgresql/data"]
    assert data_volumes, "the database should keep its files in a volume"
    assert data_volumes[0] in (compose().get("volumes") or {})


def test_compose_file_builds_the_mock_from_the_dockerfile() -> None:
    build = service("boi-mock")["build"]
    context, dockerfile_name = (
        (build, "Dockerfile")
        if isinstance(build, str)
        else (
            build.get("context", "."),
            build.get("dockerfile", "Dockerfile"),
        )
    )
    assert (COMPOSE_FILE.parent / context / dockerfile_name).resolve() == DOCKERFILE


# -- Dockerfile -------------------------------------------------------------------------------


def test_dockerfile_starts_from_python311_slim() -> None:
    froms = instructions("FROM")
    assert froms and froms[-1].arguments.split()[0] == "python:3.11-slim"


def test_dockerfile_switches_to_a_non_root_user_after_every_run() -> None:
    users = instructions("USER")
    assert users, "the image should switch to a non-root USER"
    user = users[-1].arguments.split(":")[0]
    assert user not in {"root", "0"}
    # The USER switch comes after every RUN that installs things.
    positions = {id(instruction): index for index, instruction in enumerate(dockerfile())}
    assert all(positions[id(run)] < positions[id(users[-1])] for run in instructions("RUN"))


def test_dockerfile_says_pip_install_with_the_constraints() -> None:
    # A regular (not editable) install, pinned by the constraints file.
    assert any("pip install -c constraints.txt ." in run.arguments for run in instructions("RUN"))


def test_dockerfile_cmd_names_all_interfaces_and_the_exposed_port() -> None:
    cmds = instructions("CMD")
    assert cmds
    argv = cmds[-1].exec_form()
    assert argv[:2] == ["boi-mock", "serve"]
    assert option_value(argv, "--host") == "0.0.0.0"
    assert exposed_ports() == {int(option_value(argv, "--port"))} == {8080}


def test_dockerfile_healthcheck_is_python_code_probing_mock_health() -> None:
    checks = instructions("HEALTHCHECK")
    assert len(checks) == 1
    _, _, command = checks[0].arguments.partition("CMD ")
    argv = Instruction("CMD", command.strip()).exec_form()
    assert argv[:2] == ["python", "-c"]
    compile(argv[2], "<Dockerfile healthcheck>", "exec")
    assert "urllib.request" in argv[2]
    (port,) = exposed_ports()
    assert f"http://127.0.0.1:{port}/_mock/health" in argv[2]


@pytest.mark.parametrize("path", ["pyproject.toml", "constraints.txt", "src"])
def test_dockerfile_copy_lines_name_what_the_image_needs(path: str) -> None:
    copied = [
        source.rstrip("/").removeprefix("./")
        for copy in instructions("COPY")
        for source in copy.arguments.split()[:-1]
        if not source.startswith("--")
    ]
    assert path in copied


# -- the admin token (issue 14, item 2; MOCK-16) --------------------------------------------------------------


def _dockerfile_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for instruction in instructions("ENV"):
        for assignment in shlex.split(instruction.arguments):
            name, _, value = assignment.partition("=")
            env[name] = value
    return env


def test_compose_file_takes_the_admin_token_from_the_environment_and_requires_it() -> None:
    value = environment(service("boi-mock"))["BOI_MOCK_ADMIN_TOKEN"]
    # `${VAR:?message}`: docker compose refuses to start (with the message) while the variable is unset or empty.
    assert value.startswith("${BOI_MOCK_ADMIN_TOKEN:?") and value.endswith("}")
    assert "set BOI_MOCK_ADMIN_TOKEN" in value
    assert "BOI_MOCK_ADMIN_TOKEN" in COMPOSE_FILE.read_text().split("services:")[0]  # documented at the top


def test_compose_file_publishes_the_port_on_loopback_unless_told_otherwise() -> None:
    (entry,) = service("proxy")["ports"]
    assert str(entry) == "${BOI_MOCK_PUBLISH_ADDRESS:-127.0.0.1}:8080:8080"


def test_neither_dockerfile_nor_compose_file_bakes_a_token_or_opts_out_of_the_refusal() -> None:
    for env in (_dockerfile_env(), environment(service("boi-mock"))):
        assert "BOI_MOCK_ALLOW_PUBLIC_WITHOUT_ADMIN_TOKEN" not in env
    assert "BOI_MOCK_ADMIN_TOKEN" not in _dockerfile_env()
    assert not instructions("ARG") or all("TOKEN" not in arg.arguments for arg in instructions("ARG"))
    assert "BOI_MOCK_ADMIN_TOKEN" in DOCKERFILE.read_text()  # documented in the comments


def test_the_dockerfiles_cmd_and_env_run_here_refuse_without_a_token_and_pass_with_one(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The Dockerfile's CMD and ENV given to `boi-mock serve` in this process (no image, no Docker)."""
    from boi_mock import cli
    from boi_mock.settings import Settings

    for name in Settings.model_fields:
        monkeypatch.delenv(f"BOI_MOCK_{name.upper()}", raising=False)
    env = _dockerfile_env()
    env["BOI_MOCK_DATABASE_URL"] = "sqlite:////nonexistent-dir/never-created.db"
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    argv = instructions("CMD")[-1].exec_form()
    assert cli.main(argv[1:]) == 2
    assert "refusing to serve on 0.0.0.0" in capsys.readouterr().err
    monkeypatch.setenv("BOI_MOCK_ADMIN_TOKEN", "from-docker-run-e")
    settings = cli.load_settings(host=option_value(argv, "--host"), port=int(option_value(argv, "--port")))
    cli.refuse_open_public_bind(settings)  # passes: the same start goes on to bind and migrate


# -- replicas behind the proxy (issue 15; the deployment itself is not run by CI: no Docker engine there) ---------


def _replicas_default() -> int:
    value = str(service("boi-mock")["deploy"]["replicas"])
    assert value.startswith("${BOI_MOCK_REPLICAS:-") and value.endswith("}"), value
    return int(value.removeprefix("${BOI_MOCK_REPLICAS:-").removesuffix("}"))


def _proxy_conf() -> str:
    (entry,) = service("proxy")["configs"]
    assert entry["target"] == "/etc/nginx/conf.d/default.conf"
    content = compose()["configs"][entry["source"]]["content"]
    assert isinstance(content, str)
    return content.replace("$$", "$")  # what nginx gets after compose's interpolation


def test_compose_file_asks_for_several_replicas_and_no_container_name_pins_one() -> None:
    assert _replicas_default() >= 2
    assert "container_name" not in service("boi-mock")


def test_compose_file_proxy_config_names_every_replica_by_dockers_dns_and_waits_for_a_healthy_one() -> None:
    conf = _proxy_conf()
    mock_port = next(iter(service("boi-mock")["expose"]))
    assert "resolver 127.0.0.11" in conf, "Docker's embedded DNS names every replica of the service"
    assert f"set $upstream http://boi-mock:{mock_port};" in conf and "proxy_pass $upstream;" in conf
    listen = int(conf.split("listen ", 1)[1].split(";", 1)[0])
    assert (8080, listen) == published_ports(service("proxy"))[0]
    assert "proxy_set_header Host $http_host;" in conf, "tokenUrl/baseUrl answers name the proxy's address"
    assert service("proxy")["depends_on"]["boi-mock"]["condition"] == "service_healthy"
    assert str(service("proxy")["image"]).startswith("nginx:")


def test_compose_file_proxy_config_passes_every_body_the_mock_would_take() -> None:
    from boi_mock.settings import Settings

    size = _proxy_conf().split("client_max_body_size ", 1)[1].split(";", 1)[0]
    assert size.endswith("m")
    assert int(size[:-1]) * 1024 * 1024 > Settings.model_fields["max_body_bytes"].default


def test_compose_file_replicas_fit_postgres_default_connection_limit() -> None:
    """Each replica may open pool + overflow connections; PostgreSQL 16 allows 100, 3 kept for superusers."""
    from boi_mock.settings import Settings

    env = environment(service("boi-mock"))
    pool = int(env.get("BOI_MOCK_DB_POOL_SIZE", Settings.model_fields["db_pool_size"].default))
    overflow = int(env.get("BOI_MOCK_DB_MAX_OVERFLOW", Settings.model_fields["db_max_overflow"].default))
    workers = int(env.get("BOI_MOCK_WORKERS", Settings.model_fields["workers"].default))
    assert _replicas_default() * workers * (pool + overflow) <= 100 - 3
    assert "max_connections" not in str(service("db").get("command", "")), "the default limit is the one sized for"


# -- the image itself: only where a Docker daemon answers ---------------------------------------------------------


def _no_docker_daemon() -> str | None:
    """Why the image cannot be built here (None: it can)."""
    docker = shutil.which("docker")
    if docker is None:
        return "no docker command"
    try:
        info = subprocess.run([docker, "info"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"docker info failed: {exc}"
    if info.returncode != 0:
        reason = (info.stderr.strip().splitlines() or ["no answer"])[-1]
        return f"no Docker daemon answers ({reason}): the image is not built, only its files are read"
    return None


NO_DOCKER = _no_docker_daemon()


@pytest.mark.slow
@pytest.mark.skipif(NO_DOCKER is not None, reason=str(NO_DOCKER))
def test_the_image_builds_and_its_container_answers_health(tmp_path: Path) -> None:
    """docker build, then the container with an admin token: healthy (MOCK-1), the control API guarded (MOCK-16)."""
    tag = f"boi-mock-test:{uuid.uuid4().hex[:8]}"
    name = f"boi-mock-test-{uuid.uuid4().hex[:8]}"
    token = f"image-test-{uuid.uuid4().hex}"
    url = f"http://127.0.0.1:{free_port()}"
    built = subprocess.run(["docker", "build", "-t", tag, str(ROOT)], capture_output=True, text=True, timeout=1800,
                           check=False)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    # `docker run` in the foreground is the server process: its output is the container's, SIGINT reaches boi-mock.
    container = ServerProcess(["docker", "run", "--rm", "--name", name, "-p", f"{url.removeprefix('http://')}:8080",
                               "-e", f"BOI_MOCK_ADMIN_TOKEN={token}", tag], f"{url}/_mock/health",
                              tmp_path / "container.log")
    try:
        container.start(120)
        assert httpx.get(url + "/_mock/districts", timeout=10).status_code == 401
        guarded = httpx.get(url + "/_mock/districts", headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert guarded.status_code == 200 and guarded.json(), guarded.text  # the packaged scenarios, seeded
    finally:
        container.stop()
        subprocess.run(["docker", "rm", "-f", name], capture_output=True, check=False, timeout=60)
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, check=False, timeout=120)
