"""The command line as a user meets it: --version, serve --help, and one clear paragraph (exit 2, no
traceback, no half-created database) for every start that cannot go on."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from boi_mock import __version__, cli
from boi_mock.settings import Settings
from tests.support import free_port


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in Settings.model_fields:
        monkeypatch.delenv(f"BOI_MOCK_{name.upper()}", raising=False)
    monkeypatch.delenv("BOI_MOCK_URL", raising=False)
    yield


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"boi-mock {__version__}"


def test_serve_help_says_what_serve_does_and_lists_every_setting(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["serve", "--help"])
    text = capsys.readouterr().out
    assert "demo district 7634-MO" in text and "127.0.0.1" in text
    for name in Settings.model_fields:
        assert f"BOI_MOCK_{name.upper()}" in text


@pytest.mark.usefixtures("clean_env")
def test_a_non_integer_port_variable_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("BOI_MOCK_PORT", "eighty")
    code, text = _run(["serve", "--database-url", f"sqlite:///{tmp_path / 'x.db'}"], capsys)
    assert code == 2
    assert "BOI_MOCK_PORT = 'eighty'" in text and "integer" in text and "Traceback" not in text
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize(("url", "hint"), [
    ("postgres://boi:s3cret@db.example/boi", "'postgres' is not a SQLAlchemy dialect name"),
    ("postgresql://boi:s3cret@db.example/boi", "psycopg (version 3)"),
    ("var/boi-mock.db", "not a database URL"),
    ("mysql://boi:s3cret@db.example/boi", "SQLite or PostgreSQL only"),
])
def test_a_database_url_sqlalchemy_cannot_use_is_explained(url: str, hint: str, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, text = _run(["serve", "--database-url", url], capsys)
    assert code == 2
    assert hint in text and "postgresql+psycopg://" in text and "--database-url" in text
    assert "s3cret" not in text, "a password never reaches the terminal"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("clean_env")
def test_an_unreachable_postgresql_is_one_paragraph_without_the_password(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"postgresql+psycopg://boi:s3cret@127.0.0.1:{free_port()}/boi"
    code, text = _run(["serve", "--database-url", url, "--port", str(free_port())], capsys)
    assert code == 2
    assert "cannot reach the database" in text and "BOI_MOCK_DATABASE_URL" in text
    assert "s3cret" not in text and "Traceback" not in text
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("clean_env")
def test_a_port_in_use_is_found_before_the_database_is_touched(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        code, text = _run(["serve", "--port", str(port), "--database-url", f"sqlite:///{tmp_path / 'x.db'}"],
                          capsys)
    assert code == 2
    assert f"port {port}" in text and "--port" in text and "BOI_MOCK_PORT" in text
    assert "serving on" not in text, "detected before the banner"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("clean_env")
def test_a_failed_start_leaves_no_database_file_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from boi_mock.services import seeding

    def broken(*_args: object, **_kwargs: object) -> list[object]:
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(seeding, "ensure_seeded", broken)
    code, text = _run(["serve", "--port", str(free_port()), "--database-url", f"sqlite:///{tmp_path / 'new.db'}"],
                      capsys)
    assert code == 2 and "disk I/O error" in text
    assert list(tmp_path.iterdir()) == [], "the database file this start created is removed again"


@pytest.mark.usefixtures("clean_env")
def test_an_unwritable_sqlite_location_is_explained(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _run(["serve", "--port", str(free_port()), "--database-url", "sqlite:////proc/no-such/x.db"],
                      capsys)
    assert code == 2 and "cannot create the SQLite database" in text and "Traceback" not in text


def test_the_default_database_is_in_the_per_user_data_directory(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BOI_MOCK_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    url = Settings().database_url
    assert url == f"sqlite:///{tmp_path / 'data' / 'boi-mock' / 'boi-mock.db'}"


@pytest.mark.usefixtures("clean_env")
def test_sync_uses_boi_mock_port_and_names_the_url_it_could_not_reach(monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()
    monkeypatch.setenv("BOI_MOCK_PORT", str(port))
    code, text = _run(["sync", "--app", "7634-MO"], capsys)
    assert code == 2
    assert f"could not reach boi-mock at http://127.0.0.1:{port}" in text and "BOI_MOCK_URL" in text


@pytest.mark.usefixtures("clean_env")
def test_sync_uses_boi_mock_url(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("BOI_MOCK_URL", url)
    code, text = _run(["sync", "--app", "7634-MO"], capsys)
    assert code == 2 and f"could not reach boi-mock at {url}" in text
