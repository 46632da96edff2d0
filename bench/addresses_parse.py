"""Throughput of street-line parsing + Pub 28 normalisation + match keys (boi_mock.domain.addresses).

Run:  .venv/bin/python bench/addresses_parse.py [--count 10000] [--seed 2024] [--repeat 3]

Generates ``count`` varied street lines (random case, long/short suffixes and directionals,
trailing periods, unit designators, numeric streets, pre-types, PO boxes, extra spaces), then
times ``parse_street_line`` + ``match_key`` over all of them and prints addresses/s (best of
``repeat`` runs).  Almost all of the time is the usaddress CRF tagger; the normalisation
lookups are lru-cached.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from boi_mock.domain.addresses import AddressParseError, match_key, parse_street_line

NAMES = [
    "Lexington", "Main", "Oak", "Maple", "Elm", "Washington", "Lake", "Hill", "Park", "Cedar", "Pine",
    "Jefferson", "Lincoln", "Highland", "Sunset", "Riverside", "Church", "Mill", "Spring", "Franklin",
    "Madison", "Walnut", "Chestnut", "Willow", "Ridge", "Meadow", "Forest", "Valley", "Harbor", "Grand",
    "Martin Luther King", "Old Mill", "Prairie View", "Cherry Hill", "Eagle Creek", "Blue Ridge",
]  # fmt: skip
SUFFIXES = [
    ["Ave", "Avenue", "Av", "AVE."], ["St", "Street", "St."], ["Blvd", "Boulevard"], ["Dr", "Drive"],
    ["Ln", "Lane"], ["Rd", "Road"], ["Ct", "Court"], ["Gdns", "Gardens"], ["Pl", "Place"],
    ["Cir", "Circle"], ["Ter", "Terrace"], ["Way"], ["Pkwy", "Parkway"], ["Trl", "Trail"],
]  # fmt: skip
DIRECTIONALS = [
    ["N", "North", "N."], ["S", "South", "S."], ["E", "East"], ["W", "West"],
    ["NE", "Northeast", "N.E."], ["NW", "Northwest"], ["SE", "Southeast", "S.E."], ["SW", "Southwest"],
]  # fmt: skip
UNITS = ["Apt", "Apt.", "Apartment", "Unit", "#", "Ste", "Suite"]
PO_BOXES = ["PO Box", "P.O. Box", "P O Box", "Post Office Box", "POB", "Box"]
PRE_TYPES = ["County Road", "CR", "Co Rd", "Highway", "State Hwy", "US Highway"]


def _case(rnd: random.Random, line: str) -> str:
    mode = rnd.random()
    if mode < 0.15:
        return line.upper()
    if mode < 0.25:
        return line.lower()
    return line


def generate(count: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    lines: list[str] = []
    for _ in range(count):
        kind = rnd.random()
        number = str(rnd.randint(1, 99999))
        if kind < 0.08:
            lines.append(f"{rnd.choice(PO_BOXES)} {rnd.randint(1, 9999)}")
            continue
        if kind < 0.14:
            lines.append(f"{number} {rnd.choice(PRE_TYPES)} {rnd.randint(1, 150)}")
            continue
        words = [number]
        if rnd.random() < 0.4:
            words.append(rnd.choice(rnd.choice(DIRECTIONALS)))
        words.append(str(rnd.randint(1, 150)) if rnd.random() < 0.2 else rnd.choice(NAMES))
        words.append(rnd.choice(rnd.choice(SUFFIXES)))
        if rnd.random() < 0.3:
            words.append(rnd.choice(rnd.choice(DIRECTIONALS)))
        if rnd.random() < 0.35:
            words.append(f"{rnd.choice(UNITS)} {rnd.choice([str(rnd.randint(1, 999)), '4B', 'C'])}")
        lines.append(_case(rnd, rnd.choice([" ", "  "]).join(words)))
    return lines


def run(lines: list[str]) -> tuple[float, int]:
    failures = 0
    start = time.perf_counter()
    for line in lines:
        try:
            match_key(parse_street_line(line), city=None, state=None, zip="55123")
        except AddressParseError:
            failures += 1
    return time.perf_counter() - start, failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    lines = generate(args.count, args.seed)
    best = float("inf")
    failures = 0
    for _ in range(max(1, args.repeat)):
        elapsed, failures = run(lines)
        best = min(best, elapsed)
    print(f"{len(lines)} addresses, {failures} unparseable, best of {args.repeat}: {best:.3f}s")
    print(f"{len(lines) / best:,.0f} addresses/s")


if __name__ == "__main__":
    main()
