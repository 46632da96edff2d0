"""docs/rules.md is the rule → tests table of docs/contract.md (the spec).

Every rule of docs/contract.md has a row naming its tests, every row is a rule of the contract, and every
test named exists. docs/contract.md is in the repository, so these checks run in every clone (never skipped).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULES = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
CONTRACT = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
# A rule of docs/contract.md is a list item that starts with its ID: "- POS-7 `PUT …`".
# Rules still to come are written "* MOCK-11 …" and are not checked until they land.
RULE_LINE = re.compile(r"^- ([A-Z]+-\d+) ", re.MULTILINE)
ROW = re.compile(r"^\| ([A-Z]+-\d+) \|.*\|(.*)\|\s*$", re.MULTILINE)


def _test_names() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        names.update(re.findall(r"^\s*(?:async )?def (test_\w+)", path.read_text(encoding="utf-8"), re.MULTILINE))
    return names


def _contract_ids() -> list[str]:
    return RULE_LINE.findall(CONTRACT)


def test_every_test_named_in_rules_md_exists() -> None:
    named = set(re.findall(r"`(test_\w+)`", RULES))
    missing = sorted(named - _test_names())
    assert not missing, f"docs/rules.md names tests that do not exist: {missing}"


def test_contract_rule_lines_are_found_and_unique() -> None:
    ids = _contract_ids()
    assert len(ids) > 50, "the rule-line format of docs/contract.md no longer matches RULE_LINE"
    for family in ("AUTH", "REF", "STAFF", "IDENT", "EMP", "POS", "ADDR", "HH", "SYNC", "ERR", "NOTE", "PREF", "MOCK"):
        assert f"{family}-1" in ids, f"no {family}-1 rule line in docs/contract.md"
    assert "POS-7" in ids and "SYNC-10" in ids and "MOCK-10" in ids
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"rule IDs stated twice in docs/contract.md: {duplicates}"


def test_every_contract_rule_has_a_row_with_tests() -> None:
    contract_ids = set(_contract_ids())
    rows = {m.group(1): m.group(2) for m in ROW.finditer(RULES)}
    without_row = sorted(contract_ids - rows.keys())
    without_tests = sorted(i for i in contract_ids & rows.keys() if "`test_" not in rows[i])
    assert not without_row, f"rules without a row in docs/rules.md: {without_row}"
    assert not without_tests, f"rules whose row names no test: {without_tests}"


def test_every_rule_row_is_a_rule_of_the_contract() -> None:
    rows = {m.group(1) for m in ROW.finditer(RULES)}
    unknown = sorted(rows - set(_contract_ids()))
    assert not unknown, f"docs/rules.md has rows for IDs docs/contract.md does not state: {unknown}"
