"""The migration that binds tokens to their district (MOCK-15) and caps the Error Log (ERR-1) keeps every row.

On SQLite a batch copy of `district` would drop the old table and, through ON DELETE CASCADE, every district's
data with it: the migration adds its columns in place. Each existing district gets its own binding.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from tests.unit.migration_support import database_at, insert_old_district, upgrade_to_head

BEFORE = "5c1e9a7d2b40"


def test_mock15_existing_districts_keep_their_data_and_get_a_binding_each(tmp_path: Path) -> None:
    with database_at(tmp_path, BEFORE) as engine:
        with engine.begin() as conn:
            for i in (1, 2):
                insert_old_district(conn, i, f"old-{i}", client_id="c", client_secret="s", flags=1, journal_cap=None)
                conn.execute(text("INSERT INTO person (id, district_id, staff_number, created_at) "
                                  "VALUES (:i, :i, 'n', '2026-01-01 00:00:00')"), {"i": i})
        upgrade_to_head(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM person")).scalar() == 2
            bindings = [row[0] for row in conn.execute(text("SELECT token_binding FROM district ORDER BY id"))]
            assert len(set(bindings)) == 2 and all(len(b) == 32 for b in bindings)
            assert conn.execute(text("SELECT error_log_cap FROM district")).scalars().all() == [None, None]
