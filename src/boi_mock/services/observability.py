"""Writing what happened to a BOI call: the request journal (MOCK-9) and the Error Log (ERR-1).

Entries are written by one writer thread with group commit: whatever calls finished while the
previous batch was being written go in one transaction. The caller waits until its own entry is
committed (so a test reading the journal right after a call sees it), but concurrent calls share
one write transaction instead of queueing for SQLite's write lock one by one.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from boi_mock import models as m
from boi_mock.clock import utcnow
from boi_mock.db import Database
from boi_mock.errors import Unauthorized
from boi_mock.services import auth

log = logging.getLogger("boi_mock")
TRIM_EVERY = 50
MAX_BATCH = 500


@dataclass
class _Pending:
    entry: dict[str, Any]
    done: threading.Event = field(default_factory=threading.Event)


class JournalWriter:
    def __init__(self, db: Database, cap_default: int) -> None:
        self.db = db
        self.cap_default = cap_default
        self._queue: queue.Queue[_Pending | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._unchecked: Counter[int] = Counter()  # per district: entries written since its last trim

    def record(self, entry: dict[str, Any], timeout: float = 30.0) -> None:
        """Queue one call's entry and wait until it is committed."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="boi-journal", daemon=True)
                self._thread.start()
        pending = _Pending(entry)
        self._queue.put(pending)
        pending.done.wait(timeout)

    def stop(self) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join(10)

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self._queue.put(None)  # stop after this batch
                    break
                batch.append(item)
            try:
                write_entries(self.db, [p.entry for p in batch], self.cap_default, self._unchecked)
            except Exception:  # the calls were answered; a lost journal line must not kill the writer
                log.exception("Could not write %d journal/error log entries", len(batch))
            finally:
                for pending in batch:
                    pending.done.set()


def write_entries(db: Database, entries: list[dict[str, Any]], cap_default: int,
                  unchecked: Counter[int] | None = None) -> None:
    """Insert the entries; trim a district's journal once `TRIM_EVERY` entries of it went unchecked.

    `unchecked` counts per district across calls (the writer keeps one); without it every call trims.
    """
    with db.unit_of_work(write=True) as session:
        ids = {e["district_id"] for e in entries}
        districts = {d.id: d for d in session.scalars(select(m.District).where(m.District.id.in_(ids)))}
        now = utcnow()
        journals: list[m.RequestJournalEntry] = []
        for entry in entries:
            district = districts.get(entry["district_id"])
            if district is None:  # deleted by this very call
                continue
            journals.append(m.RequestJournalEntry(
                district_id=district.id, at=now, method=entry["method"], path=entry["path"],
                query=entry["query"], status=entry["status"], duration_ms=entry["duration_ms"],
                request_body=entry["request_body"], response_body=entry["response_body"], rules=entry["rules"],
            ))
            if entry["status"] >= 400:
                session.add(m.ErrorLogEntry(
                    district_id=district.id, error_at=now, action=entry["method"], path=entry["path"],
                    status=entry["status"], code=entry["error_code"], error_message=entry["error_message"],
                    payload=entry["request_body"],
                ))
        session.add_all(journals)
        session.flush()
        counts = unchecked if unchecked is not None else Counter()
        counts.update(j.district_id for j in journals)
        trim = [d for d in districts if counts[d] >= TRIM_EVERY or unchecked is None]
        for district_id in trim:
            counts.pop(district_id, None)
            trim_journal(session, district_id, districts[district_id].journal_cap or cap_default)


def record_call(app: Any, entry: dict[str, Any]) -> None:
    writer: JournalWriter | None = getattr(app.state, "journal_writer", None)
    if writer is None:
        write_entries(app.state.db, [entry], app.state.settings.journal_cap)
    else:
        writer.record(entry)


def trim_journal(session: Session, district_id: int, cap: int) -> None:
    """Keep the newest `cap` entries of the district's journal."""
    cutoff = session.scalar(
        select(m.RequestJournalEntry.id).where(m.RequestJournalEntry.district_id == district_id)
        .order_by(m.RequestJournalEntry.id.desc()).offset(cap).limit(1)
    )
    if cutoff is not None:
        session.execute(delete(m.RequestJournalEntry).where(
            m.RequestJournalEntry.district_id == district_id, m.RequestJournalEntry.id <= cutoff))


def district_for_authorization(app: Any, authorization: str | None) -> int | None:
    """The district a valid Bearer token belongs to, for calls rejected before authentication ran (413/415)."""
    if not authorization:
        return None
    with app.state.db.unit_of_work(write=False) as session, contextlib.suppress(Unauthorized):
        district, _client = auth.authenticate(session, key=app.state.signing_key, authorization=authorization)
        return district.id
    return None
