"""STAFF-3's names compare case-insensitively beyond ASCII: Unicode case folding (str.casefold) after NFKC.

SQLite's lower() folds ASCII only and PostgreSQL's depends on the collation; the search compares the folded
names each identity stores (`identity.*_name_folded`), written by the scenario loader and by every API write.
"""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient

from tests.api.staff_support import district_with
from tests.support import District, staff_payload

UNICODE_STAFF = [
    {"ref": "u1", "staffNumber": "70001", "lastName": "Özdemir", "firstName": "Ayşe"},
    {"ref": "u2", "staffNumber": "70002", "lastName": "Straße", "firstName": "Jürgen"},
    {"ref": "u3", "staffNumber": "70003", "lastName": "Ǆurić", "firstName": "ﬁona"},  # DŽ digraph, fi ligature
]


def numbers(response: httpx.Response) -> list[str | None]:
    assert response.status_code == 200, response.text
    return [m["staffNumber"] for m in response.json()]


def search(district: District, **params: str) -> list[str | None]:
    return numbers(district.get("/staffMembers", params=params))


def test_staff3_non_ascii_names_are_case_insensitive(client: TestClient) -> None:
    district = district_with(client, persons=UNICODE_STAFF)
    assert search(district, lastName="ÖZDEMIR") == ["70001"]
    assert search(district, lastName="özdemir", firstName="AYŞE") == ["70001"]
    assert search(district, lastName="STRASSE") == ["70002"]  # "ß".casefold() == "ss"
    assert search(district, lastName="strasse", firstName="JÜRGEN") == ["70002"]
    assert search(district, lastName="ǆurić", firstName="FIONA") == ["70003"]
    assert search(district, firstName="Fiona") == ["70003"]


def test_staff3_folded_names_stay_exact(client: TestClient) -> None:
    district = district_with(client, persons=UNICODE_STAFF)
    assert search(district, lastName="Özdemi") == []  # no prefix match
    assert search(district, lastName="Ozdemir") == []  # accents are not folded away
    assert search(district, lastName=" ÖZDEMIR ") == ["70001"]  # the query is trimmed, as before
    response = district.get("/staffMembers", params={"lastName": "STRASS"})
    assert response.json() == [] and response.headers["X-Total-Count"] == "0"


def test_staff3_finds_names_written_by_create_and_update(district: District) -> None:
    created = district.post("/staffMembers", staff_payload("90001", lastName="Ångström", firstName="Éloïse"))
    assert created.status_code == 201, created.text
    assert search(district, lastName="ÅNGSTRÖM", firstName="ÉLOÏSE") == ["90001"]
    renamed = district.put("/staffMembers/90001", {"lastName": "Çelik"})
    assert renamed.status_code == 200, renamed.text
    assert search(district, lastName="ÇELIK") == ["90001"]
    assert search(district, lastName="ångström") == []  # the current identity only
    corrected = district.put("/staffMembers/90001", {"firstName": "ÉLOÏSE"})
    assert corrected.status_code == 200, corrected.text
    assert search(district, lastName="çelik", firstName="éloïse") == ["90001"]
