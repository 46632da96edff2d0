"""Personal data and secrets out of logs, the Error Log and the journal (AUTH-5, ERR-1).

SSNs keep their last 4 digits ("*****6789"); secrets and tokens are replaced whole.
"""

from __future__ import annotations

import json
import re
from typing import Any

SECRET_KEYS = {"clientsecret", "client_secret", "secret", "password", "access_token", "accesstoken",
               "authorization", "token", "admin_token"}
SSN_KEYS = {"ssn"}
_SSN_TEXT = re.compile(r"(?<!\d)(\d{3})-?(\d{2})-?(\d{4})(?!\d)")
_FORM_SECRET = re.compile(r"(client_secret|clientSecret|password|access_token|accessToken)=[^&\s]*", re.IGNORECASE)
_BEARER = re.compile(r"(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE)


def mask_ssn(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return "*****" + digits[-4:] if len(digits) >= 4 else "*****"


def storable(text: str) -> str:
    """The text without lone surrogates (JSON allows "\\ud800"; UTF-8 and the database do not): escaped."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def mask_text(text: str) -> str:
    """Mask anything that looks like an SSN, a form secret or a credential header in free text."""
    text = _FORM_SECRET.sub(lambda m: f"{m.group(1)}=***", text)
    text = _BEARER.sub(lambda m: f"{m.group(1)} ***", text)
    return storable(_SSN_TEXT.sub(lambda m: "*****" + m.group(3), text))


# Objects whose members are counts named after fields (the validation report's
# summary.demographicDifferences.byField): their `ssn` is a number of differences, not an SSN.
COUNT_KEYS = {"byfield"}


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def mask_value(value: Any, key: str | None = None, *, counts: bool = False) -> Any:
    """`counts`: `value` is a member of a COUNT_KEYS object, where a number is a count, never an SSN."""
    lowered = (key or "").lower()
    if lowered in SECRET_KEYS:
        return "***"
    if lowered in SSN_KEYS and value is not None and not (counts and _is_count(value)):
        return mask_ssn(str(value))
    if isinstance(value, dict):
        inner = lowered in COUNT_KEYS
        return {k: mask_value(v, k, counts=inner) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_value(v) for v in value]
    if isinstance(value, str):
        return mask_text(value)
    return value


def mask_body(raw: bytes, limit: int = 200_000) -> str | None:
    """A request/response body as stored text: JSON masked field by field, anything else as text."""
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        text = raw[:limit].decode("utf-8", errors="replace")
        return mask_text(text) + ("…" if len(raw) > limit else "")
    try:
        text = storable(json.dumps(mask_value(data), ensure_ascii=False))
    except RecursionError:
        return "<too deeply nested to store>"
    return text if len(text) <= limit else text[:limit] + "…"
