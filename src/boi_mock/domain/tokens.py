"""Access tokens (AUTH-1, AUTH-3, AUTH-6): HS256 JWTs (issued with python-jose), algorithm pinned.

A BOI call's token is decoded once (`parse`): its audience names the district to load, and the same
decoded parts are then verified against it (`verify_parsed`: HMAC-SHA256 compared in constant time).

Claims: exp, iat, nbf, sub (client id), aud (appName), jti, ver (the district's secret version:
a rotation bumps it and every older token dies, AUTH-4), did (the district instance's random binding: a
district deleted and created again under the same appName never accepts a token of the old one, MOCK-15).
Expiry is checked here against the
district's clock, not python-jose's wall clock, so an advanced clock ages tokens (MOCK-8).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

# python-jose is imported where it is used: it loads the `cryptography` package, a tenth of starting the app.

ALGORITHM = "HS256"
ISSUER = "boi-mock"
MAX_TOKEN_LENGTH = 4096
# What an appName can be (the scenario schema enforces the same): anything else names no district.
APP_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")

# A chosen client secret (MOCK-13): 16 to 200 of RFC 3986's unreserved characters, so it survives a form body,
# HTTP Basic, a query string and a shell without quoting or encoding, and fits the credential's column.
CLIENT_SECRET_MIN = 16
CLIENT_SECRET_MAX = 200
CLIENT_SECRET = re.compile(r"[A-Za-z0-9._~-]+")
CLIENT_SECRET_RULE = (f"{CLIENT_SECRET_MIN} to {CLIENT_SECRET_MAX} characters, each a letter A-Z or a-z, a digit "
                      "0-9, or one of - . _ ~")


def client_secret_problem(secret: str) -> str | None:
    """Why a chosen client secret is refused (MOCK-13), or None; the message never repeats the secret."""
    if not CLIENT_SECRET_MIN <= len(secret) <= CLIENT_SECRET_MAX or not CLIENT_SECRET.fullmatch(secret):
        return f"must be {CLIENT_SECRET_RULE} (got {len(secret)} characters)"
    return None


class InvalidToken(Exception):
    """The token is not acceptable; the message says why. `signature_valid`: it was ours, but is stale."""

    def __init__(self, message: str, *, signature_valid: bool = False) -> None:
        super().__init__(message)
        self.signature_valid = signature_valid


@dataclass(frozen=True)
class TokenClaims:
    app_name: str
    client_id: str
    secret_version: int
    issued_at: int
    expires_at: int
    jti: str
    binding: str


def secret_fingerprint(binding: str, secret: str) -> str:
    """A salted SHA-256 of a client secret: recognises a retired secret without storing it (AUTH-2, AUTH-4)."""
    return hashlib.sha256(f"{binding}:{secret}".encode()).hexdigest()


def issue(*, key: str, app_name: str, client_id: str, secret_version: int, now: int, lifetime: int,
          binding: str = "") -> str:
    from jose import jwt

    claims = {
        "iss": ISSUER, "sub": client_id, "aud": app_name, "iat": now, "nbf": now, "exp": now + lifetime,
        "jti": secrets.token_hex(16), "ver": secret_version, "did": binding,
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM)


@dataclass(frozen=True)
class ParsedToken:
    """A token's three parts, decoded once: the audience to find the district by, then verified against it."""

    header: dict[str, Any]
    claims: dict[str, Any]
    signing_input: bytes
    signature: bytes

    @property
    def app_name(self) -> str | None:
        """The appName the token names, before any check: only to find which district to verify against."""
        aud = self.claims.get("aud")
        if self.header.get("alg") != ALGORITHM or not isinstance(aud, str) or not APP_NAME.fullmatch(aud):
            return None
        return aud


def _segment(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def parse(token: str) -> ParsedToken | None:
    """Split and decode a compact JWS (header.claims.signature) once; None when it is not one."""
    if len(token) > MAX_TOKEN_LENGTH or token.count(".") != 2:
        return None
    head, body, signature = token.split(".")
    try:
        header, claims = json.loads(_segment(head)), json.loads(_segment(body))
        raw_signature = _segment(signature)
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return None
    return ParsedToken(header=header, claims=claims, signing_input=f"{head}.{body}".encode("ascii", "replace"),
                       signature=raw_signature)


def unverified_audience(token: str) -> str | None:
    """The appName a token names, before any check: only to find which district to verify against."""
    parsed = parse(token)
    return parsed.app_name if parsed is not None else None


def verify(token: str, *, key: str, app_name: str, now: int) -> TokenClaims:
    parsed = parse(token)
    if parsed is None:
        raise InvalidToken("malformed token")
    return verify_parsed(parsed, key=key, app_name=app_name, now=now)


def verify_parsed(token: ParsedToken, *, key: str, app_name: str, now: int) -> TokenClaims:
    """HS256 only (algorithm pinned), our issuer, this district's audience; exp/nbf/iat on the district's clock."""
    if token.header.get("alg") != ALGORITHM:
        raise InvalidToken(f"algorithm {token.header.get('alg')!r} is not accepted")
    expected = hmac.new(key.encode("utf-8"), token.signing_input, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, token.signature):
        raise InvalidToken("Signature verification failed.")
    claims = token.claims
    aud = claims.get("aud")
    if aud is None:
        raise InvalidToken('Token is missing the "aud" claim')
    if not (aud == app_name or (isinstance(aud, list) and app_name in aud)):
        raise InvalidToken("Invalid audience")
    if claims.get("iss") != ISSUER:
        raise InvalidToken("Invalid issuer")
    for name in ("sub", "jti", "did"):
        if name not in claims:
            raise InvalidToken(f'Token is missing the "{name}" claim')
        if not isinstance(claims[name], str):
            raise InvalidToken(f"{name} must be a string")
    # exp/iat/nbf are checked here against the district's clock (python-jose would use the wall clock).
    exp, iat, nbf = claims.get("exp"), claims.get("iat"), claims.get("nbf", claims.get("iat"))
    ver = claims.get("ver")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (exp, iat, nbf, ver)):
        raise InvalidToken("exp/iat/nbf/ver must be integers")
    assert isinstance(exp, int) and isinstance(iat, int) and isinstance(nbf, int) and isinstance(ver, int)
    if now >= exp:
        raise InvalidToken("token expired", signature_valid=True)
    # A token issued in the future is not valid yet either, whatever its nbf says (our tokens have nbf == iat).
    if now < max(nbf, iat) - 5:
        raise InvalidToken("token not yet valid", signature_valid=True)
    return TokenClaims(app_name=app_name, client_id=str(claims["sub"]), secret_version=ver,
                       issued_at=iat, expires_at=exp, jti=str(claims["jti"]), binding=str(claims["did"]))
