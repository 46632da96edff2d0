"""AUTH-1/AUTH-2: POST /campus/oauth2/token?appName=… (client credentials, form or HTTP Basic)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import JSONResponse

from boi_mock.api.faults import TokenRoute
from boi_mock.services import auth
from boi_mock.web.deps import SessionDep

router = APIRouter(tags=["OAuth2"], route_class=TokenRoute)  # token requests can be faulted too


@router.post("/campus/oauth2/token", summary="Get an access token (client credentials grant)")
def token(
    request: Request,
    session: SessionDep,
    app_name: Annotated[str | None, Query(alias="appName", max_length=64)] = None,
    grant_type: Annotated[str | None, Form(max_length=100)] = None,
    client_id: Annotated[str | None, Form(max_length=500)] = None,
    client_secret: Annotated[str | None, Form(max_length=500)] = None,
) -> JSONResponse:
    issued = auth.issue_token(
        session, key=request.app.state.signing_key, app_name=app_name, grant_type=grant_type,
        client_id=client_id, client_secret=client_secret, authorization=request.headers.get("authorization"),
    )
    return JSONResponse(
        {"access_token": issued.access_token, "token_type": issued.token_type, "expires_in": issued.expires_in},
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )
