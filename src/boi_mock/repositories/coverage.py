"""Coverage counters (MOCK-11): upserted with the journal entries, read and cleared per district."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import Executable, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from boi_mock import models as m

# (district_id, kind, key, status)
CounterKey = tuple[int, str, str, int]


def add_hits(session: Session, hits: Counter[CounterKey]) -> None:
    """Add the hits in one statement per batch, `INSERT … ON CONFLICT DO UPDATE SET hits = hits + n`.

    Rows are written in key order, so two transactions adding to the same counters (a write's own entry, the
    journal writer's batch, another replica's) lock them in the same order and never deadlock on PostgreSQL.
    """
    if not hits:
        return
    rows = [{"district_id": d, "kind": kind, "key": key, "status": status, "hits": n}
            for (d, kind, key, status), n in sorted(hits.items())]
    connection = session.connection()  # Core: the ORM's bulk-insert path cost more than the statement
    connection.execute(_upsert(connection.dialect.name), rows)


_UPSERTS: dict[str, Executable] = {}


def _upsert(dialect: str) -> Executable:
    """The upsert statement, built once per dialect: a write pays for it on every call, and building it (the
    `excluded` alias) cost more than SQLite takes to run it."""
    stmt = _UPSERTS.get(dialect)
    if stmt is None:
        insert = (pg_insert if dialect == "postgresql" else sqlite_insert)(m.CoverageCounter)
        stmt = _UPSERTS[dialect] = insert.on_conflict_do_update(
            index_elements=["district_id", "kind", "key", "status"],
            set_={"hits": m.CoverageCounter.hits + insert.excluded.hits})
    return stmt


def counters(session: Session, district_id: int) -> list[tuple[str, str, int, int]]:
    """(kind, key, status, hits) of every counter of the district."""
    stmt = select(m.CoverageCounter.kind, m.CoverageCounter.key, m.CoverageCounter.status, m.CoverageCounter.hits
                  ).where(m.CoverageCounter.district_id == district_id)
    return [(kind, key, status, hits) for kind, key, status, hits in session.execute(stmt)]


def clear(session: Session, district_ids: Iterable[int]) -> None:
    ids = list(district_ids)
    if ids:
        session.execute(delete(m.CoverageCounter).where(m.CoverageCounter.district_id.in_(ids)))
