"""Base model and constrained field types shared by every wire schema."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Strict, StringConstraints
from pydantic.alias_generators import to_camel

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_characters(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters")
    return value


Name = Annotated[str, StringConstraints(max_length=100), AfterValidator(no_control_characters)]
Short = Annotated[str, StringConstraints(max_length=20), AfterValidator(no_control_characters)]
Phone = Annotated[str, StringConstraints(max_length=40), AfterValidator(no_control_characters)]
Email = Annotated[str, StringConstraints(max_length=200), AfterValidator(no_control_characters)]
Medium = Annotated[str, StringConstraints(max_length=200), AfterValidator(no_control_characters)]
Code = Annotated[str, StringConstraints(max_length=50), AfterValidator(no_control_characters)]
StaffNumber = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,20}$")]


_SSN_DIGITS = re.compile(r"[0-9]{9}")  # ASCII only: `\d` would take fullwidth or Arabic-Indic digits (STAFF-1)


def _ssn(value: str) -> str:
    digits = value.replace("-", "")
    if not _SSN_DIGITS.fullmatch(digits):
        raise ValueError("must be 9 ASCII digits 0-9 (dashes allowed)")
    return digits


Ssn = Annotated[str, StringConstraints(max_length=11), AfterValidator(_ssn)]
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date_text(value: object) -> object:
    """The wire's dates are `YYYY-MM-DD` strings (CONTRACT §1): no numbers, no timestamps."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("must be a date as YYYY-MM-DD")
    return value


# Strict(False): the wire's date is a string, which a strict date would refuse (bodies are validated as Python
# objects, not JSON); _iso_date_text already keeps it to YYYY-MM-DD.
Date = Annotated[date, Strict(False), BeforeValidator(_iso_date_text)]


class WireModel(BaseModel):
    """camelCase on the wire, snake_case in Python; unknown properties rejected (CONTRACT §1).

    Strict JSON types (CONTRACT §1): a boolean is `true`/`false` (not "yes", "true", 1), an integer a JSON
    integer (not "1", not 1.0), a string a JSON string (not a number). A strongly-typed client sends nothing
    else; a lax coercion would hide a vendor's bug that the real API reports.
    """

    model_config = ConfigDict(
        extra="forbid", alias_generator=to_camel, populate_by_name=True, str_strip_whitespace=False, strict=True,
    )


class OutModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)
