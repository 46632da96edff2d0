"""The throwaway PostgreSQL cluster used by the PostgreSQL test run (tests/pg_cluster.py)."""

from __future__ import annotations

import glob
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text

from tests.pg_cluster import PgCluster, find_pg_bin_dir, start_cluster

needs_postgres = pytest.mark.skipif(
    os.environ.get("BOI_MOCK_TEST_DATABASE") != "postgresql",
    reason="set BOI_MOCK_TEST_DATABASE=postgresql to run the PostgreSQL tests",
)


def _accepts_tcp(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def cluster() -> Iterator[PgCluster]:
    started = start_cluster()
    try:
        yield started
    finally:
        started.stop()


@needs_postgres
@pytest.mark.postgres_only
def test_cluster_starts_accepts_connections_creates_a_database_and_stops() -> None:
    began = time.monotonic()
    cluster = start_cluster()
    elapsed = time.monotonic() - began
    try:
        assert elapsed < 30, f"starting the cluster took {elapsed:.1f}s"
        assert cluster.url == f"postgresql+psycopg://postgres@127.0.0.1:{cluster.port}/postgres"

        with psycopg.connect(cluster.conninfo()) as conn:
            row = conn.execute("SELECT current_user, current_database()").fetchone()
        assert row == ("postgres", "postgres")

        url = cluster.create_database("boi_pg_cluster_check")
        assert url == f"postgresql+psycopg://postgres@127.0.0.1:{cluster.port}/boi_pg_cluster_check"
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                assert conn.execute(text("SELECT current_database()")).scalar_one() == "boi_pg_cluster_check"
                assert conn.execute(text("SHOW server_encoding")).scalar_one() == "UTF8"
        finally:
            engine.dispose()
    finally:
        cluster.stop()

    assert cluster.stopped
    assert not cluster.base_dir.exists()
    assert not _accepts_tcp(cluster.host, cluster.port)
    cluster.stop()  # a second stop is harmless


@needs_postgres
@pytest.mark.postgres_only
def test_cluster_runs_with_throwaway_settings_on_loopback(cluster: PgCluster) -> None:
    with cluster.connect() as conn:
        settings = {
            name: conn.execute(f"SHOW {name}").fetchone()
            for name in (
                "fsync",
                "synchronous_commit",
                "full_page_writes",
                "max_connections",
                "listen_addresses",
            )
        }
    assert settings == {
        "fsync": ("off",),
        "synchronous_commit": ("off",),
        "full_page_writes": ("off",),
        "max_connections": ("200",),
        "listen_addresses": ("127.0.0.1",),
    }


@needs_postgres
@pytest.mark.postgres_only
def test_cluster_files_belong_to_postgres_when_running_as_root(cluster: PgCluster) -> None:
    owner = cluster.data_dir.owner()
    if os.geteuid() == 0:
        assert cluster.run_as == "postgres"
        assert owner == "postgres"
    else:
        assert cluster.run_as is None
        assert cluster.data_dir.stat().st_uid == os.geteuid()


@needs_postgres
@pytest.mark.postgres_only
def test_two_clusters_run_side_by_side_like_xdist_workers(cluster: PgCluster) -> None:
    with start_cluster() as other:
        assert other.port != cluster.port
        assert other.base_dir != cluster.base_dir
        cluster.create_database("same_name")
        other.create_database("same_name")
        cluster.drop_database("same_name")
        with other.connect("same_name") as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    assert not other.base_dir.exists()
    assert _accepts_tcp(cluster.host, cluster.port)


@needs_postgres
@pytest.mark.postgres_only
def test_create_database_from_a_template(cluster: PgCluster) -> None:
    cluster.create_database("tmpl")
    with cluster.connect("tmpl") as conn:
        conn.execute("CREATE TABLE marker (id int)")
    cluster.create_database("copy_of_tmpl", template="tmpl")
    with cluster.connect("copy_of_tmpl") as conn:
        assert conn.execute("SELECT count(*) FROM marker").fetchone() == (0,)


def test_create_database_rejects_names_that_are_not_plain_identifiers(tmp_path: Path) -> None:
    unstarted = PgCluster(bin_dir=tmp_path, base_dir=tmp_path, port=1, run_as=None)
    for bad in ('x"; DROP DATABASE postgres; --', "", "1abc", "a" * 64, "with space"):
        with pytest.raises(ValueError):
            unstarted.create_database(bad)
    with pytest.raises(ValueError):
        unstarted.create_database("ok", template="not ok")


def test_newest_debian_postgresql_install_is_preferred(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for version in ("9.6", "15", "16", "10"):
        bin_dir = tmp_path / version / "bin"
        bin_dir.mkdir(parents=True)
        for tool in ("initdb", "pg_ctl"):
            (bin_dir / tool).write_text("#!/bin/sh\n")
            (bin_dir / tool).chmod(0o755)
    real_glob = glob.glob

    def fake_glob(pattern: str) -> list[str]:
        if pattern == "/usr/lib/postgresql/*/bin/initdb":
            return real_glob(str(tmp_path / "*" / "bin" / "initdb"))
        return list(real_glob(pattern))

    monkeypatch.setattr("tests.pg_cluster.glob.glob", fake_glob)
    assert find_pg_bin_dir() == tmp_path / "16" / "bin"
