"""httpx authentication for BOI calls: client-credentials tokens, cached, refreshed before expiry and on a 401.

Works with both `httpx.Client` and `httpx.AsyncClient`: the token request is yielded from the
auth flow, so the client that sends the call also sends the token request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator

import httpx

from boi_mock.client.errors import BoiAuthError


class BoiTokenAuth(httpx.Auth):
    requires_response_body = True

    def __init__(self, token_url: str, client_id: str, client_secret: str, *,
                 retry_on_401: bool = True, clock: Callable[[], float] = time.monotonic) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.retry_on_401 = retry_on_401
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at = 0.0
        self.tokens_fetched = 0

    def set_credentials(self, client_id: str, client_secret: str) -> None:
        """After a secret rotation (AUTH-4): the next call fetches a token with the new secret."""
        with self._lock:
            self.client_id, self.client_secret = client_id, client_secret
            self._token = None

    def invalidate(self) -> None:
        with self._lock:
            self._token = None

    @property
    def token(self) -> str | None:
        """The cached access token, if still believed valid."""
        with self._lock:
            return self._token if self._token and self._clock() < self._expires_at else None

    def token_request(self) -> httpx.Request:
        return httpx.Request("POST", self.token_url, data={
            "grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self.client_secret})

    def store(self, response: httpx.Response) -> str:
        if response.status_code != 200:
            raise BoiAuthError(response)
        body = response.json()
        token = str(body["access_token"])
        lifetime = float(body.get("expires_in") or 0)
        with self._lock:
            self._token = token
            # Renew a little early: a call must not leave with a token that dies on the way.
            self._expires_at = self._clock() + lifetime - min(30.0, lifetime / 10)
            self.tokens_fetched += 1
        return token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self.token
        if token is None:
            token = self.store((yield self.token_request()))
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401 and self.retry_on_401:
            # The server says no (expired by its clock, secret rotated): one new token, one retry.
            self.invalidate()
            token = self.store((yield self.token_request()))
            request.headers["Authorization"] = f"Bearer {token}"
            yield request
