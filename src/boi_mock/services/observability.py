"""Writing what happened to a BOI call: the request journal (MOCK-9) and the Error Log (ERR-1).

Two ways in, one record (`CallRecord`):

* a successful write adds its journal entry to its own transaction (`add_to_session`): one commit;
* everything else (reads, rejected calls: Error Log row and journal entry together) is handed to the
  process's `JournalWriter` and written after the answer, in batches, off the hot path.

Either way the district's contract-coverage counters (MOCK-11, `boi_mock.domain.coverage`) are upserted in
the same transaction as the entries: they have the journal's guarantees, without its cap.

**Caps hold across replicas.** The journal cap (MOCK-9) and the Error Log cap (ERR-1) are kept by the
database, not counted per process: every batch trims each district it wrote to (a successful write's own
entry asks for a trim in the next batch), and trims of one district are serialised across replicas by a
transaction-level advisory lock (`_serialise_trims`), so a trim always sees the rows other replicas'
writers committed before it. What can exceed a cap for a moment is what was written since the last trim:
at most the entries of each replica's current batch (its linger, 100 ms); once the writers are idle (a
`settle()` on each replica), every district holds at most its caps.

Read-your-writes is kept on the read side: `JournalWriter.settle()` returns once every record handed
over before it was called is committed, and the control API settles before it reads (see
`boi_mock.api.pipeline`). A batch that fails is retried record by record, so one record that cannot be
stored never takes another district's rows with it; text is made storable (NUL and lone surrogates
escaped, cut to the column's length) before it is written.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, text
from sqlalchemy.orm import Session

from boi_mock import models as m
from boi_mock.clock import Clock, utcnow
from boi_mock.db import Database
from boi_mock.domain import coverage
from boi_mock.domain.masking import mask_body, mask_text
from boi_mock.errors import Unauthorized
from boi_mock.repositories import coverage as coverage_repo
from boi_mock.services import auth

log = logging.getLogger("boi_mock")
# pg_advisory_xact_lock(class, district id): one district's trims, one at a time across replicas.
_TRIM_LOCK_CLASS = 0x626F69
_TRIM_LOCK = text("SELECT pg_advisory_xact_lock(:lock_class, :district_id)")
# Error Log rows a district keeps when it sets no cap of its own (ERR-1; BOI_MOCK_ERROR_LOG_CAP).
ERROR_LOG_CAP_DEFAULT = 10_000
MAX_BATCH = 500
# How long the writer lets records gather before it writes them (a settle() or a full batch cuts it short).
LINGER_S = 0.1

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Built once (composing a statement per call costs about as much as running it).
_JOURNAL_INSERT = insert(m.RequestJournalEntry)
_ERROR_INSERT = insert(m.ErrorLogEntry)


def storable(text: str | None, limit: int | None = None) -> str | None:
    """Text any database accepts: NUL and lone surrogates escaped (`\\u0000`), cut to `limit` characters."""
    if text is None:
        return None
    if _UNSTORABLE.search(text):
        text = _UNSTORABLE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
    return text if limit is None or len(text) <= limit else text[:limit]


@dataclass
class CallRecord:
    """One answered BOI call, as the journal and the Error Log need it (raw: masked when stored).

    `authorization` is only kept (in memory, never stored) to find the district of a call rejected
    before authentication ran (413, 415, 404): the writer resolves it off the hot path.
    """

    method: str
    path: str
    query: str | None
    status: int
    duration_ms: float
    request_body: bytes
    response_body: bytes | None
    rules: list[str] = field(default_factory=list)
    district_id: int | None = None
    error_message: str | None = None
    error_code: str | None = None
    authorization: str | None = None
    # When the call was answered: the journal's order (entries are written later, and not in that order).
    answered_at: datetime = field(default_factory=utcnow)
    # False: an Error Log row only (a refused token request is not a BOI call: no journal entry).
    journal: bool = True


@dataclass(frozen=True)
class _Trim:
    district_id: int


def _rows(record: CallRecord, district_id: int, clock: Clock) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The journal row and (for a 4xx/5xx) the Error Log row, masked and storable, dated by the district's
    clock (MOCK-8) and ordered by the wall clock (`wall_at`)."""
    wall = record.answered_at
    now = clock.at(wall)
    request_body = storable(mask_body(record.request_body))
    path = storable(mask_text(record.path), 500) or ""  # /staffMembers/587-21-4963 is an SSN
    journal = {
        "district_id": district_id, "at": now, "method": record.method[:10], "path": path,
        "query": storable(mask_text(record.query), 2000) if record.query else None, "status": record.status,
        "duration_ms": round(record.duration_ms, 3), "request_body": request_body,
        "response_body": storable(mask_body(record.response_body)) if record.response_body else None,
        "rules": [storable(rule) or "" for rule in record.rules], "wall_at": wall,
    }
    if record.status >= 400:
        message = record.error_message or f"HTTP {record.status}"
        error = {"district_id": district_id, "error_at": now, "action": record.method[:10], "path": path,
                 "status": record.status, "code": storable(record.error_code, 60),
                 "error_message": storable(mask_text(message)) or "", "payload": request_body,
                 "wall_at": wall}
        return (journal if record.journal else None), error
    return (journal if record.journal else None), None


def count_coverage(hits: Counter[coverage_repo.CounterKey], record: CallRecord, district_id: int) -> None:
    """Add what the call exercised (MOCK-11: rules, error codes, its operation and status) to `hits`.

    Never at the cost of the journal entry: a call whose coverage cannot be read is logged and not counted.
    """
    try:
        facts = coverage.facts_of(method=record.method, path=record.path, status=record.status, rules=record.rules,
                                  error_code=record.error_code, request_body=record.request_body,
                                  response_body=record.response_body)
        counted = coverage.observe(facts)
    except Exception:
        log.exception("Could not count the coverage of a call (%s)", _describe([record]))
        return
    for kind, key, status in counted:
        hits[(district_id, kind, key[:120], status)] += 1


def add_to_session(session: Session, record: CallRecord, district_id: int, clock: Clock) -> None:
    """A successful write's journal entry and coverage counters, in the write's own transaction (committed with it)."""
    journal, error = _rows(record, district_id, clock)
    connection = session.connection()  # Core INSERTs: the ORM's bulk-insert path cost more than the statement
    if journal is not None:
        connection.execute(_JOURNAL_INSERT, journal)
    if error is not None:
        connection.execute(_ERROR_INSERT, error)
    hits: Counter[coverage_repo.CounterKey] = Counter()
    count_coverage(hits, record, district_id)
    coverage_repo.add_hits(session, hits)


class JournalWriter:
    """One thread per process that writes handed-over records in batches; `settle()` waits for it."""

    def __init__(self, db: Database, cap_default: int, signing_key: str | None = None,
                 linger: float = LINGER_S, error_log_cap_default: int = ERROR_LOG_CAP_DEFAULT) -> None:
        self.db = db
        self.cap_default = cap_default
        self.error_log_cap_default = error_log_cap_default
        self.signing_key = signing_key
        self.linger = linger
        self._pending: deque[CallRecord | _Trim] = deque()
        self._cond = threading.Condition()
        self._accepted = 0  # records and trims handed over
        self._done = 0  # of those, written (or given up on)
        self._hurry = 0  # settle() calls waiting: write now, no lingering
        self._stopping = False
        self._thread: threading.Thread | None = None

    # --- the hot path: never waits for the database ---------------------------------------------------

    def submit(self, item: CallRecord | _Trim) -> None:
        with self._cond:
            self._ensure_thread()
            self._pending.append(item)
            self._accepted += 1
            self._cond.notify_all()

    def written_in_transaction(self, district_id: int) -> None:
        """A write committed its own journal entry: the next batch trims the district's journal."""
        self.submit(_Trim(district_id))

    # --- the read side ----------------------------------------------------------------------------------

    def settle(self, timeout: float = 30.0) -> bool:
        """Wait until every record handed over before this call is committed (or given up on)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            target = self._accepted
            if self._done >= target:
                return True
            self._hurry += 1
            self._cond.notify_all()
            try:
                while self._done < target:
                    left = deadline - time.monotonic()
                    if left <= 0 or self._thread is None or not self._thread.is_alive():
                        return False
                    self._cond.wait(left)
            finally:
                self._hurry -= 1
        return True

    def stop(self) -> None:
        """Write what is pending, then end the thread."""
        with self._cond:
            thread = self._thread
            self._stopping = True
            self._cond.notify_all()
        if thread is not None:
            thread.join(30)

    # --- the writer thread --------------------------------------------------------------------------------

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stopping = False
            self._thread = threading.Thread(target=self._run, name="boi-journal", daemon=True)
            self._thread.start()

    def _next_batch(self) -> list[CallRecord | _Trim] | None:
        with self._cond:
            while not self._pending:
                if self._stopping:
                    return None
                self._cond.wait()
            gather_until = time.monotonic() + self.linger
            while not (self._stopping or self._hurry or len(self._pending) >= MAX_BATCH):
                left = gather_until - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            return [self._pending.popleft() for _ in range(min(MAX_BATCH, len(self._pending)))]

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            try:
                self._write(batch)
            finally:
                with self._cond:
                    self._done += len(batch)
                    self._cond.notify_all()

    def _write(self, batch: list[CallRecord | _Trim]) -> None:
        records = [item for item in batch if isinstance(item, CallRecord)]
        trims = {item.district_id for item in batch if isinstance(item, _Trim)}
        try:
            self._write_records(records, trims)
        except Exception:
            if len(records) <= 1 and not trims:
                log.exception("Could not write a journal/error log entry (%s)", _describe(records))
                return
            # One bad record must not take the others with it: each alone, in its own transaction.
            log.warning("A batch of %d journal entries failed; writing them one by one", len(records))
            for record in records:
                try:
                    self._write_records([record], set())
                except Exception:
                    log.exception("Could not write a journal/error log entry (%s)", _describe([record]))
            for district_id in trims:
                with contextlib.suppress(Exception):
                    self._write_records([], {district_id})

    def _write_records(self, records: list[CallRecord], trims: set[int]) -> None:
        with self.db.unit_of_work(write=True) as session:
            resolved = [(record, record.district_id if record.district_id is not None
                         else self._district_of(session, record.authorization)) for record in records]
            ids = {district_id for _, district_id in resolved if district_id is not None} | trims
            found = session.execute(select(m.District.id, m.District.journal_cap, m.District.error_log_cap,
                                           m.District.frozen_today, m.District.clock_offset_seconds)
                                    .where(m.District.id.in_(ids))).all() if ids else []
            caps = {row.id: row.journal_cap for row in found}
            error_caps = {row.id: row.error_log_cap for row in found}
            # The clock when the batch is written: a control call settles the writer before it moves the clock.
            clocks = {row.id: Clock(frozen_today=row.frozen_today, offset_seconds=row.clock_offset_seconds or 0)
                      for row in found}
            journals: list[dict[str, Any]] = []
            errors: list[dict[str, Any]] = []
            hits: Counter[coverage_repo.CounterKey] = Counter()
            for record, district_id in resolved:
                if district_id is None or district_id not in caps:  # no district, or deleted by this very call
                    continue
                journal, error = _rows(record, district_id, clocks[district_id])
                if journal is not None:
                    journals.append(journal)
                if error is not None:
                    errors.append(error)
                count_coverage(hits, record, district_id)
            if journals:
                session.execute(_JOURNAL_INSERT, journals)
            if errors:
                session.execute(_ERROR_INSERT, errors)
            # The coverage counters (MOCK-11) are upserted in the transaction that writes the entries.
            coverage_repo.add_hits(session, hits)
            # Both caps are kept by the database on every batch, per district, whatever the number of replicas.
            journalled = {row["district_id"] for row in journals} | (trims & caps.keys())
            errored = {row["district_id"] for row in errors}
            for district_id in sorted(journalled | errored):
                _serialise_trims(session, district_id)
                if district_id in journalled:
                    trim_journal(session, district_id, caps[district_id] or self.cap_default)
                if district_id in errored:
                    trim_error_log(session, district_id, error_caps[district_id] or self.error_log_cap_default)

    def _district_of(self, session: Session, authorization: str | None) -> int | None:
        if not authorization or self.signing_key is None:
            return None
        with contextlib.suppress(Unauthorized):
            district, _client = auth.authenticate(session, key=self.signing_key, authorization=authorization)
            return district.id
        return None


def _describe(records: Iterable[CallRecord]) -> str:
    return ", ".join(f"{r.method} {storable(r.path, 120)} -> {r.status}" for r in records)


def _serialise_trims(session: Session, district_id: int) -> None:
    """PostgreSQL: wait for another replica's trim of this district to commit (SQLite: BEGIN IMMEDIATE did)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_TRIM_LOCK, {"lock_class": _TRIM_LOCK_CLASS, "district_id": district_id})


def trim_journal(session: Session, district_id: int, cap: int) -> None:
    """Keep the newest `cap` entries of the district's journal."""
    cutoff = session.scalar(
        select(m.RequestJournalEntry.id).where(m.RequestJournalEntry.district_id == district_id)
        .order_by(m.RequestJournalEntry.id.desc()).offset(cap).limit(1)
    )
    if cutoff is not None:
        session.execute(delete(m.RequestJournalEntry).where(
            m.RequestJournalEntry.district_id == district_id, m.RequestJournalEntry.id <= cutoff))


def trim_error_log(session: Session, district_id: int, cap: int) -> None:
    """Keep the newest `cap` rows of the district's Error Log: one statement, on the (district_id, id) index."""
    cutoff = (select(m.ErrorLogEntry.id).where(m.ErrorLogEntry.district_id == district_id)
              .order_by(m.ErrorLogEntry.id.desc()).offset(cap).limit(1).scalar_subquery())
    session.execute(delete(m.ErrorLogEntry).where(m.ErrorLogEntry.district_id == district_id,
                                                  m.ErrorLogEntry.id <= cutoff))
