"""ADDR-6: search for an address before sending it, as the guide's best practice advises."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import ConfigDict
from pydantic.alias_generators import to_camel

from boi_mock.api.deps import BoiContext
from boi_mock.api.routing import BoiRoute
from boi_mock.schemas.address import AddressIn, AddressOut
from boi_mock.services import addresses

router = APIRouter(tags=["Addresses"], route_class=BoiRoute)


class AddressQuery(AddressIn):
    """AddressIn as query parameters; unknown ones are judged by the district's preference, in the service.

    Not strict: a query string has no JSON types, so `postOfficeBox=true` is the text "true".
    """

    model_config = ConfigDict(extra="ignore", alias_generator=to_camel, populate_by_name=True, strict=False)


@router.get(
    "/addresses",
    response_model=list[AddressOut],
    summary="Search for an Address (ADDR-6)",
    description="`fullStreetAddress` or the street parts, plus `city`, `state`, `zip`. Returns the matching "
                "addresses Campus holds (0 or 1, several only when Campus already holds duplicates).",
)
def search_addresses(ctx: BoiContext, request: Request, query: Annotated[AddressQuery, Query()]) -> list[AddressOut]:
    return addresses.search_addresses(ctx, query, request.query_params.keys())
