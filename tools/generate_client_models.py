"""Write the demographic fields of the vendor client's `StaffMember` from the one declaration.

Run ``python tools/generate_client_models.py`` after adding or changing a field in
``boi_mock/domain/demographics.py``: it rewrites the marked block of ``boi_mock/client/models.py``
(the client imports nothing of the server, so its model is generated, not derived at import).
``--check`` only says whether the file is current (exit 1 when stale); tests/unit/test_demographic_fields.py
fails the same way.

The client reads answers: a field is typed and optional as the server's staff member object has it
(a required field is required), with the BOI JSON name as its alias; widths are the server's to check.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from pydantic.alias_generators import to_camel

from boi_mock.domain.demographics import DEMOGRAPHICS, DemographicField

CLIENT_MODELS = Path(__file__).resolve().parent.parent / "src" / "boi_mock" / "client" / "models.py"
BEGIN = "    # generated from boi_mock/domain/demographics.py by tools/generate_client_models.py: do not edit\n"
END = "    # end of the generated fields\n"


def field_line(f: DemographicField) -> str:
    """One field of the client model, as source."""
    type_name = f.python_type.__name__
    alias = "" if to_camel(f.name) == f.wire else f'Field(alias="{f.wire}")'
    if f.required:
        return f"    {f.name}: {type_name}" + (f" = {alias}" if alias else "") + "\n"
    default = f'Field(default=None, alias="{f.wire}")' if alias else "None"
    return f"    {f.name}: {type_name} | None = {default}\n"


def render(source: str, table: Iterable[DemographicField] = DEMOGRAPHICS) -> str:
    """`source` (client/models.py) with its generated block written from `table`."""
    head, begin, rest = source.partition(BEGIN)
    _old, end, tail = rest.partition(END)
    if not begin or not end:
        raise ValueError(f"{CLIENT_MODELS.name} has lost its generated block markers")
    return head + BEGIN + "".join(field_line(f) for f in table) + END + tail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 when client/models.py is stale; write nothing")
    args = parser.parse_args(argv)
    current = CLIENT_MODELS.read_text(encoding="utf-8")
    wanted = render(current)
    if wanted == current:
        return 0
    if args.check:
        print(f"{CLIENT_MODELS} is stale: run python tools/generate_client_models.py", file=sys.stderr)
        return 1
    CLIENT_MODELS.write_text(wanted, encoding="utf-8")
    print(f"wrote {CLIENT_MODELS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
