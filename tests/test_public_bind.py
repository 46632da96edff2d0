"""MOCK-16 (issue 14, item 2): `boi-mock serve` on an address other machines can reach needs an admin token.

Without one it stops before binding the port or touching the database, with one paragraph saying what to do;
with one it serves, /_mock asks for the token, and the banner prints no client secret."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from boi_mock import cli
from boi_mock.settings import Settings
from boi_mock.testing.server import BoiMockProcess
from tests.support import free_port

ADMIN_TOKEN = "public-bind-admin-token-0123456789"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in Settings.model_fields:
        monkeypatch.delenv(f"BOI_MOCK_{name.upper()}", raising=False)
    yield


def _port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("0.0.0.0", port))
        except OSError:
            return False
        return True


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize("host", ["0.0.0.0", "::", ""])
def test_mock16_serve_on_a_public_address_without_admin_token_refuses_to_start(
        host: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port("0.0.0.0")
    database = tmp_path / "boi.db"
    code = cli.main(["serve", "--host", host, "--port", str(port), "--database-url", f"sqlite:///{database}"])
    out = capsys.readouterr()
    assert code == 2
    assert out.out == ""
    message = out.err
    assert message.startswith("boi-mock serve: refusing to serve on") and message.count("\n") == 1
    assert "BOI_MOCK_ADMIN_TOKEN" in message and "--host 127.0.0.1" in message
    assert "BOI_MOCK_ALLOW_PUBLIC_WITHOUT_ADMIN_TOKEN" in message and "Traceback" not in message
    assert not database.exists()  # checked before the database is touched
    assert _port_is_free(port)  # … and before the port is bound


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_mock16_loopback_needs_no_admin_token(host: str) -> None:
    settings = Settings(host=host, admin_token=None)
    assert not cli.is_public_bind(settings)
    cli.refuse_open_public_bind(settings)


@pytest.mark.parametrize("update", [{"admin_token": ADMIN_TOKEN}, {"allow_public_without_admin_token": True}],
                         ids=["admin-token", "explicit-opt-out"])
def test_mock16_public_bind_is_allowed_with_an_admin_token_or_the_explicit_opt_out(update: dict[str, object]) -> None:
    settings = Settings(host="0.0.0.0", **update)  # type: ignore[arg-type]
    assert cli.is_public_bind(settings)
    cli.refuse_open_public_bind(settings)


def test_mock16_opt_out_setting_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOI_MOCK_ALLOW_PUBLIC_WITHOUT_ADMIN_TOKEN", "true")
    assert Settings().allow_public_without_admin_token is True


@pytest.mark.slow  # boi-mock serve as a subprocess
def test_mock16_public_server_with_admin_token_guards_mock_and_prints_no_secret(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOI_MOCK_")}
    server = BoiMockProcess(f"sqlite:///{tmp_path / 'boi.db'}", tmp_path / "serve.log", host="0.0.0.0", seed=True,
                            base_env=env, env={"BOI_MOCK_ADMIN_TOKEN": ADMIN_TOKEN, "BOI_MOCK_RUN_WORKER": "false",
                                               "BOI_MOCK_LOG_LEVEL": None})
    with server:
        base = server.url  # loopback: a public bind answers there too
        assert httpx.get(f"{base}/_mock/districts").status_code == 401
        districts = httpx.get(f"{base}/_mock/districts", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        assert districts.status_code == 200
        (demo,) = districts.json()
        banner = server.log_text()
        assert f"District {demo['appName']}" in banner and demo["clientId"] in banner
        assert demo["clientSecret"] not in banner
        assert "Client Secret: (not shown" in banner
        assert ADMIN_TOKEN not in banner
