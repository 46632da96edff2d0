"""Reading a district's Error Log (ERR-1, MOCK-5) and request journal (MOCK-9)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from boi_mock import models as m
from boi_mock.clock import iso
from boi_mock.errors import NotFound


def error_log(session: Session, district_id: int, *, path: str | None = None, since: datetime | None = None,
              until: datetime | None = None, limit: int = 200, offset: int = 0) -> list[m.ErrorLogEntry]:
    stmt = select(m.ErrorLogEntry).where(m.ErrorLogEntry.district_id == district_id)
    if path:
        stmt = stmt.where(m.ErrorLogEntry.path.contains(path))
    if since:
        stmt = stmt.where(m.ErrorLogEntry.error_at >= since)
    if until:
        stmt = stmt.where(m.ErrorLogEntry.error_at <= until)
    # Newest call first: rows are written after the answer, not necessarily in the order of the calls.
    stmt = stmt.order_by(m.ErrorLogEntry.wall_at.desc(), m.ErrorLogEntry.id.desc()).offset(offset).limit(limit)
    return list(session.scalars(stmt))


def error_log_entry(session: Session, district_id: int, entry_id: int) -> m.ErrorLogEntry:
    entry = session.get(m.ErrorLogEntry, entry_id)
    if entry is None or entry.district_id != district_id:
        raise NotFound(f"Error Log entry {entry_id} does not exist", code="error_log_entry_not_found")
    return entry


def occurrences(session: Session, entry: m.ErrorLogEntry) -> tuple[datetime, int]:
    """When the entry's error (same path, action, status and code) was first seen, and how often it was."""
    same = (m.ErrorLogEntry.district_id == entry.district_id, m.ErrorLogEntry.path == entry.path,
            m.ErrorLogEntry.action == entry.action, m.ErrorLogEntry.status == entry.status,
            (m.ErrorLogEntry.code == entry.code) if entry.code is not None else m.ErrorLogEntry.code.is_(None))
    first_seen, count = session.execute(
        select(func.min(m.ErrorLogEntry.error_at), func.count(m.ErrorLogEntry.id)).where(*same)).one()
    return first_seen or entry.error_at, int(count or 1)


def error_row(e: m.ErrorLogEntry) -> dict[str, Any]:
    return {"id": e.id, "errorDate": iso(e.error_at), "action": e.action, "path": e.path, "status": e.status,
            "code": e.code, "errorMessage": e.error_message, "payload": e.payload}


def journal(session: Session, district_id: int, *, path: str | None = None, status: int | None = None,
            since: datetime | None = None, limit: int = 200) -> list[m.RequestJournalEntry]:
    stmt = select(m.RequestJournalEntry).where(m.RequestJournalEntry.district_id == district_id)
    if path:
        stmt = stmt.where(m.RequestJournalEntry.path.contains(path))
    if status is not None:
        stmt = stmt.where(m.RequestJournalEntry.status == status)
    if since:
        stmt = stmt.where(m.RequestJournalEntry.at >= since)
    # Newest call first: `wall_at` is when it was answered (entries are written after, not in that order), on the
    # wall clock, so a district clock set back (MOCK-8) does not reorder them.
    order = (m.RequestJournalEntry.wall_at.desc(), m.RequestJournalEntry.id.desc())
    return list(session.scalars(stmt.order_by(*order).limit(limit)))


def journal_row(j: m.RequestJournalEntry) -> dict[str, Any]:
    return {"id": j.id, "at": iso(j.at), "method": j.method, "path": j.path, "query": j.query, "status": j.status,
            "durationMs": j.duration_ms, "rules": j.rules, "requestBody": j.request_body,
            "responseBody": j.response_body}


def clear_journal(session: Session, district_id: int) -> None:
    session.execute(delete(m.RequestJournalEntry).where(m.RequestJournalEntry.district_id == district_id))
