"""Attacks on the Bearer check (AUTH-3, AUTH-4, AUTH-6) beyond tests/api/test_auth.py, each → 401.

tests/api/test_auth.py already proves: missing header, non-Bearer scheme, garbage, a foreign
signature, alg=none, a 10 KB token, a token of another district on /apps/{appName}, an expired token,
clock-aged tokens, secret rotation and HS512. Here: tokens not yet valid (nbf or iat in the future),
wrong or malformed audiences and claims, RS256/ES256 tokens (algorithm confusion), algorithm-name
tricks, a token from before a rotation used to write, another district's token against this
district's data (scoped paths and the vendor path), and oversized (64 KB, 1 MB) and non-ASCII
Authorization headers against a real server (uvicorn's own header handling, not the test client).

Not applicable, by construction: the classic "RS256 public key used as the HS256 secret" confusion.
boi-mock has no asymmetric key at all: tokens are HS256 only, signed with a server secret (AUTH-6), and
verification pins HS256 (`algorithms=["HS256"]`); an RS256 token is refused for its algorithm before
any key is used, which the RS256 cases below prove.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import time
from collections.abc import Callable
from typing import Any

import ecdsa  # type: ignore[import-untyped]  # python-jose's own EC backend; no stubs
import httpx
import pytest
import rsa
from fastapi.testclient import TestClient
from jose import jwt
from sqlalchemy import create_engine

from tests.reliability.support import (
    LiveServer,
    district_id_of,
    district_snapshot,
    new_live_district,
    snapshot_diff,
)
from tests.support import BOI, District, create_district, staff_payload


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _key(client: TestClient) -> str:
    key: str = client.app.state.signing_key  # type: ignore[attr-defined]
    return key


def _signed(key: str, header: Any, payload: Any) -> str:
    """A token with exactly this header and payload JSON, HMAC-SHA256-signed with the server key."""
    head = _b64(json.dumps(header).encode())
    body = _b64(payload if isinstance(payload, bytes) else json.dumps(payload).encode())
    signature = hmac.new(key.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(signature)}"


def _claims(district: District, **changes: Any) -> dict[str, Any]:
    """The district's real claims with changes (None removes a claim)."""
    claims = {**jwt.get_unverified_claims(district.token()), **changes}
    return {k: v for k, v in claims.items() if v is not None}


def _assert_401(district: District, token: str, what: str) -> None:
    response = district.get("/schools", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, f"{what}: {response.status_code} {response.text[:200]}"
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"', what
    assert response.json()["code"] == "invalid_token", what


def test_auth3_tokens_not_yet_valid_nbf_or_iat_in_the_future_are_401(district: District, client: TestClient) -> None:
    key, now = _key(client), int(time.time())
    cases = {
        "nbf in an hour": _claims(district, nbf=now + 3600),
        "iat in an hour, no nbf": _claims(district, iat=now + 3600, nbf=None),
        "iat in an hour, nbf now": _claims(district, iat=now + 3600, nbf=now),
        "iat and nbf in an hour": _claims(district, iat=now + 3600, nbf=now + 3600),
    }
    for what, claims in cases.items():
        _assert_401(district, jwt.encode(claims, key, algorithm="HS256"), what)
    # Control: the same claims with the present time pass, so the 401s above are about time alone.
    district.get("/schools", headers={"Authorization": f"Bearer {jwt.encode(_claims(district), key)}"}
                 ).raise_for_status()


def test_auth3_wrong_missing_or_malformed_audience_and_claims_are_401(district: District, client: TestClient) -> None:
    key, now = _key(client), int(time.time())
    cases: dict[str, dict[str, Any]] = {
        "audience of no district": _claims(district, aud="no-such-district"),
        "audience as a list": _claims(district, aud=[district.app_name]),
        "audience list with extra": _claims(district, aud=[district.app_name, "other"]),
        "audience empty": _claims(district, aud=""),
        "no audience": _claims(district, aud=None),
        "no exp": _claims(district, exp=None),
        "exp a string": _claims(district, exp=str(now + 100)),
        "exp a float": _claims(district, exp=now + 100.5),
        "exp a boolean": _claims(district, exp=True),
        "no ver (secret version)": _claims(district, ver=None),
        "ver a string": _claims(district, ver="1"),
        "ver of a future secret": _claims(district, ver=2),
        "no sub": _claims(district, sub=None),
        "sub a number": _claims(district, sub=5),
        "no jti": _claims(district, jti=None),
        "another issuer": _claims(district, iss="https://evil.example"),
        "no issuer": _claims(district, iss=None),
    }
    for what, claims in cases.items():
        _assert_401(district, jwt.encode(claims, key, algorithm="HS256"), what)
    raw_cases = {
        "claims a JSON list": _signed(key, {"alg": "HS256", "typ": "JWT"}, [district.app_name]),
        "claims a JSON string": _signed(key, {"alg": "HS256", "typ": "JWT"}, district.app_name),
        "claims not JSON": _signed(key, {"alg": "HS256", "typ": "JWT"}, b"\xff\xfe\x00"),
        "header a JSON list": f"{_b64(b'[1]')}.{_b64(json.dumps(_claims(district)).encode())}.x",
        "header without alg": _signed(key, {"typ": "JWT"}, _claims(district)),
        "alg in lower case": _signed(key, {"alg": "hs256"}, _claims(district)),
        "alg None capitalised": _signed(key, {"alg": "None"}, _claims(district)),
        "alg HS384": jwt.encode(_claims(district), key, algorithm="HS384"),
        "alg HS256 with a trailing space": _signed(key, {"alg": "HS256 "}, _claims(district)),
        "empty signature": district.token().rsplit(".", 1)[0] + ".",
        "signature of another token": district.token().rsplit(".", 1)[0] + "."
                                      + district.token(fresh=True).rsplit(".", 1)[1],
        "two dots": "..",
        "four segments": district.token() + ".x",
    }
    for what, token in raw_cases.items():
        _assert_401(district, token, what)


def test_auth6_rs256_and_es256_tokens_are_401_whatever_key_signed_them(district: District) -> None:
    public_key, private_key = rsa.newkeys(1024)  # python-jose's own RSA backend (small key: speed)
    rsa_pem = private_key.save_pkcs1().decode()
    ec_pem = ecdsa.SigningKey.generate(curve=ecdsa.NIST256p).to_pem().decode()
    claims = _claims(district)
    _assert_401(district, jwt.encode(claims, rsa_pem, algorithm="RS256"), "RS256")
    _assert_401(district, jwt.encode(claims, ec_pem, algorithm="ES256"), "ES256")
    # An RS256 header over an HMAC signature made with the RSA public key (the classic confusion attack).
    public_pem = public_key.save_pkcs1().decode()
    _assert_401(district, _signed(public_pem, {"alg": "RS256", "typ": "JWT"}, claims), "RS256 header, HMAC body")
    _assert_401(district, _signed(public_pem, {"alg": "HS256", "typ": "JWT"}, claims), "HS256 with a public key")


def _snapshot(database_url: str, district: District) -> dict[str, list[tuple[Any, ...]]]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return district_snapshot(conn, district_id_of(conn, district.app_name))
    finally:
        engine.dispose()


WRITES: list[tuple[str, str, Any]] = [
    ("POST", "/staffMembers", staff_payload("44001")),
    ("PUT", "/staffMembers/10060", {"lastName": "Hijacked"}),
    ("POST", "/staffMembers/10060/position", {"schoolNumber": "010", "assignmentCode": "20",
                                              "startDate": "2024-01-01"}),
    ("PUT", "/staffMembers/10060/position", {"schoolNumber": "020", "assignmentCode": "30",
                                             "startDate": "2012-08-13", "endDate": "2020-01-01"}),
    ("POST", "/staffMembers/sync/start", None),
]


def test_auth4_token_from_before_rotation_cannot_write_and_other_districts_keep_working(
        client: TestClient, database_url: str) -> None:
    district, other = create_district(client), create_district(client)
    old_token, other_token = district.token(), other.token()
    rotated = district.mock("POST", "/secret")
    assert rotated.status_code == 200
    before = _snapshot(database_url, district)
    for method, path, body in WRITES:
        response = district.call(method, path, json=body, headers={"Authorization": f"Bearer {old_token}"})
        assert response.status_code == 401, (method, path, response.text)
    assert not snapshot_diff(before, _snapshot(database_url, district))
    # Another district's tokens are untouched by this district's rotation.
    assert other.get("/schools", headers={"Authorization": f"Bearer {other_token}"}).status_code == 200


def test_auth3_another_districts_token_neither_reads_nor_changes_this_districts_data(
        client: TestClient, database_url: str) -> None:
    mine, theirs = create_district(client), create_district(client)
    assert mine.post("/staffMembers", staff_payload("44100", lastName="Mine")).status_code == 201
    before = _snapshot(database_url, mine)
    foreign = {"Authorization": f"Bearer {theirs.token()}"}
    # On this district's scoped paths, their token is refused for every read and write.
    scoped = f"/apps/{mine.app_name}{BOI}"
    for method, path, body in [("GET", "/staffMembers/44100", None), ("GET", "/staffMembers", None), *WRITES]:
        response = client.request(method, scoped + path, json=body, headers=foreign)
        assert response.status_code == 401, (method, path, response.status_code)
    # On the vendor path their token addresses their district only: our staff member is not there.
    assert theirs.get("/staffMembers/44100").status_code == 404
    assert theirs.get("/staffMembers", params={"lastName": "Mine"}).json() == []
    assert theirs.put("/staffMembers/44100", {"lastName": "Hijacked"}).status_code == 404
    assert theirs.post("/staffMembers", staff_payload("44100", lastName="Theirs")).status_code == 201
    assert theirs.put("/staffMembers/10060", {"lastName": "TheirsNow"}).status_code == 200
    assert not snapshot_diff(before, _snapshot(database_url, mine)), "their calls changed our district"
    assert mine.get("/staffMembers/44100").json()["lastName"] == "Mine"


# --- a real server: uvicorn's header handling ---------------------------------------------------------------


def _raw_request(port: int, head: bytes) -> bytes:
    """Send one raw HTTP/1.1 request; the status line and headers of the answer (b"" if the server hung up)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        return data


@pytest.mark.slow
def test_auth3_oversized_and_non_ascii_authorization_headers_on_a_real_server_are_4xx_never_5xx(
        live_db_url: str, live_server: Callable[..., LiveServer]) -> None:
    server = live_server(live_db_url)
    district = new_live_district(server.url)
    with httpx.Client(base_url=server.boi_url, timeout=60) as http:
        for size in (64 * 1024, 1024 * 1024):
            response = http.get("/schools", headers={"Authorization": "Bearer " + "a" * size})
            assert response.status_code in (400, 401, 431), (size, response.status_code, response.text[:200])
            bearer = "Bearer " + district.token + "." + "b" * size
            response = http.post("/staffMembers", json=staff_payload("45001"), headers={"Authorization": bearer})
            assert response.status_code in (400, 401, 431), (size, response.status_code)
        for garbage in ("Bearer", "Bearer ....", "Bearer ===", "Bearer a.b.c", "Basic Zm9vOmJhcg==",
                        f"Bearer {district.token} trailing", "Token " + district.token, "Bearer\t" + district.token):
            response = http.get("/schools", headers={"Authorization": garbage})
            assert response.status_code == 401, (garbage, response.status_code)
        assert http.get("/staffMembers/45001", headers=district.headers).status_code == 404
    for header in (b"Bearer \xe9\xe9\xff", b"Bearer " + "é".encode() * 10, b"\xff\xfe Bearer x", b"Bearer ",
                   b"Bearer \x00" + district.token.encode()):
        answer = _raw_request(server.port, b"GET " + BOI.encode() + b"/schools HTTP/1.1\r\nHost: x\r\n"
                              b"Authorization: " + header + b"\r\nConnection: close\r\n\r\n")
        assert answer.startswith((b"HTTP/1.1 401", b"HTTP/1.1 400")), (header, answer[:100])
    assert httpx.get(server.url + "/_mock/health").status_code == 200
