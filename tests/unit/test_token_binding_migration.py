"""The migration that binds tokens to their district (MOCK-15) and caps the Error Log (ERR-1) keeps every row.

On SQLite a batch copy of `district` would drop the old table and, through ON DELETE CASCADE, every district's
data with it: the migration adds its columns in place. Each existing district gets its own binding.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from boi_mock import migrate
from boi_mock.db import create_db_engine

BEFORE = "5c1e9a7d2b40"


def test_mock15_existing_districts_keep_their_data_and_get_a_binding_each(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(migrate.alembic_config(url), BEFORE)
    engine = create_db_engine(url)
    try:
        with engine.begin() as conn:
            for i in (1, 2):
                conn.execute(text(
                    "INSERT INTO district (id, app_name, client_id, client_secret, secret_version, "
                    "token_lifetime_seconds, allow_household_updates, strict_unknown_properties, "
                    "lock_staff_creation, lock_staff_number, lock_staff_demographics, lock_staff_employment, "
                    "lock_staff_employment_assignments, lock_staff_household, clock_offset_seconds, data_version, "
                    "journal_cap, created_at) VALUES (:i, :app, 'c', 's', 1, 3600, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, "
                    "NULL, '2026-01-01 00:00:00')"), {"i": i, "app": f"old-{i}"})
                conn.execute(text("INSERT INTO person (id, district_id, staff_number, created_at) "
                                  "VALUES (:i, :i, 'n', '2026-01-01 00:00:00')"), {"i": i})
        command.upgrade(migrate.alembic_config(url), "head")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM person")).scalar() == 2
            bindings = [row[0] for row in conn.execute(text("SELECT token_binding FROM district ORDER BY id"))]
            assert len(set(bindings)) == 2 and all(len(b) == 32 for b in bindings)
            assert conn.execute(text("SELECT error_log_cap FROM district")).scalars().all() == [None, None]
    finally:
        engine.dispose()
