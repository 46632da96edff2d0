"""A vendor's tests of `push_staff` against boi-mock, with the boi-mock pytest plugin.

    pip install boi-mock          # brings the plugin (entry point) and boi_mock.client
    pytest examples/test_hr_push.py
"""

from __future__ import annotations

import httpx
import pytest
from hr_push import push_staff

from boi_mock.client import BoiApiError, BoiClient
from boi_mock.testing.district import BoiDistrict

PAT = {"staffNumber": "90001", "lastName": "Simpson", "firstName": "Pat", "gender": "F",
       "positions": [{"schoolNumber": "010", "assignmentCode": "20", "startDate": "2024-08-01"}]}


def test_new_staff_member_is_created(boi_district: BoiDistrict) -> None:
    created = push_staff(boi_district.client, PAT)
    assert created.is_staff and created.positions[0].school_number == "010"
    boi_district.assert_called("POST", "/staffMembers", times=1, status=201)


def test_existing_staff_member_is_updated(boi_district: BoiDistrict) -> None:
    push_staff(boi_district.client, PAT)
    updated = push_staff(boi_district.client, {**PAT, "workEmail": "pat@school.k12.mo.us"})
    assert updated.work_email == "pat@school.k12.mo.us"
    boi_district.assert_called("PUT", "/staffMembers/90001", times=1)


def test_a_503_is_retried(boi_district: BoiDistrict) -> None:
    boi_district.add_fault(method="POST", path="/staffMembers", status=503, times=1,
                           headers={"Retry-After": "0"})
    push_staff(boi_district.client, PAT)
    assert [e.status for e in boi_district.calls("POST", "/staffMembers")] == [503, 201]


def test_a_dropped_connection_is_retried(boi_district: BoiDistrict) -> None:
    boi_district.add_fault(method="POST", path="/staffMembers", drop_connection=True, times=1)
    push_staff(boi_district.client, PAT)
    assert [e.status for e in boi_district.calls("POST", "/staffMembers")] == [0, 201]  # 0: no answer


class LateFirstCreate(httpx.BaseTransport):
    """The first POST /staffMembers times out on the client's side and reaches Campus only at `deliver()`.

    What a server slower than the client's timeout does, with the order fixed by the test instead of
    a race between a timer and the machine: the client gives up, retries, and the original lands later.
    """

    def __init__(self, transport: httpx.BaseTransport | None) -> None:
        self.transport = transport or httpx.HTTPTransport()
        self.held: httpx.Request | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.held is None and request.method == "POST" and request.url.path.endswith("/staffMembers"):
            self.held = request
            raise httpx.ReadTimeout("timed out", request=request)
        return self.transport.handle_request(request)

    def deliver(self) -> httpx.Response:
        assert self.held is not None, "no request was held"
        response = self.transport.handle_request(self.held)
        response.read()
        return response


def test_a_timeout_is_retried_and_the_late_original_still_lands(boi_district: BoiDistrict) -> None:
    # A client of the test's own: `transport` reaches the plugin's server however it runs.
    late = LateFirstCreate(boi_district.transport)
    with BoiClient(boi_district.base_url, boi_district.app_name, boi_district.client_id,
                   boi_district.client_secret, transport=late) as client:
        push_staff(client, PAT)  # the first POST timed out: retried
    original = late.deliver()  # the timed-out original still reaches Campus, after the retry created Pat
    assert (original.status_code, original.json()["code"]) == (409, "staff_exists")
    assert [e.status for e in boi_district.calls("POST", "/staffMembers")] == [201, 409]


def test_bad_data_is_not_retried(boi_district: BoiDistrict) -> None:
    bad = {**PAT, "positions": [{"schoolNumber": "999", "assignmentCode": "20", "startDate": "2024-08-01"}]}
    with pytest.raises(BoiApiError) as caught:
        push_staff(boi_district.client, bad)
    assert caught.value.field_codes() == {"positions[0].schoolNumber": "unknown_school"}
    boi_district.assert_called("POST", "/staffMembers", times=1, status=400)
    assert boi_district.error_log()[0].code == "unknown_school"  # the Business Office Error Log (ERR-1)


def test_a_name_change_on_a_frozen_date(boi_district: BoiDistrict) -> None:
    boi_district.freeze_clock("2026-03-02")
    push_staff(boi_district.client, PAT)
    boi_district.freeze_clock("2026-04-10")
    push_staff(boi_district.client, {**PAT, "lastName": "Jones"})
    identities = boi_district.staff_view("90001")["identities"]  # what Campus holds (MOCK-4)
    assert [(i["lastName"], i["startDate"], i["endDate"]) for i in identities] == [
        ("Simpson", "2026-03-02", "2026-04-09"), ("Jones", "2026-04-10", None)]


def test_an_expired_token_is_renewed(boi_district: BoiDistrict) -> None:
    push_staff(boi_district.client, PAT)
    boi_district.advance_clock(3600)  # the token's lifetime, without waiting an hour
    push_staff(boi_district.client, {**PAT, "cellPhone": "4175550100"})
    assert [e.status for e in boi_district.calls()][-3:] == [401, 409, 200]  # POST: 401, then 409, then PUT


@pytest.mark.boi_scenario({"schools": [{"schoolNumber": "100", "name": "North High"}],
                           "assignmentCodes": [{"code": "20", "name": "Teacher"}]})
def test_with_a_scenario_of_its_own(boi_district: BoiDistrict) -> None:
    member = {**PAT, "gender": None, "positions": [{"schoolNumber": "100", "assignmentCode": "20",
                                                    "startDate": "2024-08-01"}]}
    assert push_staff(boi_district.client, member).positions[0].school_number == "100"


def test_a_client_of_your_own_goes_through_the_plugins_transport(boi_district: BoiDistrict) -> None:
    with httpx.Client(base_url=boi_district.base_url, transport=boi_district.transport) as http:
        answer = http.post("/oauth2/token", params={"appName": boi_district.app_name},
                           data={"grant_type": "client_credentials"},
                           auth=(boi_district.client_id, boi_district.client_secret))
    assert answer.json()["token_type"] == "Bearer"


@pytest.mark.boi_live_server  # this test's boi_district is behind a real socket
def test_code_that_opens_its_own_connections(boi_district: BoiDistrict) -> None:
    answer = httpx.post(boi_district.token_url, data={"grant_type": "client_credentials"},
                        auth=(boi_district.client_id, boi_district.client_secret))
    assert answer.json()["token_type"] == "Bearer"


def test_what_the_push_exercises_of_the_contract(boi_district: BoiDistrict) -> None:
    push_staff(boi_district.client, PAT)
    push_staff(boi_district.client, {**PAT, "lastName": "Jones"})  # 409 staff_exists, then PUT
    coverage = boi_district.coverage()  # MOCK-11: every rule, error code and operation, with hits
    assert coverage.hits("STAFF-5") == 2 and coverage.hits("IDENT-1") == 1
    never = {rule.id for rule in coverage.never()}
    assert "POS-7" in never  # the push never end-dates a position: a gap to test
    create = next(op for op in coverage.operations if (op.method, op.path) == ("POST", "/staffMembers"))
    assert create.statuses == {"201": 1, "409": 1}
