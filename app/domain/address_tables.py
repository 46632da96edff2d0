"""USPS Publication 28 lookup tables used by :mod:`app.domain.addresses`.

The maintained source is ``scourgify.address_constants`` (Pub 28 appendix C1 street suffixes,
the directionals and the C2 secondary unit designators).  Only its *tables* are used, never its
normaliser.  Where scourgify has gaps or deviates from Pub 28 the small ``_SUPPLEMENT_*`` tables
below win; every entry there is covered by a test in ``tests/unit/test_address_parsing.py``.

All keys are "cleaned" forms: upper case, periods/commas removed, single spaces.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from scourgify import address_constants as _sc

# --------------------------------------------------------------------------- directionals
# scourgify: DIRECTIONAL_REPLACEMENTS (NORTH -> N ...) and AMBIGUOUS_DIRECTIONALS (NORTH-WEST -> NW).
_SUPPLEMENT_DIRECTIONALS: Final = {
    # spaced / run-together long forms that scourgify lacks
    "NORTH EAST": "NE",
    "NORTH WEST": "NW",
    "SOUTH EAST": "SE",
    "SOUTH WEST": "SW",
    "N E": "NE",
    "N W": "NW",
    "S E": "SE",
    "S W": "SW",
}


def _build_directionals() -> dict[str, str]:
    table: dict[str, str] = {}
    for long, short in _sc.DIRECTIONAL_REPLACEMENTS.items():
        table[str(long)] = str(short)
        table[str(short)] = str(short)
    for long, short in _sc.AMBIGUOUS_DIRECTIONALS.items():
        table[str(long)] = str(short)
    table.update(_SUPPLEMENT_DIRECTIONALS)
    return table


DIRECTIONALS: Final = MappingProxyType(_build_directionals())

# --------------------------------------------------------------------------- street suffixes
# scourgify: STREET_TYPE_ABBREVIATIONS (Pub 28 C1: every common spelling -> standard abbreviation).
_SUPPLEMENT_SUFFIXES: Final = {
    # Pub 28 C1 "TRAILER" row, missing from scourgify
    "TRAILER": "TRLR",
    "TRLR": "TRLR",
    "TRLRS": "TRLR",
}
# Note: scourgify maps a trailing "CR" to Creek (an old C1 row) and that is kept; a *leading*
# "CR" ("500 CR 12") is County Road, handled by PRE_TYPES below.


def _build_suffixes() -> dict[str, str]:
    table = {str(k): str(v) for k, v in _sc.STREET_TYPE_ABBREVIATIONS.items() if " " not in str(k)}
    for abbr in set(table.values()):
        table.setdefault(abbr, abbr)
    table.update(_SUPPLEMENT_SUFFIXES)
    return table


SUFFIXES: Final = MappingProxyType(_build_suffixes())

# --------------------------------------------------------------------------- pre-types
# Highway-style names keep the pre-type *spelled out* inside the street name (Pub 28 section 24x:
# "COUNTY ROAD 12", "STATE HIGHWAY 7", "US HIGHWAY 61"); scourgify abbreviates them the other way
# and does not know CR / CO RD / SR at all.  Keys are 1- or 2-word cleaned forms.
PRE_TYPES: Final = MappingProxyType(
    {
        "CR": "County Road",
        "CO RD": "County Road",
        "CNTY RD": "County Road",
        "COUNTY RD": "County Road",
        "COUNTY ROAD": "County Road",
        "CO HWY": "County Highway",
        "CNTY HWY": "County Highway",
        "COUNTY HWY": "County Highway",
        "COUNTY HIGHWAY": "County Highway",
        "COUNTY RTE": "County Route",
        "COUNTY RT": "County Route",
        "COUNTY ROUTE": "County Route",
        "ST HWY": "State Highway",
        "STATE HWY": "State Highway",
        "STATE HIGHWAY": "State Highway",
        "STATE RD": "State Road",
        "STATE ROAD": "State Road",
        "SR": "State Route",
        "STATE RT": "State Route",
        "STATE RTE": "State Route",
        "STATE ROUTE": "State Route",
        "US HWY": "US Highway",
        "US HIGHWAY": "US Highway",
        "US RT": "US Route",
        "US RTE": "US Route",
        "US ROUTE": "US Route",
        "HWY": "Highway",
        "HIGHWAY": "Highway",
        "RT": "Route",
        "RTE": "Route",
        "ROUTE": "Route",
        "AV": "Avenue",
        "AVE": "Avenue",
        "AVENUE": "Avenue",
        "INTERSTATE": "Interstate",
    }
)

# --------------------------------------------------------------------------- unit designators
# scourgify: OCCUPANCY_TYPE_ABBREVIATIONS (long -> Pub 28 C2 abbreviation).  Its gaps: the
# abbreviations themselves are not keys, UPPER maps to "UPPER" (Pub 28: UPPR), and the common
# informal designators (#, NO, NUMBER, STE.) are missing.
_SUPPLEMENT_UNIT_DESIGNATORS: Final = {
    "UPPER": "UPPR",
    "UPPR": "UPPR",
    "LOWR": "LOWR",
    "FRNT": "FRNT",
    "BSMT": "BSMT",
    "LBBY": "LBBY",
    "OFC": "OFC",
    "PH": "PH",
    "APT": "APT",
    "APTS": "APT",
    "AP": "APT",
    "STE": "STE",
    "SUIT": "STE",
    "UNIT": "UNIT",
    "UNT": "UNIT",
    "BLDG": "BLDG",
    "BLD": "BLDG",
    "DEPT": "DEPT",
    "FL": "FL",
    "FLR": "FL",
    "HNGR": "HNGR",
    "HANGAR": "HNGR",
    "RM": "RM",
    "SPC": "SPC",
    "TRLR": "TRLR",
    "#": "#",
    "NO": "#",
    "NUM": "#",
    "NUMBER": "#",
}


def _build_units() -> dict[str, str]:
    table = {str(k): str(v) for k, v in _sc.OCCUPANCY_TYPE_ABBREVIATIONS.items()}
    table.update(_SUPPLEMENT_UNIT_DESIGNATORS)
    return table


UNIT_DESIGNATORS: Final = MappingProxyType(_build_units())

# Pub 28 C2 designators that take no identifier ("123 Main St Rear"); when one of these is the
# whole unit it *is* the apt value (as its abbreviation) instead of being dropped.
NO_ID_UNITS: Final = frozenset({"BSMT", "FRNT", "LBBY", "LOWR", "OFC", "PH", "REAR", "SIDE", "UPPR"})

# --------------------------------------------------------------------------- PO boxes
# Every spelling usaddress labels USPSBoxType, cleaned (P.O. Box -> "PO BOX", "P O Box" -> "P O BOX").
PO_BOX_TYPES: Final = frozenset(
    {"PO BOX", "P O BOX", "POST OFFICE BOX", "POB", "BOX", "PO", "POBOX", "PO BX", "P O B", "POST BOX"}
)

# --------------------------------------------------------------------------- states
STATES: Final = MappingProxyType(
    {
        **{str(k): str(v) for k, v in _sc.STATE_ABBREVIATIONS.items()},
        **{str(v): str(v) for v in _sc.STATE_ABBREVIATIONS.values()},
    }
)

# Words kept lower case inside a Title-cased street name (never as the first word).
SMALL_WORDS: Final = frozenset({"OF", "THE", "AND"})
# Tokens kept upper case inside a street name.
UPPER_WORDS: Final = frozenset({"US", "FM", "SR", "CR"})
