"""Text no database can store is refused where control and UI inputs enter (issue 14; contract §9).

PostgreSQL's text types refuse NUL (U+0000): a DataError, a 500. A lone surrogate (U+D800 to U+DFFF, which a
JSON `\\ud800` escape can produce) is not UTF-8, so neither database can store it. `storable_inputs` is a
dependency of every /_mock router and of the Campus UI app: it looks at the path parameters, the query
parameters (names and values), the form fields and the JSON body (keys and strings, at any depth) before
any handler runs, and answers 400 `invalid_value` naming the input (`schools[0].name`, `q`). An integer no
column holds (beyond 64 bits: SQLite's driver overflows) is refused the same way, in an integer-typed path or
query parameter and anywhere in a JSON body. Other control characters are storable and stay the schemas'
business; narrower bounds (a 32-bit column) are the schemas' too. The BOI API has its own gate (`api/gate.py` for
the URL; the schemas' string types for bodies).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, get_args

from fastapi import Request
from starlette.datastructures import UploadFile

from boi_mock.errors import BadRequest, FieldError

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# In a JSON body such text can only come from a `\u0000` or `\udXXX` escape, a raw NUL byte, or the UTF-8
# bytes of a surrogate (json.loads decodes them with "surrogatepass"): a body without any of these is not
# parsed again (the 1.4 MB demo scenario: 2 ms to scan instead of 150 ms to parse and walk).
_UNSTORABLE_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")
_SURROGATE_UTF8 = re.compile(rb"\xed[\xa0-\xbf]")


_MAYBE_BIG_INTEGER = re.compile(rb"[0-9]{19}")  # 2**63 has 19 digits


def _may_hold_unstorable_json(body: bytes) -> bool:
    return (b"\x00" in body or (b"\\u" in body and _UNSTORABLE_ESCAPE.search(body) is not None)
            or (b"\xed" in body and _SURROGATE_UTF8.search(body) is not None))


_MAX_REPORTED = 20
INT64 = range(-(2**63), 2**63)
_INT_PARAMS: dict[int, tuple[object, frozenset[str]]] = {}


def escaped(text: str) -> str:
    """The text with every unstorable character written as its escape (`\\u0000`), safe to show and store."""
    return UNSTORABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _what(char: str) -> str:
    return "a NUL character" if char == "\x00" else "a lone surrogate"


def _problem(field: str, text: str) -> FieldError | None:
    found = UNSTORABLE.search(text)
    if found is None:
        return None
    char = found.group()
    return FieldError(field, "invalid_value",
                      f"{field} holds {_what(char)} ({escaped(char)}), which cannot be stored")


def _json_strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(path, text) of every key and string of a JSON document; a key is reported at its own path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{escaped(key)}" if path else escaped(key)
            yield child, key
            yield from _json_strings(item, child)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _json_strings(item, f"{path}[{i}]")


def _json_big_integers(value: Any, path: str) -> Iterator[str]:
    """Paths of the integers of a JSON document that no 64-bit column can hold."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value not in INT64:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _json_big_integers(item, f"{path}.{escaped(key)}" if path else escaped(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _json_big_integers(item, f"{path}[{i}]")


def _is_int(annotation: Any) -> bool:
    return annotation is int or int in get_args(annotation)


def _int_parameters(route: Any) -> frozenset[str]:
    """The names of the route's integer-typed path and query parameters (its dependencies' too), cached."""
    cached = _INT_PARAMS.get(id(route))
    if cached is not None and cached[0] is route:
        return cached[1]
    names: set[str] = set()
    pending = [getattr(route, "dependant", None)]
    while pending:
        dependant = pending.pop()
        if dependant is None:
            continue
        for field in (*dependant.path_params, *dependant.query_params):
            if _is_int(field.field_info.annotation):
                names.add(field.alias)
        pending.extend(dependant.dependencies)
    _INT_PARAMS[id(route)] = (route, frozenset(names))
    return frozenset(names)


def _big_integer(field: str, text: str) -> FieldError | None:
    try:
        value = int(text.strip())
    except ValueError:
        return None  # not an integer: the parameter's own validation answers
    if value in INT64:
        return None
    return FieldError(field, "invalid_value", f"{field} is {text.strip()[:40]}, beyond the 64-bit integers any "
                      "database column holds")


async def _json_document(request: Request) -> Any:
    """The JSON body when it may hold something unstorable, else None (see `_may_hold_unstorable_json`)."""
    body = await request.body()
    if not _may_hold_unstorable_json(body) and not _MAYBE_BIG_INTEGER.search(body):
        return None
    try:
        # Starlette caches the parse: the control API's route class has already parsed this body (duplicate-key
        # check), so it is not parsed again here; on a UI route the handler reuses this one.
        return await request.json()
    except (ValueError, RecursionError):  # malformed or too deep: the handler's 400 (or no body on this route)
        return None


async def _form_strings(request: Request) -> list[tuple[str, str]]:
    """(field, text) of every form field name and value (a file's name, not its content: the upload's own
    checks read that)."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return []
    form = await request.form()  # the same parsed form the handler gets (Starlette caches it)
    pairs: list[tuple[str, str]] = []
    for key, value in form.multi_items():
        text = value.filename or "" if isinstance(value, UploadFile) else value
        pairs += [(escaped(key), key), (escaped(key), text)]
    return pairs


async def storable_inputs(request: Request) -> None:
    """400 when a path parameter, query parameter, form field or JSON body holds unstorable text, or an integer
    parameter or JSON number is beyond 64 bits."""
    candidates: list[tuple[str, str]] = [(name, str(value)) for name, value in request.path_params.items()]
    for key, value in request.query_params.multi_items():
        candidates += [(escaped(key), key), (escaped(key), value)]
    candidates += await _form_strings(request)
    problems = [p for field, text in candidates if (p := _problem(field, text)) is not None]
    int_names = _int_parameters(request.scope.get("route"))
    problems += [p for name, value in (*request.path_params.items(), *request.query_params.multi_items())
                 if name in int_names and (p := _big_integer(name, str(value))) is not None]
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        document = await _json_document(request)
        problems += [p for field, text in _json_strings(document, "") if (p := _problem(field, text)) is not None]
        problems += [FieldError(field, "invalid_value", f"{field} is beyond the 64-bit integers any database "
                                "column holds") for field in _json_big_integers(document, "")]
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise BadRequest(f"{first.message}{more}; nothing was changed", code="invalid_value",
                         errors=problems[:_MAX_REPORTED])
