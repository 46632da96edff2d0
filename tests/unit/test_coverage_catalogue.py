"""MOCK-11: the coverage catalogue agrees with docs/contract.md, the rule codes the services fire and the routes.

One source: `boi_mock.domain.coverage` lists the rules a BOI call can fire, the error codes and the operations;
these tests fail when the contract, the code or the app grows something the catalogue does not know.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from boi_mock.api.openapi_catalog import OPERATIONS as OPENAPI_OPERATIONS
from boi_mock.domain import coverage as catalogue
from boi_mock.domain.coverage_howto import HOW_TO
from boi_mock.main import BOI_PREFIX

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
SOURCE = ROOT / "src" / "boi_mock"
RULE_LINE = re.compile(r"^- ([A-Z]+-\d+) ", re.MULTILINE)


def _contract_rule_ids() -> list[str]:
    return RULE_LINE.findall(CONTRACT)


def test_mock11_every_catalogue_rule_is_a_rule_of_the_contract_and_no_boi_rule_is_missing() -> None:
    stated = _contract_rule_ids()
    assert len(catalogue.RULE_IDS) == len(set(catalogue.RULE_IDS))
    unknown = sorted(set(catalogue.RULE_IDS) - set(stated))
    assert not unknown, f"the coverage catalogue lists rules docs/contract.md does not state: {unknown}"
    assert not set(catalogue.RULE_IDS) & set(catalogue.NOT_FIRED_BY_BOI_CALLS)
    # Every rule of the vendor's API (§1-§8) is either in the catalogue or said not to be fired by BOI calls;
    # the mock's own (MOCK) and the Campus UI's Combine Person (COMBINE) are never fired by a BOI call.
    boi_rules = [rule for rule in stated if not rule.startswith(("MOCK-", "COMBINE-"))]
    missing = sorted(set(boi_rules) - set(catalogue.RULE_IDS) - set(catalogue.NOT_FIRED_BY_BOI_CALLS))
    assert not missing, f"rules of docs/contract.md neither in the coverage catalogue nor excluded: {missing}"
    stale = sorted(set(catalogue.NOT_FIRED_BY_BOI_CALLS) - set(stated))
    assert not stale, f"excluded rules docs/contract.md does not state: {stale}"
    assert [rule for rule in stated if rule in catalogue.RULE_IDS] == list(catalogue.RULE_IDS), \
        "the catalogue keeps the contract's order"
    said = re.search(r"a BOI call can fire — (\d+) of them", CONTRACT)
    assert said is not None and int(said.group(1)) == len(catalogue.RULES), "contract §9 states the rule total"


def test_mock11_every_rule_code_the_services_fire_is_a_catalogue_rule() -> None:
    fired: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        fired.update(re.findall(r'(?:fire|rules\.append)\(f?"([A-Z]+-\d+)\b', text))
        fired.update(re.findall(r'"([A-Z]+-\d+) [a-z][^"]*"', text) if "fire(" in text else [])
    fired.discard("COMBINE-1")  # the Campus UI's Combine Person fires COMBINE (not a BOI call)
    fired = {rule for rule in fired if not rule.startswith("COMBINE")}
    assert {"STAFF-5", "IDENT-1", "POS-7", "SYNC-6", "HH-2", "ADDR-5", "NOTE-1"} <= fired, "the scan finds them"
    unknown = sorted(fired - set(catalogue.RULE_IDS))
    assert not unknown, f"rule codes fired by BOI calls but missing from the coverage catalogue: {unknown}"


def test_mock11_every_rule_has_a_title_a_section_and_one_sentence_on_how_to_exercise_it() -> None:
    assert set(HOW_TO) == set(catalogue.RULE_IDS)
    for rule in catalogue.RULES:
        assert rule.title and "\n" not in rule.title, rule.id
        assert rule.section in catalogue.SECTIONS, rule.id
        sentence = HOW_TO[rule.id]
        assert sentence.endswith(".") and sentence.count(". ") == 0, f"{rule.id}: one sentence"


def test_mock11_error_codes_are_the_contracts() -> None:
    section = CONTRACT.split("## Error codes", 1)[1]
    retired = set(re.findall(r"Retired: `(\w+)`", section))
    stated = set(re.findall(r"`([a-z_]+)`", section)) - retired
    assert retired == {"use_submit_commit_job"}
    assert set(catalogue.ERROR_CODES) | set(catalogue.NOT_BOI_ERROR_CODES) == stated
    assert not set(catalogue.ERROR_CODES) & set(catalogue.NOT_BOI_ERROR_CODES)


def test_mock11_operations_are_the_operations_of_the_boi_openapi_document(client: TestClient) -> None:
    document = client.get(BOI_PREFIX + "/openapi.json")
    assert document.status_code == 200
    documented = [(method.upper(), path.removeprefix(BOI_PREFIX))
                  for path, item in document.json()["paths"].items() if path.startswith(BOI_PREFIX + "/")
                  for method in item if method in ("get", "post", "put", "delete", "patch")]
    assert sorted(documented) == sorted(catalogue.OPERATIONS)
    assert set(OPENAPI_OPERATIONS) == set(catalogue.OPERATIONS)  # the OpenAPI catalogue's notes cover each


def test_mock11_a_path_is_matched_to_its_operation_template() -> None:
    assert catalogue.operation_of("GET", "/campus/api/businessOfficeIntegration/staffMembers/sync/status") == \
        ("GET", "/staffMembers/sync/status")
    assert catalogue.operation_of("GET", "/apps/x/campus/api/businessOfficeIntegration/staffMembers/10058") == \
        ("GET", "/staffMembers/{staffNumber}")
    assert catalogue.operation_of("POST", "/campus/api/businessOfficeIntegration/staffMembers/sync/position") == \
        ("POST", "/staffMembers/{staffNumber}/position")
    assert catalogue.operation_of("DELETE", "/campus/api/businessOfficeIntegration/staffMembers/1") is None
    assert catalogue.operation_of("GET", "/campus/api/businessOfficeIntegration/nothing") is None


def _fired(**facts: object) -> set[str]:
    defaults: dict[str, object] = {"method": "POST", "path": "/campus/api/businessOfficeIntegration/staffMembers",
                                   "status": 201, "rules": [], "error_code": None, "request_body": None,
                                   "response_body": None}
    found = catalogue.facts_of(**{**defaults, **facts})  # type: ignore[arg-type]
    fired = {key for kind, key, _ in catalogue.observe(found) if kind == catalogue.RULE_KIND}
    assert fired == {rule.id for rule in catalogue.RULES if rule.fired_by(found)}, "the index asks every rule"
    return fired


def test_mock11_a_call_counts_for_the_rules_its_codes_errors_and_bodies_show() -> None:
    assert _fired(rules=["STAFF-5", "ADDR-5 exact match", "HH-4 defaults"]) == {
        "STAFF-5", "ADDR-5", "ADDR-4", "HH-4"}
    assert _fired(rules=["SYNC-6", "SYNC-6 advice: use submitCommitJob"], path="/x/staffMembers/sync/commit") == {
        "SYNC-6"}
    problem = (b'{"code": "invalid_request", "errors": [{"field": "[2].ssn", "code": "invalid_value"},'
               b' {"field": "[0].positions[1].schoolNumber", "code": "unknown_school"}]}')
    assert _fired(status=400, path="/x/api/businessOfficeIntegration/staffMembers/sync/transfer",
                  response_body=problem) == {"STAFF-1", "POS-2", "ERR-1"}
    assert _fired(status=401, error_code="invalid_token") == {"AUTH-3", "ERR-1"}
    late = (b'{"staffNumber": "1", "positions": [{"schoolNumber": "010", "startDate": "2024-02-01",'
            b' "endDate": "2024-01-01"}]}')
    assert "POS-4" in _fired(request_body=late)
    assert "POS-4" not in _fired(request_body=late, status=400)
    assert "POS-4" not in _fired(request_body=late.replace(b"2024-01-01", b"2025-01-01"))
    read = "/campus/api/businessOfficeIntegration/staffMembers"
    assert _fired(method="GET", path=read, status=200, response_body=b'[{"isStaff":false}]') == {"STAFF-3", "STAFF-7"}
    assert _fired(method="GET", path=read, status=200, response_body=b'[{"isStaff":true}]') == {"STAFF-3"}
    commit = b'{"succeeded": [], "failed": [{"staffNumber": "1", "code": "duplicate_campus_staff_number"}]}'
    assert "SYNC-6" in _fired(path="/x/api/businessOfficeIntegration/staffMembers/sync/commit", status=200,
                              response_body=commit)
    assert _fired(status=404, method="GET", path=read + "/1", error_code="staff_not_found") == {"STAFF-4", "ERR-1"}
    assert _fired(status=404, method="PUT", path=read + "/1", error_code="staff_not_found") == {"STAFF-6", "ERR-1"}
    assert _fired(status=400, response_body=b'{"code": "unparseable_address", "errors": [') >= {"ERR-1"}
    job = b'{"jobID": 1, "status": "COMPLETED", "total": 2, "processed": 2, "succeeded": 1, "failed": 1}'
    assert _fired(method="GET", path="/x/api/businessOfficeIntegration/staffMembers/sync/commitJobStatus",
                  status=200, response_body=job) == {"SYNC-7"}, "a job's `failed` is a count, not a list"
    member = b'{"staffNumber": "1", "failed": [{"code": "staff_exists"}], "errors": [{"code": "unknown_school"}]}'
    assert _fired(response_body=member) == set(), "a staff member's own answer is not read for codes"
