"""Reading an Error Log row's message (ERR-1): which field it is about, and a suggestion it carries.

Two rows are "the same error" when they have the same path, action, status, code **and field**
(`services.logs.occurrences`): "Unknown property 'firstname'" and "Unknown property 'lastname'" are two errors.
"""

from __future__ import annotations

import re

_FIRST_OF_MANY = re.compile(r"^\d+ problems; first: (?P<rest>.*)$", re.S)
_STAFF_PREFIX = re.compile(r"^Staff number (?P<number>[^:]+): (?P<rest>.*)$", re.S)  # a sync commit's row
_UNKNOWN = re.compile(r"^Unknown (?:property|query parameter) '(?P<field>[^']+)'")
_FIELD_FIRST = re.compile(r"^(?P<field>\[?[A-Za-z_][\w.\[\]]*): ")
_SUGGESTION = re.compile(r"\(did you mean '(?P<name>[^']+)'\?\)")


def first_problem(message: str) -> str:
    """The message of the first problem ("3 problems; first: X" → X), without a sync row's staff prefix."""
    if found := _FIRST_OF_MANY.match(message):
        message = found.group("rest")
    if found := _STAFF_PREFIX.match(message):
        message = found.group("rest")
    return message


def staff_number_of(message: str) -> str | None:
    """The staff number a sync commit's row is about ("Staff number 30001: …")."""
    found = _STAFF_PREFIX.match(message)
    return found.group("number") if found else None


def error_field(message: str) -> str | None:
    """The field the (first) problem is about: `firstname`, `positions[0].startDate`; None when it names none."""
    problem = first_problem(message)
    found = _UNKNOWN.match(problem) or _FIELD_FIRST.match(problem)
    return found.group("field") if found else None


def suggestion(message: str) -> str | None:
    """The property an "Unknown property … (did you mean 'firstName'?)" message suggests."""
    found = _SUGGESTION.search(first_problem(message))
    return found.group("name") if found else None
