"""What every Campus UI page gets: the district of the URL, the request's unit of work, the Campus user.

The session is `boi_mock.web.deps.SessionDep`: the one commit point, after the handler returns (a write
that fails anywhere rolls back whole). Like a BOI write, a UI write takes the district's write
lock first, so a UI edit and an API call never interleave.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated
from urllib.parse import quote, urlencode

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from boi_mock.db import Database
from boi_mock.security import is_remote_peer
from boi_mock.services import districts, notifications
from boi_mock.services.context import DistrictContext
from boi_mock.settings import Settings
from boi_mock.web.deps import READ_METHODS, SessionDep, get_db

if TYPE_CHECKING:  # row types only: the HTTP faces never query (docs/architecture.md)
    from boi_mock import models as m

USER_COOKIE = "campus_user"
ADMIN_COOKIE = "boi_admin_token"
ANONYMOUS = "Campus Administrator"


class LoginRequired(Exception):
    """The server has an admin token and this browser has not given it (see boi_mock/admin/errors.py)."""


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def ui_root(request: Request) -> str:
    """The mount path (/campus/ui) as the browser sees it."""
    return str(request.scope.get("root_path", "")).rstrip("/")


def server_url(request: Request) -> str:
    """What Token URL and Base URL start with: the public URL setting, else this request's origin."""
    configured = settings_of(request).public_url
    return (configured or str(request.base_url)).rstrip("/")


def require_access(request: Request) -> None:
    """With BOI_MOCK_ADMIN_TOKEN set, the UI (which shows client secrets) needs it too, like /_mock; without
    it, the UI is for this machine only (unless BOI_MOCK_ALLOW_PUBLIC_WITHOUT_ADMIN_TOKEN)."""
    settings = settings_of(request)
    expected = settings.admin_token
    if not expected:
        if is_remote_peer(request) and not settings.allow_public_without_admin_token:
            raise HTTPException(403, "This Campus UI is open to its own machine only, because the server has no "
                                     "admin token. Set BOI_MOCK_ADMIN_TOKEN on the server to use it from here.")
        return
    given = request.cookies.get(ADMIN_COOKIE, "")
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        given = header[7:].strip()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise LoginRequired


@dataclass(frozen=True)
class Links:
    """Builds UI paths: `links("staff", 12, q="x")` → /campus/ui/7634-MO/staff/12?q=x."""

    root: str
    app_name: str | None = None

    def __call__(self, *parts: object, **query: object) -> str:
        segments = [self.root]
        if self.app_name is not None:
            segments.append(quote(self.app_name, safe=""))
        segments.extend(quote(str(p), safe="") for p in parts if p != "")
        path = "/".join(segments) + ("" if parts else "/")
        shown = {k: v for k, v in query.items() if v is not None and v != ""}
        return path + ("?" + urlencode(shown, doseq=True) if shown else "")

    def home_of(self, app_name: str) -> str:
        return Links(self.root, app_name)()

    def static(self, name: str) -> str:
        return f"{self.root}/static/{name}"


@dataclass
class Ui:
    """One UI request: the district context (session, clock, actor) and how to link pages."""

    request: Request
    ctx: DistrictContext
    user: m.CampusUser | None
    users: list[m.CampusUser] = field(default_factory=list)

    @property
    def session(self) -> Session:
        return self.ctx.session

    @property
    def district(self) -> m.District:
        return self.ctx.district

    @property
    def app_name(self) -> str:
        return self.ctx.district.app_name

    @property
    def links(self) -> Links:
        return Links(ui_root(self.request), self.app_name)

    def back_to(self, *parts: object, **query: object) -> None:
        """Where a failed form sends the browser back to (with the error shown): PRG for errors too."""
        self.request.state.back = self.links(*parts, **query)


def _chosen_user(request: Request, users: list[m.CampusUser]) -> m.CampusUser | None:
    """The Campus user this browser acts as (a cookie), else the district's first user."""
    wanted = request.cookies.get(USER_COOKIE)
    default = min(users, key=lambda u: u.id) if users else None
    return next((u for u in users if u.username == wanted), default)


def ui_context(request: Request, session: SessionDep, appName: str) -> Ui:
    require_access(request)
    district = districts.get(session, appName)
    if request.method not in READ_METHODS:
        districts.lock(session, district.id)
    users = notifications.campus_users(session, district.id)
    user = _chosen_user(request, users)
    ctx = DistrictContext(session=session, district=district, actor=user.name if user else ANONYMOUS)
    ui = Ui(request=request, ctx=ctx, user=user, users=users)
    if request.method not in READ_METHODS:
        request.state.back = str(request.url.path)
    return ui


UiDep = Annotated[Ui, Depends(ui_context)]


@dataclass(frozen=True)
class UiCaller:
    """For the steps that run their own transactions (validate, synchronous commit): no session is held
    while they run, or their per-staff write transactions would wait on this request's own lock."""

    request: Request
    db: Database
    district_id: int
    app_name: str
    actor: str
    pause_gc: bool = True  # settings.sync_pause_gc

    @property
    def links(self) -> Links:
        return Links(ui_root(self.request), self.app_name)


def ui_caller(request: Request, appName: str) -> UiCaller:
    require_access(request)
    db = get_db(request)
    with db.unit_of_work(write=False) as session:
        district = districts.get(session, appName)
        user = _chosen_user(request, notifications.campus_users(session, district.id))
        caller = UiCaller(request=request, db=db, district_id=district.id, app_name=district.app_name,
                          actor=user.name if user else ANONYMOUS, pause_gc=settings_of(request).sync_pause_gc)
    request.state.back = caller.links("sync")
    return caller


UiCallerDep = Annotated[UiCaller, Depends(ui_caller)]
