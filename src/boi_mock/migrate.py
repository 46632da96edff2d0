"""Run the Alembic migrations programmatically (serve, tests, CLI), and a shortcut for new test databases.

A restart on a database that is already at the head revision skips Alembic entirely (importing it
costs about half a second of a cold start): the head is read from the revision files themselves.

`ensure_head` (the pytest plugin's servers) builds an *empty* SQLite database in one step instead:
`Base.metadata.create_all` plus the head revision stamped, in one BEGIN IMMEDIATE transaction (a
second process starting on the same file waits, then finds it built). That takes a fraction of
replaying every migration, and `tests/unit/test_schema_shortcut.py` proves it gives the same schema.

Replicas starting together on one PostgreSQL database migrate one at a time: `upgrade` holds a
session-level advisory lock (`MIGRATION_LOCK`) around Alembic, and a replica that waited for it reads
the revision again, finds the schema at head and goes on (without it, the losers of the race died with
UniqueViolation on `alembic_version`). SQLite needs no lock: Alembic's transaction is BEGIN IMMEDIATE.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table, inspect, text
from sqlalchemy.engine import make_url

from boi_mock.db import WRITE_OPTION, create_db_engine

if TYPE_CHECKING:
    from alembic.config import Config

# The migrations ship inside the package: they run from wherever boi_mock is installed, never from a
# path relative to the working directory.
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSIONS = MIGRATIONS / "versions"
_REVISION = re.compile(r"^revision(?::\s*str)?\s*=\s*['\"]([0-9a-zA-Z_]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision(?::[^=]+)?=\s*(?:['\"]([0-9a-zA-Z_]+)['\"]|None)", re.MULTILINE)


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    # stdout is passed now: Alembic's default is the sys.stdout of the moment alembic.config was first
    # imported, which may be a stream closed since (a test's capture, a redirected CLI run).
    cfg = Config(stdout=sys.stdout)
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revisions() -> set[str]:
    """The heads of the revision graph, from the files (no Alembic import)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in VERSIONS.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision is None or down is None:
            return set()  # not a file this reader understands: let Alembic decide
        revisions.add(revision.group(1))
        if down.group(1):
            parents.add(down.group(1))
    return revisions - parents


def at_head(url: str) -> bool:
    heads = head_revisions()
    if not heads:
        return False
    engine = create_db_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return False
            current = {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
    finally:
        engine.dispose()
    return current == heads


# pg_advisory_lock key of the migrations (any constant every replica shares: "boi-mock" as bytes).
MIGRATION_LOCK = 0x626F692D6D6F636B


@contextmanager
def migration_lock(url: str) -> Iterator[None]:
    """PostgreSQL: hold the migrations' advisory lock (waiting for another replica's migration); SQLite: nothing."""
    if make_url(url).get_backend_name() != "postgresql":
        yield
        return
    engine = create_db_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            conn.commit()  # a session-level lock: no transaction kept open while Alembic works
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
                conn.commit()
    finally:
        engine.dispose()


def upgrade(url: str) -> None:
    if at_head(url):
        return
    from alembic import command

    with migration_lock(url):
        if at_head(url):  # another replica migrated while this one waited
            return
        command.upgrade(alembic_config(url), "head")


def _version_table() -> Table:
    """Alembic's own `alembic_version` table, as `alembic stamp` creates it."""
    return Table("alembic_version", MetaData(), Column("version_num", String(32), nullable=False),
                 PrimaryKeyConstraint("version_num", name="alembic_version_pkc"))


def create_at_head(url: str) -> bool:
    """An empty SQLite database gets the head schema in one transaction; False (nothing done) otherwise."""
    heads = head_revisions()
    if make_url(url).get_backend_name() != "sqlite" or len(heads) != 1:
        return False
    import boi_mock.models  # noqa: F401  (registers every table on Base.metadata)
    from boi_mock.db import Base

    version = _version_table()
    engine = create_db_engine(url)
    try:
        with engine.execution_options(**{WRITE_OPTION: True}).begin() as conn:
            if inspect(conn).get_table_names():
                return False
            Base.metadata.create_all(conn)
            version.create(conn)
            conn.execute(version.insert().values(version_num=heads.pop()))
    finally:
        engine.dispose()
    return True


def ensure_head(url: str) -> None:
    """The database at the head revision: as it is, built at once when empty (SQLite), else migrated."""
    if at_head(url) or create_at_head(url):
        return
    upgrade(url)
