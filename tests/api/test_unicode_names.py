"""Issue 14, item 8: Unicode in names and SSNs, on both databases.

STAFF-3 finds a non-ASCII name by its exact stored string and by any case or normalisation of it (SQLite's
lower() folds ASCII only; the search compares stored folded names). IDENT-3: a rename to the NFD form of the
same name (or any case of it) is not a new identity, and the stored spelling is kept. STAFF-1: an SSN is 9
ASCII digits; fullwidth, Arabic-Indic or Devanagari digits are refused wherever an SSN enters (create,
update, sync transfer, scenario, Campus UI) with a 400 naming the field, and nothing is stored.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.staff_support import error_fields, journal_rules, table_counts, view
from tests.support import District, minimal_scenario, staff_payload
from tests.ui.support import Campus

NFC_EMILE = "\u00c9mile"  # "Émile", É as one code point
NFD_EMILE = "E\u0301mile"  # the same name decomposed: E + combining acute accent
NON_ASCII_SSNS = {
    "fullwidth": "\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19",  # FULLWIDTH DIGIT ONE … NINE
    "arabic-indic": "\u0661\u0662\u0663-\u0664\u0665-\u0666\u0667\u0668\u0669",  # 123-45-6789 in Arabic-Indic digits
    "devanagari": "\u0967\u0968\u0969\u096a\u096b\u096c\u096d\u096e\u096f",
    "mixed": "12345678\u0669",
}


def search(district: District, **params: str) -> list[str | None]:
    response = district.get("/staffMembers", params=params)
    assert response.status_code == 200, response.text
    return [member["staffNumber"] for member in response.json()]


@pytest.mark.parametrize("stored", [NFC_EMILE, NFD_EMILE], ids=["stored-nfc", "stored-nfd"])
def test_staff3_emile_is_found_by_its_exact_stored_string_and_any_form_or_case(district: District,
                                                                                stored: str) -> None:
    created = district.post("/staffMembers", staff_payload("90001", lastName=stored, firstName=stored))
    assert created.status_code == 201, created.text
    assert search(district, lastName=stored) == ["90001"]  # the exact stored string
    for query in (NFC_EMILE, NFD_EMILE, "\u00c9MILE", "E\u0301MILE", "\u00e9mile"):
        assert search(district, lastName=query, firstName=query) == ["90001"], ascii(query)
    assert search(district, lastName="Emile") == []  # an accent is a letter, not a case


def test_ident3_an_nfd_rename_of_the_same_name_is_not_a_new_identity(district: District) -> None:
    created = district.post("/staffMembers", staff_payload("90001", lastName=NFC_EMILE, firstName="Zo\u00eb"))
    assert created.status_code == 201, created.text
    before = view(district, "90001")
    renamed = district.put("/staffMembers/90001", {"lastName": NFD_EMILE, "firstName": "ZOE\u0308"})
    assert renamed.status_code == 200, renamed.text
    assert (renamed.json()["lastName"], renamed.json()["firstName"]) == (NFC_EMILE, "Zo\u00eb")  # kept as stored
    assert view(district, "90001")["identities"] == before["identities"]  # one identity, unchanged
    assert "IDENT-3" in journal_rules(district, "PUT", "/staffMembers/90001")
    assert "IDENT-1" not in journal_rules(district, "PUT", "/staffMembers/90001")


def test_ident3_a_stored_nfd_name_is_kept_when_the_nfc_form_is_sent(district: District) -> None:
    assert district.post("/staffMembers", staff_payload("90001", lastName=NFD_EMILE)).status_code == 201
    renamed = district.put("/staffMembers/90001", {"lastName": NFC_EMILE})
    assert renamed.status_code == 200 and renamed.json()["lastName"] == NFD_EMILE
    assert len(view(district, "90001")["identities"]) == 1


def test_ident1_a_real_accent_change_still_makes_a_new_identity(district: District) -> None:
    assert district.post("/staffMembers", staff_payload("90001", lastName="Emile")).status_code == 201
    renamed = district.put("/staffMembers/90001", {"lastName": NFD_EMILE})
    assert renamed.status_code == 200 and renamed.json()["lastName"] == NFD_EMILE  # stored as sent
    assert [i["lastName"] for i in view(district, "90001")["identities"]] == ["Emile", NFD_EMILE]


def test_ident3_sync4_an_nfd_name_from_hr_is_no_difference(district: District) -> None:
    assert district.post("/staffMembers", staff_payload("90001", lastName=NFC_EMILE)).status_code == 201
    for name, body in (("start", None), ("transfer", [{"staffNumber": "90001", "lastName": NFD_EMILE.upper()}]),
                       ("end", None), ("validate", None)):
        assert district.post(f"/staffMembers/sync/{name}", body).status_code in (200, 201), name
    report = district.get("/staffMembers/sync/report").json()
    assert report["summary"]["demographicDifferences"]["byField"]["name"] == 0, report["details"]


# --------------------------------------------------------------------------- STAFF-1: SSN of ASCII digits


@pytest.mark.parametrize("ssn", NON_ASCII_SSNS.values(), ids=NON_ASCII_SSNS.keys())
def test_staff1_ssn_of_non_ascii_digits_is_400_on_create_update_and_transfer(district: District, ssn: str) -> None:
    before = table_counts(district)
    ssn_before = view(district, "10058")["demographics"]["ssn"]
    for response in (district.post("/staffMembers", staff_payload("90001", ssn=ssn)),
                     district.put("/staffMembers/10058", {"ssn": ssn}),
                     district.post("/staffMembers/sync/start"),
                     district.post("/staffMembers/sync/transfer", [staff_payload("90002", ssn=ssn)])):
        if response.request.url.path.endswith("/start"):
            assert response.status_code == 201, response.text
            continue
        assert response.status_code == 400, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert error_fields(response) in ([("ssn", "invalid_value")], [("[0].ssn", "invalid_value")])
        assert "ASCII digits" in response.text
    assert district.get("/staffMembers/sync/status").json()["staffTransferred"] == 0
    assert view(district, "10058")["demographics"]["ssn"] == ssn_before
    after = table_counts(district)
    assert {k: v for k, v in after.items() if not k.startswith("sync")} == \
        {k: v for k, v in before.items() if not k.startswith("sync")}
    logged = [(row["action"], row["path"]) for row in district.error_log()[:3]]
    assert [action for action, _ in logged] == ["POST", "PUT", "POST"]
    assert ssn not in str(district.error_log())  # masked like any SSN (ERR-1)


def test_staff1_ascii_ssn_with_dashes_is_still_accepted(district: District) -> None:
    response = district.post("/staffMembers", staff_payload("90001", ssn="123-45-6789"))
    assert response.status_code == 201 and response.json()["ssn"] == "123456789"


@pytest.mark.parametrize("ssn", NON_ASCII_SSNS.values(), ids=NON_ASCII_SSNS.keys())
def test_staff1_scenario_ssn_of_non_ascii_digits_is_400(client: TestClient, district: District, ssn: str) -> None:
    scenario = minimal_scenario()
    scenario["persons"][0]["ssn"] = ssn
    created = client.post("/_mock/districts", json=scenario)
    assert created.status_code == 400, created.text
    assert [e["field"] for e in created.json()["errors"]] == ["persons[0].ssn"]
    assert client.get(f"/_mock/districts/{scenario['appName']}").status_code == 404
    before = view(district, "10058")
    reset = district.mock("POST", "/reset", json={**scenario, "appName": district.app_name})
    assert reset.status_code == 400, reset.text
    assert view(district, "10058") == before


@pytest.mark.parametrize("ssn", [NON_ASCII_SSNS["fullwidth"], NON_ASCII_SSNS["arabic-indic"]],
                         ids=["fullwidth", "arabic-indic"])
def test_staff1_campus_ui_ssn_of_non_ascii_digits_is_refused(district: District, ssn: str) -> None:
    campus = Campus(district)
    person_id = campus.person_id("10058")
    before = campus.staff("10058")
    demographics = {"lastName": "Brown", "firstName": "Allison", "ssn": ssn}
    # HR-managed fields are locked (STAFF-8); scenario persons are not HR-managed, so the form is open.
    response = campus.post(f"staff/{person_id}/demographics", demographics, follow_redirects=True)
    assert response.status_code in (200, 400)
    assert "ASCII digits" in response.text
    assert campus.staff("10058") == before


def test_staff3_campus_ui_staff_search_folds_names_like_the_api(district: District) -> None:
    """The Campus UI's staff search (by name prefix) compares the same folded names as STAFF-3."""
    created = district.post("/staffMembers", staff_payload("90001", lastName=NFD_EMILE, firstName="Zo\u00eb"))
    assert created.status_code == 201, created.text
    campus = Campus(district)
    for query in ("\u00e9mile", "\u00c9MI", f"{NFC_EMILE}, ZO", "zo\u00cb", "90001"):
        found = campus.get("staff", params={"q": query})
        assert found.status_code == 200 and "90001" in found.text, ascii(query)
    for query in ("emile", "%mile", "_mile"):  # an accent is a letter; % and _ are not wildcards
        assert "90001" not in campus.get("staff", params={"q": query}).text, query
