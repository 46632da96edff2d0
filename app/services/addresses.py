"""Address use cases (ADDR-1..6): validate the input, parse/normalise, match once per district, create.

The parsing and USPS Pub 28 normalisation are pure (app/domain/addresses.py); this module adds
the database: lookups by the indexed match key, and creation with duplicate_no 0 (the unique
index then makes a second copy impossible).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import models as m
from app.domain.addresses import (
    AddressParseError,
    StreetParts,
    join_street_line,
    match_key,
    normalise_parts,
    parse_street_line,
)
from app.errors import BadRequest, FieldError
from app.schemas.address import AddressIn

STREET_PARTS = ("number", "prefix", "street", "tag", "direction", "apt")
PO_BOX_FORBIDDEN = ("prefix", "street", "tag", "direction", "apt")


@dataclass(frozen=True)
class Resolved:
    address: m.Address
    # How it was found: "exact", "re-parse", "parsed", "created".
    how: str


def check_shape(a: AddressIn, field: str = "address") -> None:
    """ADDR-1 and ADDR-2: which combinations of fields are allowed."""
    given = [p for p in STREET_PARTS if getattr(a, p) not in (None, "")]
    if a.full_street_address is not None and (given or a.post_office_box):
        raise BadRequest(
            "fullStreetAddress cannot be combined with the street parts "
            f"({', '.join(given or ['postOfficeBox'])}); send one or the other",
            code="address_parts_conflict",
            errors=[FieldError(f"{field}.fullStreetAddress", "address_parts_conflict",
                               "fullStreetAddress given together with street parts")],
        )
    if a.post_office_box:
        bad = [p for p in PO_BOX_FORBIDDEN if getattr(a, p) not in (None, "")]
        if bad:
            raise BadRequest(
                f"A PO box address allows only number besides city/state/zip/county; got {', '.join(bad)}",
                code="po_box_with_street_parts",
                errors=[FieldError(f"{field}.{p}", "po_box_with_street_parts",
                                   f"{p} is not allowed with postOfficeBox: true") for p in bad],
            )


def _parse(line: str, field: str) -> StreetParts:
    try:
        return parse_street_line(line)
    except AddressParseError as exc:
        view = ", ".join(f"{token!r}={label}" for token, label in exc.parser_view)
        raise BadRequest(
            f"Cannot parse street address {line!r}: {exc.reason}" + (f" (parser saw: {view})" if view else ""),
            code="unparseable_address",
            errors=[FieldError(field, "unparseable_address", f"{exc.reason}; parser saw: {view or 'nothing'}")],
            extra={"parserView": [{"token": t, "label": lab} for t, lab in exc.parser_view]},
        ) from exc


def _given_parts(a: AddressIn) -> StreetParts:
    return StreetParts(
        post_office_box=bool(a.post_office_box), number=a.number, prefix=a.prefix, street=a.street,
        tag=a.tag, direction=a.direction, apt=a.apt,
    )


def key_of(parts: StreetParts, a: AddressIn) -> str:
    return match_key(parts, city=a.city, state=a.state, zip=a.zip)


def find_by_key(session: Session, district_id: int, key: str) -> list[m.Address]:
    stmt = (select(m.Address).where(m.Address.district_id == district_id, m.Address.match_key == key)
            .order_by(m.Address.duplicate_no, m.Address.id))
    return list(session.scalars(stmt))


def candidate_parts(a: AddressIn, field: str = "address") -> list[tuple[str, StreetParts]]:
    """The parts to try, in ADDR-5 order: exact (normalised) parts, then the re-parse of the joined line."""
    check_shape(a, field)
    if a.full_street_address is not None:
        return [("parsed", _parse(a.full_street_address, f"{field}.fullStreetAddress"))]
    given = normalise_parts(_given_parts(a))
    out = [("exact", given)]
    try:
        reparsed = parse_street_line(join_street_line(given))
    except AddressParseError:
        return out  # decided: parts that do not re-parse are kept as given (normalised)
    if reparsed != given:
        out.append(("re-parse", reparsed))
    return out


def search(session: Session, district_id: int, a: AddressIn) -> list[m.Address]:
    """ADDR-6: the addresses Campus holds for this input (0 or 1 normally; more if Campus has duplicates)."""
    for _how, parts in candidate_parts(a):
        found = find_by_key(session, district_id, key_of(parts, a))
        if found:
            return found
    return []


def _new_address(district_id: int, parts: StreetParts, a: AddressIn, key: str, duplicate_no: int) -> m.Address:
    return m.Address(
        district_id=district_id, post_office_box=parts.post_office_box, number=parts.number,
        prefix=parts.prefix, street=parts.street, tag=parts.tag, direction=parts.direction, apt=parts.apt,
        city=a.city, state=a.state.upper() if a.state else None, zip=a.zip, county=a.county,
        location_code=a.location_code, tract=a.tract, block=a.block, match_key=key, duplicate_no=duplicate_no,
    )


def resolve(session: Session, district_id: int, a: AddressIn, field: str = "address") -> Resolved:
    """Find the district's address for this input, or create it (ADDR-4, ADDR-5). Caller holds the lock."""
    candidates = candidate_parts(a, field)
    for how, parts in candidates:
        found = find_by_key(session, district_id, key_of(parts, a))
        if found:
            return Resolved(found[0], how)
    _how, parts = candidates[-1]
    address = _new_address(district_id, parts, a, key_of(parts, a), 0)
    session.add(address)
    session.flush()
    return Resolved(address, "created")


class ScenarioAddressCache:
    """Scenario loading: identical addresses share one row; `duplicate=True` loads one more copy."""

    def __init__(self, session: Session, district_id: int) -> None:
        self.session = session
        self.district_id = district_id
        self.by_key: dict[str, int] = {}

    def address_id(self, a: AddressIn, *, duplicate: bool = False) -> int:
        candidates = candidate_parts(a)
        _how, parts = candidates[0]
        key = key_of(parts, a)
        if key in self.by_key and not duplicate:
            return self.by_key[key]
        existing = self.session.scalar(
            select(func.max(m.Address.duplicate_no)).where(
                m.Address.district_id == self.district_id, m.Address.match_key == key)
        )
        dup = 0 if existing is None else existing + 1
        address = _new_address(self.district_id, parts, a, key, dup)
        self.session.add(address)
        self.session.flush()
        self.by_key.setdefault(key, address.id)
        return address.id

