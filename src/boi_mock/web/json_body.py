"""A JSON body, parsed once, for the BOI API (`api/routing.py`) and the control API (`control/guard.py`).

`json.loads` keeps the last value of a key given twice without a word (`{"ssn": "…", "ssn": null}`): a vendor's
serialiser bug the real system may read differently. Here it is a 400 `invalid_value` naming the key (contract
§1). The check is an `object_pairs_hook` that only compares lengths (about 20 ms per MB on top of the parse);
the paths are found only when some object did repeat a key.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from boi_mock.errors import BadRequest, FieldError
from boi_mock.inputs import escaped

_MAX_REPORTED = 20


def _child(path: str, key: str) -> str:
    return f"{path}.{escaped(key)}" if path else escaped(key)


def _repeated_keys(value: Any, path: str, offenders: dict[int, list[tuple[str, Any]]]) -> Iterator[str]:
    """The path of every key an object held twice, in document order (`offenders`: those objects, by id)."""
    if isinstance(value, dict):
        pairs = offenders.get(id(value))
        if pairs is not None:
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    yield _child(path, key)
                seen.add(key)
        for key, item in value.items():
            yield from _repeated_keys(item, _child(path, key), offenders)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _repeated_keys(item, f"{path}[{i}]", offenders)


def parse_json(body: bytes | str) -> Any:
    """The document; ValueError (or RecursionError) when malformed; 400 `invalid_value` naming every key an
    object gives twice."""
    offenders: list[tuple[dict[str, Any], list[tuple[str, Any]]]] = []

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            offenders.append((obj, pairs))
        return obj

    document = json.loads(body, object_pairs_hook=hook)
    if offenders:
        by_id = {id(obj): pairs for obj, pairs in offenders}
        paths = list(dict.fromkeys(_repeated_keys(document, "", by_id)))
        problems = [FieldError(path, "invalid_value",
                               f"{path} is given more than once in its JSON object; each key may appear once")
                    for path in paths]
        raise BadRequest(f"Duplicate key: {problems[0].message}", code="invalid_value",
                         errors=problems[:_MAX_REPORTED])
    return document
