"""MOCK-9 in the Campus UI (issue 16 item 4): the Request Journal page lists a district's calls with the district
clock's time, method, path, status, duration and rule IDs; filters by method, status class, path, rule ID and staff
number; numbered pages; each call's masked bodies on a page of its own; a staff member's page links to their calls."""

from __future__ import annotations

import re

from tests.support import staff_payload
from tests.ui.support import Campus, element, text


def _calls(campus: Campus) -> None:
    d = campus.district
    assert d.mock("PUT", "/clock", json={"today": "2026-02-02"}).status_code == 200
    assert d.post("/staffMembers", staff_payload("70001", ssn="401-55-8812")).status_code == 201
    assert d.get("/staffMembers/70001").status_code == 200
    assert d.put("/staffMembers/70001", {"staffNumber": "70001", "lastName": "Flanders"}).status_code == 200
    assert d.post("/staffMembers", {"staffNumber": "70002"}).status_code == 400
    assert d.get("/schools").status_code == 200


def _rows(page_text: str) -> list[str]:
    return re.findall(r"<tr>\s*<td class=\"nowrap\">.*?</tr>", page_text, flags=re.S)


def test_mock9_journal_page_lists_calls_newest_first_with_clock_time_status_duration_and_rules(
        campus: Campus) -> None:
    _calls(campus)
    page = campus.get("journal")
    assert page.status_code == 200
    table = element(page, "journal")
    assert table.index("/schools") < table.index("/staffMembers/70001")  # newest first
    assert "02/02/2026" in table  # the district's clock, not the machine's
    assert "IDENT-1" in table and "STAFF-5" in table and "400" in table and " ms" in table
    assert "5 calls" in element(page, "journal-count")
    assert f'href="/campus/ui/{campus.app}/journal"' in page.text  # in the navigation


def test_mock9_journal_page_filters_by_method_status_path_rule_and_staff_number(campus: Campus) -> None:
    _calls(campus)
    def count(**query: str) -> int:
        page = campus.get("journal", params=query)
        assert page.status_code == 200, page.text
        return len(_rows(page.text))

    assert count(method="POST") == 2
    assert count(status="4xx") == 1 and count(status="2xx") == 4 and count(status="5xx") == 0
    assert count(path="schools") == 1
    assert count(rule="IDENT-1") == 1 and count(rule="ident-1") == 1 and count(rule="IDENT-10") == 0
    assert count(rule="HH-1") == 0
    # The person's calls: those naming the staff number in the path, and the create that carries it in its body.
    assert count(staff="70001") == 3
    assert count(method="GET", staff="70001") == 1
    assert "No calls match the filter" in text(campus.get("journal", params={"path": "nothing-like-this"}))


def test_mock9_journal_page_pages_with_counts_that_agree(campus: Campus) -> None:
    for _ in range(55):
        assert campus.district.get("/schools").status_code == 200
    first = campus.get("journal")
    assert len(_rows(first.text)) == 50 and "1\u201350 of 55 calls" in text(first)
    second = campus.get("journal", params={"page": "2"})
    assert len(_rows(second.text)) == 5 and "51\u201355 of 55 calls" in text(second)
    assert 'aria-current="page">2<' in second.text


def test_mock9_journal_entry_page_shows_the_masked_bodies(campus: Campus) -> None:
    _calls(campus)
    created = campus.district.mock("GET", "/requests", params={"path": "/staffMembers", "status": "201"}).json()[0]
    page = campus.get(f"journal/{created['id']}")
    assert page.status_code == 200
    request_body = element(page, "request-body")
    assert "*****8812" in request_body and "401-55-8812" not in page.text and "401558812" not in page.text
    assert "Simpson" in element(page, "response-body")
    assert "STAFF-5" in element(page, "journal-entry")


def test_mock9_journal_entry_of_another_district_or_unknown_is_404(campus: Campus, client: object) -> None:
    from tests.support import create_district

    other = create_district(campus.district.client)
    assert other.get("/schools").status_code == 200
    entry = other.mock("GET", "/requests").json()[0]["id"]
    assert campus.get(f"journal/{entry}").status_code == 404
    assert campus.get("journal/999999999").status_code == 404


def test_mock9_journal_page_refuses_a_filter_it_does_not_know(campus: Campus) -> None:
    assert campus.get("journal", params={"status": "6xx"}).status_code == 400
    assert campus.get("journal", params={"method": "BREW"}).status_code == 400
    assert campus.get("journal", params={"page": "0"}).status_code == 400


def test_mock9_staff_page_links_to_the_persons_calls(campus: Campus) -> None:
    _calls(campus)
    person = campus.person_id("70001")
    page = campus.get(f"staff/{person}")
    assert page.status_code == 200
    link = re.search(r'<a id="person-calls" href="([^"]+)"', page.text)
    assert link is not None
    assert link.group(1) == f"/campus/ui/{campus.app}/journal?staff=70001"
    assert len(_rows(campus.district.client.get(link.group(1)).text)) == 3


def test_mock9_journal_page_of_an_unknown_district_is_404(campus: Campus) -> None:
    assert campus.district.client.get("/campus/ui/no-such-district/journal").status_code == 404
    assert campus.district.client.get("/campus/ui/no-such-district/support-case/scenario.json").status_code == 404
