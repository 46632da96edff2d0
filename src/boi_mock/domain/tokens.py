"""Access tokens (AUTH-1, AUTH-3, AUTH-6): HS256 JWTs via python-jose, algorithm pinned.

Claims: exp, iat, nbf, sub (client id), aud (appName), jti, ver (the district's secret version:
a rotation bumps it and every older token dies, AUTH-4). Expiry is checked here against the
district's clock, not python-jose's wall clock, so an advanced clock ages tokens (MOCK-8).
"""

from __future__ import annotations

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


def issue(*, key: str, app_name: str, client_id: str, secret_version: int, now: int, lifetime: int) -> str:
    from jose import jwt

    claims = {
        "iss": ISSUER, "sub": client_id, "aud": app_name, "iat": now, "nbf": now, "exp": now + lifetime,
        "jti": secrets.token_hex(16), "ver": secret_version,
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def unverified_audience(token: str) -> str | None:
    """The appName a token names, before any check: only to find which district to verify against."""
    if len(token) > MAX_TOKEN_LENGTH:
        return None
    from jose import JWTError, jwt

    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.get_unverified_claims(token)
    except JWTError:
        return None
    if header.get("alg") != ALGORITHM:
        return None
    aud = claims.get("aud")
    return aud if isinstance(aud, str) and APP_NAME.fullmatch(aud) else None


def verify(token: str, *, key: str, app_name: str, now: int) -> TokenClaims:
    if len(token) > MAX_TOKEN_LENGTH:
        raise InvalidToken("token too long")
    from jose import JWTError, jwt

    try:
        header = jwt.get_unverified_header(token)
    except JWTError as exc:
        raise InvalidToken(f"malformed token: {exc}") from exc
    if header.get("alg") != ALGORITHM:
        raise InvalidToken(f"algorithm {header.get('alg')!r} is not accepted")
    try:
        claims: dict[str, Any] = jwt.decode(
            token, key, algorithms=[ALGORITHM], audience=app_name, issuer=ISSUER,
            # exp/nbf/iat are checked below against the district's clock; python-jose would use the
            # wall clock (and its require_exp would switch verify_exp back on).
            options={"verify_exp": False, "verify_nbf": False, "verify_iat": False,
                     "require_aud": True, "require_sub": True, "require_jti": True},
        )
    except JWTError as exc:
        raise InvalidToken(str(exc)) from exc
    exp, iat, nbf = claims.get("exp"), claims.get("iat"), claims.get("nbf", claims.get("iat"))
    ver = claims.get("ver")
    if not all(isinstance(v, int) for v in (exp, iat, nbf, ver)):
        raise InvalidToken("exp/iat/nbf/ver must be integers")
    assert isinstance(exp, int) and isinstance(iat, int) and isinstance(nbf, int) and isinstance(ver, int)
    if now >= exp:
        raise InvalidToken("token expired", signature_valid=True)
    # A token issued in the future is not valid yet either, whatever its nbf says (our tokens have nbf == iat).
    if now < max(nbf, iat) - 5:
        raise InvalidToken("token not yet valid", signature_valid=True)
    return TokenClaims(app_name=app_name, client_id=str(claims["sub"]), secret_version=ver,
                       issued_at=iat, expires_at=exp, jti=str(claims["jti"]))
