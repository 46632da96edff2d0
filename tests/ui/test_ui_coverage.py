"""Contract Coverage page (MOCK-11): a checklist per guide section, never-exercised rules first with how to."""

from __future__ import annotations

import re

from boi_mock.domain.coverage import RULES, SECTIONS
from boi_mock.domain.coverage_howto import HOW_TO
from tests.support import staff_payload
from tests.ui.support import BROWSER_SAME_ORIGIN, UI, Campus, flash, text


def _rule_order(html: str) -> list[str]:
    return re.findall(r'<li class="(?:done|todo)" id="rule-([A-Z]+-\d+)"', html)


def test_mock11_coverage_page_is_a_checklist_by_section_with_never_exercised_rules_first(campus: Campus) -> None:
    assert campus.district.post("/staffMembers", staff_payload("90001")).status_code == 201
    assert campus.district.get("/schools").status_code == 200
    response = campus.get("coverage")
    assert response.status_code == 200
    page = text(response)
    exercised = {"STAFF-5", "EMP-1", "REF-1"}
    assert f"{len(exercised)} of {len(RULES)} rules exercised" in page
    assert "2 of 20 operations called" in page
    headings = re.findall(r'<h2 id="section-\d+" class="panel-title">([^<]+) <small>', response.text)
    assert [heading.strip() for heading in headings] == list(SECTIONS)
    order = _rule_order(response.text)
    assert sorted(order) == sorted(rule.id for rule in RULES), "every rule once"
    for section in SECTIONS:
        ids = [rule_id for rule_id in order if next(r for r in RULES if r.id == rule_id).section == section]
        done = [rule_id in exercised for rule_id in ids]
        assert done == sorted(done), f"{section}: never-exercised rules come first ({ids})"
    assert re.search(r'<li class="done" id="rule-STAFF-5"', response.text)
    assert re.search(r'<li class="todo" id="rule-POS-7"', response.text)
    assert HOW_TO["POS-7"] in page, "a rule not exercised says how to exercise it"
    assert HOW_TO["STAFF-5"] not in page, "an exercised rule shows its calls instead"
    assert "Contract Coverage" in page and 'aria-current="page">Contract Coverage' in response.text


def test_mock11_start_counting_again_clears_the_coverage(campus: Campus) -> None:
    assert campus.district.get("/schools").status_code == 200
    assert "1 of" in text(campus.get("coverage"))
    response = campus.post("coverage/clear")
    assert response.url.path == campus.path("coverage")
    assert flash(response) == "Coverage cleared: counting starts again."
    assert f"0 of {len(RULES)} rules exercised" in text(response)
    assert campus.district.mock("GET", "/coverage").json()["exercised"] == 0


def test_mock11_mock16_start_counting_again_from_another_site_is_refused_and_clears_nothing(campus: Campus) -> None:
    assert campus.district.get("/schools").status_code == 200
    client = campus.district.client
    for headers in ({"Sec-Fetch-Site": "cross-site"}, BROWSER_SAME_ORIGIN):  # the second: no form token
        response = client.post(f"{UI}/{campus.app}/coverage/clear", data={}, headers=headers, follow_redirects=False)
        assert response.status_code == 403
    assert campus.district.mock("GET", "/coverage").json()["exercised"] == 1  # REF-1 still counted
