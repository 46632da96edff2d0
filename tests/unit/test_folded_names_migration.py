"""The migration that adds the folded names (STAFF-3) fills them for the identities a database already holds."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from boi_mock.models import fold_name
from tests.unit.migration_support import database_at, insert_old_district, upgrade_to_head

BEFORE = "6fb07ba7d8d6"  # the revision before the folded names
NAMES = [("Özdemir", "Straße"), ("SMITH", "ﬁona"), ("Ǆurić", "Ayşe")]


def test_staff3_existing_identities_get_their_folded_names(tmp_path: Path) -> None:
    with database_at(tmp_path, BEFORE) as engine:
        with engine.begin() as conn:
            insert_old_district(conn, 1, "old", client_id="old", client_secret="secret", flags=0, journal_cap=1000)
            for i, (last, first) in enumerate(NAMES, start=1):
                conn.execute(text("INSERT INTO person (id, district_id, staff_number, created_at) "
                                  "VALUES (:i, 1, :n, '2026-01-01 00:00:00')"), {"i": i, "n": f"{i}"})
                conn.execute(text("INSERT INTO identity (district_id, person_id, last_name, first_name, is_current) "
                                  "VALUES (1, :i, :last, :first, 1)"), {"i": i, "last": last, "first": first})
        upgrade_to_head(engine)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT last_name_folded, first_name_folded FROM identity ORDER BY person_id"))
            assert [tuple(row) for row in rows] == [(fold_name(last), fold_name(first)) for last, first in NAMES]
            assert fold_name("Straße") == "strasse" and fold_name("ﬁona") == "fiona"
