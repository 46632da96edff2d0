"""District picker, trainers' home page, the Campus user switch and (with an admin token) the sign-in."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from boi_mock.admin import walkthroughs
from boi_mock.admin.deps import (
    ADMIN_COOKIE,
    USER_COOKIE,
    Links,
    UiDep,
    require_access,
    server_url,
    settings_of,
    ui_root,
)
from boi_mock.admin.render import redirect, render
from boi_mock.services import districts, figures
from boi_mock.web.deps import SessionDep

router = APIRouter()


def _safe_next(request: Request, target: str | None) -> str:
    """Only a path inside the UI (no open redirect)."""
    root = ui_root(request)
    if target and target.startswith(root + "/") and "//" not in target and "\\" not in target:
        return target
    return Links(root)()


@router.get("/", response_class=HTMLResponse, name="ui_picker")
def picker(request: Request, session: SessionDep) -> Response:
    require_access(request)
    return render(request, "picker.html", {"districts": districts.list_all(session)})


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next_url: Annotated[str | None, Query(alias="next")] = None) -> Response:
    return render(request, "login.html", {"next": _safe_next(request, next_url)})


@router.post("/login")
def login(request: Request, token: Annotated[str, Form()] = "",
          next_url: Annotated[str, Form(alias="next")] = "") -> Response:
    expected = settings_of(request).admin_token or ""
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        return render(request, "login.html", {"next": _safe_next(request, next_url),
                                              "failed": True}, status_code=401)
    response = RedirectResponse(_safe_next(request, next_url), status_code=303)
    response.set_cookie(ADMIN_COOKIE, token, path=ui_root(request) or "/", httponly=True, samesite="strict")
    return response


@router.get("/{appName}/", response_class=HTMLResponse)
def home(ui: UiDep) -> Response:
    return render(ui.request, "home.html", {
        "figures": figures.figures(ui.session, ui.district.id),
        "walkthroughs": walkthroughs.walkthroughs(ui.session, ui.district, ui.links, ui.ctx.clock),
        "credentials": districts.credentials(ui.district, server_url(ui.request)),
        "today": ui.ctx.clock.today(),
    }, ui=ui)


@router.get("/{appName}", include_in_schema=False)
def home_without_slash(request: Request, appName: str) -> Response:
    return RedirectResponse(Links(ui_root(request), appName)(), status_code=307)


@router.post("/{appName}/user")
def switch_user(ui: UiDep, username: Annotated[str, Form()],
                next_url: Annotated[str, Form(alias="next")] = "") -> Response:
    """Act as another Campus user of the district ("Started By", Message Center)."""
    back = _safe_next(ui.request, next_url)
    chosen = next((u for u in ui.users if u.username == username), None)
    if chosen is None:
        return redirect(ui.request, back, error=f"No Campus user {username!r}")
    response = redirect(ui.request, back, notice=f"You are now {chosen.name}.")
    response.set_cookie(USER_COOKIE, chosen.username, path=ui.links().rstrip("/") or "/", samesite="lax")
    return response
