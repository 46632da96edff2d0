"""The staff member's demographic fields, declared once (CONTRACT §4, IDENT-1..3).

`Demographics` is both the value an identity holds and the field table: each field's metadata says
its BOI JSON name, its label, how wide it may be on the wire and in the `identity` table, and its
group. Every other shape is derived from `DEMOGRAPHICS`: the wire schemas (`schemas.staff`,
`schemas.scenario`), the read model (`repositories.staff`), scenario loading, the sync report's
columns, the Campus UI's person rows, and the vendor client's `StaffMember` (generated into
`client/models.py` by tools/generate_client_models.py: the client imports nothing of the server).
The ORM's `identity` columns and their migration are written by hand and checked against the table
(tests/unit/test_demographic_fields.py). Adding a field (say `suffix`) is one line here, its column
plus migration, and re-running the client generator; the test walks every shape.
Pure: no FastAPI, no SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from typing import Any, Literal

Kind = Literal["text", "ssn", "date"]
# name: a change opens a new identity (IDENT-1); identity and contact: updated in place (IDENT-2).
Group = Literal["name", "identity", "contact"]
_SPEC = "demographic"


@dataclass(frozen=True)
class DemographicField:
    """One row of the table."""

    name: str  # snake_case: the attribute, the `identity` column, the pydantic field
    wire: str  # the BOI JSON name
    label: str  # how the Campus UI and the sync report name it
    kind: Kind  # text: trimmed-to-width text; ssn: 9 digits, dashes allowed on the wire; date: YYYY-MM-DD
    group: Group
    # Shown in lists of persons (the Campus staff search, the report's person rows, the identity history).
    listed: bool
    required: bool  # an identity always has it (the names); sent on create, never cleared
    max_length: int | None  # the most characters the wire accepts (None: a date)
    column_length: int | None  # the `identity` column's width (None: a date)
    python_type: type

    @property
    def nullable(self) -> bool:
        return not self.required


def spec(wire: str, label: str, *, group: Group, kind: Kind = "text", max_length: int | None = None,
          column_length: int | None = None, listed: bool = False) -> dict[str, Any]:
    """The metadata of one field (its name, type and whether it is required come from the dataclass)."""
    return {_SPEC: {"wire": wire, "label": label, "group": group, "kind": kind, "max_length": max_length,
                    "column_length": column_length if column_length is not None else max_length,
                    "listed": listed}}


@dataclass(frozen=True, slots=True)
class Demographics:
    """What an identity holds: the names and the other demographics, in the BOI object's order."""

    last_name: str = field(metadata=spec("lastName", "Last Name", group="name", max_length=100, listed=True))
    first_name: str = field(metadata=spec("firstName", "First Name", group="name", max_length=100, listed=True))
    middle_name: str | None = field(default=None, metadata=spec("middleName", "Middle Name", group="name",
                                                                 max_length=100, listed=True))
    # A REF-2 code (STAFF-2): the wire takes 20 characters, a gender code holds at most 10.
    gender: str | None = field(default=None, metadata=spec("gender", "Gender", group="identity", max_length=20,
                                                            column_length=10, listed=True))
    # Stored as its 9 digits (STAFF-1: "401-55-8812" is accepted and stored without dashes).
    ssn: str | None = field(default=None, metadata=spec("ssn", "SSN", group="identity", kind="ssn",
                                                         max_length=11, column_length=9))
    birthdate: date | None = field(default=None, metadata=spec("birthdate", "Birth Date", group="identity",
                                                                kind="date", listed=True))
    work_phone: str | None = field(default=None, metadata=spec("workPhone", "Work Phone", group="contact",
                                                                max_length=40))
    cell_phone: str | None = field(default=None, metadata=spec("cellPhone", "Cell Phone", group="contact",
                                                                max_length=40))
    other_phone: str | None = field(default=None, metadata=spec("otherPhone", "Other Phone", group="contact",
                                                                 max_length=40))
    work_email: str | None = field(default=None, metadata=spec("workEmail", "Work Email", group="contact",
                                                                max_length=200))
    personal_email: str | None = field(default=None, metadata=spec("personalEmail", "Personal Email",
                                                                    group="contact", max_length=200))

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in DEMOGRAPHIC_FIELDS}

    @classmethod
    def of(cls, source: object) -> Demographics:
        """The demographics of anything that has them as attributes (an `identity` row, a wire model)."""
        return cls(*(getattr(source, name) for name in DEMOGRAPHIC_FIELDS))


def table(record: type[Any]) -> tuple[DemographicField, ...]:
    """The field table of a dataclass declared like `Demographics` (a test declares a copy with one more)."""
    out = []
    for f in fields(record):
        spec = f.metadata[_SPEC]
        python_type = date if spec["kind"] == "date" else str
        out.append(DemographicField(name=f.name, python_type=python_type,
                                    required=f.default is MISSING and f.default_factory is MISSING, **spec))
    return tuple(out)


DEMOGRAPHICS = table(Demographics)
DEMOGRAPHIC_FIELDS = tuple(f.name for f in DEMOGRAPHICS)
NAME_FIELDS = tuple(f.name for f in DEMOGRAPHICS if f.group == "name")
OTHER_FIELDS = tuple(f.name for f in DEMOGRAPHICS if f.group != "name")
LISTED = tuple(f for f in DEMOGRAPHICS if f.listed)
WIRE = {f.name: f.wire for f in DEMOGRAPHICS}
