from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from boi_mock.db import Base
from boi_mock.models._columns import DistrictRow


class Address(DistrictRow, Base):
    """One address per district (ADDR-4), stored in its USPS Pub 28 canonical parts.

    `match_key` is the normalised key; (district, match_key, duplicate_no) is unique. The API
    only ever writes duplicate_no 0, so it can never create a second copy; a scenario may load
    dirty Campus duplicates with duplicate_no 1, 2, … (ADDR-6 then returns several).
    """

    __tablename__ = "address"
    __table_args__ = (UniqueConstraint("district_id", "match_key", "duplicate_no"),)

    post_office_box: Mapped[bool] = mapped_column(Boolean, default=False)
    number: Mapped[str | None] = mapped_column(String(20))
    prefix: Mapped[str | None] = mapped_column(String(10))
    street: Mapped[str | None] = mapped_column(String(100))
    tag: Mapped[str | None] = mapped_column(String(20))
    direction: Mapped[str | None] = mapped_column(String(10))
    apt: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(20))
    zip: Mapped[str | None] = mapped_column(String(10))
    county: Mapped[str | None] = mapped_column(String(100))
    location_code: Mapped[str | None] = mapped_column(String(50))
    tract: Mapped[str | None] = mapped_column(String(50))
    block: Mapped[str | None] = mapped_column(String(50))
    match_key: Mapped[str] = mapped_column(String(255))
    duplicate_no: Mapped[int] = mapped_column(Integer, default=0)


class Household(DistrictRow, Base):
    __tablename__ = "household"

    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    staff_household: Mapped[bool] = mapped_column(Boolean, default=False)

    members: Mapped[list[HouseholdMember]] = relationship(
        order_by="HouseholdMember.id", cascade="all, delete-orphan"
    )
    locations: Mapped[list[HouseholdLocation]] = relationship(
        order_by="HouseholdLocation.id", cascade="all, delete-orphan"
    )


class HouseholdMember(DistrictRow, Base):
    __tablename__ = "household_member"
    __table_args__ = (UniqueConstraint("household_id", "person_id"),)

    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)


class HouseholdLocation(DistrictRow, Base):
    """A household at an address over a date range; moving end-dates it, never deletes it (HH-2)."""

    __tablename__ = "household_location"

    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    address_id: Mapped[int] = mapped_column(ForeignKey("address.id"), index=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    mailing: Mapped[bool] = mapped_column(Boolean, default=True)
    physical: Mapped[bool] = mapped_column(Boolean, default=True)
    secondary: Mapped[bool] = mapped_column(Boolean, default=False)
    private: Mapped[bool] = mapped_column(Boolean, default=False)

    address: Mapped[Address] = relationship()
