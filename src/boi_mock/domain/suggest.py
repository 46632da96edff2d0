"""A "did you mean …?" for an unknown property or parameter: the closest known name (difflib)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name nearest to `name` (case-insensitive first: `firstname` → `firstName`), or None."""
    names = [k for k in known if k != name]
    folded = {k.lower(): k for k in names}
    if name.lower() in folded:
        return folded[name.lower()]
    found = difflib.get_close_matches(name.lower(), list(folded), n=1, cutoff=0.75)
    return folded[found[0]] if found else None


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """" (did you mean 'firstName'?)" or ""."""
    suggestion = closest(name, known)
    return f" (did you mean {suggestion!r}?)" if suggestion else ""
