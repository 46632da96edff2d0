"""MOCK-11 in the pytest plugin: `--boi-coverage` prints the session's contract coverage (the union over the
districts it created), `--boi-coverage-json FILE` writes it; under pytest-xdist the workers' unions are merged."""

from __future__ import annotations

import json

# Before any in-process pytester run (see test_plugin.py: modules first imported inside a run are dropped after it).
import httpcore  # noqa: F401
import jose.jwt  # noqa: F401
import pytest
import usaddress  # noqa: F401
from scourgify import address_constants  # noqa: F401

from boi_mock.domain.coverage import RULES
from boi_mock.wire.control import Coverage

pytest_plugins = ["pytester"]
LEAN = ("-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:hypothesispytest", "-p", "no:faker",
        "-p", "no:anyio")

# Four districts: REF-1 in two of them, STAFF-5 and STAFF-2 in one each; the schools list twice in all.
VENDOR_TESTS = '''
import pytest


def test_schools(boi_district):
    assert boi_district.client.schools()


def test_schools_again(boi_district):
    assert boi_district.client.schools()


def test_new_hire(boi_district):
    response = boi_district.http.post("/staffMembers", json={"staffNumber": "77001", "lastName": "Lee",
                                                             "firstName": "Ana"})
    assert response.status_code == 201


def test_unknown_gender(boi_district):
    response = boi_district.http.post("/staffMembers", json={"staffNumber": "77002", "lastName": "Lee",
                                                             "firstName": "Bo", "gender": "Q"})
    assert response.status_code == 400
'''


def _check(result: pytest.RunResult, written: dict[str, object]) -> None:
    result.assert_outcomes(passed=4)
    total = len(RULES)
    coverage = Coverage.model_validate(written)
    assert written["districts"] == 4
    assert coverage.total == total
    assert coverage.hits("REF-1") == 2 and coverage.hits("STAFF-5") == 1 and coverage.hits("STAFF-2") == 1
    assert coverage.hits("ERR-1") == 1 and coverage.hits("SYNC-1") == 0
    assert coverage.exercised == sum(1 for rule in coverage.rules if rule.hits)
    schools = next(op for op in coverage.operations if (op.method, op.path) == ("GET", "/schools"))
    assert schools.statuses == {"200": 2}
    create = next(op for op in coverage.operations if (op.method, op.path) == ("POST", "/staffMembers"))
    assert create.statuses == {"201": 1, "400": 1}
    result.stdout.fnmatch_lines([
        "*boi-mock contract coverage*",
        f"BOI rules exercised: {coverage.exercised} of {total}; never: AUTH-3 *, REF-2 list the genders, *",
        "BOI operations called: 2 of 20; error codes seen: 1 of 28 (districts: 4)",
    ])


def test_mock11_plugin_prints_and_writes_the_union_of_the_sessions_districts(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_vendor=VENDOR_TESTS)
    out = pytester.path / "coverage" / "boi.json"
    result = pytester.runpytest_subprocess(*LEAN, "--boi-coverage", "--boi-coverage-json", str(out))
    _check(result, json.loads(out.read_text(encoding="utf-8")))


def test_mock11_plugin_merges_the_coverage_of_xdist_workers(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_vendor=VENDOR_TESTS)
    out = pytester.path / "boi.json"
    result = pytester.runpytest_subprocess(*LEAN, "-n", "2", "--boi-coverage-json", str(out))
    _check(result, json.loads(out.read_text(encoding="utf-8")))


def test_mock11_plugin_without_the_option_reads_no_coverage(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_vendor=VENDOR_TESTS)
    result = pytester.runpytest_subprocess(*LEAN)
    result.assert_outcomes(passed=4)
    assert "BOI rules exercised" not in result.stdout.str()


def test_mock11_plugin_says_when_no_district_was_created(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_plain="def test_nothing():\n    assert True\n")
    out = pytester.path / "boi.json"
    result = pytester.runpytest_subprocess(*LEAN, "--boi-coverage", "--boi-coverage-json", str(out))
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["BOI coverage: no boi_district was created in this session"])
    assert json.loads(out.read_text(encoding="utf-8"))["districts"] == 0
