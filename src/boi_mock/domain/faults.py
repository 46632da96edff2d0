"""Injected faults (toolkit): which rule matches a call, and whether it fires this time.

A rule fires on every matching call, on the first `times` matching calls, or with `probability`
per matching call. Probabilistic rules are reproducible: the n-th matching call's draw is
`Random(f"{seed}:{n}")`, so the same seed gives the same sequence of hits and misses, whatever
else the test does (a shared RNG would make one test's faults depend on the calls of another).
"""

from __future__ import annotations

import fnmatch
import random
from dataclasses import dataclass

BOI_PREFIX = "/campus/api/businessOfficeIntegration"
TOKEN_PATH = "/campus/oauth2/token"
GLOB_CHARACTERS = frozenset("*?[")


@dataclass(frozen=True)
class FaultSpec:
    """One rule as the matcher sees it (a plain value, no ORM)."""

    id: int
    method: str | None
    path: str | None
    times: int | None
    probability: float | None
    seed: int | None


def relative_path(full_path: str) -> str | None:
    """The BOI path under the vendor prefix (`/staffMembers/1`), `TOKEN_PATH`, or None for other paths.

    `/apps/{appName}/campus/api/…` (the district-scoped mount) gives the same relative path.
    """
    if full_path.rstrip("/") == TOKEN_PATH:
        return TOKEN_PATH
    path = full_path
    if path.startswith("/apps/"):
        _, _, rest = path[len("/apps/"):].partition("/")
        path = "/" + rest
    if not path.startswith(BOI_PREFIX + "/"):
        return None
    return path[len(BOI_PREFIX):]


def _pattern_matches(pattern: str, path: str) -> bool:
    if GLOB_CHARACTERS & set(pattern):
        return fnmatch.fnmatchcase(path, pattern)
    return path == pattern or path.startswith(pattern.rstrip("/") + "/") or path.startswith(pattern)


def matches(spec: FaultSpec, method: str, full_path: str) -> bool:
    """Does the rule apply to this call? Rules without a path apply to BOI calls, not to the token endpoint.

    `path` is a prefix or a glob (`*`, `?`, `[…]`), relative to the BOI base path (`/staffMembers`,
    `/staffMembers/*/position`) or, when it starts with `/campus/` or `/apps/`, the full request path.
    """
    relative = relative_path(full_path)
    if relative is None:
        return False
    if spec.method is not None and spec.method.upper() != method.upper():
        return False
    if spec.path is None:
        return relative != TOKEN_PATH
    if spec.path.startswith(("/campus/", "/apps/")):
        return _pattern_matches(spec.path, full_path)
    if relative == TOKEN_PATH:
        return _pattern_matches(spec.path, "/oauth2/token")
    return _pattern_matches(spec.path, relative)


def draw(seed: int, n: int, probability: float) -> bool:
    """The n-th (0-based) matching call of a probabilistic rule: does it fire?"""
    return random.Random(f"{seed}:{n}").random() < probability


def fires(spec: FaultSpec, matched_before: int) -> bool:
    """Whether the rule fires on this matching call, given how many matching calls it has seen before."""
    if spec.times is not None:
        return matched_before < spec.times
    if spec.probability is not None:
        return draw(spec.seed or 0, matched_before, spec.probability)
    return True


def fired_count(spec: FaultSpec, matched: int) -> int:
    """How many of `matched` calls the rule has fired on (reported by the control API)."""
    if spec.times is not None:
        return min(matched, spec.times)
    if spec.probability is not None:
        return sum(draw(spec.seed or 0, n, spec.probability) for n in range(matched))
    return matched
