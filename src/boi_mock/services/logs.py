"""Reading a district's Error Log (ERR-1, MOCK-5) and request journal (MOCK-9)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, delete, func, or_, select
from sqlalchemy.orm import Session

from boi_mock import models as m
from boi_mock.clock import iso
from boi_mock.domain.error_log import error_field
from boi_mock.errors import NotFound
from boi_mock.services.sync import state as sync_state


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
    """When the entry's error was first seen, and how often it was: the same path, action, status, code **and
    field** (`domain.error_log.error_field`: two unknown properties are two errors)."""
    same = (m.ErrorLogEntry.district_id == entry.district_id, m.ErrorLogEntry.path == entry.path,
            m.ErrorLogEntry.action == entry.action, m.ErrorLogEntry.status == entry.status,
            (m.ErrorLogEntry.code == entry.code) if entry.code is not None else m.ErrorLogEntry.code.is_(None))
    field = error_field(entry.error_message)
    seen = [at for at, message in session.execute(
        select(m.ErrorLogEntry.error_at, m.ErrorLogEntry.error_message).where(*same))
        if error_field(message) == field]
    return min(seen, default=entry.error_at), max(len(seen), 1)


def sync_outcome(session: Session, district_id: int, at: datetime) -> tuple[int, int] | None:
    """(succeeded, failed) of the sync that was being committed at `at` (the latest started by then), or None."""
    run_id = session.scalar(select(m.SyncRun.id).where(m.SyncRun.district_id == district_id,
                                                       m.SyncRun.started_at <= at)
                            .order_by(m.SyncRun.id.desc()).limit(1))
    if run_id is None:
        return None
    counts = dict(session.execute(select(m.SyncStagingRow.outcome, func.count())
                                  .where(m.SyncStagingRow.sync_id == run_id).group_by(m.SyncStagingRow.outcome)).all())
    return int(counts.get(sync_state.SUCCEEDED, 0)), int(counts.get(sync_state.FAILED, 0))


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


STATUS_CLASSES = {"2xx": (200, 299), "3xx": (300, 399), "4xx": (400, 499), "5xx": (500, 599), "dropped": (0, 0)}


@dataclass(frozen=True)
class JournalFilter:
    """What the Campus UI's request journal page filters on (every one optional)."""

    method: str | None = None
    status_class: str | None = None  # a key of STATUS_CLASSES
    path: str | None = None  # contained in the path
    rule: str | None = None  # a rule ID that fired ("HH-2" also finds "HH-2 location moved", not "HH-20")
    staff_number: str | None = None  # the person's calls: in the path (/staffMembers/{n}…) or the request body


def _journal_where(district_id: int, f: JournalFilter) -> list[Any]:
    entry = m.RequestJournalEntry
    where: list[Any] = [entry.district_id == district_id]
    if f.method:
        where.append(entry.method == f.method.upper())
    if f.status_class in STATUS_CLASSES:
        low, high = STATUS_CLASSES[f.status_class]
        where.append(entry.status.between(low, high))
    if f.path:
        where.append(entry.path.contains(f.path, autoescape=True))
    if f.rule:
        # `rules` is a JSON list of strings, stored as text on both databases: an element equal to the rule ID,
        # or starting with it and a space (the journal's notes, MOCK-9).
        text = cast(entry.rules, String)
        where.append(or_(text.contains(f'"{f.rule}"', autoescape=True), text.contains(f'"{f.rule} ', autoescape=True)))
    if f.staff_number:
        in_path = f"/staffMembers/{f.staff_number}"
        where.append(or_(entry.path.endswith(in_path, autoescape=True),
                         entry.path.contains(in_path + "/", autoescape=True),
                         entry.request_body.contains(f'"{f.staff_number}"', autoescape=True)))
    return where


def journal_count(session: Session, district_id: int, f: JournalFilter) -> int:
    """How many journal entries the Campus UI's filter matches."""
    total = session.scalar(select(func.count(m.RequestJournalEntry.id)).where(*_journal_where(district_id, f)))
    return int(total or 0)


def journal_page(session: Session, district_id: int, f: JournalFilter, *, limit: int, offset: int
                 ) -> list[m.RequestJournalEntry]:
    """One page of the entries the filter matches, newest first (as `journal`)."""
    order = (m.RequestJournalEntry.wall_at.desc(), m.RequestJournalEntry.id.desc())
    stmt = select(m.RequestJournalEntry).where(*_journal_where(district_id, f)).order_by(*order)
    return list(session.scalars(stmt.offset(offset).limit(limit)))


def journal_entry(session: Session, district_id: int, entry_id: int) -> m.RequestJournalEntry:
    entry = session.get(m.RequestJournalEntry, entry_id)
    if entry is None or entry.district_id != district_id:
        raise NotFound(f"Journal entry {entry_id} does not exist (or was trimmed by the journal's cap)",
                       code="journal_entry_not_found")
    return entry


def clear_journal(session: Session, district_id: int) -> None:
    session.execute(delete(m.RequestJournalEntry).where(m.RequestJournalEntry.district_id == district_id))
