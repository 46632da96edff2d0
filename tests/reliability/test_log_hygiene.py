"""AUTH-5 and ERR-1 for the server's own output: no client secret, full SSN or access token in its logs.

A real `boi-mock serve` runs with its stdout and stderr captured (uvicorn's access log on, log level
debug) through a scripted vendor session: token requests (form, HTTP Basic, a wrong secret, and the
common mistake of putting the secret or the token in the query string), creates and updates with
SSNs (with and without dashes), rejected payloads carrying SSNs (schema errors, malformed JSON, an
unknown property, a wrong content type, a sync transfer), searches with an SSN in the query, forged
and expired tokens, and a secret rotation with a token from the new secret. Afterwards the captured
output holds none of the secrets, none of the SSNs in either spelling, and none of the tokens.

(`boi-mock serve` prints the demo district's credentials at start on purpose, for `make run`; the
server here seeds nothing, so that banner has no secret in it.)
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable

import httpx
import pytest
from jose import jwt

from tests.reliability.support import LiveServer, fetch_token
from tests.support import minimal_scenario, staff_payload

SSNS = ["123-45-6789", "987654321", "555-12-3456", "444556666", "321-54-9876"]


def _spellings(ssn: str) -> set[str]:
    digits = ssn.replace("-", "")
    return {digits, f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"}


@pytest.mark.slow
def test_auth5_server_output_never_holds_secrets_full_ssns_or_tokens(
        live_db_url: str, live_server: Callable[..., LiveServer]) -> None:
    server = live_server(live_db_url, BOI_MOCK_LOG_LEVEL="debug")
    secrets: list[str] = []
    tokens: list[str] = []
    with httpx.Client(base_url=server.url, timeout=60) as http:
        created = http.post("/_mock/districts", json=minimal_scenario())
        assert created.status_code == 201
        creds = created.json()
        app, client_id, secret = creds["appName"], creds["clientId"], creds["clientSecret"]
        secrets.append(secret)
        token_url = f"/campus/oauth2/token?appName={app}"

        tokens.append(fetch_token(http, app, client_id, secret))
        basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
        response = http.post(token_url, data={"grant_type": "client_credentials"},
                             headers={"Authorization": f"Basic {basic}"})
        assert response.status_code == 200
        tokens.append(response.json()["access_token"])
        assert http.post(token_url, data={"grant_type": "client_credentials", "client_id": client_id,
                                          "client_secret": secret + "x"}).status_code == 401
        # A vendor mistake: credentials in the query string (they end up in access logs everywhere).
        response = http.post(f"{token_url}&client_id={client_id}&client_secret={secret}",
                             data={"grant_type": "client_credentials", "client_id": client_id,
                                   "client_secret": secret})
        assert response.status_code == 200
        tokens.append(response.json()["access_token"])

        boi = server.boi_url
        auth = {"Authorization": f"Bearer {tokens[0]}"}
        assert http.post(f"{boi}/staffMembers", json=staff_payload("70001", ssn=SSNS[0]),
                         headers=auth).status_code == 201
        assert http.post(f"{boi}/staffMembers", json=staff_payload("70002", ssn=SSNS[1]),
                         headers=auth).status_code == 201
        assert http.put(f"{boi}/staffMembers/70001", json={"ssn": SSNS[2]}, headers=auth).status_code == 200
        # Rejected calls carrying SSNs: schema error, unknown property, malformed JSON, wrong content type.
        assert http.post(f"{boi}/staffMembers", json=staff_payload("70003", ssn=SSNS[3], lastName=5),
                         headers=auth).status_code == 400
        assert http.post(f"{boi}/staffMembers", json={**staff_payload("70004"), "taxId": SSNS[4]},
                         headers=auth).status_code == 400
        assert http.post(f"{boi}/staffMembers", content=f'{{"ssn": "{SSNS[3]}", '.encode(),
                         headers={**auth, "Content-Type": "application/json"}).status_code == 400
        assert http.post(f"{boi}/staffMembers", content=f"ssn={SSNS[4]}".encode(),
                         headers={**auth, "Content-Type": "text/plain"}).status_code == 415
        assert http.post(f"{boi}/staffMembers/sync/start", headers=auth).status_code == 201
        assert http.post(f"{boi}/staffMembers/sync/transfer", headers=auth, json=[
            staff_payload("70005", ssn=SSNS[3]), staff_payload("70006", ssn=SSNS[4], gender="Q")]).status_code == 400
        # SSNs and tokens in query strings (undeclared parameters: 400 unknown_property, and still logged masked).
        assert http.get(f"{boi}/staffMembers", params={"lastName": "x", "ssn": SSNS[0]}, headers=auth
                        ).status_code == 400
        assert http.get(f"{boi}/staffMembers", params={"access_token": tokens[1]}, headers=auth).status_code == 400
        # Forged, expired and foreign-signed tokens.
        claims = jwt.get_unverified_claims(tokens[0])
        forged = jwt.encode(claims, "not-the-key", algorithm="HS256")
        expired = jwt.encode({**claims, "exp": int(time.time()) - 10}, "not-the-key", algorithm="HS256")
        tokens += [forged, expired]
        for bad in (forged, expired):
            assert http.get(f"{boi}/schools", headers={"Authorization": f"Bearer {bad}"}).status_code == 401
        # Secret rotation: the new secret is shown once (in the answer), the old token dies.
        rotated = http.post(f"/_mock/districts/{app}/secret")
        assert rotated.status_code == 200
        secrets.append(rotated.json()["clientSecret"])
        assert http.get(f"{boi}/schools", headers=auth).status_code == 401
        assert http.post(token_url, data={"grant_type": "client_credentials", "client_id": client_id,
                                          "client_secret": secrets[0]}).status_code == 401
        tokens.append(fetch_token(http, app, client_id, secrets[1]))
        assert http.get(f"{boi}/staffMembers/70001", headers={"Authorization": f"Bearer {tokens[-1]}"}
                        ).status_code == 200
    server.stop()  # flushes what it still had to say

    output = server.log_text()
    assert '"POST /campus/oauth2/token' in output, "the access log was not captured"
    leaks = [f"secret {s[:4]}…" for s in secrets if s in output]
    leaks += [f"SSN {s}" for ssn in SSNS for s in _spellings(ssn) if s in output]
    leaks += [f"token …{t[-8:]}" for t in tokens if t in output or t.rsplit(".", 1)[1] in output]
    assert not leaks, f"in the server's output: {leaks}"


MISTYPED = ["401 55 8812", "587.21.4963", "5872149630"]
NOT_SSNS = ["123456789", "55434-1234", "jane.123456789@school.k12.mo.us", "district-987654321"]


@pytest.mark.slow
def test_auth5_mistyped_ssns_ssn_paths_secrets_and_jwts_never_reach_the_server_output(
        live_db_url: str, live_server: Callable[..., LiveServer]) -> None:
    """Issue 14, items 4 and 5: the leaks (mistyped SSNs, an SSN-shaped path, a secret and a JWT inside
    malformed JSON or a form body) are masked in the server's output, the Error Log and the journal; what is
    not an SSN (a 9-digit staff number, ZIP+4, an e-mail, an app name with 9 digits) is kept as sent."""
    server = live_server(live_db_url, BOI_MOCK_LOG_LEVEL="debug")
    with httpx.Client(base_url=server.url, timeout=60) as http:
        created = http.post("/_mock/districts", json=minimal_scenario(appName=NOT_SSNS[3]))
        assert created.status_code == 201
        creds = created.json()
        app, secret = creds["appName"], creds["clientSecret"]
        token = fetch_token(http, app, creds["clientId"], secret)
        auth = {"Authorization": f"Bearer {token}"}
        boi = server.boi_url
        for ssn in MISTYPED:
            assert http.post(f"{boi}/staffMembers", json=staff_payload("70010", ssn=ssn), headers=auth
                             ).status_code == 400
        assert http.get(f"{boi}/staffMembers/587-21-4963", headers=auth).status_code == 404
        assert http.get(f"{boi}/staffMembers/123456789", headers=auth).status_code == 404
        malformed = (f'{{"clientSecret": "{secret}", "access_token": "{token}", "ssn": "401 55 8812", '
                     f'"note": "{token}"')
        assert http.post(f"{boi}/staffMembers", content=malformed.encode(),
                         headers={**auth, "Content-Type": "application/json"}).status_code == 400
        assert http.post(f"{boi}/staffMembers", content=f"client_secret={secret}&token={token}".encode(),
                         headers={**auth, "Content-Type": "application/x-www-form-urlencoded"}).status_code == 415
        household = {"householdLocations": [{"address": {"fullStreetAddress": "12 Main St", "city": "Ely",
                                                         "state": "MN", "zip": NOT_SSNS[1]}}]}
        assert http.post(f"{boi}/staffMembers", json=staff_payload(NOT_SSNS[0], gender="Q", workEmail=NOT_SSNS[2],
                                                                   household=household), headers=auth
                         ).status_code == 400
        assert http.get(f"/apps/{app}/campus/api/businessOfficeIntegration/staffMembers/nobody", headers=auth
                        ).status_code == 404  # the app name in the path
        stored = http.get(f"/_mock/districts/{app}/error-log", params={"limit": 1000}).text
        stored += http.get(f"/_mock/districts/{app}/requests", params={"limit": 1000}).text
    server.stop()

    output = server.log_text()
    assert "/staffMembers/*****4963" in output, "the access log was not captured"
    for where, text in (("server output", output), ("Error Log and journal", stored)):
        leaks = [f"SSN {whole}" for ssn in [*MISTYPED, "587-21-4963"]
                 for whole in {ssn, "".join(c for c in ssn if c.isdigit())} if whole in text]
        leaks += [f"secret {secret[:4]}…"] if secret in text else []
        leaks += [f"token …{token[-8:]}"] if token in text or token.rsplit(".", 1)[1] in text else []
        assert not leaks, f"in the {where}: {leaks}"
    assert f"/staffMembers/{NOT_SSNS[0]}" in output  # a staff number in the access log, as sent
    for kept in NOT_SSNS:
        assert kept in stored, kept
