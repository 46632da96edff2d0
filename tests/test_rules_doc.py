"""docs/rules.md is the rule → tests table: every contract rule has a row, and every test it names exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RULES = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
CONTRACT = ROOT.parent / "shared" / "CONTRACT.md"


def _test_names() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        names.update(re.findall(r"^\s*(?:async )?def (test_\w+)", path.read_text(encoding="utf-8"), re.MULTILINE))
    return names


def test_every_test_named_in_rules_md_exists() -> None:
    named = set(re.findall(r"`(test_\w+)`", RULES))
    missing = sorted(named - _test_names())
    assert not missing, f"docs/rules.md names tests that do not exist: {missing}"


@pytest.mark.skipif(not CONTRACT.exists(), reason="../shared/CONTRACT.md is not beside this checkout")
def test_every_contract_rule_has_a_row_with_tests() -> None:
    contract_ids = set(re.findall(r"^- ([A-Z]+-\d+) ", CONTRACT.read_text(encoding="utf-8"), re.MULTILINE))
    assert len(contract_ids) > 50
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| ([A-Z]+-\d+) \|.*\|(.*)\|\s*$", RULES, re.MULTILINE)}
    without_row = sorted(contract_ids - rows.keys())
    without_tests = sorted(i for i in contract_ids & rows.keys() if "`test_" not in rows[i])
    assert not without_row, f"rules without a row in docs/rules.md: {without_row}"
    assert not without_tests, f"rules whose row names no test: {without_tests}"
