"""Request-scoped dependencies: the unit of work (the one commit point) and the district of the token."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPBearer
from sqlalchemy.orm import Session

from boi_mock.db import Database
from boi_mock.errors import Unauthorized
from boi_mock.repositories import districts as district_repo
from boi_mock.services import auth
from boi_mock.services.context import DistrictContext
from boi_mock.settings import Settings

READ_METHODS = ("GET", "HEAD", "OPTIONS")


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def unit_of_work(request: Request) -> Iterator[Session]:
    """Commit when the handler returns, before the response is sent; roll back on any error."""
    with get_db(request).unit_of_work(write=request.method not in READ_METHODS) as session:
        yield session


SessionDep = Annotated[Session, Depends(unit_of_work, scope="function")]
bearer_scheme = HTTPBearer(auto_error=False, bearerFormat="JWT",
                           description="Access token from POST /campus/oauth2/token?appName=… (AUTH-1)")


def boi_context(request: Request, session: SessionDep, _doc: Annotated[object, Depends(bearer_scheme)] = None
                ) -> DistrictContext:
    """AUTH-3: every BOI call names its district through its token (or the /apps/{appName} prefix too)."""
    district, client_id = auth.authenticate(
        session, key=request.app.state.signing_key, authorization=request.headers.get("authorization"))
    path_app = request.path_params.get("appName")
    if path_app is not None and path_app != district.app_name:
        raise Unauthorized(f"The access token was issued for district {district.app_name!r}, not {path_app!r}")
    request.state.district_id = district.id
    if request.method not in READ_METHODS:
        district_repo.lock(session, district.id)
    ctx = DistrictContext(session=session, district=district, actor=client_id)
    lenient_rule = getattr(request.state, "lenient_rule", None)
    if lenient_rule:
        ctx.fire(lenient_rule)
    request.state.rules = ctx.rules  # the same list: the journal sees every rule the call fires
    return ctx


BoiContext = Annotated[DistrictContext, Depends(boi_context)]
