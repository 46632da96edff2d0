"""Address use cases (ADDR-1..6): validate the input, parse/normalise, match once per district, create.

The parsing and USPS Pub 28 normalisation are pure (boi_mock/domain/addresses.py); this module adds
the database: lookups by the indexed match key, and creation with duplicate_no 0. Callers that
write hold the district's write lock (docs/architecture.md), so "look up, else create" cannot
race; the unique index (district_id, match_key, duplicate_no) makes a second copy impossible
even if one did.

Decided (docs/addresses.md): a blank string counts as absent; an address needs a street name
(or, for a PO box, its number); a matched address is used as Campus holds it (county, tract …
of the input do not overwrite it); an input without a zip matches on city+state only, so it
does not find an address stored with a zip (ADDR-4's key).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from boi_mock import models as m
from boi_mock.domain.addresses import (
    AddressParseError,
    StreetParts,
    join_street_line,
    match_key,
    normalise_parts,
    parse_street_line,
)
from boi_mock.domain.suggest import did_you_mean
from boi_mock.errors import BadRequest, FieldError
from boi_mock.schemas.address import AddressIn, AddressOut
from boi_mock.services.context import DistrictContext

STREET_PARTS = ("number", "prefix", "street", "tag", "direction", "apt")
PO_BOX_FORBIDDEN = ("prefix", "street", "tag", "direction", "apt")
# The address table's column widths (boi_mock/models/household.py): longer values are bad input, not a 500.
COLUMN_WIDTHS = {"number": 20, "prefix": 10, "street": 100, "tag": 20, "direction": 10, "apt": 20,
                 "city": 100, "state": 20, "zip": 10, "county": 100}
# The journal's rule codes for how an address was found (MOCK-9).
RULES = {
    "exact": "ADDR-5 exact match",
    "re-parse": "ADDR-5 re-parse match",
    "parsed": "ADDR-4 parsed match",
    "created": "ADDR-5 created",
}
UNKNOWN_IGNORED = "unknown properties ignored (strictUnknownProperties=false)"


# ADDR-5's candidates for one input: (how, parts) in the order they are tried; the last is what a new
# address is created from. The parse is the costly part of an address (usaddress): a use case parses an
# input once, in its checks, and hands the candidates to `resolve`.
Candidates = list[tuple[str, StreetParts]]


def parsed_to_json(parsed: Mapping[int, Candidates]) -> dict[str, list[dict[str, Any]]]:
    """Candidates by location index as JSON: a sync's staging row keeps what its transfer parsed."""
    return {str(i): [{"how": how, **asdict(parts)} for how, parts in candidates]
            for i, candidates in parsed.items()}


def parsed_from_json(document: Mapping[str, list[dict[str, Any]]] | None) -> dict[int, Candidates]:
    if not document:
        return {}
    return {int(i): [(row["how"], StreetParts(**{k: v for k, v in row.items() if k != "how"})) for row in rows]
            for i, rows in document.items()}


@dataclass(frozen=True)
class Resolved:
    address: m.Address
    # How it was found: "exact", "re-parse", "parsed" (fullStreetAddress), "created".
    how: str


def _path(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def _without_blanks(a: AddressIn) -> AddressIn:
    """HR systems send "" for what they do not have: treat it as absent."""
    blanks = {name: None for name, value in a if isinstance(value, str) and not value.strip()}
    return a.model_copy(update=blanks) if blanks else a


def check_shape(a: AddressIn, field: str = "address") -> None:
    """ADDR-1 and ADDR-2: which combinations of fields are allowed."""
    a = _without_blanks(a)
    given = [p for p in STREET_PARTS if getattr(a, p) is not None]
    if a.full_street_address is not None and (given or a.post_office_box):
        raise BadRequest(
            f"fullStreetAddress {a.full_street_address!r} cannot be combined with the street parts "
            f"({', '.join(given or ['postOfficeBox'])}); send one or the other",
            code="address_parts_conflict",
            errors=[FieldError(_path(field, "fullStreetAddress"), "address_parts_conflict",
                               f"fullStreetAddress given together with {', '.join(given or ['postOfficeBox'])}")],
        )
    if a.post_office_box:
        bad = [p for p in PO_BOX_FORBIDDEN if getattr(a, p) is not None]
        if bad:
            raise BadRequest(
                f"A PO box address allows only number besides city/state/zip/county; got {', '.join(bad)}",
                code="po_box_with_street_parts",
                errors=[FieldError(_path(field, p), "po_box_with_street_parts",
                                   f"{p} {getattr(a, p)!r} is not allowed with postOfficeBox: true") for p in bad],
            )


def _unparseable(line: str, field: str, reason: str, view: list[tuple[str, str]]) -> BadRequest:
    """ADDR-3: the field error carries `parserView` wherever the address was sent (GET /addresses, a staff
    member's household, a sync transfer item); the top-level `parserView` repeats it (`unparseable_problem`)."""
    shown = ", ".join(f"{token!r}={label}" for token, label in view)
    error = FieldError(field, "unparseable_address", f"{reason}; parser saw: {shown or 'nothing'}",
                       {"parserView": [{"token": t, "label": lab} for t, lab in view]})
    return BadRequest(
        f"Cannot parse street address {line!r}: {reason}" + (f" (parser saw: {shown})" if shown else ""),
        code="unparseable_address", errors=[error], extra=unparseable_problem([error]),
    )


def unparseable_problem(problems: Iterable[FieldError]) -> dict[str, Any]:
    """The top-level members of a problem whose code is `unparseable_address`: the first address's `parserView`."""
    first = next((p for p in problems if p.code == "unparseable_address" and "parserView" in p.members), None)
    return {"parserView": first.members["parserView"]} if first is not None else {}


def _parse(line: str, field: str) -> StreetParts:
    try:
        return parse_street_line(line)
    except AddressParseError as exc:
        raise _unparseable(line, field, exc.reason, exc.parser_view) from exc


def _given_parts(a: AddressIn) -> StreetParts:
    return StreetParts(
        post_office_box=bool(a.post_office_box), number=a.number, prefix=a.prefix, street=a.street,
        tag=a.tag, direction=a.direction, apt=a.apt,
    )


def check_widths(parts: StreetParts, a: AddressIn, field: str) -> None:
    """Parts that would not fit their columns are bad input (400), never a database error."""
    values = {name: getattr(parts, name) for name in STREET_PARTS}
    values.update(city=a.city, state=a.state, zip=a.zip, county=a.county)
    errors = [FieldError(_path(field, name), "invalid_value",
                         f"{name} {value!r} is longer than {COLUMN_WIDTHS[name]} characters")
              for name, value in values.items() if value is not None and len(value) > COLUMN_WIDTHS[name]]
    if errors:
        raise BadRequest(errors[0].message, code="invalid_value", errors=errors)


def key_of(parts: StreetParts, a: AddressIn) -> str:
    return match_key(parts, city=a.city, state=a.state, zip=a.zip)


def find_by_key(session: Session, district_id: int, key: str) -> list[m.Address]:
    """Uses the unique index (district_id, match_key, duplicate_no): a lookup, never a scan."""
    stmt = (select(m.Address).where(m.Address.district_id == district_id, m.Address.match_key == key)
            .order_by(m.Address.duplicate_no, m.Address.id))
    return list(session.scalars(stmt))


def candidate_parts(a: AddressIn, field: str = "address") -> Candidates:
    """The parts to try, in ADDR-5 order: exact (normalised) parts, then the re-parse of the joined line.

    fullStreetAddress has one candidate, its parse (ADDR-3). The last candidate is what a new
    address is created from.
    """
    a = _without_blanks(a)
    check_shape(a, field)
    if a.full_street_address is not None:
        parsed = _parse(a.full_street_address, _path(field, "fullStreetAddress"))
        check_widths(parsed, a, field)
        return [("parsed", parsed)]
    given = normalise_parts(_given_parts(a))
    line = join_street_line(given)
    try:
        reparsed = parse_street_line(line)
    except AddressParseError as exc:
        if given.street is None and not (given.post_office_box and given.number):
            # Nothing to match or create: the same outcome as a fullStreetAddress without a street.
            raise _unparseable(line, _path(field, "number" if given.post_office_box else "street"),
                               "no box number" if given.post_office_box else "no street name",
                               exc.parser_view) from exc
        reparsed = given  # decided: complete parts that do not re-parse are kept as given (normalised)
    check_widths(given, a, field)
    if reparsed == given:
        return [("exact", given)]
    check_widths(reparsed, a, field)
    return [("exact", given), ("re-parse", reparsed)]


def search(session: Session, district_id: int, a: AddressIn, field: str = "") -> tuple[list[m.Address], str | None]:
    """ADDR-6: the addresses Campus holds for this input (0 or 1 normally; more if Campus has duplicates).

    Also says how they were found ("exact", "re-parse", "parsed"), None when not found.
    """
    for how, parts in candidate_parts(a, field):
        found = find_by_key(session, district_id, key_of(parts, a))
        if found:
            return found, how
    return [], None


def new_address_row(district_id: int, parts: StreetParts, a: AddressIn, key: str) -> dict[str, Any]:
    """The columns of the address ADDR-5 creates for this input (duplicate_no 0, the only one the API writes)."""
    a = _without_blanks(a)
    return {
        "district_id": district_id, "post_office_box": parts.post_office_box, "number": parts.number,
        "prefix": parts.prefix, "street": parts.street, "tag": parts.tag, "direction": parts.direction,
        "apt": parts.apt, "city": a.city.strip() if a.city else None,
        "state": a.state.strip().upper() if a.state else None, "zip": a.zip.strip() if a.zip else None,
        "county": a.county, "location_code": a.location_code, "tract": a.tract, "block": a.block,
        "match_key": key, "duplicate_no": 0,
    }


def resolve(session: Session, district_id: int, a: AddressIn, field: str = "address", *,
            candidates: Candidates | None = None) -> Resolved:
    """Find the district's address for this input, or create it (ADDR-4, ADDR-5). Caller holds the lock.

    `candidates`: `candidate_parts(a)` when the caller has it already (checked before writing)."""
    if candidates is None:
        candidates = candidate_parts(a, field)
    for how, parts in candidates:
        found = find_by_key(session, district_id, key_of(parts, a))
        if found:
            return Resolved(found[0], how)
    _how, parts = candidates[-1]
    address = m.Address(**new_address_row(district_id, parts, a, key_of(parts, a)))
    session.add(address)
    session.flush()
    return Resolved(address, "created")


def resolve_for(ctx: DistrictContext, a: AddressIn, field: str = "address", *,
                candidates: Candidates | None = None) -> m.Address:
    """`resolve()` for a use case: fires the rule for the journal; a created address is a Campus change."""
    resolved = resolve(ctx.session, ctx.district_id, a, field, candidates=candidates)
    ctx.fire(RULES[resolved.how])
    if resolved.how == "created":
        ctx.campus_changed()
    return resolved.address


def address_out(address: m.Address) -> AddressOut:
    return AddressOut(
        address_id=address.id, post_office_box=address.post_office_box, number=address.number,
        prefix=address.prefix, street=address.street, tag=address.tag, direction=address.direction,
        apt=address.apt, city=address.city, state=address.state, zip=address.zip, county=address.county,
        location_code=address.location_code, tract=address.tract, block=address.block,
    )


QUERY_NAMES = frozenset(field.alias or name for name, field in AddressIn.model_fields.items())


def search_addresses(ctx: DistrictContext, a: AddressIn, query_names: Iterable[str] = ()) -> list[AddressOut]:
    """GET /addresses (ADDR-6). Unknown query parameters follow the strictUnknownProperties preference."""
    unknown = sorted(set(query_names) - QUERY_NAMES)
    if unknown and ctx.district.strict_unknown_properties:
        errors = [FieldError(name, "unknown_property", f"Unknown property {name!r}{did_you_mean(name, QUERY_NAMES)}")
                  for name in unknown]
        raise BadRequest(errors[0].message if len(errors) == 1 else f"{len(errors)} problems; first: "
                         f"{errors[0].message}", code="unknown_property", errors=errors)
    if unknown:
        ctx.fire(UNKNOWN_IGNORED)
    found, how = search(ctx.session, ctx.district_id, a)
    if how is not None:
        ctx.fire(RULES[how])
    return [address_out(address) for address in found]
