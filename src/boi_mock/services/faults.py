"""Fault rules of a district (toolkit): add, list, clear, and the per-call decision the BOI pipeline asks for.

A rule's `hits` column counts the calls it matched (each counted once, atomically, with
UPDATE … RETURNING), so "fire on the first 2 calls" holds under concurrent calls and across
replicas sharing one database. The `body` column holds JSON: {"problem": {...}, "headers": {...}}.
"""

from __future__ import annotations

import functools
import json
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, bindparam, delete, exists, select, update
from sqlalchemy.orm import Session

from boi_mock import models as m
from boi_mock.domain import faults as rules
from boi_mock.errors import BadRequest, NotFound
from boi_mock.repositories import districts as district_repo

APP_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")  # as the scenario document allows


@dataclass(frozen=True)
class NewFault:
    method: str | None = None
    path: str | None = None
    status: int | None = None
    problem: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_ms: int = 0
    times: int | None = None
    probability: float | None = None
    seed: int | None = None
    drop_connection: bool = False


@dataclass(frozen=True)
class Decision:
    """What the middleware does to one call: wait `delay_ms`, then drop, answer `status`, or pass through."""

    rule_id: int
    district_id: int
    delay_ms: int
    status: int | None
    problem: dict[str, Any] | None
    headers: dict[str, str]
    drop_connection: bool


def _spec(rule: m.FaultRule) -> rules.FaultSpec:
    return rules.FaultSpec(id=rule.id, method=rule.method, path=rule.path, times=rule.times,
                           probability=rule.probability, seed=rule.seed)


def _extras(rule: m.FaultRule) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(rule.body) if rule.body else {}
    return loaded


def add(session: Session, district: m.District, new: NewFault) -> m.FaultRule:
    if new.status is None and not new.drop_connection and not new.delay_ms:
        raise BadRequest("A fault needs at least one of status, delayMs or dropConnection", code="invalid_value")
    if new.status is not None and new.drop_connection:
        raise BadRequest("status and dropConnection exclude each other: a dropped connection sends no status",
                         code="invalid_value")
    if new.times is not None and new.probability is not None:
        raise BadRequest("Give times or probability, not both", code="invalid_value")
    if new.problem is not None and new.status is None:
        raise BadRequest("A problem body needs a status", code="invalid_value")
    seed = new.seed
    if new.probability is not None and seed is None:
        seed = secrets.randbelow(2**31)  # reported back, so a failing run can be replayed with it
    district_repo.lock(session, district.id)
    rule = m.FaultRule(
        district_id=district.id, method=new.method.upper() if new.method else None, path=new.path,
        status=new.status, delay_ms=new.delay_ms, times=new.times, probability=new.probability, seed=seed,
        drop_connection=new.drop_connection, hits=0,
        body=json.dumps({"problem": new.problem, "headers": new.headers}),
    )
    session.add(rule)
    session.flush()
    return rule


def list_rules(session: Session, district_id: int) -> list[m.FaultRule]:
    return list(session.scalars(select(m.FaultRule).where(m.FaultRule.district_id == district_id)
                                .order_by(m.FaultRule.id)))


def clear(session: Session, district_id: int) -> int:
    result = session.execute(delete(m.FaultRule).where(m.FaultRule.district_id == district_id))
    return int(getattr(result, "rowcount", 0) or 0)


def remove(session: Session, district_id: int, rule_id: int) -> None:
    rule = session.get(m.FaultRule, rule_id)
    if rule is None or rule.district_id != district_id:
        raise NotFound(f"Fault rule {rule_id} does not exist in this district", code="fault_not_found")
    session.delete(rule)


def row(rule: m.FaultRule) -> dict[str, Any]:
    extras = _extras(rule)
    spec = _spec(rule)
    fired = rules.fired_count(spec, rule.hits)
    return {
        "id": rule.id, "method": rule.method, "path": rule.path, "status": rule.status,
        "body": extras.get("problem"), "headers": extras.get("headers") or {}, "delayMs": rule.delay_ms,
        "times": rule.times, "probability": rule.probability, "seed": rule.seed,
        "dropConnection": rule.drop_connection, "matched": rule.hits, "fired": fired,
        "remaining": None if rule.times is None else max(rule.times - fired, 0),
    }


@functools.cache
def _district_and_armed() -> Select[m.District, bool]:
    """Built once: composing the statement on every call cost about as much as running it."""
    armed = exists().where(m.FaultRule.district_id == m.District.id)
    return select(m.District, armed).where(m.District.app_name == bindparam("app_name"))


def district_and_armed(session: Session, app_name: str) -> tuple[m.District | None, bool]:
    """The district named `app_name` and whether it has fault rules, in the one query that loads it.

    The marker every replica sees is the district's fault_rule rows themselves (an EXISTS on the indexed
    district_id): a district without rules costs no further query on any call.
    """
    found = session.execute(_district_and_armed(), {"app_name": app_name}).first()
    if found is None:
        return None, False
    district, has_rules = found
    return district, bool(has_rules)


def decide_for(session: Session, district_id: int, *, method: str, path: str) -> Decision | None:
    """The fault to apply to this call of an (authenticated) district, if any; counts it against every rule it reaches.

    Only flushes: the caller commits the hit counts in a transaction of their own, so a call that then
    fails (an injected 503 is a failure) still counts against "fire on the first N calls".
    """
    found = list_rules(session, district_id)
    for rule in (r for r in found if rules.matches(_spec(r), method, path)):
        matched = session.execute(
            update(m.FaultRule).where(m.FaultRule.id == rule.id).values(hits=m.FaultRule.hits + 1)
            .returning(m.FaultRule.hits)).scalar_one_or_none()
        if matched is None:  # cleared meanwhile
            continue
        if rules.fires(_spec(rule), matched - 1):
            extras = _extras(rule)
            return Decision(rule_id=rule.id, district_id=district_id, delay_ms=rule.delay_ms,
                            status=rule.status, problem=extras.get("problem"),
                            headers=dict(extras.get("headers") or {}), drop_connection=rule.drop_connection)
    return None

