"""BOI request dependencies: the call's district context (the unit of work itself is `web.deps`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPBearer

from boi_mock.api.pipeline import current_call
from boi_mock.services.context import DistrictContext

bearer_scheme = HTTPBearer(auto_error=False, bearerFormat="JWT",
                           description="Access token from POST /campus/oauth2/token?appName=… (AUTH-1)")


async def boi_context(request: Request, _doc: Annotated[object, Depends(bearer_scheme)] = None) -> DistrictContext:
    """AUTH-3: the district of the call's token, authenticated once by the pipeline (`api.routing.BoiRoute`).

    The context shares the call's session and its rule list (the journal sees every rule the call fires).
    """
    call = current_call(request)
    if call is None or call.session is None or call.district is None:
        raise RuntimeError("BoiContext is only available on BoiRoute routes")
    return DistrictContext(session=call.session, district=call.district, actor=call.client_id or "HR system",
                           rules=call.rules)


BoiContext = Annotated[DistrictContext, Depends(boi_context)]
