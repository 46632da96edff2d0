"""Concurrency: 8 client threads x 250 mixed writes on the same staff numbers and addresses, real server.

`boi-mock serve` runs as a subprocess on a fresh database of the suite's kind (SQLite or PostgreSQL);
the clients are plain httpx, one keep-alive connection per thread, as vendors' HR systems would be.
Every thread works on the same 24 staff numbers and the same 4 addresses (each spelt 3 ways), so
creates collide (one 201, the rest 409), renames interleave, position updates race, households move
between shared addresses, and the district's business date moves forward three times meanwhile.

What "every acknowledged write is present" means here, per staff number, with each write's real-time
interval [sent, acknowledged]:

* every acknowledged name (the create's and every rename's: all names are unique) is in the person's
  identity history, and no name that was never acknowledged is (nothing lost, nothing invented);
* the identity history is in an order consistent with real time: a write acknowledged before another
  was sent has the older identity (linearizable);
* the current name, the end date of the position updated by POS-7, and the current household address are
  each the value of a *maximal* acknowledged write: one that no other acknowledged write of that kind
  followed in real time (the last writer in any serial order consistent with what clients saw);
* positions added by POST …/position (POS-6: no identifier, duplicates allowed) number exactly the
  acknowledged POSTs.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from tests.reliability.support import (
    LiveDistrict,
    LiveServer,
    district_id_of,
    engine_for,
    identities_by_person,
    identity_problems,
    integrity_problems,
    new_live_district,
)
from tests.support import minimal_scenario, staff_payload

THREADS = 8
OPS_PER_THREAD = 250
STAFF_NUMBERS = [f"R{i:02d}" for i in range(24)]
# Four addresses, each in three spellings that ADDR-4 must treat as one address.
ADDRESSES = [
    ["4321 North Lexington Avenue", "4321 N Lexington Ave.", "4321 n. lexington AVE"],
    ["900 Southeast Oak Street Apt 12", "900 SE Oak St #12", "900 se oak st unit 12"],
    ["77 West 109 Avenue", "77 W 109th Ave", "77 w. 109th avenue"],
    ["15 Elm Court", "15 Elm Ct", "15 elm ct."],
]
CITY = {"city": "Springfield", "state": "MO", "zip": "65806"}
OPS: list[tuple[str, float]] = [("create", 0.2), ("rename", 0.3), ("position_put", 0.15), ("position_post", 0.1),
                                ("move", 0.15), ("read", 0.1)]
EXPECTED = {"create": {201, 409}, "rename": {200, 404}, "position_put": {200, 404}, "position_post": {201, 404},
            "move": {200, 404}, "read": {200, 404}}
TODAY = date(2026, 1, 15)


@dataclass(frozen=True)
class Op:
    thread: int
    seq: int
    kind: str
    staff_number: str
    value: Any  # the name (last, first), the endDate, the address index, …
    sent: float
    acked: float
    status: int

    @property
    def ok(self) -> bool:
        return self.status in (200, 201)


def _address(index: int, spelling: int) -> dict[str, Any]:
    return {"fullStreetAddress": ADDRESSES[index][spelling], **CITY}


def _household(index: int, spelling: int) -> dict[str, Any]:
    return {"householdLocations": [{"address": _address(index, spelling)}]}


def _request(kind: str, number: str, tid: int, seq: int, rng: random.Random) -> tuple[str, str, Any, Any]:
    """(method, path, body, value) of one operation."""
    if kind == "create":
        name = (f"Last{tid}x{seq}", f"First{tid}x{seq}")
        address = rng.randrange(len(ADDRESSES))
        body = staff_payload(number, lastName=name[0], firstName=name[1],
                             household=_household(address, rng.randrange(3)))
        return "POST", "/staffMembers", body, (name, address)
    if kind == "rename":
        name = (f"Last{tid}x{seq}", f"First{tid}x{seq}")
        return "PUT", f"/staffMembers/{number}", {"lastName": name[0], "firstName": name[1]}, name
    if kind == "position_put":
        end = (date(2030, 1, 1) + timedelta(days=tid * 1000 + seq)).isoformat()
        body = {"schoolNumber": "010", "assignmentCode": "20", "startDate": "2023-10-01", "endDate": end}
        return "PUT", f"/staffMembers/{number}/position", body, end
    if kind == "position_post":
        body = {"schoolNumber": "020", "assignmentCode": "30", "titleCode": "1C9E55A0",
                "startDate": (date(2024, 1, 1) + timedelta(days=seq)).isoformat()}
        return "POST", f"/staffMembers/{number}/position", body, None
    if kind == "move":
        address = rng.randrange(len(ADDRESSES))
        return "PUT", f"/staffMembers/{number}", {"household": _household(address, rng.randrange(3))}, address
    return "GET", f"/staffMembers/{number}", None, None


def _run_clients(server: LiveServer, district: LiveDistrict) -> tuple[list[Op], list[str], float, list[float]]:
    ops: list[Op] = []
    failures: list[str] = []
    latencies: list[float] = []
    lock = threading.Lock()
    done = [0]
    start_barrier = threading.Barrier(THREADS + 1)
    kinds = [k for k, _ in OPS]
    weights = [w for _, w in OPS]

    def client(tid: int) -> None:
        rng = random.Random(f"concurrency:{tid}")
        with httpx.Client(base_url=server.boi_url, headers=district.headers, timeout=60) as http:
            http.get("/schools")
            start_barrier.wait()
            for seq in range(OPS_PER_THREAD):
                kind = rng.choices(kinds, weights)[0]
                number = rng.choice(STAFF_NUMBERS)
                method, path, body, value = _request(kind, number, tid, seq, rng)
                sent = time.monotonic()
                try:
                    response = http.request(method, path, json=body)
                except httpx.HTTPError as exc:
                    with lock:
                        failures.append(f"{kind} {number}: transport error {exc!r}")
                    continue
                acked = time.monotonic()
                if response.status_code not in EXPECTED[kind]:
                    with lock:
                        failures.append(f"{kind} {method} {path}: {response.status_code} {response.text[:300]}")
                if kind == "rename" and response.status_code == 200:
                    got = (response.json()["lastName"], response.json()["firstName"])
                    if got != value:
                        with lock:
                            failures.append(f"rename {number} answered {got}, sent {value}")
                with lock:
                    ops.append(Op(tid, seq, kind, number, value, sent, acked, response.status_code))
                    latencies.append(acked - sent)
                    done[0] += 1

    def clock() -> None:
        """The business date moves forward three times during the run (IDENT-1 dates differ)."""
        total = THREADS * OPS_PER_THREAD
        with httpx.Client(base_url=server.url, timeout=60) as http:
            for step in (1, 2, 3):
                while done[0] < total * step // 4 and any(t.is_alive() for t in workers):
                    time.sleep(0.01)
                response = http.put(f"/_mock/districts/{district.app_name}/clock",
                                    json={"today": (TODAY + timedelta(days=step)).isoformat()})
                if response.status_code != 200:
                    failures.append(f"clock: {response.status_code} {response.text[:200]}")

    workers = [threading.Thread(target=client, args=(tid,)) for tid in range(THREADS)]
    for worker in workers:
        worker.start()
    start_barrier.wait()
    began = time.monotonic()
    clock_thread = threading.Thread(target=clock)
    clock_thread.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - began
    clock_thread.join()
    return ops, failures, elapsed, latencies


def _maximal(writes: list[Op]) -> list[Op]:
    """The acknowledged writes no other acknowledged write followed in real time (candidates for 'last')."""
    return [w for w in writes if not any(o.sent > w.acked for o in writes)]


def _name_of(op: Op) -> tuple[str, str]:
    """The (lastName, firstName) a create or rename wrote."""
    name: tuple[str, str] = op.value if op.kind == "rename" else op.value[0]
    return name


def _check_linearizable(number: str, writes: list[Op], order: dict[tuple[str, str], int]) -> list[str]:
    """A write acknowledged before another was sent must have the older identity."""
    problems = []
    for a in writes:
        for b in writes:
            pa, pb = order.get(_name_of(a)), order.get(_name_of(b))
            if a.acked < b.sent and pa is not None and pb is not None and not pa < pb:
                problems.append(f"{number}: {a.kind} {a.value} acknowledged before {b.kind} {b.value} was sent, "
                                "but its identity is not older")
    return problems


@pytest.mark.slow
def test_eight_clients_mixed_writes_no_5xx_no_duplicates_no_lost_acknowledged_writes(
        live_db_url: str, live_server: Callable[..., LiveServer]) -> None:
    server = live_server(live_db_url)
    scenario = minimal_scenario()
    district = new_live_district(server.url, scenario)

    ops, failures, elapsed, latencies = _run_clients(server, district)

    latencies.sort()
    p50, p99 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)]
    statuses = Counter((op.kind, op.status) for op in ops)
    print(f"\nconcurrency ({server.database_url.split(':')[0]}): {len(ops)} requests from {THREADS} threads "
          f"in {elapsed:.1f}s = {len(ops) / elapsed:.0f} req/s; p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms; "
          f"{dict(sorted(statuses.items()))}")
    assert not failures, "\n".join(failures[:20])
    assert len(ops) == THREADS * OPS_PER_THREAD

    problems: list[str] = []
    by_number: dict[str, list[Op]] = {n: [] for n in STAFF_NUMBERS}
    for op in ops:
        by_number[op.staff_number].append(op)

    with engine_for(live_db_url) as engine, engine.connect() as conn:
        did = district_id_of(conn, district.app_name)
        persons: dict[str, list[int]] = {}
        for pid, number in conn.execute(text("SELECT id, staff_number FROM person WHERE district_id = :d "
                                             "AND staff_number IS NOT NULL"), {"d": did}):
            persons.setdefault(number, []).append(pid)
        identities = identities_by_person(conn, did)
        positions = conn.execute(text(
            "SELECT person_id, school_number, start_date, end_date FROM district_assignment "
            "WHERE district_id = :d"), {"d": did}).all()
        duplicate_addresses = conn.execute(text(
            "SELECT match_key, count(*) FROM address WHERE district_id = :d GROUP BY match_key "
            "HAVING count(*) > 1"), {"d": did}).all()
        address_count = conn.execute(text("SELECT count(*) FROM address WHERE district_id = :d"),
                                     {"d": did}).scalar_one()
        open_locations = conn.execute(text(
            "SELECT hm.person_id, hl.address_id FROM household_location hl "
            "JOIN household_member hm ON hm.household_id = hl.household_id "
            "WHERE hl.district_id = :d AND hl.end_date IS NULL"), {"d": did}).all()
        problems += integrity_problems(conn)

    assert not duplicate_addresses, f"duplicate addresses (ADDR-4): {duplicate_addresses}"
    seed_addresses = len(scenario["households"])
    used = {op.value[1] for op in ops if op.kind == "create" and op.ok} | {
        op.value for op in ops if op.kind == "move" and op.ok}
    assert address_count == seed_addresses + len(used), "each address exists once, whatever its spelling"

    # Every spelling of one address resolves to the same addressID (ADDR-4/ADDR-6).
    with httpx.Client(base_url=server.boi_url, headers=district.headers, timeout=30) as http:
        for index in used:
            found = {tuple(a["addressID"] for a in http.get("/addresses", params=_address(index, s)).json())
                     for s in range(3)}
            assert len(found) == 1 and len(next(iter(found))) == 1, (ADDRESSES[index], found)
        address_ids = {i: http.get("/addresses", params=_address(i, 0)).json()[0]["addressID"] for i in used}

    open_by_person: dict[int, list[int]] = {}
    for pid, address_id in open_locations:
        open_by_person.setdefault(pid, []).append(address_id)

    for number, mine in by_number.items():
        creates = [op for op in mine if op.kind == "create" and op.ok]
        if not creates:
            assert number not in persons, f"{number}: no create was acknowledged, yet Campus holds it"
            assert all(op.status in (404, 409) for op in mine if op.kind != "create"), number
            continue
        assert len(creates) == 1, f"{number}: {len(creates)} creates answered 201"
        assert len(persons.get(number, [])) == 1, f"{number}: {len(persons.get(number, []))} persons (STAFF-5)"
        pid = persons[number][0]
        history = identities[pid]
        problems += [f"{number}: {p}" for p in identity_problems(history)]

        # Names: every acknowledged one is there, nothing else, in real-time order; the current one is a last one.
        renames = [op for op in mine if op.kind == "rename" and op.ok]
        name_writes = creates + renames
        acked_names = Counter(_name_of(op) for op in name_writes)
        held_names = Counter((i.last_name, i.first_name) for i in history)
        if acked_names != held_names:
            problems.append(f"{number}: identity names {sorted(held_names)} != acknowledged {sorted(acked_names)}")
        order = {(i.last_name, i.first_name): n for n, i in enumerate(history)}
        problems += _check_linearizable(number, name_writes, order)
        current = next((i for i in history if i.is_current), None)
        last_names = {_name_of(op) for op in _maximal(name_writes)}
        if current is None or (current.last_name, current.first_name) not in last_names:
            problems.append(f"{number}: current name {current} is not one of the last acknowledged {last_names}")

        # POS-7: the created position's endDate is the value of a last acknowledged position update.
        puts = [op for op in mine if op.kind == "position_put" and op.ok]
        original = [p for p in positions if p[0] == pid and p[1] == "010"]
        ends = {str(p[3])[:10] if p[3] is not None else None for p in original}
        candidates = {op.value for op in _maximal(puts)} if puts else {None}
        if len(original) != 1 or not ends <= candidates:
            problems.append(f"{number}: position endDate {ends} not one of the last acknowledged {candidates}")

        # POS-6: exactly one added position per acknowledged POST.
        posts = sum(1 for op in mine if op.kind == "position_post" and op.ok)
        added = sum(1 for p in positions if p[0] == pid and p[1] == "020")
        if added != posts:
            problems.append(f"{number}: {added} added positions, {posts} POSTs acknowledged")

        # HH-1/HH-2: one open location, at the address of a last acknowledged create/move.
        moves = [op for op in mine if op.kind == "move" and op.ok]
        where = creates + moves
        wanted = {address_ids[op.value[1] if op.kind == "create" else op.value] for op in _maximal(where)}
        held = open_by_person.get(pid, [])
        if len(held) != 1 or held[0] not in wanted:
            problems.append(f"{number}: open household locations at {held}, expected one of {wanted}")

    assert not problems, "\n".join(problems[:30])
    statuses_seen = {status for _, status in statuses}
    assert not {s for s in statuses_seen if s >= 500}
