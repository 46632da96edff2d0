"""OAuth2 client credentials (AUTH-1, AUTH-2) and Bearer checks on every BOI call (AUTH-3, AUTH-4)."""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
from dataclasses import dataclass
from urllib.parse import unquote_plus

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from boi_mock import models as m
from boi_mock.clock import clock_of
from boi_mock.domain import tokens
from boi_mock.domain.masking import mask_text
from boi_mock.errors import Unauthorized
from boi_mock.repositories import districts as district_repo

SIGNING_KEY_SETTING = "token_signing_key"


class OAuthError(Exception):
    """An RFC 6749 §5.2 error: rendered as {"error": …}, not problem+json.

    `reason` says which check failed, for the district's Error Log and the server log only: the caller gets
    `description`, the same for every failed client authentication (AUTH-2: no oracle). Never holds a secret.
    `district_id`: the district the token URL's appName names, whose Error Log gets the row.
    """

    def __init__(self, error: str, description: str, status: int = 400, *, reason: str | None = None,
                 district_id: int | None = None) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status
        self.reason = reason or description
        self.district_id = district_id


def signing_key(session: Session, configured: str | None) -> str:
    """The server's HS256 key: from settings, else generated once and persisted (AUTH-6).

    Replicas (and --workers processes) starting together all find no key: each offers one with
    INSERT … ON CONFLICT DO NOTHING and reads back whichever was stored first, so they all sign alike.
    """
    if configured:
        return configured
    stored = session.scalar(select(m.ServerSetting.value).where(m.ServerSetting.key == SIGNING_KEY_SETTING))
    if stored is not None:
        return stored
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(m.ServerSetting).values(key=SIGNING_KEY_SETTING, value=secrets.token_urlsafe(48))
                    .on_conflict_do_nothing(index_elements=["key"]))
    return session.scalars(select(m.ServerSetting.value).where(m.ServerSetting.key == SIGNING_KEY_SETTING)).one()


def _district_named(session: Session, app_name: str | None) -> m.District | None:
    """A name that cannot be an appName (e.g. holding a NUL) names no district and never reaches the database."""
    if not app_name or not tokens.APP_NAME.fullmatch(app_name):
        return None
    return district_repo.by_app_name(session, app_name)


@dataclass(frozen=True)
class TokenResponse:
    access_token: str
    expires_in: int
    token_type: str = "Bearer"


def _basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    if not authorization or not authorization.lower().startswith("basic "):
        return None
    try:
        raw = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise OAuthError("invalid_request", "Malformed HTTP Basic credentials") from exc
    if ":" not in raw:
        raise OAuthError("invalid_request", "Malformed HTTP Basic credentials")
    user, _, password = raw.partition(":")
    # RFC 6749 §2.3.1: client id and secret are form-urlencoded before Basic encoding.
    return unquote_plus(user), unquote_plus(password)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
FORM_ONLY = ("The token request body must be form-encoded (Content-Type: application/x-www-form-urlencoded: "
             "grant_type=client_credentials&client_id=…&client_secret=…), not {kind}; or send the client id and "
             "secret as HTTP Basic")
CLIENT_AUTH_FAILED = "Client authentication failed"


def issue_token(
    session: Session,
    *,
    key: str,
    app_name: str | None,
    grant_type: str | None,
    client_id: str | None,
    client_secret: str | None,
    authorization: str | None,
    content_type: str | None = None,
) -> TokenResponse:
    district = _district_named(session, app_name)
    district_id = district.id if district is not None else None

    def refuse(error: str, description: str, status: int = 400, reason: str | None = None) -> OAuthError:
        return OAuthError(error, description, status, reason=reason, district_id=district_id)

    media_type = (content_type or "").partition(";")[0].strip().lower()
    if media_type and media_type not in FORM_TYPES:
        kind = "JSON" if media_type.endswith(("/json", "+json")) else media_type
        raise refuse("invalid_request", FORM_ONLY.format(kind=kind))
    basic = _basic_credentials(authorization)
    if basic is not None and (client_id or client_secret):
        raise refuse("invalid_request", "Send client credentials either in the body or as HTTP Basic, not both")
    if grant_type is None:
        raise refuse("invalid_request", "grant_type is required (grant_type=client_credentials)")
    if grant_type != "client_credentials":
        raise refuse("unsupported_grant_type", f"grant_type {grant_type!r} is not supported (use client_credentials)")
    if basic is not None:
        client_id, client_secret = basic
    if not client_id or not client_secret:
        raise refuse("invalid_client", CLIENT_AUTH_FAILED, 401, "No client credentials: send client_id and "
                     "client_secret in the form body, or as HTTP Basic")
    # One answer for unknown app, client or secret: no oracle (AUTH-2). Compare both in constant time.
    expected_id = district.client_id if district else secrets.token_hex(16)
    expected_secret = district.client_secret if district else secrets.token_hex(16)
    id_ok = hmac.compare_digest(client_id.encode(), expected_id.encode())
    secret_ok = hmac.compare_digest(client_secret.encode(), expected_secret.encode())
    if district is None or not (id_ok and secret_ok):
        raise refuse("invalid_client", CLIENT_AUTH_FAILED, 401,
                     refusal_reason(district, app_name, client_id, client_secret, id_ok=id_ok))
    clock = clock_of(district)
    token = tokens.issue(key=key, app_name=district.app_name, client_id=district.client_id,
                         secret_version=district.secret_version, now=clock.timestamp(),
                         lifetime=district.token_lifetime_seconds, binding=district.token_binding)
    return TokenResponse(access_token=token, expires_in=district.token_lifetime_seconds)


def refusal_reason(district: m.District | None, app_name: str | None, client_id: str, client_secret: str, *,
                   id_ok: bool) -> str:
    """Which check a failed client authentication failed, said without a secret (AUTH-2: logged, never answered)."""
    if district is None:
        if not app_name:
            return "No appName in the token URL (…/campus/oauth2/token?appName=<your district's appName>)"
        return f"Unknown appName {mask_text(app_name[:64])!r}: no district of that name"
    if not id_ok:
        if hmac.compare_digest(client_id.encode(), district.client_secret.encode()):
            return "Unknown client: the client_id sent is this district's client secret (client id and secret swapped?)"
        return (f"Unknown client: client_id {mask_text(client_id[:100])!r} is not this district's client id "
                f"({district.client_id!r})")
    retired_at = _retired_at(district, client_secret)
    if retired_at is not None:
        return (f"Rotated secret: the client secret sent was replaced on {retired_at} (Generate New Secret): use the "
                "current secret (Business Office Integration Credentials)")
    if hmac.compare_digest(client_secret.encode(), district.client_id.encode()):
        return "Wrong secret: the client_secret sent is the client id"
    return (f"Wrong secret: the client_secret sent ({len(client_secret)} characters) is not client "
            f"{district.client_id!r}'s secret (nor one it had before)")


def _retired_at(district: m.District, client_secret: str) -> str | None:
    fingerprint = tokens.secret_fingerprint(district.token_binding, client_secret)
    for retired in reversed(district.retired_secrets or []):
        if hmac.compare_digest(retired.get("fingerprint", ""), fingerprint):
            return retired.get("retiredAt", "an earlier date").replace("T", " ")[:19] + " (the district's time)"
    return None


def _invalid(detail: str, district: m.District | None = None) -> Unauthorized:
    """401; `district` is set when the token was genuinely that district's (so its Error Log shows it)."""
    error = Unauthorized(detail, code="invalid_token")
    error.district_id = district.id if district is not None else None
    return error


def bearer_token(authorization: str | None) -> tuple[tokens.ParsedToken | None, str | None]:
    """The Bearer token of the header, decoded once, and the appName it names (unverified: only to find the
    district), or 401."""
    if not authorization:
        raise _invalid("Missing Authorization header: send 'Authorization: Bearer <access_token>'")
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _invalid("The Authorization header must be 'Bearer <access_token>'")
    parsed = tokens.parse(token)
    return parsed, parsed.app_name if parsed is not None else None


def verify_for(district: m.District | None, token: tokens.ParsedToken | None, *, key: str) -> str:
    """The client id, when `token` is good for `district` (the one its audience names), else 401 (AUTH-3, AUTH-4)."""
    if district is None or token is None:
        raise _invalid("The access token is malformed, badly signed or for an unknown district")
    try:
        claims = tokens.verify_parsed(token, key=key, app_name=district.app_name, now=clock_of(district).timestamp())
    except tokens.InvalidToken as exc:
        raise _invalid(f"The access token is not valid: {exc}", district if exc.signature_valid else None) from exc
    # Bound to this district instance (MOCK-15): one deleted and created again under the same appName (new
    # binding, new client id) is another district, and its tokens are foreign here (logged nowhere).
    if not (hmac.compare_digest(claims.binding.encode(), district.token_binding.encode())
            and hmac.compare_digest(claims.client_id.encode(), district.client_id.encode())):
        raise _invalid("The access token was issued to an earlier district of this appName (deleted and created "
                       "again) or to another client; get a new token with this district's credentials")
    if claims.secret_version != district.secret_version:
        raise _invalid("The access token was issued before the client secret was regenerated; get a new token",
                       district)
    return claims.client_id


def authenticate(session: Session, *, key: str, authorization: str | None) -> tuple[m.District, str]:
    """The district a Bearer token is good for, or 401 (AUTH-3, AUTH-4). Returns (district, client id)."""
    token, app_name = bearer_token(authorization)
    district = _district_named(session, app_name)
    client_id = verify_for(district, token, key=key)
    assert district is not None
    return district, client_id
