"""AUTH-1/AUTH-2: POST /campus/oauth2/token?appName=… (client credentials, form or HTTP Basic)."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import JSONResponse

from boi_mock.api.faults import TokenRoute
from boi_mock.api.gate import journal_writer
from boi_mock.domain.masking import mask_text
from boi_mock.services import auth
from boi_mock.services.observability import CallRecord
from boi_mock.web.deps import SessionDep

log = logging.getLogger("boi_mock")
router = APIRouter(tags=["OAuth2"], route_class=TokenRoute)  # token requests can be faulted too
TOKEN_PATH = "/campus/oauth2/token"


@router.post(TOKEN_PATH, summary="Get an access token (client credentials grant)")
def token(
    request: Request,
    session: SessionDep,
    app_name: Annotated[str, Query(alias="appName", max_length=64,
                                   description="The district's appName (Campus shows the whole token URL)")],
    grant_type: Annotated[str | None, Form(max_length=100)] = None,
    client_id: Annotated[str | None, Form(max_length=500)] = None,
    client_secret: Annotated[str | None, Form(max_length=500)] = None,
) -> JSONResponse:
    try:
        issued = auth.issue_token(
            session, key=request.app.state.signing_key, app_name=app_name, grant_type=grant_type,
            client_id=client_id, client_secret=client_secret, authorization=request.headers.get("authorization"),
            content_type=request.headers.get("content-type"),
        )
    except auth.OAuthError as refused:
        _record_refusal(request, app_name, refused)
        raise
    return JSONResponse(
        {"access_token": issued.access_token, "token_type": issued.token_type, "expires_in": issued.expires_in},
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )


def _record_refusal(request: Request, app_name: str | None, refused: auth.OAuthError) -> None:
    """AUTH-2: the caller's answer says nothing of which check failed; the server log and the district's own
    Error Log do (never a secret). The row goes through the journal writer, after the answer, off the hot path."""
    log.warning("Token request for appName %r refused (%s): %s", mask_text((app_name or "")[:64]), refused.error,
                refused.reason)
    if refused.district_id is None:
        return
    journal_writer(request.app).submit(CallRecord(
        method="POST", path=TOKEN_PATH, query=None, status=refused.status, duration_ms=0.0, request_body=b"",
        response_body=None, district_id=refused.district_id, error_code=refused.error, journal=False,
        error_message=f"Token request refused ({refused.error}): {refused.reason}"))
