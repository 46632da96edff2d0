"""The plugin's shortcut for an empty SQLite database (`migrate.create_at_head`: create_all + stamp) builds
exactly the schema the Alembic migrations build, as SQLAlchemy's inspector and SQLite itself see it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import inspect, text

from boi_mock import migrate
from boi_mock.db import create_db_engine


def schema_of(url: str) -> dict[str, Any]:
    """Every table's columns (in order), keys, foreign keys, indexes, unique and check constraints."""
    engine = create_db_engine(url)
    try:
        with engine.connect() as conn:
            inspector = inspect(conn)
            tables: dict[str, Any] = {}
            for table in sorted(inspector.get_table_names()):
                tables[table] = {
                    "columns": [(c["name"], str(c["type"]), c["nullable"], c.get("default"))
                                for c in inspector.get_columns(table)],
                    "primary_key": inspector.get_pk_constraint(table),
                    "foreign_keys": sorted((fk["name"], fk["constrained_columns"], fk["referred_table"],
                                            fk["referred_columns"], sorted(fk.get("options", {}).items()))
                                           for fk in inspector.get_foreign_keys(table)),
                    "indexes": sorted((i["name"], i["column_names"], i["unique"])
                                      for i in inspector.get_indexes(table)),
                    "unique": sorted((u["name"], u["column_names"]) for u in inspector.get_unique_constraints(table)),
                    "checks": sorted((c["name"], " ".join(c["sqltext"].split()))
                                     for c in inspector.get_check_constraints(table)),
                }
            versions = [row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))]
            return {"tables": tables, "alembic_version": versions}
    finally:
        engine.dispose()


def test_create_all_and_stamp_gives_the_schema_of_the_migrations(tmp_path: Path) -> None:
    migrated, shortcut = f"sqlite:///{tmp_path / 'migrated.db'}", f"sqlite:///{tmp_path / 'shortcut.db'}"
    command.upgrade(migrate.alembic_config(migrated), "head")
    assert migrate.create_at_head(shortcut)

    expected, built = schema_of(migrated), schema_of(shortcut)
    assert built["alembic_version"] == expected["alembic_version"] == sorted(migrate.head_revisions())
    assert list(built["tables"]) == list(expected["tables"])
    for table, shape in expected["tables"].items():
        assert built["tables"][table] == shape, table
    assert migrate.at_head(shortcut)


def test_alembic_finds_nothing_to_upgrade_or_generate_on_the_shortcut(tmp_path: Path) -> None:
    """`alembic upgrade head` is a no-op on it and `alembic check` (model vs database) passes."""
    url = f"sqlite:///{tmp_path / 'shortcut.db'}"
    assert migrate.create_at_head(url)
    before = schema_of(url)
    command.upgrade(migrate.alembic_config(url), "head")
    command.check(migrate.alembic_config(url))
    assert schema_of(url) == before


def test_the_shortcut_is_for_empty_sqlite_databases_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'used.db'}"
    engine = create_db_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE vendor_data (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    assert not migrate.create_at_head(url)
    assert not migrate.create_at_head("postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert migrate.create_at_head(f"sqlite:///{tmp_path / 'new.db'}")
    assert not migrate.create_at_head(f"sqlite:///{tmp_path / 'new.db'}"), "built already: left alone"


@pytest.mark.parametrize("built_by", ["shortcut", "alembic"])
def test_ensure_head_builds_or_migrates(tmp_path: Path, built_by: str) -> None:
    url = f"sqlite:///{tmp_path / 'db.db'}"
    if built_by == "alembic":
        command.upgrade(migrate.alembic_config(url), "head")
    migrate.ensure_head(url)
    assert migrate.at_head(url)
