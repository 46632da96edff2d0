"""Address matching latency: 1,000 vs 100,000 addresses in one district (ADDR-4/5 use an index, not a scan).

    .venv/bin/python -m bench.addresses                 # SQLite (scratch files in a temp dir)
    .venv/bin/python -m bench.addresses --postgresql    # also a throwaway PostgreSQL (tests/pg_cluster.py)
    .venv/bin/python -m bench.addresses --sizes 1000 100000 --ops 500

For each size a fresh database is migrated (boi_mock.migrate.upgrade), one district gets N addresses by a
bulk core insert, and then these are timed, each over --ops different addresses (after one untimed
pass over the same operations, so both sizes are measured warm and the ratio shows the algorithm,
not the cache; the sizes are timed in alternating batches, so load from elsewhere hits both alike):

  key lookup     find_by_key() with a precomputed key: the database part alone
  exact hit      resolve() of existing addresses sent as parts (normalise, one lookup)
  full-line hit  resolve() of existing addresses sent as fullStreetAddress (usaddress parse + lookup)
  search miss    search() of addresses Campus does not hold (exact + re-parse, two lookups)
  create         resolve() of new addresses (misses + insert + flush; rolled back afterwards)

It prints p50/p99 per size and the ratio largest/smallest of the p50s (target <= 1.5x).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from boi_mock import migrate
from boi_mock import models as m
from boi_mock.clock import utcnow
from boi_mock.db import Database
from boi_mock.domain.addresses import StreetParts, match_key
from boi_mock.schemas.address import AddressIn
from boi_mock.services import addresses

NAMES = ["Lexington", "Main", "Oak", "Maple", "Elm", "Washington", "Lake", "Hill", "Park", "Cedar", "Jefferson",
         "Highland", "Riverside", "Church", "Mill", "Spring", "Madison", "Walnut", "Willow", "Ridge", "Meadow",
         "Forest", "Valley", "Grand", "Pleasant", "Division", "Summit", "Sunshine", "Battlefield", "Cherry"]
TAGS = ["St", "Ave", "Rd", "Dr", "Ln", "Blvd", "Ct", "Pl"]
LONG_TAGS = {"St": "Street", "Ave": "Avenue", "Rd": "Road", "Dr": "Drive", "Ln": "Lane", "Blvd": "Boulevard",
             "Ct": "Court", "Pl": "Place"}
PREFIXES = [None, "N", "S", "E", "W"]
LONG_PREFIXES = {"N": "North", "S": "South", "E": "East", "W": "West"}


def nth_address(i: int) -> dict[str, Any]:
    """The i-th address of a deterministic, duplicate-free street grid (30 names x 8 suffixes x 5 prefixes)."""
    street, rest = NAMES[i % 30], i // 30
    tag, rest = TAGS[rest % 8], rest // 8
    prefix, rest = PREFIXES[rest % 5], rest // 5
    return {"number": str(100 + rest), "prefix": prefix, "street": street, "tag": tag,
            "city": "Springfield", "state": "MO", "zip": "65803"}


def row(district_id: int, a: dict[str, Any]) -> dict[str, Any]:
    parts = StreetParts(number=a["number"], prefix=a["prefix"], street=a["street"], tag=a["tag"])
    return {"district_id": district_id, "post_office_box": False, "number": a["number"], "prefix": a["prefix"],
            "street": a["street"], "tag": a["tag"], "city": a["city"], "state": a["state"], "zip": a["zip"],
            "match_key": match_key(parts, city=a["city"], state=a["state"], zip=a["zip"]), "duplicate_no": 0}


def full_line(a: dict[str, Any]) -> str:
    prefix = LONG_PREFIXES.get(a["prefix"] or "", "")
    return " ".join(w for w in (a["number"], prefix, a["street"], LONG_TAGS[a["tag"]]) if w)


@contextmanager
def scratch_databases(backend: str) -> Iterator[Callable[[str], Database]]:
    """Yields a factory of freshly migrated databases (files in a temp dir, or one throwaway cluster)."""
    made: list[Database] = []
    with ExitStack() as stack:
        if backend == "sqlite":
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))

            def url_for(name: str) -> str:
                return f"sqlite:///{tmp / name}.db"
        else:
            from tests.pg_cluster import start_cluster

            cluster = stack.enter_context(start_cluster())

            def url_for(name: str) -> str:
                return cluster.create_database(name)

        def make(name: str) -> Database:
            url = url_for(name)
            migrate.upgrade(url)
            made.append(Database(url))
            return made[-1]

        try:
            yield make
        finally:
            for db in made:
                db.dispose()


def populate(db: Database, size: int) -> int:
    with db.unit_of_work() as session:
        district = m.District(app_name="bench", client_id="bench", client_secret="bench", created_at=utcnow())
        session.add(district)
        session.flush()
        did = district.id
        for start in range(0, size, 5000):
            chunk = range(start, min(size, start + 5000))
            session.execute(insert(m.Address), [row(did, nth_address(i)) for i in chunk])
    with db.engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    return did


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


Op = Callable[[], object]
KINDS = ("key lookup", "exact hit", "full-line hit", "search miss", "create")


@dataclass
class Subject:
    """One district of `size` addresses, with the operations to time and their samples (ms)."""

    size: int
    db: Database
    session: Session
    plan: str
    ops: dict[str, list[Op]]
    warm_up: dict[str, list[Op]]
    samples: dict[str, list[float]] = field(default_factory=dict)


def prepare(db: Database, size: int, ops: int) -> Subject:
    did = populate(db, size)
    step = max(1, size // ops)
    existing = [nth_address(i) for i in range(0, size, step)][:ops]
    new = [nth_address(size + 30 * 8 * 5 * 1000 + i) for i in range(2 * ops)]  # numbers no row uses
    session = db.session(write=True)

    def parts(a: dict[str, Any]) -> AddressIn:
        return AddressIn.model_validate({k: v for k, v in a.items() if v is not None})

    def line(a: dict[str, Any]) -> AddressIn:
        return AddressIn(full_street_address=full_line(a), city=a["city"], state=a["state"], zip=a["zip"])

    keys = [row(did, a)["match_key"] for a in existing]
    timed_ops: dict[str, list[Op]] = {
        "key lookup": [partial(addresses.find_by_key, session, did, k) for k in keys],
        "exact hit": [partial(addresses.resolve, session, did, parts(a)) for a in existing],
        "full-line hit": [partial(addresses.resolve, session, did, line(a)) for a in existing],
        "search miss": [partial(addresses.search, session, did, parts(a)) for a in new[:ops]],
        "create": [partial(addresses.resolve, session, did, line(a)) for a in new[:ops]],
    }
    # Warm-up: one untimed pass over the same lookups; creates warm up on other new addresses.
    warm_up: dict[str, list[Op]] = {
        **timed_ops, "create": [partial(addresses.resolve, session, did, line(a)) for a in new[ops:]]}
    return Subject(size, db, session, query_plan(db, session, did, keys[0]), timed_ops, warm_up)


def query_plan(db: Database, session: Session, did: int, key: str) -> str:
    stmt = select(m.Address).where(m.Address.district_id == did, m.Address.match_key == key)
    sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
    prefix = "EXPLAIN QUERY PLAN " if db.dialect == "sqlite" else "EXPLAIN "
    rows = session.execute(text(prefix + sql)).all()
    return " | ".join(str(r[-1]) if db.dialect == "sqlite" else str(r[0]).strip() for r in rows)


def measure(subjects: list[Subject], ops: int, batch: int = 25) -> None:
    """Sizes interleaved in small batches, so load from elsewhere on the machine hits both alike."""
    for kind in KINDS:
        for subject in subjects:
            for op in subject.warm_up[kind]:
                op()
            subject.samples[kind] = []
        for start in range(0, ops, batch):
            for subject in subjects:
                for op in subject.ops[kind][start:start + batch]:
                    began = time.perf_counter()
                    op()
                    subject.samples[kind].append((time.perf_counter() - began) * 1000)


def run(backend: str, sizes: list[int], ops: int) -> float:
    print(f"\n== {backend}: {ops} operations per measurement, sizes interleaved ==")
    with scratch_databases(backend) as make:
        subjects = []
        for size in sizes:
            started = time.perf_counter()
            subjects.append(prepare(make(f"bench_addr_{size}"), size, ops))
            print(f"{size:>8,} addresses loaded in {time.perf_counter() - started:.1f}s; "
                  f"plan: {subjects[-1].plan}")
        try:
            measure(subjects, ops)
        finally:
            for subject in subjects:
                subject.session.rollback()
                subject.session.close()
    print(f"{'operation':<15}" + "".join(f"{f'{s:,} p50/p99 ms':>24}" for s in sizes) + f"{'ratio p50':>11}")
    worst = 0.0
    for kind in KINDS:
        stats = [percentiles(s.samples[kind]) for s in subjects]
        ratio = stats[-1][0] / stats[0][0]
        worst = max(worst, ratio)
        print(f"{kind:<15}" + "".join(f"{f'{p50:.3f} / {p99:.3f}':>24}" for p50, p99 in stats) + f"{ratio:>10.2f}x")
    print(f"worst p50 ratio {worst:.2f}x (target <= 1.5x): {'OK' if worst <= 1.5 else 'OVER'}")
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--ops", type=int, default=500)
    parser.add_argument("--postgresql", action="store_true", help="also run against a throwaway PostgreSQL")
    args = parser.parse_args()
    run("sqlite", args.sizes, args.ops)
    if args.postgresql:
        run("postgresql", args.sizes, args.ops)


if __name__ == "__main__":
    main()
