"""District lookups and the per-district write lock."""

from __future__ import annotations

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from boi_mock import models as m
from boi_mock.db import Base
from boi_mock.errors import NotFound

# Child tables in an order that respects foreign keys when deleting a district's data.
DISTRICT_DATA_TABLES: tuple[type[Base], ...] = (
    m.Message,
    m.NotificationRecipient,
    m.Notification,
    m.CampusUser,
    m.SyncStagingRow,
    m.SyncRun,
    m.BackgroundJob,
    m.HouseholdLocation,
    m.HouseholdMember,
    m.Household,
    m.Address,
    m.DistrictAssignment,
    m.Employment,
    m.Identity,
    m.Person,
    m.Title,
    m.AssignmentCode,
    m.Gender,
    m.School,
)
# Kept across a reset (MOCK-3): the district's own history of what happened to it.
DISTRICT_LOG_TABLES: tuple[type[Base], ...] = (m.ErrorLogEntry, m.RequestJournalEntry, m.FaultRule,
                                               m.CoverageCounter)


def by_app_name(session: Session, app_name: str) -> m.District | None:
    return session.scalars(select(m.District).where(m.District.app_name == app_name)).one_or_none()


def lock(session: Session, district_id: int) -> None:
    """Serialise writes to one district (SQLite already did, with BEGIN IMMEDIATE), and check it still exists.

    The district was found (authenticated) before the lock; a DELETE /_mock/districts/{app} may have
    committed in between. Writing on would meet a foreign-key violation (a 500): the lock reads the row
    again and answers 404 district_not_found instead. Once locked, the row cannot be deleted under the call.
    """
    if session.get_bind().dialect.name == "sqlite":
        found = session.scalar(select(m.District.id).where(m.District.id == district_id)) is not None
    else:
        # populate_existing: the row read before the lock may be stale (data_version, secret, prefs).
        found = session.execute(select(m.District).where(m.District.id == district_id).with_for_update()
                                .execution_options(populate_existing=True)).first() is not None
    if not found:
        raise NotFound("The district was deleted while this call was on its way", code="district_not_found")


def hold_for_reading(session: Session, district_id: int) -> None:
    """A consistent read of the whole district across several statements (MOCK-12's export). SQLite: a read
    transaction is one snapshot already. PostgreSQL (READ COMMITTED: a snapshot per statement): `FOR SHARE` on the
    district row waits for a write in flight and keeps new ones (every write locks the row, `lock`) until this
    transaction ends; a district deleted meanwhile is 404."""
    if session.get_bind().dialect.name == "sqlite":
        return
    found = session.execute(select(m.District).where(m.District.id == district_id).with_for_update(read=True)
                            .execution_options(populate_existing=True)).first() is not None
    if not found:
        raise NotFound("The district was deleted while this call was on its way", code="district_not_found")


def delete_data(session: Session, district_id: int, *, include_logs: bool) -> None:
    tables = DISTRICT_DATA_TABLES + (DISTRICT_LOG_TABLES if include_logs else ())
    for model in tables:
        table = model.__table__
        assert isinstance(table, Table)
        session.execute(delete(table).where(table.c.district_id == district_id))
