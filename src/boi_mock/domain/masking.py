"""Personal data and secrets out of everything boi-mock stores or shows (AUTH-5, ERR-1).

The one masking module: the Error Log, the journal, the server's logs, the Campus UI's flash messages and
its support-case draft all go through it. Masking is by what a value *is*, not by its shape alone:

* the `ssn` field, whatever its format (`401 55 8812`, `587.21.4963`, ten digits), keeps its last 4
  digits (`*****8812`);
* in free text (messages, paths, raw bodies that are not JSON) an SSN-shaped token — 3-2-4 digits with one
  separator (`-`, space or `.`) — and a value labelled `ssn` (`ssn=…`, `"ssn": "…"`) are masked;
* secrets and tokens are replaced whole in any syntax: a JSON key, a form or query field, a raw
  `"clientSecret": "…"` in malformed JSON, a `Bearer`/`Basic` credential, any JWT-shaped string;
* everything else is kept as sent: a 9-digit staff number, ZIP+4 (`55434-1234`), e-mails and app names
  with digits in them.
"""

from __future__ import annotations

import json
import re
from typing import Any

MASK = "***"
# Stored payloads (Error Log, journal bodies) are cut here, with a marker saying so (ERR-1).
PAYLOAD_LIMIT = 65_536

# Names compared lower-cased without '_' and '-': client_secret, clientSecret and client-secret are one name.
SECRET_NAMES = {"clientsecret", "secret", "password", "passwd", "accesstoken", "refreshtoken", "idtoken",
                "authorization", "token", "admintoken", "apikey"}
SSN_NAMES = {"ssn"}
# Objects whose members are counts named after fields (the validation report's
# summary.demographicDifferences.byField): their `ssn` is a number of differences, not an SSN.
COUNT_KEYS = {"byfield"}

_SENSITIVE = (r"client[_-]?secret|secret|password|passwd|access[_-]?token|refresh[_-]?token|id[_-]?token"
              r"|admin[_-]?token|api[_-]?key|token|authorization|ssn")
# `name=value` (form, query), `"name": "value"` (raw JSON, even malformed or cut), `name: value`.
_KEYED = re.compile(
    rf"""(?P<key>(?<![A-Za-z0-9])(?P<name>{_SENSITIVE})["']?\s*[:=]\s*)"""
    r"""(?P<value>"(?:[^"\\]|\\.)*"?|'[^']*'?|[0-9](?:[0-9 .+-]|%20)*[0-9]|[^\s&,;}\]"']+)""",
    re.IGNORECASE)
_BEARER = re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
# A compact JWS: base64url of '{"' starts "eyJ"; the signature may be empty (alg none).
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
# 3-2-4 digits with one separator used twice: 123-45-6789, 401 55 8812, 587.21.4963 (not ZIP+4, not phones).
_SSN_SHAPED = re.compile(r"(?<![0-9A-Za-z])(?<![0-9][.-])[0-9]{3}([- .])[0-9]{2}\1([0-9]{4})(?![0-9])(?![.-][0-9])")


def _name(key: str) -> str:
    return key.lower().replace("_", "").replace("-", "")


def is_secret_name(key: str | None) -> bool:
    return key is not None and _name(key) in SECRET_NAMES


def is_ssn_name(key: str | None) -> bool:
    return key is not None and _name(key) in SSN_NAMES


def mask_ssn(value: str) -> str:
    """An SSN, whatever its format, as its last 4 digits: `*****6789`."""
    digits = re.sub(r"[^0-9]", "", value)
    return "*****" + digits[-4:] if len(digits) >= 4 else "*****"


def storable(text: str) -> str:
    """The text without lone surrogates (JSON allows "\\ud800"; UTF-8 and the database do not): escaped."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _keyed(match: re.Match[str]) -> str:
    key, value = match.group("key"), match.group("value")
    quote = value[0] if value[:1] in ("'", '"') else ""
    if is_ssn_name(match.group("name")):
        if not re.search(r"[0-9]", value):  # "ssn: must be 9 digits" names the field, it holds no SSN
            return match.group(0)
        return f"{key}{quote}{mask_ssn(value)}{quote}"
    return f"{key}{quote}{MASK}{quote}"


def mask_text(text: str) -> str:
    """Free text (a message, a path, a query, a body that is not JSON) with its secrets, tokens and SSNs masked."""
    text = _JWT.sub(MASK, text)
    text = _BEARER.sub(lambda m: f"{m.group(1)} {MASK}", text)
    text = _KEYED.sub(_keyed, text)
    return storable(_SSN_SHAPED.sub(lambda m: "*****" + m.group(2), text))


def mask_field(key: str | None, value: Any) -> Any:
    """One value of a named field, as it may be shown: an SSN field masked, a secret replaced, text masked."""
    if is_secret_name(key):
        return MASK
    if is_ssn_name(key) and value is not None:
        return mask_ssn(value if isinstance(value, str) else json.dumps(value, default=str))
    return mask_text(value) if isinstance(value, str) else value


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def mask_value(value: Any, key: str | None = None, *, counts: bool = False) -> Any:
    """A JSON document masked field by field. `counts`: `value` is a member of a COUNT_KEYS object, where a
    number is a count, never an SSN."""
    if isinstance(value, dict):
        inner = (key or "").lower() in COUNT_KEYS
        return {k: mask_value(v, k, counts=inner) for k, v in value.items()}
    if isinstance(value, list) and not (is_ssn_name(key) or is_secret_name(key)):
        return [mask_value(v) for v in value]
    if counts and is_ssn_name(key) and _is_count(value):
        return value
    return mask_field(key, value)


def cut(text: str, limit: int = PAYLOAD_LIMIT) -> str:
    """At most `limit` characters, with a marker when something was cut."""
    if len(text) <= limit:
        return text
    return text[:limit] + f"…[cut: {len(text):,} characters, the first {limit:,} kept]"


def mask_body(raw: bytes, limit: int = PAYLOAD_LIMIT) -> str | None:
    """A request/response body as stored text: JSON masked field by field, anything else as text; cut at
    `limit` characters with a marker."""
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        # Masked a little beyond the cut, so the cut never splits a value before it is masked.
        text = mask_text(raw[:limit + 256].decode("utf-8", errors="replace"))
        if len(raw) > limit + 256:
            return text[:limit] + f"…[cut: {len(raw):,} bytes, the first {limit:,} kept]"
        return cut(text, limit)
    try:
        text = storable(json.dumps(mask_value(data), ensure_ascii=False))
    except RecursionError:
        return "<too deeply nested to store>"
    return cut(text, limit)
