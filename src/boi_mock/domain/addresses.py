"""Street-line parsing, USPS Publication 28 normalisation and address match keys.

Pure functions, no database.  See ``docs/addresses.md`` for the rules (docs/contract.md ADDR-3..5)
and the known limits.  ``usaddress`` (a CRF tagger) does the tokenising/labelling; everything
after that is table lookups (``boi_mock.domain.address_tables``) and small string rules.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from boi_mock.domain.address_tables import (
    NO_ID_UNITS,
    SMALL_WORDS,
    STATES,
    SUFFIXES,
    clean_upper,
    is_directional,
    norm_apt,
    norm_directional,
    norm_number,
    norm_street,
    norm_suffix,
    split_suffix,
    title_word,
)

__all__ = [
    "AddressParseError",
    "StreetParts",
    "join_street_line",
    "match_key",
    "normalise_parts",
    "parse_street_line",
]

MATCH_KEY_MAX = 255


@dataclass(frozen=True)
class StreetParts:
    post_office_box: bool = False
    number: str | None = None
    prefix: str | None = None
    street: str | None = None
    tag: str | None = None
    direction: str | None = None
    apt: str | None = None


class AddressParseError(ValueError):
    """A street line usaddress cannot read as one street address or PO box.

    ``line`` is the input, ``parser_view`` usaddress's ``(token, label)`` pairs (may be empty),
    ``reason`` a short stable phrase (see docs/addresses.md for the list).
    """

    def __init__(self, line: str, reason: str, parser_view: list[tuple[str, str]] | None = None) -> None:
        super().__init__(f"cannot parse address {line!r}: {reason}")
        self.line = line
        self.reason = reason
        self.parser_view: list[tuple[str, str]] = list(parser_view or [])


# python-crfsuite's tagger is a shared module-level object in usaddress; not thread-safe.
_TAGGER_LOCK = threading.Lock()

_WS = re.compile(r"\s+")
_HYPHEN_DIRECTIONAL = re.compile(r"\b(north|south)\s*-\s*(east|west)\b", re.IGNORECASE)
_DIGITS_D = re.compile(r"\d+D")
_PRETAG_UPPER = frozenset({"N", "S", "E", "W", "NE", "NW", "SE", "SW", "PO", "POB", "RR", "HC"})
_PRETAG_UNIT_WORDS = frozenset({"APARTMENT", "APT", "APTS", "UNIT", "UNT", "SUITE", "STE", "NUMBER", "NO"})
_KEY_DROP = re.compile(r"[^0-9A-Z/]")
_HAS_ALNUM = re.compile(r"[0-9A-Za-z]")

_STREET_LABELS = (
    "AddressNumberPrefix",
    "AddressNumber",
    "AddressNumberSuffix",
    "StreetNamePreModifier",
    "StreetNamePreDirectional",
    "StreetNamePreType",
    "StreetName",
    "StreetNamePostType",
    "StreetNamePostDirectional",
    "StreetNamePostModifier",
)
_UNIT_LABELS = ("OccupancyType", "OccupancyIdentifier", "SubaddressType", "SubaddressIdentifier")
_KNOWN_LABELS = frozenset((*_STREET_LABELS, *_UNIT_LABELS, "USPSBoxType", "USPSBoxID"))


# --------------------------------------------------------------------------- token helpers


def _squash(value: str | None) -> str | None:
    """Single-spaced, stripped; ``None`` when nothing but spaces/punctuation is left."""
    if value is None:
        return None
    value = _WS.sub(" ", value).strip()
    return value if _HAS_ALNUM.search(value) else None


@lru_cache(maxsize=8192)
def _pretag_word(word: str, first: bool) -> str:
    w = word.replace(".", "").strip(",;:")
    if not w or w == "#":
        return w
    up = w.upper()
    if _DIGITS_D.fullmatch(up):  # "12D" may be a unit (Apt 12D), not the old ordinal "12d": decide after tagging
        return up
    return up if up in _PRETAG_UPPER else title_word(w, first)


def _pretag(text: str) -> str:
    """Canonical case/punctuation before tagging: the CRF is case- and period-sensitive
    ("meadow blvd e" tags "e" as a unit, "Apartment" after a post-directional confuses it)."""
    text = _HYPHEN_DIRECTIONAL.sub(lambda m: m.group(1)[0] + m.group(2)[0], text)
    words = [c for i, w in enumerate(text.split()) if (c := _pretag_word(w, i == 0))]
    if words[:1] == ["POB"]:  # usaddress tags the number after "POB" as a unit one time in ten
        words[:1] = ["PO", "Box"]
    n = len(words)
    for i in range(2, n - 1):  # "... Apartment 4B" / "... Unit # 4B" -> "... Apt 4B"
        if words[i].upper() in _PRETAG_UNIT_WORDS and (i == n - 2 or (i == n - 3 and words[i + 1] == "#")):
            words[i : i + 1 + (i == n - 3)] = ["Apt"]
            break
    return " ".join(words)


# --------------------------------------------------------------------------- public API


def normalise_parts(parts: StreetParts) -> StreetParts:
    """Canonical Pub 28 form of ``parts`` (idempotent).  Empty strings become ``None``.

    A PO box keeps only its number (ADDR-2 validation is the caller's job, before this).
    """
    number = _squash(parts.number)
    number = norm_number(number) if number else None
    if parts.post_office_box:
        return StreetParts(post_office_box=True, number=number)
    prefix = _squash(parts.prefix)
    street = _squash(parts.street)
    tag = _squash(parts.tag)
    direction = _squash(parts.direction)
    apt = _squash(parts.apt)
    if street is None:  # a directional word (or lone suffix) that IS the street name
        if direction is not None:
            street, direction = direction, None
        elif prefix is not None:
            street, prefix = prefix, None
        elif tag is not None:
            street, tag = tag, None
    if street is not None and tag is None:  # after the moves above too: normalising must be idempotent
        street, tag = split_suffix(street)
    return StreetParts(
        post_office_box=False,
        number=number,
        prefix=norm_directional(prefix) if prefix else None,
        street=(norm_street(street, tag is not None) or None) if street else None,
        tag=(norm_suffix(tag) or None) if tag else None,
        direction=norm_directional(direction) if direction else None,
        apt=norm_apt(apt) if apt else None,
    )


def _repeated_label(view: list[tuple[str, str]]) -> str:
    seen: set[str] = set()
    last = None
    for _, label in view:
        if label != last and label in seen:
            return label
        seen.add(label)
        last = label
    return "?"


def _tag(line: str) -> tuple[dict[str, str], str]:
    import usaddress  # loads its CRF model: on the first address, not with the app

    try:
        with _TAGGER_LOCK:
            tagged, kind = usaddress.tag(line)
    except usaddress.RepeatedLabelError as exc:
        view = [(str(t), str(lbl)) for t, lbl in exc.parsed_string]
        raise AddressParseError(line, f"repeated label {_repeated_label(view)}", view) from None
    return dict(tagged), str(kind)


def _view(line: str) -> list[tuple[str, str]]:
    import usaddress

    with _TAGGER_LOCK:
        return [(str(t), str(lbl)) for t, lbl in usaddress.parse(line)]


def _joined(tagged: dict[str, str], *labels: str) -> str | None:
    return _squash(" ".join(tagged[lbl] for lbl in labels if lbl in tagged))


def _repair(tagged: dict[str, str]) -> dict[str, str]:
    """Undo the usaddress mis-tags seen in practice (each has a test)."""
    t = dict(tagged)
    order = list(tagged)
    # "6190 SW 1 Ct": the prefix labelled StreetNamePostDirectional and the numbered street with its
    # suffix labelled one unit identifier (found by the ADDR-4 property test).
    unit_words = t.get("OccupancyIdentifier", "").split()
    if (
        "StreetNamePostDirectional" in t
        and not any(k in t for k in ("StreetName", "StreetNamePostType", "StreetNamePreDirectional", "OccupancyType"))
        and len(unit_words) == 2
        and unit_words[0].isdigit()
        and clean_upper(unit_words[1]) in SUFFIXES
    ):
        del t["OccupancyIdentifier"]
        t["StreetNamePreDirectional"] = t.pop("StreetNamePostDirectional")
        t["StreetName"], t["StreetNamePostType"] = unit_words
    # "1 10 Ct Apt 1": the suffix labelled StreetNamePostDirectional.
    post_dir = t.get("StreetNamePostDirectional")
    if (
        post_dir is not None
        and "StreetNamePostType" not in t
        and not is_directional(post_dir)
        and clean_upper(post_dir) in SUFFIXES
    ):
        t["StreetNamePostType"] = t.pop("StreetNamePostDirectional")
    # "68930 NE Fox Run Gardens West": the leading NE labelled StreetNamePostDirectional.
    name_label = next((k for k in ("StreetName", "BuildingName") if k in t), None)
    if (
        name_label is not None
        and "StreetNamePreDirectional" not in t
        and "StreetNamePostDirectional" in t
        and order.index("StreetNamePostDirectional") < order.index(name_label)
    ):
        t["StreetNamePreDirectional"] = t.pop("StreetNamePostDirectional")
    # "123 Main St Upper": a no-identifier unit word labelled PlaceName.
    place = t.get("PlaceName")
    if place is not None and "OccupancyIdentifier" not in t and norm_apt(place) in NO_ID_UNITS:
        t["OccupancyIdentifier"] = t.pop("PlaceName")
    # "10228 NE Meadow Gardens West": name + suffix + directional all labelled BuildingName.
    street_labels = ("StreetName", "StreetNamePreType", "StreetNamePostType")
    if "BuildingName" in t and "AddressNumber" in t and not any(k in t for k in street_labels):
        words = t.pop("BuildingName").split()
        if len(words) > 1 and "StreetNamePostDirectional" not in t and is_directional(words[-1]):
            t["StreetNamePostDirectional"] = words.pop()
        if len(words) > 1 and clean_upper(words[-1]) in SUFFIXES:
            t["StreetNamePostType"] = words.pop()
        t["StreetName"] = " ".join(words)
    # Several StreetNamePostType words: only the last is the suffix ("Blue Ridge Pkwy",
    # "Main Street Extension"); a directional "name" in front of them is really the prefix
    # ("16427 Northeast Ridge Parkway": Northeast=StreetName, "Ridge Parkway"=PostType).
    post_type = t.get("StreetNamePostType", "").split()
    if len(post_type) > 1:
        t["StreetNamePostType"] = post_type.pop()
        extra = " ".join(post_type)
        name = t.get("StreetName")
        if name is not None and "StreetNamePreDirectional" not in t and is_directional(name):
            t["StreetNamePreDirectional"], name = name, None
        t["StreetName"] = f"{name} {extra}" if name else extra
    # "84764 NE Pine Court East": all three words labelled StreetName.
    words = t.get("StreetName", "").split()
    if (
        len(words) > 2
        and not any(k in t for k in ("StreetNamePostType", "StreetNamePostDirectional", "StreetNamePreType"))
        and is_directional(words[-1])
        and clean_upper(words[-2]) in SUFFIXES
    ):
        t["StreetNamePostDirectional"] = words.pop()
        t["StreetNamePostType"] = words.pop()
        t["StreetName"] = " ".join(words)
    # "1 Avenue of the Pines": the last name word labelled StreetNamePostType.
    name = t.get("StreetName", "")
    if "StreetNamePreType" in t and name.split()[-1:] and name.split()[-1].upper() in SMALL_WORDS:
        t["StreetName"] = f"{name} {t.pop('StreetNamePostType', '')}".strip()
    # "123 Main St E": a bare directional after the suffix labelled OccupancyIdentifier.
    unit = t.get("OccupancyIdentifier")
    if (
        "StreetNamePostDirectional" not in t
        and "OccupancyType" not in t
        and "StreetNamePostType" in t
        and is_directional(unit)
    ):
        t["StreetNamePostDirectional"] = t.pop("OccupancyIdentifier")
    return t


def parse_street_line(line: str) -> StreetParts:
    """Parse one street line (never city/state/zip) into normalised :class:`StreetParts`."""
    original = line
    text = _squash(line or "")
    if text is None:
        raise AddressParseError(original, "empty")
    text = _pretag(text)
    tagged, kind = _tag(text)

    def fail(reason: str) -> AddressParseError:
        return AddressParseError(original, reason, _view(text))

    if kind == "Intersection" or "IntersectionSeparator" in tagged:
        raise fail("intersection")
    if "USPSBoxGroupType" in tagged or "USPSBoxGroupID" in tagged:
        raise fail("rural route")
    tagged = _repair(tagged)
    foreign = [lbl for lbl in tagged if lbl not in _KNOWN_LABELS]
    if foreign:  # city/state/zip, names, landmarks ... nothing is ever silently dropped
        raise fail(f"unexpected {foreign[0]}")

    if "USPSBoxType" in tagged or "USPSBoxID" in tagged:
        if any(lbl in tagged for lbl in (*_STREET_LABELS, *_UNIT_LABELS)):
            raise fail("po box with street parts")
        box = norm_number(tagged.get("USPSBoxID", ""))
        if not box:
            raise fail("no box number")
        return StreetParts(post_office_box=True, number=box)

    if "AddressNumber" not in tagged:  # usaddress types these "Ambiguous"
        raise fail("no street number" if any(lbl in tagged for lbl in _STREET_LABELS) else "ambiguous")
    unit_id = tagged.get("OccupancyIdentifier")
    sub_id = tagged.get("SubaddressIdentifier")
    if unit_id and sub_id:
        raise fail("multiple unit designators")

    # "10 North St": usaddress labels North a post-directional and finds no StreetName;
    # normalise_parts() then moves the directional word into the street name.
    parts = normalise_parts(
        StreetParts(
            number=_joined(tagged, "AddressNumberPrefix", "AddressNumber", "AddressNumberSuffix"),
            prefix=tagged.get("StreetNamePreDirectional"),
            street=_joined(tagged, "StreetNamePreModifier", "StreetNamePreType", "StreetName"),
            tag=_joined(tagged, "StreetNamePostType", "StreetNamePostModifier"),
            direction=tagged.get("StreetNamePostDirectional"),
            apt=unit_id or sub_id or tagged.get("OccupancyType") or tagged.get("SubaddressType"),
        )
    )
    if parts.street is None:
        raise fail("no street name")
    return parts


def join_street_line(parts: StreetParts) -> str:
    """One street line from parts (normalised first), suitable for re-parsing (ADDR-5)."""
    p = normalise_parts(parts)
    if p.post_office_box:
        return f"PO Box {p.number or ''}".strip()
    words = [p.number, p.prefix, p.street, p.tag, p.direction]
    if p.apt:
        words.append(p.apt if p.apt in NO_ID_UNITS else f"# {p.apt}")
    return " ".join(w for w in words if w)


def _key_token(value: str | None) -> str:
    if not value:
        return ""
    return _KEY_DROP.sub("", value.upper())  # "4-B", "4 B", "4b" -> "4B"; "O'Connor" -> "OCONNOR"


def match_key(parts: StreetParts, *, city: str | None, state: str | None, zip: str | None) -> str:
    """ADDR-4 matching key: normalised parts + zip5 (or city+state when there is no zip)."""
    p = normalise_parts(parts)
    digits = re.sub(r"\D", "", zip or "")
    if len(digits) >= 5:
        area = "Z" + digits[:5]
    else:
        st = clean_upper(state or "")
        area = "C" + _key_token(city) + "," + _key_token(STATES.get(st, st))
    if p.post_office_box:
        fields = ["B", _key_token(p.number), "", "", "", "", ""]
    else:
        fields = ["S", *(_key_token(v) for v in (p.number, p.prefix, p.street, p.tag, p.direction, p.apt))]
    key = "|".join([*fields, area])
    if len(key) > MATCH_KEY_MAX:
        key = "H|" + hashlib.sha256(key.encode()).hexdigest()
    return key
