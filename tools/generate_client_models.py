"""Write the demographic fields of the vendor client's models from the one declaration.

Run ``python tools/generate_client_models.py`` after adding or changing a field in
``boi_mock/domain/demographics.py``: it rewrites the marked blocks of ``boi_mock/client/models.py``
(``StaffMember``) and ``boi_mock/wire/control.py`` (MOCK-4's ``Demographics`` and ``IdentityView``). The
client imports nothing of the server, so these models are generated, not derived at import. ``--check``
only says whether the files are current (exit 1 when stale); tests/unit/test_demographic_fields.py fails
the same way.

The client reads answers: a field is typed and optional as the server's answer has it (a required field is
required), with the BOI JSON name as its alias; widths are the server's to check.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic.alias_generators import to_camel

from boi_mock.domain.demographics import DEMOGRAPHICS, DemographicField

SRC = Path(__file__).resolve().parent.parent / "src" / "boi_mock"
CLIENT_MODELS = SRC / "client" / "models.py"
WIRE_CONTROL = SRC / "wire" / "control.py"
BEGIN = "    # generated from boi_mock/domain/demographics.py by tools/generate_client_models.py: do not edit\n"
END = "    # end of the generated fields\n"


@dataclass(frozen=True)
class Block:
    """One generated block: the model it belongs to and which declared fields it holds."""

    path: Path
    model: str
    holds: Callable[[DemographicField], bool]


BLOCKS = (
    Block(CLIENT_MODELS, "StaffMember", lambda f: True),  # the staff member object (CONTRACT §4)
    Block(WIRE_CONTROL, "Demographics", lambda f: not f.listed),  # MOCK-4: shown once, for the current identity
    Block(WIRE_CONTROL, "IdentityView", lambda f: f.listed),  # MOCK-4: shown per identity
)


def field_line(f: DemographicField) -> str:
    """One field of a client model, as source."""
    type_name = f.python_type.__name__
    alias = "" if to_camel(f.name) == f.wire else f'Field(alias="{f.wire}")'
    if f.required:
        return f"    {f.name}: {type_name}" + (f" = {alias}" if alias else "") + "\n"
    default = f'Field(default=None, alias="{f.wire}")' if alias else "None"
    return f"    {f.name}: {type_name} | None = {default}\n"


def render_block(source: str, block: Block, table: Iterable[DemographicField] = DEMOGRAPHICS) -> str:
    """`source` with the block inside `class {block.model}(` written from `table`."""
    head, cls, body = source.partition(f"\nclass {block.model}(")
    before, begin, rest = body.partition(BEGIN)
    _old, end, tail = rest.partition(END)
    if not cls or not begin or not end or "\nclass " in before:
        raise ValueError(f"{block.path.name}: {block.model} has lost its generated block markers")
    return head + cls + before + begin + "".join(field_line(f) for f in table if block.holds(f)) + end + tail


def render(path: Path, source: str, table: Iterable[DemographicField] = DEMOGRAPHICS) -> str:
    """`source` (the file at `path`) with each of its generated blocks written from `table`."""
    table = tuple(table)
    for block in BLOCKS:
        if block.path == path:
            source = render_block(source, block, table)
    return source


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 when a file is stale; write nothing")
    args = parser.parse_args(argv)
    stale = 0
    for path in dict.fromkeys(block.path for block in BLOCKS):
        current = path.read_text(encoding="utf-8")
        wanted = render(path, current)
        if wanted == current:
            continue
        if args.check:
            print(f"{path} is stale: run python tools/generate_client_models.py", file=sys.stderr)
            stale = 1
            continue
        path.write_text(wanted, encoding="utf-8")
        print(f"wrote {path}")
    return stale


if __name__ == "__main__":
    sys.exit(main())
