"""USPS Publication 28 lookup tables used by :mod:`boi_mock.domain.addresses`.

The maintained source is ``scourgify.address_constants`` (Pub 28 appendix C1 street suffixes,
the directionals and the C2 secondary unit designators).  Only its *tables* are used, never its
normaliser.  Where scourgify has gaps or deviates from Pub 28 the small ``_SUPPLEMENT_*`` tables
below win; every entry there is covered by a test in ``tests/unit/test_address_parsing.py``.

All keys are "cleaned" forms: upper case, periods/commas removed, single spaces.

The tables drawn from scourgify are built on their first lookup: importing scourgify imports PyYAML
and its config loader, which starting the app (or a test session) should not pay for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Final


def _scourgify() -> Any:
    """`scourgify.address_constants` (untyped)."""
    from scourgify import address_constants

    return address_constants


class _LazyTable(Mapping[str, str]):
    """A read-only table built by `build` on its first lookup."""

    def __init__(self, build: Callable[[], dict[str, str]]) -> None:
        self._build = build
        self._table: Mapping[str, str] | None = None

    def _data(self) -> Mapping[str, str]:
        table = self._table
        if table is None:  # two threads may both build it: the same table, harmless
            table = self._table = MappingProxyType(self._build())
        return table

    def __getitem__(self, key: str) -> str:
        return self._data()[key]

    def __contains__(self, key: object) -> bool:
        return key in self._data()

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return self._data().get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())


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
    _sc = _scourgify()
    table: dict[str, str] = {}
    for long, short in _sc.DIRECTIONAL_REPLACEMENTS.items():
        table[str(long)] = str(short)
        table[str(short)] = str(short)
    for long, short in _sc.AMBIGUOUS_DIRECTIONALS.items():
        table[str(long)] = str(short)
    table.update(_SUPPLEMENT_DIRECTIONALS)
    return table


DIRECTIONALS: Final = _LazyTable(_build_directionals)

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
    table = {str(k): str(v) for k, v in _scourgify().STREET_TYPE_ABBREVIATIONS.items() if " " not in str(k)}
    for abbr in set(table.values()):
        table.setdefault(abbr, abbr)
    table.update(_SUPPLEMENT_SUFFIXES)
    return table


SUFFIXES: Final = _LazyTable(_build_suffixes)

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
    table = {str(k): str(v) for k, v in _scourgify().OCCUPANCY_TYPE_ABBREVIATIONS.items()}
    table.update(_SUPPLEMENT_UNIT_DESIGNATORS)
    return table


UNIT_DESIGNATORS: Final = _LazyTable(_build_units)

# Pub 28 C2 designators that take no identifier ("123 Main St Rear"); when one of these is the
# whole unit it *is* the apt value (as its abbreviation) instead of being dropped.
NO_ID_UNITS: Final = frozenset({"BSMT", "FRNT", "LBBY", "LOWR", "OFC", "PH", "REAR", "SIDE", "UPPR"})

# --------------------------------------------------------------------------- PO boxes
# Every spelling usaddress labels USPSBoxType, cleaned (P.O. Box -> "PO BOX", "P O Box" -> "P O BOX").
PO_BOX_TYPES: Final = frozenset(
    {"PO BOX", "P O BOX", "POST OFFICE BOX", "POB", "BOX", "PO", "POBOX", "PO BX", "P O B", "POST BOX"}
)

# --------------------------------------------------------------------------- states
def _build_states() -> dict[str, str]:
    states = _scourgify().STATE_ABBREVIATIONS
    return {**{str(k): str(v) for k, v in states.items()}, **{str(v): str(v) for v in states.values()}}


STATES: Final = _LazyTable(_build_states)

# Words kept lower case inside a Title-cased street name (never as the first word).
SMALL_WORDS: Final = frozenset({"OF", "THE", "AND"})
# Tokens kept upper case inside a street name.
UPPER_WORDS: Final = frozenset({"US", "FM", "SR", "CR"})

_WS = re.compile(r"\s+")
_DROP_PUNCT = re.compile(r"[.,;:]")
_ORDINAL = re.compile(r"^(\d+)(ST|ND|RD|TH|D)?$")


# --------------------------------------------------------------------------- field normalisers
# Pure, cached (lru_cache) per-value lookups over the tables above.


def clean_upper(value: str) -> str:
    """Upper case, periods/commas dropped, hyphens as spaces, single spaces."""
    return _WS.sub(" ", _DROP_PUNCT.sub("", value).replace("-", " ")).strip().upper()


def ordinal(digits: str) -> str:
    """ "109" -> "109th", "42" -> "42nd", "13" -> "13th"."""
    n = int(digits)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{digits}{suffix}"


@lru_cache(maxsize=4096)
def title_word(word: str, first: bool) -> str:
    up = word.upper()
    if up in UPPER_WORDS:
        return up
    if not first and up in SMALL_WORDS:
        return up.lower()
    m = _ORDINAL.match(up)
    if m and m.group(2):
        return ordinal(m.group(1))
    if any(ch.isdigit() for ch in up):
        return up
    if up.startswith("MC") and len(up) > 2:
        return "Mc" + up[2:].capitalize()
    # capitalise after apostrophes and hyphens too: O'Connor, Smith-Jones
    return re.sub(r"[A-Z]+", lambda m: m.group(0).capitalize(), up)


def title(value: str) -> str:
    words = _DROP_PUNCT.sub("", value).split()
    return " ".join(title_word(w, i == 0) for i, w in enumerate(words))


@lru_cache(maxsize=1024)
def norm_directional(value: str) -> str:
    up = clean_upper(value)
    hit = DIRECTIONALS.get(up) or DIRECTIONALS.get(up.replace(" ", ""))
    return hit if hit is not None else title(value)


@lru_cache(maxsize=2048)
def norm_suffix(value: str) -> str:
    up = clean_upper(value)
    hit = SUFFIXES.get(up) or SUFFIXES.get(up.replace(" ", ""))
    if hit is not None:
        return hit.capitalize()
    words = _DROP_PUNCT.sub("", value).split()
    if len(words) > 1:  # "Street Extension" -> "St Ext"
        return " ".join(norm_suffix(w) for w in words)
    return title(value)


@lru_cache(maxsize=4096)
def norm_street(value: str, has_tag: bool) -> str:
    words = _DROP_PUNCT.sub("", value).split()
    if len(words) > 1:  # spell out a leading pre-type: "CR 12" -> "County Road 12"
        for size in (2, 1):
            head = " ".join(words[:size]).upper()
            if len(words) > size and head in PRE_TYPES:
                return " ".join([PRE_TYPES[head], *(title_word(w, False) for w in words[size:])])
    if has_tag and len(words) == 1:
        m = _ORDINAL.match(words[0].upper())
        if m:  # "109 Ave" -> "109th Ave"; "42ND" / "42th" -> "42nd"
            return ordinal(m.group(1))
    return title(value)


@lru_cache(maxsize=2048)
def norm_apt(value: str) -> str | None:
    words = _DROP_PUNCT.sub("", value.replace("#", " # ")).upper().split()
    dropped: str | None = None
    while words and words[0] in UNIT_DESIGNATORS:
        dropped = UNIT_DESIGNATORS[words.pop(0)]
        if not words or dropped in NO_ID_UNITS:
            break
    if not words:
        return dropped if dropped in NO_ID_UNITS else None
    joined = " ".join(words)
    single = UNIT_DESIGNATORS.get(joined)
    return single if single in NO_ID_UNITS else joined


@lru_cache(maxsize=4096)
def split_suffix(street: str) -> tuple[str, str | None]:
    """No tag and the last word is a suffix: "Willow Gardens" -> ("Willow", "Gardens")."""
    words = street.split()
    if len(words) < 2 or clean_upper(words[-1]) not in SUFFIXES:
        return street, None
    head = clean_upper(" ".join(words[:2]))
    if head in PRE_TYPES or head.split()[0] in PRE_TYPES:
        return street, None
    return " ".join(words[:-1]), words[-1]


def norm_number(value: str) -> str:
    return " ".join(_DROP_PUNCT.sub("", value.replace("#", " ")).upper().split())


def is_directional(word: str | None) -> bool:
    return word is not None and clean_upper(word) in DIRECTIONALS
