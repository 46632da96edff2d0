"""Address matching latency: 1,000 vs 100,000 addresses in one district (ADDR-4/5 use an index, not a scan).

    .venv/bin/python -m bench.addresses                 # SQLite (scratch files in a temp dir)
    .venv/bin/python -m bench.addresses --postgresql    # also a throwaway PostgreSQL (tests/pg_cluster.py)
    .venv/bin/python -m bench.addresses --sizes 1000 100000 --ops 500

For each size a fresh database is migrated (app.migrate.upgrade), one district gets N addresses by a
bulk core insert, and then these are timed, each over --ops different addresses (after one untimed
pass over the same operations, so both sizes are measured warm and the ratio shows the algorithm,
not the cache):

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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text

from app import migrate
from app import models as m
from app.clock import utcnow
from app.db import Database
from app.domain.addresses import StreetParts, match_key
from app.schemas.address import AddressIn
from app.services import addresses

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
def scratch_database(backend: str, name: str) -> Iterator[Database]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / name}.db"
            migrate.upgrade(url)
            db = Database(url)
            try:
                yield db
            finally:
                db.dispose()
    else:
        from tests.pg_cluster import start_cluster

        with start_cluster() as cluster:
            url = cluster.create_database(name)
            migrate.upgrade(url)
            db = Database(url)
            try:
                yield db
            finally:
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


def timed(ops: Sequence[Op], warm_up: Sequence[Op] | None = None) -> tuple[float, float]:
    for op in ops if warm_up is None else warm_up:  # steady state: pages cached, statements compiled
        op()
    samples = []
    for op in ops:
        started = time.perf_counter()
        op()
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def measure(db: Database, did: int, size: int, ops: int) -> tuple[dict[str, tuple[float, float]], str]:
    step = max(1, size // ops)
    existing = [nth_address(i) for i in range(0, size, step)][:ops]
    new = [nth_address(size + 30 * 8 * 5 * 1000 + i) for i in range(ops + 20)]  # numbers no row uses
    results: dict[str, tuple[float, float]] = {}
    session = db.session(write=True)
    try:
        keys = [row(did, a)["match_key"] for a in existing]
        results["key lookup"] = timed([partial(addresses.find_by_key, session, did, k) for k in keys])
        parts_in = [AddressIn.model_validate({k: v for k, v in a.items() if v is not None}) for a in existing]
        results["exact hit"] = timed([partial(addresses.resolve, session, did, a) for a in parts_in])
        line_in = [AddressIn(full_street_address=full_line(a), city=a["city"], state=a["state"], zip=a["zip"])
                   for a in existing]
        results["full-line hit"] = timed([partial(addresses.resolve, session, did, a) for a in line_in])
        miss_in = [AddressIn.model_validate({k: v for k, v in a.items() if v is not None}) for a in new[:ops]]
        results["search miss"] = timed([partial(addresses.search, session, did, a) for a in miss_in])
        created = [AddressIn(full_street_address=full_line(a), city=a["city"], state=a["state"], zip=a["zip"])
                   for a in new]
        create_ops: list[Op] = [partial(addresses.resolve, session, did, a) for a in created]
        results["create"] = timed(create_ops[:ops], warm_up=create_ops[ops:])
        plan = query_plan(db, session, did, keys[0])
    finally:
        session.rollback()
        session.close()
    return results, plan


def query_plan(db: Database, session: Any, did: int, key: str) -> str:
    stmt = select(m.Address).where(m.Address.district_id == did, m.Address.match_key == key)
    sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
    prefix = "EXPLAIN QUERY PLAN " if db.dialect == "sqlite" else "EXPLAIN "
    rows = session.execute(text(prefix + sql)).all()
    return " | ".join(str(r[-1]) if db.dialect == "sqlite" else str(r[0]) for r in rows)


def run(backend: str, sizes: list[int], ops: int) -> None:
    print(f"\n== {backend}: {ops} operations per measurement ==")
    table: dict[int, dict[str, tuple[float, float]]] = {}
    for size in sizes:
        with scratch_database(backend, f"bench_addr_{size}") as db:
            started = time.perf_counter()
            did = populate(db, size)
            loaded = time.perf_counter() - started
            table[size], plan = measure(db, did, size, ops)
            print(f"{size:>8,} addresses loaded in {loaded:.1f}s; plan: {plan}")
    kinds = list(next(iter(table.values())))
    print(f"{'operation':<15}" + "".join(f"{f'{s:,} p50/p99 ms':>24}" for s in sizes) + f"{'ratio p50':>11}")
    worst = 0.0
    for kind in kinds:
        cells = "".join(f"{f'{table[s][kind][0]:.3f} / {table[s][kind][1]:.3f}':>24}" for s in sizes)
        ratio = table[sizes[-1]][kind][0] / table[sizes[0]][kind][0]
        worst = max(worst, ratio)
        print(f"{kind:<15}{cells}{ratio:>10.2f}x")
    print(f"worst p50 ratio {worst:.2f}x (target <= 1.5x): {'OK' if worst <= 1.5 else 'OVER'}")


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
