"""One source for the staff member's demographic fields (issue 13 item 3).

`domain.demographics.Demographics` declares them; every shape is derived from it (or, for the ORM and
the Campus UI's hand-laid pages, checked against it). These tests walk every shape and find exactly the
declared fields (names, JSON names, widths, optionality), and see a field added to a copy of the
declaration reach every derived shape.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel, field_validator
from sqlalchemy import Date, String

from boi_mock import models as m
from boi_mock.admin import report_view, upload
from boi_mock.admin.routes import staff as staff_page
from boi_mock.client import models as client_models
from boi_mock.domain import demographics as d
from boi_mock.domain import identities, sync_report
from boi_mock.repositories import staff as repo
from boi_mock.schemas import demographics as derived
from boi_mock.schemas.base import WireModel
from boi_mock.schemas.scenario import ScenarioPerson
from boi_mock.schemas.staff import StaffMemberIn, StaffMemberOut
from boi_mock.services import staff_read
from boi_mock.services.sync import report
from boi_mock.wire import control as wire_control

GENERATOR = Path(__file__).resolve().parents[2] / "tools" / "generate_client_models.py"
NAMES = tuple(f.name for f in d.DEMOGRAPHICS)
# What a vendor sees of a field: (Python name, JSON name, maxLength, required, nullable, format).
Shape = list[tuple[str, str, int | None, bool, bool, str | None]]
WIRES = tuple(f.wire for f in d.DEMOGRAPHICS)


@dataclass(frozen=True, slots=True)
class WithSuffix(d.Demographics):
    """The declaration plus the field a vendor asked for."""

    suffix: str | None = field(default=None, metadata=d.spec("suffix", "Suffix", group="name", max_length=10,
                                                              listed=True))


SUFFIXED = d.table(WithSuffix)


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_client_models", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _branches(prop: dict[str, Any]) -> list[dict[str, Any]]:
    branches: list[dict[str, Any]] = prop.get("anyOf", [prop])
    return branches


def wire_shape(model: type[BaseModel], mode: str) -> Shape:
    """What a vendor sees of the model's fields, from its JSON schema, in order."""
    schema = model.model_json_schema(mode="serialization" if mode == "out" else "validation")
    required = set(schema.get("required", []))
    by_alias = {info.serialization_alias or info.alias or name: name for name, info in model.model_fields.items()}
    out: Shape = []
    for wire, prop in schema["properties"].items():
        texts = [b for b in _branches(prop) if b.get("type") == "string"]
        out.append((by_alias[wire], wire, texts[0].get("maxLength") if texts else None, wire in required,
                    any(b.get("type") == "null" for b in _branches(prop)),
                    texts[0].get("format") if texts else None))
    return out


def expected_shape(table: Sequence[d.DemographicField], mode: str) -> Shape:
    """The same, as the declaration says each mode shows it."""
    out: Shape = []
    for f in table:
        fmt = "date" if f.kind == "date" else None
        if mode == "out":
            out.append((f.name, f.wire, None, True, not f.required, fmt))
        elif mode == "scenario":
            out.append((f.name, f.wire, f.max_length, f.required, not f.required, fmt))
        else:
            out.append((f.name, f.wire, f.max_length, False, True, fmt))
    return out


def demographic_part(shape: Shape, table: Sequence[d.DemographicField]) -> Shape:
    """The model's fields from the first declared one, as many as declared: they stand together, in order."""
    names = [row[0] for row in shape]
    first = names.index(table[0].name)
    return shape[first:first + len(table)]


# Every wire model that carries the fields: all `with_demographics` built (a new one is walked without an edit).
MODELS = [(model, mode) for model, (_after, mode) in derived.built().items()]


@pytest.mark.parametrize(("model", "mode"), MODELS, ids=[m.__name__ for m, _ in MODELS])
def test_wire_models_carry_exactly_the_declared_fields(model: type[BaseModel], mode: str) -> None:
    shape = wire_shape(model, mode)
    assert demographic_part(shape, d.DEMOGRAPHICS) == expected_shape(d.DEMOGRAPHICS, mode)
    names = [row[0] for row in shape]
    after = derived.built()[model][0]
    assert names[names.index(after) + 1] == d.DEMOGRAPHICS[0].name  # right after the field named
    assert len([n for n in names if n in NAMES]) == len(NAMES)


def test_wire_models_check_widths_and_control_characters_as_declared() -> None:
    for f in d.DEMOGRAPHICS:
        if f.kind != "text":
            continue
        assert f.max_length is not None
        StaffMemberIn.model_validate({f.wire: "x" * f.max_length})
        for bad in ("x" * (f.max_length + 1), "a\x00b"):
            with pytest.raises(ValueError, match=f.wire):
                StaffMemberIn.model_validate({f.wire: bad})
    assert StaffMemberIn.model_validate({"ssn": "401-55-8812"}).ssn == "401558812"


def test_the_staff_member_and_scenario_models_are_derived() -> None:
    assert {(model.__name__, after, mode) for model, (after, mode) in derived.built().items()} >= {
        ("StaffMemberIn", "staff_number", "in"), ("StaffMemberOut", "staff_number", "out"),
        ("ScenarioPerson", "staff_number", "scenario")}
    assert {StaffMemberIn, StaffMemberOut, ScenarioPerson} <= set(derived.built())


def test_a_rebuild_refuses_what_it_would_drop() -> None:
    with pytest.raises(TypeError, match="would drop shout"):
        @derived.with_demographics(after="ref", mode="in")
        class WithMethod(WireModel):
            ref: str | None = None

            def shout(self) -> str:
                return "!"
    with pytest.raises(TypeError, match="would drop upper"):
        @derived.with_demographics(after="ref", mode="in")
        class WithValidator(WireModel):
            ref: str | None = None

            @field_validator("ref")
            @classmethod
            def upper(cls, value: str | None) -> str | None:
                return value.upper() if value else value
    with pytest.raises(TypeError, match="no field 'nope'"):
        @derived.with_demographics(after="nope", mode="in")
        class WithoutAnchor(WireModel):
            ref: str | None = None


def test_domain_lists_follow_the_declaration() -> None:
    assert identities.DEMOGRAPHIC_FIELDS == NAMES
    assert identities.NAME_FIELDS + identities.OTHER_FIELDS == NAMES
    assert identities.NAME_FIELDS == ("last_name", "first_name", "middle_name")  # IDENT-1's names
    assert tuple(f.name for f in d.DEMOGRAPHICS if f.required) == ("last_name", "first_name")
    assert list(d.WIRE.items()) == list(zip(NAMES, WIRES, strict=True))
    assert tuple(identities.Demographics("B", "A").as_dict()) == NAMES


def test_orm_identity_columns_match_the_declaration() -> None:
    """Checked, not derived: the column and its migration are written by hand (`alembic check` ties the two)."""
    columns = m.Identity.__table__.c
    assert set(repo.DEMOGRAPHIC_NAMES) == set(NAMES)
    for f in d.DEMOGRAPHICS:
        column = columns[f.name]
        assert column.nullable is (not f.required), f.name
        if f.kind == "date":
            assert isinstance(column.type, Date), f.name
        else:
            assert isinstance(column.type, String) and column.type.length == f.column_length, f.name
            assert f.max_length is not None and f.column_length is not None
            assert f.column_length <= f.max_length, f.name  # the wire never takes less than the column holds


def test_read_model_report_and_views_take_the_declared_columns() -> None:
    assert tuple(c.key for c in report._IDENTITY_COLUMNS) == NAMES
    assert staff_read.DEMOGRAPHIC_WIRE == WIRES
    assert staff_read.LOCKED_BY["staffDemographics"] == WIRES  # PREF-1: Staff Demographics locks them all
    row = repo.MemberRow.of([7, "10058", *[f"v-{n}" for n in repo.DEMOGRAPHIC_NAMES]])
    assert row.demographics == {n: f"v-{n}" for n in repo.DEMOGRAPHIC_NAMES}


def test_sync_report_shows_every_declared_field() -> None:
    campus = sync_report.CampusPerson(person_id=1, staff_number="1", demographics=d.Demographics(
        "Brown", "Allison", ssn="401558812"))
    assert list(sync_report._demographics_view(campus.demographics)) == list(WIRES)
    assert sync_report._demographics_view(campus.demographics)["ssn"] == "*****8812"
    assert [k for k in sync_report._person_row(campus) if k in WIRES] == [f.wire for f in d.LISTED]
    # byField follows the guide's report: the names share "name"; every other field has its own column.
    assert {f.wire for f in d.DEMOGRAPHICS if f.group != "name"} <= set(sync_report.BY_FIELD)


def test_campus_pages_cover_every_declared_field() -> None:
    """The staff page's form (derived: Campus's order first) and the upload's CSV columns (derived); the printed
    report follows the guide's layout (its order is the guide's) but may miss no field."""
    assert {wire for wire, _name, _label in staff_page.DEMOGRAPHIC_FORM} == set(WIRES)
    assert {name for _wire, name, _label in staff_page.DEMOGRAPHIC_FORM} == set(NAMES)
    assert [label for _wire, _name, label in staff_page.DEMOGRAPHIC_FORM][:6] == [
        "Last Name", "First Name", "Middle Name", "Gender", "Birth Date", "SSN"]
    assert set(staff_page.DemographicsForm.model_fields) == set(NAMES)
    assert {info.alias for info in staff_page.DemographicsForm.model_fields.values()} == set(WIRES)
    assert ("staffNumber", *WIRES) == upload.STAFF_COLUMNS
    assert {wire for _label, wire, _marker in report_view.DEMOGRAPHIC_COLUMNS} == set(WIRES)
    assert {wire for wire in report_view.CSV_COLUMNS if wire in WIRES} == set(WIRES)


# The vendor client's models: (module, model, which declared fields it holds).
CLIENT_MODELS: list[tuple[ModuleType, str, Callable[[d.DemographicField], bool]]] = [
    (client_models, "StaffMember", lambda f: True),
    (wire_control, "Demographics", lambda f: not f.listed),  # MOCK-4, the current identity's
    (wire_control, "IdentityView", lambda f: f.listed)]  # MOCK-4, per identity


def test_client_models_are_generated_from_the_declaration() -> None:
    """The client imports nothing of the server: tools/generate_client_models.py writes their fields."""
    generator = _generator()
    for module in (client_models, wire_control):
        path = Path(str(module.__file__))
        source = path.read_text(encoding="utf-8")
        assert generator.render(path, source) == source, f"{path.name} is stale: run tools/generate_client_models.py"
    assert generator.main(["--check"]) == 0
    for module, name, holds in CLIENT_MODELS:
        table = [f for f in d.DEMOGRAPHICS if holds(f)]
        assert client_shape(getattr(module, name), table) == declared_client_shape(table), name
        assert len([n for n in getattr(module, name).model_fields if n in NAMES]) == len(table), name


def client_shape(model: type[BaseModel], table: Sequence[d.DemographicField]) -> list[tuple[str, str, bool, Any]]:
    fields = model.model_fields
    return [(f.name, fields[f.name].alias or f.name, fields[f.name].is_required(), fields[f.name].annotation)
            for f in table]


def declared_client_shape(table: Sequence[d.DemographicField]) -> list[tuple[str, str, bool, Any]]:
    return [(f.name, f.wire, f.required, f.python_type if f.required else f.python_type | None) for f in table]


# --- a field added to a copy of the declaration ------------------------------------------------------------


def test_a_new_field_is_one_declaration() -> None:
    suffix = SUFFIXED[-1]
    assert (suffix.name, suffix.wire, suffix.group, suffix.max_length, suffix.required) == (
        "suffix", "suffix", "name", 10, False)
    assert SUFFIXED[:-1] == d.DEMOGRAPHICS


@pytest.mark.parametrize(("model", "mode"), MODELS, ids=[m.__name__ for m, _ in MODELS])
def test_a_new_field_reaches_every_wire_model(model: type[BaseModel], mode: str) -> None:
    grown = derived.derive(model, SUFFIXED)
    shape = wire_shape(grown, mode)
    assert demographic_part(shape, SUFFIXED) == expected_shape(SUFFIXED, mode)
    # Nothing else moved: the model's own fields are where they were, the new one after the last demographic.
    assert [row for row in shape if row[0] != "suffix"] == wire_shape(model, mode)
    assert grown.__name__ == model.__name__ and grown.__doc__ == model.__doc__
    if mode == "in":
        assert grown.model_validate({"suffix": "Jr."}).model_dump()["suffix"] == "Jr."
        with pytest.raises(ValueError, match="suffix"):
            grown.model_validate({"suffix": "x" * 11})


def test_a_new_field_reaches_the_client() -> None:
    generator = _generator()
    grown: dict[str, ModuleType] = {}
    for module in (client_models, wire_control):
        path = Path(str(module.__file__))
        source = generator.render(path, path.read_text(encoding="utf-8"), SUFFIXED)
        assert "    suffix: str | None = None\n" in source
        copy = ModuleType(f"grown_{module.__name__.rsplit('.', 1)[-1]}")
        sys.modules[copy.__name__] = copy  # pydantic resolves the annotations in the module
        try:
            exec(compile(source, f"{copy.__name__}.py", "exec"), copy.__dict__)
        finally:
            del sys.modules[copy.__name__]
        grown[module.__name__] = copy
    for module, name, holds in CLIENT_MODELS:
        table = [f for f in SUFFIXED if holds(f)]
        model: type[BaseModel] = getattr(grown[module.__name__], name)
        assert client_shape(model, table) == declared_client_shape(table), name
        assert ("suffix" in model.model_fields) is holds(SUFFIXED[-1]), name
    member = grown[client_models.__name__].StaffMember.model_validate(
        {"personID": 1, "lastName": "Brown", "firstName": "A", "suffix": "Jr."})
    assert member.model_extra == {}  # a field of its own, not an unknown one kept aside


def test_a_new_field_reaches_the_domain_lists() -> None:
    assert tuple(f.name for f in SUFFIXED if f.group == "name") == (*identities.NAME_FIELDS, "suffix")
    assert [f.wire for f in SUFFIXED if f.listed] == [*(f.wire for f in d.LISTED), "suffix"]
    assert WithSuffix("Brown", "Allison", suffix="Jr.").suffix == "Jr."
