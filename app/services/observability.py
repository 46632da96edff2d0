"""Writing what happened to a BOI call: the request journal (MOCK-9) and the Error Log (ERR-1)."""

from __future__ import annotations

import contextlib
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app import models as m
from app.clock import utcnow
from app.errors import Unauthorized
from app.services import auth

TRIM_EVERY = 50


def record_call(app: Any, entry: dict[str, Any]) -> None:
    db = app.state.db
    cap_default: int = app.state.settings.journal_cap
    with db.unit_of_work(write=True) as session:
        district = session.get(m.District, entry["district_id"])
        if district is None:  # deleted by this very call
            return
        now = utcnow()
        journal = m.RequestJournalEntry(
            district_id=district.id, at=now, method=entry["method"], path=entry["path"], query=entry["query"],
            status=entry["status"], duration_ms=entry["duration_ms"], request_body=entry["request_body"],
            response_body=entry["response_body"], rules=entry["rules"],
        )
        session.add(journal)
        if entry["status"] >= 400:
            session.add(m.ErrorLogEntry(
                district_id=district.id, error_at=now, action=entry["method"], path=entry["path"],
                status=entry["status"], code=entry["error_code"], error_message=entry["error_message"],
                payload=entry["request_body"],
            ))
        session.flush()
        if journal.id % TRIM_EVERY == 0:
            trim_journal(session, district.id, district.journal_cap or cap_default)


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
