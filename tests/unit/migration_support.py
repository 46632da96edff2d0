"""Helpers for the tests of a migration's data step: a database at an older revision, with rows in it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from sqlalchemy import Connection, Engine, text

from boi_mock import migrate
from boi_mock.db import create_db_engine


@contextmanager
def database_at(tmp_path: Path, revision: str) -> Iterator[Engine]:
    """A new SQLite database migrated to `revision` (what an older release left): its engine, disposed after.
    Fill it, then `upgrade_to_head`."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(migrate.alembic_config(url), revision)
    engine = create_db_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def upgrade_to_head(engine: Engine) -> None:
    command.upgrade(migrate.alembic_config(engine.url.render_as_string(hide_password=False)), "head")


def insert_old_district(conn: Connection, district_id: int, app_name: str, *, client_id: str, client_secret: str,
                        flags: int, journal_cap: int | None) -> None:
    """A district row with the columns every revision since the token lifetime has (`flags`: 0 or 1 for
    strict_unknown_properties and the six staff locks; household updates allowed)."""
    conn.execute(text(
        "INSERT INTO district (id, app_name, client_id, client_secret, secret_version, "
        "token_lifetime_seconds, allow_household_updates, strict_unknown_properties, lock_staff_creation, "
        "lock_staff_number, lock_staff_demographics, lock_staff_employment, "
        "lock_staff_employment_assignments, lock_staff_household, clock_offset_seconds, data_version, "
        "journal_cap, created_at) VALUES (:id, :app, :cid, :secret, 1, 3600, 1, :f, :f, :f, :f, :f, :f, :f, 0, 0, "
        ":cap, '2026-01-01 00:00:00')"),
        {"id": district_id, "app": app_name, "cid": client_id, "secret": client_secret, "f": flags,
         "cap": journal_cap})
