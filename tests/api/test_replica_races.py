"""Races lost at the database answer as the contract says, on SQLite and PostgreSQL alike (issue 15).

The three-replica test (tests/reliability/test_replicas.py) makes the races happen for real on PostgreSQL;
these tests produce the database's own errors directly, on whichever database the suite runs, and check
the answer the unit of work turns them into.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from boi_mock import models as m
from boi_mock.clock import utcnow
from boi_mock.errors import Conflict, NotFound
from boi_mock.repositories import districts as district_repo
from boi_mock.services import races
from tests.api.sync_support import db_of, district_id
from tests.support import District


def _integrity_error(district: District, add: object) -> IntegrityError:
    with pytest.raises(IntegrityError) as caught, db_of(district).unit_of_work() as session:
        session.add(add)
        session.flush()
    return caught.value


def test_mock2_a_lost_app_name_race_is_409_district_exists(district: District) -> None:
    twin = m.District(app_name=district.app_name, client_id="boi-twin", client_secret="s", secret_version=1,
                      data_version=0, created_at=utcnow(), scenario={})
    answer = races.contract_error(_integrity_error(district, twin))
    assert isinstance(answer, Conflict) and (answer.status, answer.code) == (409, "district_exists")


def test_a_row_pointing_at_a_deleted_district_is_404_district_not_found(district: District) -> None:
    orphan = m.School(district_id=2_000_000_000, school_number="999", name="Nowhere")
    answer = races.contract_error(_integrity_error(district, orphan))
    assert isinstance(answer, NotFound) and (answer.status, answer.code) == (404, "district_not_found")


def test_the_district_lock_rechecks_the_row_it_locks(district: District) -> None:
    """Authenticated, then deleted by another call before the lock: the lock answers 404, nothing is written."""
    with db_of(district).unit_of_work() as session:
        district_repo.lock(session, district_id(district))  # still there: locks quietly
        with pytest.raises(NotFound) as caught:
            district_repo.lock(session, 2_000_000_000)
    assert caught.value.code == "district_not_found"


def test_mock2_the_control_api_answers_a_taken_app_name_409(district: District) -> None:
    response = district.client.post("/_mock/districts", json={"appName": district.app_name})
    assert (response.status_code, response.json()["code"]) == (409, "district_exists")
    with db_of(district).unit_of_work(write=False) as session:
        assert len(session.scalars(select(m.District).where(m.District.app_name == district.app_name)).all()) == 1
