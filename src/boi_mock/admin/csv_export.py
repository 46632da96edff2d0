"""Every CSV the project writes goes through here: cells a spreadsheet would run are neutralised.

HR names reach the Validation Report as sent (`=HYPERLINK(…)`, `@SUM(…)`); a spreadsheet opening the CSV
would evaluate them. As OWASP's "CSV Injection" guidance says, a text cell starting with `=`, `+`, `-`, `@`,
a tab or a carriage return gets a leading `'`, which spreadsheets show but do not evaluate; the csv module
already quotes cells holding separators, quotes and line breaks. Numbers are written as numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, s: str, /) -> Any: ...


def safe_cell(value: Any) -> Any:
    """The cell as written: text that a spreadsheet would read as a formula is prefixed with `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


if TYPE_CHECKING:
    _DictWriter = csv.DictWriter[str]
else:  # not subscriptable at run time before Python 3.12
    _DictWriter = csv.DictWriter


class SafeDictWriter(_DictWriter):
    """`csv.DictWriter` whose rows (not its header, which is ours) are neutralised with `safe_cell`."""

    def __init__(self, out: _Writable, fieldnames: Iterable[str], **kwargs: Any) -> None:
        super().__init__(out, fieldnames=list(fieldnames), **kwargs)

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({key: safe_cell(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)
