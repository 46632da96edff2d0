from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from boi_mock.db import Base


class District(Base):
    """A tenant ("app"): credentials, token lifetime, preferences, clock and its scenario."""

    __tablename__ = "district"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    app_name: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[str] = mapped_column(String(200))
    client_secret: Mapped[str] = mapped_column(String(200))
    # Bumped by every rotation; tokens carry it and die with it (AUTH-4).
    secret_version: Mapped[int] = mapped_column(Integer, default=1)
    secret_rotated_at: Mapped[datetime | None] = mapped_column(DateTime)
    token_lifetime_seconds: Mapped[int] = mapped_column(Integer, default=3600)
    # Preferences (PREF-1, PREF-2, strict unknown properties).
    allow_household_updates: Mapped[bool] = mapped_column(Boolean, default=True)
    strict_unknown_properties: Mapped[bool] = mapped_column(Boolean, default=True)
    lock_staff_creation: Mapped[bool] = mapped_column(Boolean, default=True)
    lock_staff_number: Mapped[bool] = mapped_column(Boolean, default=True)
    lock_staff_demographics: Mapped[bool] = mapped_column(Boolean, default=True)
    lock_staff_employment: Mapped[bool] = mapped_column(Boolean, default=True)
    lock_staff_employment_assignments: Mapped[bool] = mapped_column(Boolean, default=True)
    lock_staff_household: Mapped[bool] = mapped_column(Boolean, default=True)
    # Clock (MOCK-8): a frozen business date and an offset that ages tokens.
    frozen_today: Mapped[date | None] = mapped_column(Date)
    clock_offset_seconds: Mapped[int] = mapped_column(Integer, default=0)
    # Incremented by every Campus write; a validated sync remembers it (SYNC-5).
    data_version: Mapped[int] = mapped_column(Integer, default=0)
    journal_cap: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # The scenario document lives in its own row, loaded only when read: SQLite rewrites a whole record
    # on every UPDATE, and data_version changes with every Campus write (with a 20,000-person scenario
    # in this row, each write cost ~60 ms).
    # Error Log rows kept (ERR-1); None: the default (ERROR_LOG_CAP_DEFAULT).
    error_log_cap: Mapped[int | None] = mapped_column(Integer)
    # A random id of this district instance, carried by its tokens (claim `did`): a district deleted and
    # created again under the same appName never accepts a token of the old one (AUTH-3, MOCK-15).
    token_binding: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(16), server_default="")
    # Secrets replaced by a rotation (AUTH-4), newest last, as {"fingerprint", "retiredAt"}: a salted SHA-256, never
    # the secret. Only so a refused token request's Error Log row can say "a rotated secret" (AUTH-2 keeps the
    # caller's answer the same).
    retired_secrets: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    scenario_row: Mapped[DistrictScenario | None] = relationship(cascade="all, delete-orphan",
                                                                  passive_deletes=True)

    @property
    def scenario(self) -> dict[str, Any]:
        return self.scenario_row.document if self.scenario_row is not None else {}

    @scenario.setter
    def scenario(self, document: dict[str, Any]) -> None:
        if self.scenario_row is None:
            self.scenario_row = DistrictScenario(document=document)
        else:
            self.scenario_row.document = document


class DistrictScenario(Base):
    """The district's scenario document (MOCK-2/MOCK-3: what a reset goes back to)."""

    __tablename__ = "district_scenario"

    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"), primary_key=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ServerSetting(Base):
    """Server-wide values persisted on first start (e.g. the token signing key)."""

    __tablename__ = "server_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
