"""Races the database decided: an IntegrityError from a concurrent request becomes the contract's answer.

A pre-check ("does appName X exist?") and the INSERT that follows are two statements; two requests on
two replicas can both pass the pre-check, and the database's unique key stops the second INSERT. That is
the same outcome the pre-check gives one request later, so it gets the same answer (MOCK-2: 409
district_exists), never a 500. A foreign-key violation means the district went away under the call
(DELETE /_mock/districts/{app}): 404 district_not_found, like a call that arrived after the delete.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from boi_mock.errors import Conflict, DomainError, NotFound

# Unique keys a race can hit, by constraint name (PostgreSQL) and by table.column (SQLite's message).
_UNIQUE = {
    "uq_district_app_name": Conflict("A district with this appName already exists", code="district_exists"),
}
_SQLITE_COLUMNS = {"district.app_name": "uq_district_app_name"}


def _constraint(exc: IntegrityError) -> tuple[str, str | None]:
    """(kind, constraint) of the violation: kind is 'unique', 'foreign_key' or 'other'."""
    orig = exc.orig
    diag = getattr(orig, "diag", None)
    if diag is not None:  # psycopg
        sqlstate = getattr(orig, "sqlstate", None) or ""
        kind = {"23505": "unique", "23503": "foreign_key"}.get(sqlstate, "other")
        return kind, getattr(diag, "constraint_name", None)
    message = str(orig)
    if message.startswith("UNIQUE constraint failed: "):
        columns = message.removeprefix("UNIQUE constraint failed: ").strip()
        return "unique", _SQLITE_COLUMNS.get(columns)
    if "FOREIGN KEY constraint failed" in message:
        return "foreign_key", None
    return "other", None


def contract_error(exc: IntegrityError) -> DomainError | None:
    """The contract's answer to a lost race, or None when the violation is not a race (a bug: let it be a 500)."""
    kind, constraint = _constraint(exc)
    if kind == "unique" and constraint in _UNIQUE:
        known = _UNIQUE[constraint]
        return type(known)(known.detail, code=known.code)
    if kind == "unique":
        return Conflict("A concurrent request created the same thing first; read it, or try again",
                        code="conflict")
    if kind == "foreign_key":
        return NotFound("The district was deleted while this call was on its way", code="district_not_found")
    return None
