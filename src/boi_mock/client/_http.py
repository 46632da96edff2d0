"""What the vendor clients share: the httpx client they send through, closed with them when it is their own."""

from __future__ import annotations

from typing import Self

import httpx


class HttpOwner:
    """Sends through `http_client` when given (it stays the caller's to close), else through an own httpx client
    (`timeout`, `transport`) that `close()` and the `with` block close."""

    def __init__(self, http_client: httpx.Client | None, timeout: float,
                 transport: httpx.BaseTransport | None) -> None:
        self._owns_http = http_client is None
        self.http = http_client or httpx.Client(timeout=timeout, transport=transport)

    def close(self) -> None:
        if self._owns_http:
            self.http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
