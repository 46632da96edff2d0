"""What every use case gets: the request's session, the district, its clock, and a rule trace."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import bindparam, inspect, update
from sqlalchemy.orm import Session

from boi_mock import models as m
from boi_mock.clock import Clock, clock_of

_BUMP_DATA_VERSION = (update(m.District).where(m.District.id == bindparam("district_id"))
                      .values(data_version=m.District.data_version + 1))


@dataclass
class DistrictContext:
    session: Session
    district: m.District
    # Rule codes that fired while serving the request ("IDENT-1", "HH-3 ignored"): the journal shows them.
    rules: list[str] = field(default_factory=list)
    # Who acts, for "Started By" and notifications: the OAuth client or a Campus UI user.
    actor: str = "HR system"

    @property
    def district_id(self) -> int:
        return self.district.id

    @property
    def clock(self) -> Clock:
        return clock_of(self.district)

    def fire(self, rule: str) -> None:
        if rule not in self.rules:
            self.rules.append(rule)

    def campus_changed(self) -> None:
        """Any Campus write: a validated sync is now stale (SYNC-5).

        One `UPDATE … SET data_version = data_version + 1` on the session's connection: the ORM's unit of work
        for this one attribute cost a staff create more than its INSERTs. The attribute is then expired, so
        its next read (the sync commit's) is the database's value, also after a SAVEPOINT rolled back.
        """
        state = inspect(self.district)
        if not state.persistent or "data_version" in state.committed_state:  # new, or changed in memory
            self.district.data_version = (self.district.data_version or 0) + 1
            return
        self.session.connection().execute(_BUMP_DATA_VERSION, {"district_id": self.district.id})
        self.session.expire(self.district, ["data_version"])

