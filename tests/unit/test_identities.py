"""IDENT-1..3 on plain values: the name-change rule without a database."""

from __future__ import annotations

from datetime import date

from boi_mock.domain.identities import Demographics, name_key, plan_update, previous_end_date, same_name

TODAY = date(2026, 1, 15)
CURRENT = Demographics(last_name="Brown", first_name="Allison", middle_name="Jo", gender="F", ssn="401558812",
                       birthdate=date(1979, 12, 26), work_phone="(417) 523-0100")


def test_ident1_name_change_end_dates_current_identity_the_day_before() -> None:
    change = plan_update(CURRENT, date(2008, 8, 11), {"last_name": "Smith"}, TODAY)
    assert change.new_identity
    assert change.previous_end == date(2026, 1, 14)
    assert change.result.last_name == "Smith"
    assert change.result.first_name == "Allison"  # the rest is carried over to the new identity
    assert change.result.ssn == "401558812"


def test_ident1_same_day_identity_ends_on_the_call_date() -> None:
    assert previous_end_date(TODAY, TODAY) == TODAY
    change = plan_update(CURRENT, TODAY, {"first_name": "Ally"}, TODAY)
    assert change.new_identity and change.previous_end == TODAY


def test_ident1_identity_never_ends_before_it_starts_when_the_clock_went_back() -> None:
    assert previous_end_date(date(2026, 3, 1), TODAY) == TODAY


def test_ident1_unknown_start_ends_the_day_before() -> None:
    assert previous_end_date(None, TODAY) == date(2026, 1, 14)


def test_ident1_middle_name_change_and_clearing_are_name_changes() -> None:
    assert plan_update(CURRENT, None, {"middle_name": "Joanne"}, TODAY).new_identity
    cleared = plan_update(CURRENT, None, {"middle_name": None}, TODAY)
    assert cleared.new_identity and cleared.result.middle_name is None


def test_ident1_name_change_with_other_changes_opens_one_identity_holding_both() -> None:
    change = plan_update(CURRENT, None, {"last_name": "Smith", "gender": "X"}, TODAY)
    assert change.new_identity and not change.in_place
    assert change.result.gender == "X"
    assert set(change.changed) == {"last_name", "gender"}


def test_ident2_other_demographics_update_in_place() -> None:
    change = plan_update(CURRENT, None, {"gender": "X", "ssn": "111223333", "work_phone": None}, TODAY)
    assert change.in_place and not change.new_identity
    assert change.previous_end is None
    assert change.result.work_phone is None
    assert set(change.changed) == {"gender", "ssn", "work_phone"}


def test_ident2_same_values_are_no_change() -> None:
    change = plan_update(CURRENT, None, {"gender": "F", "last_name": "Brown"}, TODAY)
    assert not change.changed and not change.in_place and not change.new_identity


def test_ident3_case_and_whitespace_only_differences_are_not_a_change() -> None:
    change = plan_update(CURRENT, None, {"last_name": "  BROWN ", "first_name": "allison", "middle_name": "jo"},
                         TODAY)
    assert not change.new_identity and not change.changed
    assert change.result == CURRENT  # the stored spelling is kept
    assert set(change.cosmetic) == {"last_name", "first_name", "middle_name"}


def test_ident3_inner_whitespace_collapses_but_letters_count() -> None:
    assert same_name("Mary  Ann", "mary ann")
    assert not same_name("Mary Ann", "Maryann")
    assert name_key(None) == name_key("") == name_key("   ")


def test_ident3_empty_middle_name_equals_none() -> None:
    no_middle = Demographics(last_name="Doughty", first_name="Sarah")
    assert not plan_update(no_middle, None, {"middle_name": "  "}, TODAY).new_identity


def test_staff6_absent_fields_are_unchanged() -> None:
    change = plan_update(CURRENT, None, {}, TODAY)
    assert change.result == CURRENT and not change.changed


NFC_EMILE = "\u00c9mile"  # É as one code point
NFD_EMILE = "E\u0301mile"  # E + combining acute accent: the same name, decomposed


def test_ident3_nfc_and_nfd_forms_of_a_name_are_the_same_name() -> None:
    assert NFC_EMILE != NFD_EMILE and same_name(NFC_EMILE, NFD_EMILE)
    assert same_name("\u00c9MILE", NFD_EMILE) and same_name("e\u0301mile", NFC_EMILE)
    stored = Demographics(last_name=NFC_EMILE, first_name="Zo\u00eb")
    change = plan_update(stored, TODAY, {"last_name": NFD_EMILE, "first_name": "ZOE\u0308"}, TODAY)
    assert not change.new_identity and change.changed == ()
    assert change.cosmetic == ("last_name", "first_name")
    assert change.result.last_name == NFC_EMILE  # the stored spelling is kept


def test_ident3_full_case_folding_beyond_ascii() -> None:
    assert same_name("Stra\u00dfe", "STRASSE") and same_name("\u00d6ZDEM\u0130R", "\u00f6zdemi\u0307r")
    assert same_name("\u01c4uri\u0107", "\u01c6uri\u0107")  # the DŽ digraph's cases


def test_ident3_accents_and_compatibility_forms_are_other_spellings() -> None:
    assert not same_name("Emile", NFC_EMILE)  # an accent is a letter, not a case
    assert not same_name("\uff25mile", "Emile")  # fullwidth E: a compatibility form, not canonical
    change = plan_update(Demographics(last_name=NFC_EMILE, first_name="Zo"), TODAY, {"last_name": "Emile"}, TODAY)
    assert change.new_identity
