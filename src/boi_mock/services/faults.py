"""Fault rules of a district (toolkit): add, list, clear, and the per-call decision the middleware asks for.

A rule's `hits` column counts the calls it matched (each counted once, atomically, with
UPDATE … RETURNING), so "fire on the first 2 calls" holds under concurrent calls and across
replicas sharing one database. The `body` column holds JSON: {"problem": {...}, "headers": {...}}.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from boi_mock import models as m
from boi_mock.db import Database
from boi_mock.domain import faults as rules
from boi_mock.domain import tokens
from boi_mock.errors import BadRequest, NotFound, Unauthorized
from boi_mock.repositories import districts as district_repo
from boi_mock.services import auth

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


def _app_name(method_path: str, authorization: str | None, query_app_name: str | None) -> str | None:
    if rules.relative_path(method_path) == rules.TOKEN_PATH:
        return query_app_name
    if method_path.startswith("/apps/"):
        return method_path[len("/apps/"):].partition("/")[0]
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return tokens.unverified_audience(token.strip())


def decide(db: Database, key: str, *, method: str, path: str, authorization: str | None,
           query_app_name: str | None) -> Decision | None:
    """The fault to apply to this call, if any; counts the call against every rule it reaches.

    BOI calls are faulted only with a token that is valid for the district: faults are a test
    double for the network and the server, not a way around AUTH-3.
    """
    app_name = _app_name(path, authorization, query_app_name)
    if not app_name or not APP_NAME.fullmatch(app_name):  # never a query with junk (NUL bytes fail on PostgreSQL)
        return None
    with db.unit_of_work(write=False) as session:
        # One indexed query in the common case (no rules for the district): nothing else is read.
        found = list(session.scalars(select(m.FaultRule).join(m.District, m.District.id == m.FaultRule.district_id)
                                     .where(m.District.app_name == app_name).order_by(m.FaultRule.id)))
        candidates = [r for r in found if rules.matches(_spec(r), method, path)]
        if not candidates:
            return None
        if rules.relative_path(path) != rules.TOKEN_PATH:
            try:
                district, _client = auth.authenticate(session, key=key, authorization=authorization)
            except Unauthorized:
                return None
            if district.app_name != app_name:  # /apps/X/… with a token of another district: AUTH-3's 401
                return None
        district_id = candidates[0].district_id
    with db.unit_of_work(write=True) as session:
        for rule in candidates:
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
