"""Helpers for the reliability tests: real `boi-mock serve` subprocesses, database snapshots and checks.

* `LiveServer`: `boi-mock serve` as a subprocess on a given database (`boi_mock.testing.server`'s
  `BoiMockProcess`: its own process group, output captured to a file), started, polled until healthy,
  killed with SIGKILL or stopped, restarted.
* `fresh_database_url`: a new empty database of the same kind as the suite's (a SQLite file, or a
  new database on the suite's throwaway PostgreSQL cluster), so a server subprocess and its job
  worker never share tables with the in-process test app (whose worker would claim their jobs).
* `district_snapshot`: every row of one district, from every table that has a `district_id`
  (plus the district row itself), for "a rejected request changed nothing" comparisons.
* `integrity_problems`, `identity_problems`: database-level invariants that must hold after any
  crash or race.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
from psycopg import sql
from sqlalchemy import Connection, Engine, Table, create_engine, select, text
from sqlalchemy.engine import make_url

from boi_mock import models  # noqa: F401  (registers every model on Base.metadata)
from boi_mock.db import Base
from boi_mock.testing.server import BoiMockProcess
from tests.support import BOI, minimal_scenario

# Tables that are supposed to grow when a request is rejected: the Error Log (ERR-1), the journal (MOCK-9) and
# the contract-coverage counters (MOCK-11 counts every answered call, its status and error code included).
GROWING_TABLES = frozenset({"error_log", "request_journal", "coverage_counter"})
# Server-wide tables without a district (not part of any district's data).
SERVER_TABLES = frozenset({"server_setting"})


# --- databases ------------------------------------------------------------------------------------


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def fresh_database_url(suite_url: str, directory: Path) -> str:
    """A new, empty database of the suite's kind: a SQLite file in `directory`, or a new PostgreSQL database."""
    if is_sqlite(suite_url):
        return f"sqlite:///{directory / f'rel-{uuid.uuid4().hex[:8]}.db'}"
    url = make_url(suite_url)
    name = f"rel_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(host=url.host, port=url.port, user=url.username, dbname="postgres",
                         autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(url_text: str) -> None:
    """Drop a database made by `fresh_database_url` (SQLite: delete the file and its WAL)."""
    url = make_url(url_text)
    if url.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{url.database}{suffix}").unlink(missing_ok=True)
        return
    with psycopg.connect(host=url.host, port=url.port, user=url.username, dbname="postgres",
                         autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(str(url.database))))


@contextmanager
def engine_for(url: str) -> Iterator[Engine]:
    engine = create_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def district_tables() -> list[Table]:
    """Every table holding a district's data: each with a `district_id`, and `district` itself."""
    found = []
    for table in Base.metadata.sorted_tables:
        if table.name in GROWING_TABLES or table.name in SERVER_TABLES:
            continue
        assert table.name == "district" or "district_id" in table.c, (
            f"table {table.name} has no district_id: decide whether it is district data (snapshot it) "
            "or server-wide (add it to SERVER_TABLES)")
        found.append(table)
    return found


def district_snapshot(conn: Connection, district_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """All rows of one district, table by table, in primary-key order (error log and journal excluded)."""
    snapshot: dict[str, list[tuple[Any, ...]]] = {}
    for table in district_tables():
        key = table.c.id if table.name == "district" else table.c.district_id
        stmt = select(table).where(key == district_id).order_by(*table.primary_key.columns)
        snapshot[table.name] = [tuple(row) for row in conn.execute(stmt)]
    return snapshot


def snapshot_diff(before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    """Human-readable differences between two snapshots (empty when identical)."""
    diffs = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name, []), after.get(name, [])
        if old != new:
            added = [r for r in new if r not in old][:3]
            removed = [r for r in old if r not in new][:3]
            diffs.append(f"{name}: {len(old)} → {len(new)} rows; added {added}; removed {removed}")
    return diffs


def district_id_of(conn: Connection, app_name: str) -> int:
    table = Base.metadata.tables["district"]
    found = conn.execute(select(table.c.id).where(table.c.app_name == app_name)).scalar_one()
    return int(found)


def integrity_problems(conn: Connection) -> list[str]:
    """Database-level damage: SQLite's integrity and foreign-key checks, and on every backend an
    orphan count for each foreign key of the schema (a row pointing at a parent that is not there)."""
    problems: list[str] = []
    if conn.dialect.name == "sqlite":
        result = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
        if result != ["ok"]:
            problems.append(f"PRAGMA integrity_check: {result[:5]}")
        fk = list(conn.exec_driver_sql("PRAGMA foreign_key_check"))
        if fk:
            problems.append(f"PRAGMA foreign_key_check: {fk[:5]}")
    else:
        invalid = list(conn.execute(text(
            "SELECT conname FROM pg_constraint WHERE contype = 'f' AND NOT convalidated")))
        if invalid:
            problems.append(f"foreign keys not validated: {invalid}")
    for table in Base.metadata.sorted_tables:
        for fk_ in table.foreign_keys:
            child, parent = fk_.parent, fk_.column
            orphans = conn.execute(text(
                f"SELECT count(*) FROM {table.name} c WHERE c.{child.name} IS NOT NULL AND NOT EXISTS "
                f"(SELECT 1 FROM {parent.table.name} p WHERE p.{parent.name} = c.{child.name})")).scalar_one()
            if orphans:
                problems.append(f"{orphans} rows of {table.name}.{child.name} point at no {parent.table.name}")
    return problems


@dataclass(frozen=True)
class IdentityRow:
    id: int
    person_id: int
    last_name: str
    first_name: str
    start_date: date | None
    end_date: date | None
    is_current: bool


def identities_by_person(conn: Connection, district_id: int) -> dict[int, list[IdentityRow]]:
    rows = conn.execute(text(
        "SELECT id, person_id, last_name, first_name, start_date, end_date, is_current FROM identity "
        "WHERE district_id = :d ORDER BY person_id, id"), {"d": district_id})
    out: dict[int, list[IdentityRow]] = {}
    for row in rows:
        start, end = row[4], row[5]
        out.setdefault(row[1], []).append(IdentityRow(
            row[0], row[1], row[2], row[3], _as_date(start), _as_date(end), bool(row[6])))
    return out


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def identity_problems(history: Sequence[IdentityRow]) -> list[str]:
    """IDENT-1: one current identity, the newest; each older one ends the day before its successor
    starts (or that very day when it began the same day); no two ranges overlap otherwise."""
    problems: list[str] = []
    current = [i for i in history if i.is_current]
    if len(current) != 1:
        problems.append(f"{len(current)} current identities")
    if history and not history[-1].is_current:
        problems.append("the newest identity is not the current one")
    for old, new in itertools.pairwise(history):
        if old.is_current:
            continue  # already reported
        if old.end_date is None or old.start_date is None or new.start_date is None:
            problems.append(f"identity {old.id} has open dates but is not current")
            continue
        if new.start_date < old.start_date:
            problems.append(f"identity {new.id} starts {new.start_date}, before its predecessor {old.start_date}")
        expected = new.start_date if old.start_date == new.start_date else new.start_date - timedelta(days=1)
        if old.end_date != expected:
            problems.append(f"identity {old.id} ({old.start_date}..{old.end_date}) should end {expected}, "
                            f"its successor {new.id} starts {new.start_date}")
    if current and current[0].end_date is not None:
        problems.append("the current identity has an end date")
    return problems


# --- a real server ----------------------------------------------------------------------------------


class LiveServer(BoiMockProcess):
    """`boi-mock serve` as a subprocess on `database_url` (`boi_mock.testing.server.BoiMockProcess`, in its own
    process group), with what these tests need: no seed files unless `env` names some, a fast job poll, no
    admin token from the environment; output (stdout + stderr) goes to `log_path`."""

    def __init__(self, database_url: str, log_path: Path, env: dict[str, str] | None = None) -> None:
        super().__init__(database_url, log_path, seed=True, env={
            "BOI_MOCK_SEED_FILES": "", "BOI_MOCK_WORKER_POLL_SECONDS": "0.05", "BOI_MOCK_ADMIN_TOKEN": None,
            **(env or {})})

    @property
    def boi_url(self) -> str:
        return self.url + BOI


@dataclass(frozen=True)
class LiveDistrict:
    """A district created on a live server, with a token."""

    app_name: str
    client_id: str
    client_secret: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def new_live_district(server_url: str, scenario: dict[str, Any] | None = None) -> LiveDistrict:
    scenario = scenario if scenario is not None else minimal_scenario()
    with httpx.Client(base_url=server_url, timeout=60) as http:
        created = http.post("/_mock/districts", json=scenario)
        assert created.status_code == 201, created.text
        body = created.json()
        token = fetch_token(http, body["appName"], body["clientId"], body["clientSecret"])
    return LiveDistrict(body["appName"], body["clientId"], body["clientSecret"], token)


def fetch_token(http: httpx.Client, app_name: str, client_id: str, client_secret: str) -> str:
    response = http.post(f"/campus/oauth2/token?appName={app_name}", data={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])
