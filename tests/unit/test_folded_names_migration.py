"""The migration that adds the folded names (STAFF-3) fills them for the identities a database already holds."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from boi_mock import migrate
from boi_mock.db import create_db_engine
from boi_mock.models import fold_name

BEFORE = "6fb07ba7d8d6"  # the revision before the folded names
NAMES = [("Özdemir", "Straße"), ("SMITH", "ﬁona"), ("Ǆurić", "Ayşe")]


def test_staff3_existing_identities_get_their_folded_names(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(migrate.alembic_config(url), BEFORE)
    engine = create_db_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO district (id, app_name, client_id, client_secret, secret_version, "
                "token_lifetime_seconds, allow_household_updates, strict_unknown_properties, lock_staff_creation, "
                "lock_staff_number, lock_staff_demographics, lock_staff_employment, "
                "lock_staff_employment_assignments, lock_staff_household, clock_offset_seconds, data_version, "
                "journal_cap, created_at) VALUES (1, 'old', 'old', 'secret', 1, 3600, 1, 0, 0, 0, 0, 0, 0, 0, 0, "
                "0, 1000, '2026-01-01 00:00:00')"))
            for i, (last, first) in enumerate(NAMES, start=1):
                conn.execute(text("INSERT INTO person (id, district_id, staff_number, created_at) "
                                  "VALUES (:i, 1, :n, '2026-01-01 00:00:00')"), {"i": i, "n": f"{i}"})
                conn.execute(text("INSERT INTO identity (district_id, person_id, last_name, first_name, is_current) "
                                  "VALUES (1, :i, :last, :first, 1)"), {"i": i, "last": last, "first": first})
        command.upgrade(migrate.alembic_config(url), "head")
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT last_name_folded, first_name_folded FROM identity ORDER BY person_id"))
            assert [tuple(row) for row in rows] == [(fold_name(last), fold_name(first)) for last, first in NAMES]
            assert fold_name("Straße") == "strasse" and fold_name("ﬁona") == "fiona"
    finally:
        engine.dispose()
