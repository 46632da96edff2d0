"""District lifecycle (MOCK-2, MOCK-3, MOCK-6, MOCK-7): create, reset, delete, preferences, secret.

The clock's controls (MOCK-8) are `services.clock`."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from boi_mock import models as m
from boi_mock.clock import Clock, clock_of
from boi_mock.domain.tokens import secret_fingerprint
from boi_mock.errors import Conflict, NotFound
from boi_mock.repositories import districts as repo
from boi_mock.schemas.scenario import Preferences, Scenario
from boi_mock.services import scenarios

# Fingerprints of replaced secrets a district remembers (only to explain a refused token request).
RETIRED_SECRETS_KEPT = 10

LOCK_FIELDS = {
    "staffCreation": "lock_staff_creation",
    "staffNumber": "lock_staff_number",
    "staffDemographics": "lock_staff_demographics",
    "staffEmployment": "lock_staff_employment",
    "staffEmploymentAssignments": "lock_staff_employment_assignments",
    "staffHousehold": "lock_staff_household",
}


@dataclass(frozen=True)
class Credentials:
    app_name: str
    client_id: str
    client_secret: str
    token_url: str
    base_url: str

    def as_dict(self) -> dict[str, str]:
        return {"appName": self.app_name, "clientId": self.client_id, "clientSecret": self.client_secret,
                "tokenUrl": self.token_url, "baseUrl": self.base_url}


def new_secret() -> str:
    """40 URL-safe characters that never start with '-': a leading '-' reads as an option to command-line
    tools (`boi-mock sync --client-secret -x…` fails with argparse's "expected one argument")."""
    while True:
        secret = secrets.token_urlsafe(30)
        if not secret.startswith("-"):
            return secret


def credentials(district: m.District, server_url: str) -> Credentials:
    return Credentials(
        app_name=district.app_name, client_id=district.client_id, client_secret=district.client_secret,
        token_url=f"{server_url}/campus/oauth2/token?appName={district.app_name}", base_url=f"{server_url}/campus",
    )


def get(session: Session, app_name: str) -> m.District:
    district = repo.by_app_name(session, app_name)
    if district is None:
        raise NotFound(f"District {app_name!r} does not exist", code="district_not_found")
    return district


def lock(session: Session, district_id: int) -> None:
    """The district's write lock, held to the end of the caller's unit of work (`repositories.districts.lock`:
    a district deleted meanwhile is 404 `district_not_found`)."""
    repo.lock(session, district_id)


def get_for_update(session: Session, app_name: str) -> m.District:
    """The district, write-locked for the rest of the caller's unit of work."""
    district = get(session, app_name)
    repo.lock(session, district.id)
    return district


def list_all(session: Session) -> list[m.District]:
    return list(session.scalars(select(m.District).order_by(m.District.app_name)))


def _apply_preferences(district: m.District, prefs: Preferences | None) -> None:
    if prefs is None:
        return
    if prefs.allow_household_updates is not None:
        district.allow_household_updates = prefs.allow_household_updates
    if prefs.strict_unknown_properties is not None:
        district.strict_unknown_properties = prefs.strict_unknown_properties
    if prefs.locks is not None:
        for column in LOCK_FIELDS.values():
            attr = column.removeprefix("lock_")
            setattr(district, column, getattr(prefs.locks, attr))


def preferences(district: m.District) -> dict[str, object]:
    return {
        "allowHouseholdUpdates": district.allow_household_updates,
        "strictUnknownProperties": district.strict_unknown_properties,
        "locks": {wire: getattr(district, column) for wire, column in LOCK_FIELDS.items()},
    }


def _reset_settings(district: m.District, scenario: Scenario) -> None:
    district.token_lifetime_seconds = scenario.token_lifetime_seconds
    district.frozen_today = scenario.today
    district.clock_offset_seconds = scenario.clock_offset_seconds or 0
    district.allow_household_updates = True
    district.strict_unknown_properties = True
    for column in LOCK_FIELDS.values():
        setattr(district, column, True)
    _apply_preferences(district, scenario.preferences)
    # Caps the scenario gives (ERR-1, MOCK-9); without them the district keeps what the control API set.
    if scenario.journal_cap is not None:
        district.journal_cap = scenario.journal_cap
    if scenario.error_log_cap is not None:
        district.error_log_cap = scenario.error_log_cap


def create(session: Session, scenario: Scenario) -> m.District:
    app_name = scenario.app_name or f"test-{secrets.token_hex(4)}"
    if repo.by_app_name(session, app_name) is not None:
        raise Conflict(f"District {app_name!r} already exists", code="district_exists")
    district = m.District(
        app_name=app_name,
        client_id=scenario.client_id or f"boi-{secrets.token_hex(8)}",
        client_secret=scenario.client_secret or new_secret(),
        secret_version=1, data_version=0, created_at=Clock(frozen_today=scenario.today).now(),
        scenario=scenario.model_dump(mode="json", by_alias=True, exclude_none=True),
    )
    _reset_settings(district, scenario)
    session.add(district)
    session.flush()
    scenarios.load(session, district, scenario)
    return district


def reset(session: Session, district: m.District, scenario: Scenario | None) -> m.District:
    """Back to the scenario (the stored one, or a new one), credentials kept (MOCK-3)."""
    repo.lock(session, district.id)
    if scenario is None:
        scenario = Scenario.model_validate(district.scenario)
    else:
        district.scenario = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    repo.delete_data(session, district.id, include_logs=False)
    _reset_settings(district, scenario)
    district.data_version = (district.data_version or 0) + 1
    session.flush()
    scenarios.load(session, district, scenario)
    return district


def remove(session: Session, district: m.District) -> None:
    repo.lock(session, district.id)
    repo.delete_data(session, district.id, include_logs=True)
    session.execute(delete(m.District).where(m.District.id == district.id))


def update_preferences(session: Session, district: m.District, prefs: Preferences) -> m.District:
    repo.lock(session, district.id)
    _apply_preferences(district, prefs)
    return district


def rotate_secret(session: Session, district: m.District, chosen: str | None = None) -> m.District:
    """AUTH-4: the old secret and every token issued before now stop working. `chosen`: the new secret
    (MOCK-13, already checked against `domain.tokens.CLIENT_SECRET_RULE`); None: a generated one."""
    repo.lock(session, district.id)
    now = clock_of(district).now()
    # The replaced secret's fingerprint (never the secret): a token request with it is logged as "rotated" (AUTH-2).
    retired = [*(district.retired_secrets or []),
               {"fingerprint": secret_fingerprint(district.token_binding, district.client_secret),
                "retiredAt": now.isoformat()}]
    district.retired_secrets = retired[-RETIRED_SECRETS_KEPT:]
    district.client_secret = chosen or new_secret()
    district.secret_version += 1
    district.secret_rotated_at = now
    return district


def scenario_secret(district: m.District) -> str | None:
    """The client secret the district's scenario gave (None: the scenario had none, the first one was generated)."""
    secret = (district.scenario or {}).get("clientSecret")
    return secret if isinstance(secret, str) and secret else None


def restore_scenario_secret(session: Session, district: m.District) -> m.District:
    """MOCK-13 restore: the secret back to the scenario's (the demo district's README secret, for the next class).

    A rotation like any other (AUTH-4): every token issued before now stops working, even when the current secret
    already is the scenario's. The client ID never changes (no rotation touches it), so it needs no restoring.
    """
    secret = scenario_secret(district)
    if secret is None:
        raise Conflict(f"District {district.app_name!r} was created from a scenario without a clientSecret (its "
                       "secret was generated): there is no scenario secret to restore. Set a chosen one with "
                       "POST /_mock/districts/{appName}/secret {\"clientSecret\": …}", code="no_scenario_secret")
    return rotate_secret(session, district, secret)


def reset_all(session: Session, seed: list[tuple[str, Scenario]]) -> tuple[list[str], list[m.District]]:
    """MOCK-14: every district deleted (locked one by one, in id order), then the seed scenarios created again.
    Returns the deleted appNames and the districts created."""
    deleted = []
    for district in session.scalars(select(m.District).order_by(m.District.id)).all():
        deleted.append(district.app_name)
        remove(session, district)
    session.flush()
    created = [create(session, scenario.model_copy(update={"app_name": name})) for name, scenario in seed]
    return deleted, created


def select_one() -> Select[int]:
    """A trivial statement proving the database answers (MOCK-1)."""
    return select(m.District.id).limit(1)
