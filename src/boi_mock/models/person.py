from __future__ import annotations

import unicodedata
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from boi_mock.db import Base
from boi_mock.models._columns import DistrictRow


class Person(DistrictRow, Base):
    """A Campus person: staff, student or parent. `id` is the personID.

    The staff number is not unique in the database: Campus may hold dirty data (duplicates,
    SYNC-4); the API never creates a duplicate because writes are serialised per district.
    """

    __tablename__ = "person"
    __table_args__ = (Index("ix_person_district_staff_number", "district_id", "staff_number"),)

    staff_number: Mapped[str | None] = mapped_column(String(20))
    # The scenario's `ref`, kept so a reset/household can name the person.
    scenario_ref: Mapped[str | None] = mapped_column(String(64))
    # Set when a sync commit touched the person (SYNC-8: locked in the Campus UI).
    synced_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    identities: Mapped[list[Identity]] = relationship(
        back_populates="person", order_by="Identity.id", cascade="all, delete-orphan"
    )
    employments: Mapped[list[Employment]] = relationship(
        order_by="Employment.id", cascade="all, delete-orphan"
    )
    positions: Mapped[list[DistrictAssignment]] = relationship(
        order_by="DistrictAssignment.id", cascade="all, delete-orphan"
    )


def fold_name(name: str) -> str:
    """A name as STAFF-3 compares it: NFKC-normalised and case-folded ("STRASSE", "Straße" → "strasse").

    Stored beside each name (`*_folded`, indexed) because neither database folds alike: SQLite's
    lower() knows ASCII only, PostgreSQL's depends on the collation, and neither knows casefold.
    """
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


class Identity(DistrictRow, Base):
    """Names and demographics. Exactly one current identity per person (IDENT-1/2).

    `last_name_folded`/`first_name_folded` follow the names on every ORM write (`_fold`); a Core
    INSERT (the scenario loader) fills them itself.
    """

    __tablename__ = "identity"
    __table_args__ = (
        # is_current and person_id too: the search decides from the index alone which persons to look at.
        Index("ix_identity_district_folded_names", "district_id", "last_name_folded", "first_name_folded",
              "is_current", "person_id"),
        Index("ix_identity_district_folded_first", "district_id", "first_name_folded", "is_current", "person_id"),
        Index("ix_identity_person_current", "person_id", "is_current"),
    )

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    gender: Mapped[str | None] = mapped_column(String(10))
    ssn: Mapped[str | None] = mapped_column(String(9))
    birthdate: Mapped[date | None] = mapped_column(Date)
    work_phone: Mapped[str | None] = mapped_column(String(40))
    cell_phone: Mapped[str | None] = mapped_column(String(40))
    other_phone: Mapped[str | None] = mapped_column(String(40))
    work_email: Mapped[str | None] = mapped_column(String(200))
    personal_email: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    # fold_name() of the names: what the name search (STAFF-3) compares, through the indexes above.
    # Last in the table, where their migration added them (create_all must build the same table).
    last_name_folded: Mapped[str] = mapped_column(Text)
    first_name_folded: Mapped[str] = mapped_column(Text)

    person: Mapped[Person] = relationship(back_populates="identities")

    @validates("last_name", "first_name")
    def _fold(self, key: str, value: str | None) -> str | None:
        setattr(self, f"{key}_folded", None if value is None else fold_name(value))
        return value


class Employment(DistrictRow, Base):
    """District employment (hire/termination), stored exactly as sent (EMP-1)."""

    __tablename__ = "employment"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    hire_date: Mapped[date | None] = mapped_column(Date)
    termination_date: Mapped[date | None] = mapped_column(Date)


class DistrictAssignment(DistrictRow, Base):
    """A position (district assignment). No identifier on the wire (POS-6/7)."""

    __tablename__ = "district_assignment"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    school_number: Mapped[str] = mapped_column(String(20))
    assignment_code: Mapped[str | None] = mapped_column(String(20))
    title_code: Mapped[str | None] = mapped_column(String(50))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    # Linked to other Campus records (e.g. section assignments): cannot be removed (POS-8).
    linked: Mapped[bool] = mapped_column(Boolean, default=False)
