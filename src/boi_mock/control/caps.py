"""Control API (mounted under /_mock): the size caps of the journal (MOCK-9) and the Error Log (ERR-1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import Field
from sqlalchemy.orm import Session

from boi_mock.control.guard import ControlRoute
from boi_mock.schemas.base import WireModel
from boi_mock.services import districts
from boi_mock.services.observability import trim_error_log, trim_journal
from boi_mock.web.deps import SessionDep
from boi_mock.wire.control import Cap

router = APIRouter(tags=["Mock control: contract testing"], route_class=ControlRoute)


class JournalCapIn(WireModel):
    cap: int | None = Field(ge=1, le=1_000_000, description="Entries kept for this district; null: server default")


class ErrorLogCapIn(WireModel):
    cap: int | None = Field(ge=1, le=1_000_000, description="Rows kept for this district; null: server default")


# Which cap: the district column, named as the server setting that is its default.
CapName = Literal["journal_cap", "error_log_cap"]


def _cap_summary(request: Request, cap: int | None, setting: CapName = "journal_cap") -> Cap:
    default: int = getattr(request.app.state.settings, setting)
    return Cap(cap=cap, default=default, effective=cap or default)


def _put_cap(request: Request, session: Session, app_name: str, cap: int | None, name: CapName,
             trim: Callable[[Session, int, int], None]) -> Cap:
    """Sets the district's cap (None: the server default) and trims what it keeps to the cap now in effect."""
    district = districts.get_for_update(session, app_name)
    setattr(district, name, cap)
    summary = _cap_summary(request, cap, name)
    trim(session, district.id, summary.effective)
    return summary


@router.get("/districts/{appName}/requests/cap", summary="MOCK-9: how many journal entries the district keeps",
            response_model_exclude_unset=True)
def get_journal_cap(request: Request, session: SessionDep, appName: str) -> Cap:
    return _cap_summary(request, districts.get(session, appName).journal_cap)


@router.put("/districts/{appName}/requests/cap",
            summary="MOCK-9: set the district's journal cap (null: the server's BOI_MOCK_JOURNAL_CAP)",
            response_model_exclude_unset=True)
def put_journal_cap(request: Request, session: SessionDep, appName: str, body: JournalCapIn) -> Cap:
    return _put_cap(request, session, appName, body.cap, "journal_cap", trim_journal)


@router.get("/districts/{appName}/error-log/cap", summary="ERR-1: how many Error Log rows the district keeps",
            response_model_exclude_unset=True)
def get_error_log_cap(request: Request, session: SessionDep, appName: str) -> Cap:
    return _cap_summary(request, districts.get(session, appName).error_log_cap, "error_log_cap")


@router.put("/districts/{appName}/error-log/cap",
            summary="ERR-1: set the district's Error Log cap (null: the server's BOI_MOCK_ERROR_LOG_CAP)",
            response_model_exclude_unset=True)
def put_error_log_cap(request: Request, session: SessionDep, appName: str, body: ErrorLogCapIn) -> Cap:
    return _put_cap(request, session, appName, body.cap, "error_log_cap", trim_error_log)
