"""Text no database can store is refused where control and UI inputs enter (issue 14; contract §9).

PostgreSQL's text types refuse NUL (U+0000): a DataError, a 500. A lone surrogate (U+D800 to U+DFFF, which a
JSON `\\ud800` escape can produce) is not UTF-8, so neither database can store it. `storable_inputs` is a
dependency of every /_mock router and of the Campus UI app: it looks at the path parameters, the query
parameters (names and values), the form fields and the JSON body (keys and strings, at any depth) before
any handler runs, and answers 400 `invalid_value` naming the input (`schools[0].name`, `q`). Other control
characters are storable and stay the schemas' business. The BOI API has its own gate (`api/gate.py` for
the URL; the schemas' string types for bodies).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile

from boi_mock.errors import BadRequest, FieldError

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# In a JSON body such text can only come from a `\u0000` or `\udXXX` escape, a raw NUL byte, or the UTF-8
# bytes of a surrogate (json.loads decodes them with "surrogatepass"): a body without any of these is not
# parsed again (the 1.4 MB demo scenario: 2 ms to scan instead of 150 ms to parse and walk).
_UNSTORABLE_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")
_SURROGATE_UTF8 = re.compile(rb"\xed[\xa0-\xbf]")


def _may_hold_unstorable_json(body: bytes) -> bool:
    return (b"\x00" in body or (b"\\u" in body and _UNSTORABLE_ESCAPE.search(body) is not None)
            or (b"\xed" in body and _SURROGATE_UTF8.search(body) is not None))


_MAX_REPORTED = 20


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


async def _body_strings(request: Request) -> Iterator[tuple[str, str]]:
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()  # the same parsed form the handler gets (Starlette caches it)
        pairs: list[tuple[str, str]] = []
        for key, value in form.multi_items():
            pairs.append((escaped(key), key))
            text = value.filename or "" if isinstance(value, UploadFile) else value
            pairs.append((escaped(key), text))
        return iter(pairs)
    if media == "application/json" or media.endswith("+json"):
        body = await request.body()
        if not _may_hold_unstorable_json(body):
            return iter(())
        try:
            document = json.loads(body)
        except ValueError:  # malformed JSON is the handler's 400 (or ignored by a route without a body)
            return iter(())
        return _json_strings(document, "")
    return iter(())


async def storable_inputs(request: Request) -> None:
    """400 when a path parameter, query parameter, form field or JSON string holds unstorable text."""
    candidates: list[tuple[str, str]] = [(name, str(value)) for name, value in request.path_params.items()]
    for key, value in request.query_params.multi_items():
        candidates += [(escaped(key), key), (escaped(key), value)]
    problems = [p for field, text in candidates if (p := _problem(field, text)) is not None]
    problems += [p for field, text in await _body_strings(request) if (p := _problem(field, text)) is not None]
    if problems:
        first = problems[0]
        raise BadRequest(f"{first.message}: NUL and lone surrogates are not accepted in any input; "
                         "nothing was changed", code="invalid_value", errors=problems[:_MAX_REPORTED])
