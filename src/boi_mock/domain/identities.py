"""Identities (IDENT-1..3): names live in dated identities; exactly one is current.

A change of last, first or middle name end-dates the current identity and opens a new one dated
by the district clock (IDENT-1). Any other demographic change updates the current identity in
place (IDENT-2). A difference of case, whitespace or Unicode normalisation only (NFC/NFD) is not a
name change (IDENT-3): the stored spelling is kept.
Pure: plain values in, a plan out; the service applies it. The fields themselves: boi_mock/domain/demographics.py.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from boi_mock.domain.demographics import DEMOGRAPHIC_FIELDS, NAME_FIELDS, OTHER_FIELDS, Demographics

__all__ = ["DEMOGRAPHIC_FIELDS", "NAME_FIELDS", "OTHER_FIELDS", "Demographics", "IdentityChange", "clean_name",
           "name_key", "names_differ", "plan_update", "previous_end_date", "same_name"]


def clean_name(value: str | None) -> str | None:
    """How a sent name is stored: trimmed; empty means none."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def name_key(value: str | None) -> str:
    """The comparison form of a name (IDENT-3): whitespace collapsed, then Unicode canonical caseless matching
    (NFD, full case folding, NFD again: "Émile" composed or decomposed, "STRASSE" and "Straße" are one name).

    Canonical equivalence only: compatibility forms (fullwidth letters, ligatures) are other spellings."""
    collapsed = " ".join((value or "").split())
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", collapsed).casefold())


def same_name(a: str | None, b: str | None) -> bool:
    return name_key(a) == name_key(b)


def names_differ(current: Demographics, other: Demographics) -> list[str]:
    """The name fields that really differ (IDENT-1), ignoring case and whitespace (IDENT-3)."""
    return [f for f in NAME_FIELDS if not same_name(getattr(current, f), getattr(other, f))]


def previous_end_date(previous_start: date | None, today: date) -> date:
    """IDENT-1 (decided): the day before the call, or the call date itself when the old identity began
    that day (or later, when the clock was moved back) so an identity never ends before it starts."""
    if previous_start is not None and previous_start >= today:
        return today
    return today - timedelta(days=1)


@dataclass(frozen=True)
class IdentityChange:
    """The outcome of applying sent demographics to the current identity."""

    result: Demographics
    # IDENT-1: end-date the current identity (on `previous_end`) and open a new current one.
    new_identity: bool
    # Fields whose stored value changes (names included).
    changed: tuple[str, ...]
    # IDENT-3: name fields sent with only a case/whitespace difference (kept as stored).
    cosmetic: tuple[str, ...]
    previous_end: date | None = None

    @property
    def in_place(self) -> bool:
        """IDENT-2: only non-name fields change; the current identity is updated."""
        return bool(self.changed) and not self.new_identity


def plan_update(current: Demographics, current_start: date | None, sent: Mapping[str, Any],
                today: date) -> IdentityChange:
    """Apply the fields present in `sent` (STAFF-6: absent unchanged, None clears) to `current`.

    `sent` holds only the demographic fields the caller sent; names already checked non-empty
    where required.
    """
    updates: dict[str, Any] = {}
    cosmetic: list[str] = []
    for name in NAME_FIELDS:
        if name not in sent:
            continue
        value = clean_name(sent[name])
        stored = getattr(current, name)
        if same_name(stored, value):
            if stored != value:
                cosmetic.append(name)
            continue
        updates[name] = value
    for name in OTHER_FIELDS:
        if name in sent and sent[name] != getattr(current, name):
            updates[name] = sent[name]
    result = replace(current, **updates) if updates else current
    new_identity = any(n in updates for n in NAME_FIELDS)
    return IdentityChange(
        result=result, new_identity=new_identity, changed=tuple(updates), cosmetic=tuple(cosmetic),
        previous_end=previous_end_date(current_start, today) if new_identity else None,
    )
