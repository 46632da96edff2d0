from __future__ import annotations

from pydantic import Field

from boi_mock.schemas.base import Medium, Name, OutModel, Short, WireModel


class AddressIn(WireModel):
    """Either `fullStreetAddress` or the street parts (ADDR-1); PO boxes take only `number` (ADDR-2)."""

    full_street_address: Medium | None = None
    post_office_box: bool | None = None
    number: Short | None = None
    prefix: Short | None = None
    street: Name | None = None
    tag: Short | None = None
    direction: Short | None = None
    apt: Short | None = None
    city: Name | None = None
    state: Short | None = None
    zip: Short | None = None
    county: Name | None = None
    location_code: Short | None = None
    tract: Short | None = None
    block: Short | None = None


class AddressOut(OutModel):
    address_id: int = Field(serialization_alias="addressID")
    post_office_box: bool
    number: str | None
    prefix: str | None
    street: str | None
    tag: str | None
    direction: str | None
    apt: str | None
    city: str | None
    state: str | None
    zip: str | None
    county: str | None
    location_code: str | None
    tract: str | None
    block: str | None
