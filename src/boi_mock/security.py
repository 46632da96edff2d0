"""Who may change state through the Campus UI and /_mock: the browser-facing checks both share (MOCK-16).

The BOI API is called by HR systems, not browsers, and is left alone. The Campus UI and the control API are
reachable from any page the user's browser visits (a page can post a form or send a no-cors `fetch` to
127.0.0.1), so a state-changing request that a browser marks as coming from another origin is refused:

* `Sec-Fetch-Site` (sent by every current browser to http://127.0.0.1 and http://localhost): `cross-site` and
  `same-site` are refused. Same-site matters: another port of 127.0.0.1 is the same site, and cookies
  (SameSite=Strict included) do not tell ports apart.
* `Origin` (sent by browsers on every cross-origin request, and on every POST): refused unless it is this
  server's own origin (the Host the browser used, or `BOI_MOCK_PUBLIC_URL`'s). `Origin: null` (sandboxed
  frames, `data:` pages, `Referrer-Policy: no-referrer`) is refused.

A request carrying neither header is not from a browser (curl, httpx, the test client) and passes: the Campus
UI still asks for its form token (boi_mock/admin/security.py), the control API for a JSON content type
(boi_mock/control/guard.py).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from starlette.requests import Request

from boi_mock.errors import DomainError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


class CrossSiteRequest(DomainError):
    """403: a state change a browser sent from another origin (MOCK-16); nothing was changed."""

    status = 403
    default_code = "cross_site_request"


def _origin(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if not scheme or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port or _DEFAULT_PORTS.get(scheme, 0)


def own_origins(request: Request, public_url: str | None) -> set[tuple[str, str, int]]:
    """This server's origin as the browser addressed it (scheme + Host header), and the public URL's."""
    found = set()
    host = request.headers.get("host")
    if host:
        mine = _origin(f"{request.url.scheme}://{host}")
        if mine is not None:
            found.add(mine)
    if public_url:
        public = _origin(public_url)
        if public is not None:
            found.add(public)
    return found


def cross_site_refusal(request: Request, public_url: str | None) -> str | None:
    """Why a browser's state-changing request must be refused as cross-site, or None when it may go on."""
    fetch_site = request.headers.get("sec-fetch-site", "").strip().lower()
    if fetch_site in ("cross-site", "same-site"):
        return (f"The browser says this request came from another {'site' if fetch_site == 'cross-site' else 'origin'} "
                f"(Sec-Fetch-Site: {fetch_site}).")
    origin = request.headers.get("origin")
    if origin is None:
        return None
    parsed = _origin(origin.strip())
    if parsed is None or parsed not in own_origins(request, public_url):
        return f"The request came from another origin ({origin[:100]!r})."
    return None


def is_loopback_host(host: str) -> bool:
    """A bind address (or host name) that only this machine can reach: 127.0.0.0/8, ::1, localhost."""
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def is_remote_peer(request: Request) -> bool:
    """The caller's address is an IP address of another machine (the test client's "testclient" is not)."""
    client = request.client
    if client is None:
        return False
    try:
        ipaddress.ip_address(client.host)
    except ValueError:
        return False
    return not is_loopback_host(client.host)
