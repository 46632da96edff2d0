"""Property-based contract check (schemathesis) over the BOI OpenAPI document, with a valid token.

For every operation, schema-valid and schema-invalid requests (over a thousand in all) against a
real boi-mock: no 5xx, every status documented, content type, body and documented headers
conforming, invalid data rejected, and a call without the token refused (ignored_auth).

Not checked: that schema-valid data is accepted (`positive_data_acceptance`): most BOI rules
(unknown school, staff exists, sync state) cannot be written in a schema, so a schema-valid
request is often rightly a 400/409. And `negative_data_rejection` is enforced for request bodies
only: on query strings it flags values that are valid once on the wire (`?staffNumber=false` is the
string "false") and parameters the operation does not declare, which the BOI API ignores outside
GET /addresses (a decision of the staff search, reported: `?lastname=` silently matches everyone).

Each operation's cases are a plain pytest item driven by hypothesis (`operation.as_strategy`), not
schemathesis' own pytest parametrization, which collapses to one operation under pytest-xdist.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from boi_mock.api.docs import OPENAPI_PATH, boi_openapi
from boi_mock.main import create_app
from boi_mock.settings import Settings
from boi_mock.testing.district import BoiDistrict

# Against a real socket: schemathesis and httpx open their own connections to the server's URL.
pytestmark = pytest.mark.boi_live_server

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance, negative_data_rejection, ignored_auth]
LENIENT_CHECKS = [check for check in CHECKS if check is not negative_data_rejection]
EXAMPLES = {GenerationMode.POSITIVE: 60, GenerationMode.NEGATIVE: 50}
CASES: Counter[str] = Counter()
STATUSES: Counter[int] = Counter()
MIN_CASES = 1000

# The document is built from the app's routes alone (no database), so it is known at collection time;
# the served copy is checked to be the same one.
DOCUMENT = boi_openapi(create_app(Settings(database_url="sqlite://", seed_on_start=False, run_worker=False)))
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT)
OPERATIONS = [(method.upper(), path, bool(op.get("parameters") or op.get("requestBody")))
              for path, item in DOCUMENT["paths"].items() for method, op in item.items()]
RUNS = [pytest.param(method, path, mode, id=f"{method} {path.split('/campus')[-1]} {mode.value}")
        for method, path, has_input in OPERATIONS for mode in EXAMPLES
        if has_input or mode is GenerationMode.POSITIVE]


def test_served_document_is_the_one_tested(boi_district: BoiDistrict) -> None:
    assert httpx.get(boi_district.control.server_url + OPENAPI_PATH).json() == DOCUMENT


@pytest.mark.slow
@pytest.mark.parametrize(("method", "path", "mode"), RUNS)
def test_boi_api_conforms_to_its_openapi_document(method: str, path: str, mode: GenerationMode,
                                                  boi_district: BoiDistrict) -> None:
    operation = SCHEMA[path][method]
    server = boi_district.control.server_url
    checks = CHECKS if "requestBody" in DOCUMENT["paths"][path][method.lower()] else LENIENT_CHECKS

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES[mode], deadline=None, suppress_health_check=list(HealthCheck),
              derandomize=True, database=None)
    def run(case: Any) -> None:
        token = boi_district.client.auth.token or boi_district.token()
        response = case.call_and_validate(base_url=server, headers={"Authorization": f"Bearer {token}"},
                                          checks=checks)
        CASES[f"{method} {path}"] += 1
        STATUSES[response.status_code] += 1

    run()


@pytest.mark.slow
def test_enough_cases_ran_across_all_operations() -> None:
    if not CASES:
        pytest.skip("runs after test_boi_api_conforms_to_its_openapi_document, in the same process")
    total = sum(CASES.values())
    print(f"\nschemathesis: {total} cases over {len(CASES)} operations; statuses {dict(sorted(STATUSES.items()))}")
    for operation, count in sorted(CASES.items()):
        print(f"  {count:5}  {operation}")
    assert set(CASES) == {f"{method} {path}" for method, path, _ in OPERATIONS}
    assert total >= MIN_CASES


def test_a_number_is_not_a_date(boi_district: BoiDistrict) -> None:
    """Found by this suite: a JSON number or a numeric query value was taken as a Unix-time date."""
    response = boi_district.http.post("/staffMembers", json={"staffNumber": "1", "lastName": "A", "firstName": "B",
                                                             "birthdate": 0})
    assert response.status_code == 400
    assert boi_district.http.get("/staffMembers", params={"birthdate": "0"}).status_code == 400


def test_405_allow_header_lists_every_method_of_the_path(boi_district: BoiDistrict) -> None:
    """Found by this suite: a 405's Allow named only the first route's method."""
    response = boi_district.http.request("OPTIONS", "/staffMembers/10058")
    assert response.status_code == 405
    assert set(response.headers["allow"].replace(" ", "").split(",")) == {"GET", "PUT"}


def test_nul_byte_in_the_staff_search_is_no_server_error(boi_district: BoiDistrict) -> None:
    """Found by this suite on PostgreSQL: a NUL in a parameter reached a text comparison (now 400 at the door)."""
    for name in ("staffNumber", "lastName", "firstName"):
        assert boi_district.http.get("/staffMembers", params={name: "a\x00"}).status_code == 400, name
    assert boi_district.http.get("/staffMembers/a%00b").status_code == 400


def test_nul_byte_in_app_name_or_token_audience_is_no_server_error(boi_district: BoiDistrict) -> None:
    """Found by this suite on PostgreSQL: the appName / token `aud` was looked up as given (now never queried)."""
    from jose import jwt

    token = boi_district.http.post(boi_district.base_url + "/oauth2/token", params={"appName": "a\x00b"},
                                   data={"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"})
    assert token.status_code == 401
    forged = jwt.encode({"aud": "a\x00b", "sub": "x"}, "key", algorithm="HS256")
    response = httpx.get(boi_district.base_url + "/api/businessOfficeIntegration/schools",
                         headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
