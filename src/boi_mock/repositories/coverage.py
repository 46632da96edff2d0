"""Coverage counters (MOCK-11): upserted with the journal entries, read and cleared per district."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import delete, select
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
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [{"district_id": d, "kind": kind, "key": key, "status": status, "hits": n}
            for (d, kind, key, status), n in sorted(hits.items())]
    stmt = insert(m.CoverageCounter)
    stmt = stmt.on_conflict_do_update(index_elements=["district_id", "kind", "key", "status"],
                                      set_={"hits": m.CoverageCounter.hits + stmt.excluded.hits})
    session.execute(stmt, rows)


def counters(session: Session, district_id: int) -> list[tuple[str, str, int, int]]:
    """(kind, key, status, hits) of every counter of the district."""
    stmt = select(m.CoverageCounter.kind, m.CoverageCounter.key, m.CoverageCounter.status, m.CoverageCounter.hits
                  ).where(m.CoverageCounter.district_id == district_id)
    return [(kind, key, status, hits) for kind, key, status, hits in session.execute(stmt)]


def clear(session: Session, district_ids: Iterable[int]) -> None:
    ids = list(district_ids)
    if ids:
        session.execute(delete(m.CoverageCounter).where(m.CoverageCounter.district_id.in_(ids)))
