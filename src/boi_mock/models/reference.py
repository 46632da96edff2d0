from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from boi_mock.db import Base
from boi_mock.models._columns import DistrictRow


class School(DistrictRow, Base):
    __tablename__ = "school"
    __table_args__ = (UniqueConstraint("district_id", "school_number"),)

    school_number: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))


class Gender(DistrictRow, Base):
    __tablename__ = "gender"
    __table_args__ = (UniqueConstraint("district_id", "code"),)

    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(100))


class AssignmentCode(DistrictRow, Base):
    """State-defined assignment codes (REF-3)."""

    __tablename__ = "assignment_code"
    __table_args__ = (UniqueConstraint("district_id", "code"),)

    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))


class Title(DistrictRow, Base):
    """District-defined titles (REF-4); the API creates unknown ones on the fly (POS-5)."""

    __tablename__ = "title"
    __table_args__ = (UniqueConstraint("district_id", "title_code"),)

    title_code: Mapped[str] = mapped_column(String(50))
    description: Mapped[str] = mapped_column(String(200))
