"""How the Campus UI shows a failure: an HTML page for a GET, back to the form with the message for a POST.

A rejected form changes nothing: the exception leaves the handler, the unit of work rolls back,
and only then does the browser get its redirect (Post/Redirect/Get holds for errors too).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from boi_mock.admin.deps import Links, LoginRequired, ui_root
from boi_mock.admin.render import redirect, render
from boi_mock.admin.security import CsrfRefused
from boi_mock.errors import TITLES, DomainError
from boi_mock.web.problems import validation_errors


def _page(request: Request, status: int, title: str, detail: str, details: list[str]) -> HTMLResponse:
    app_name = request.path_params.get("appName")
    links = Links(ui_root(request), app_name) if app_name else None
    return render(request, "error.html", {"status": status, "title": title, "detail": detail,
                                          "details": details, "district_links": links},
                  status_code=status)


def _back(request: Request) -> str | None:
    back = getattr(request.state, "back", None)
    return back if request.method == "POST" and isinstance(back, str) else None


def _typed(request: Request) -> dict[str, str] | None:
    typed = getattr(request.state, "typed", None)
    return typed if isinstance(typed, dict) else None


def install(ui: FastAPI) -> None:
    @ui.exception_handler(LoginRequired)
    async def _login(request: Request, _exc: LoginRequired) -> Response:
        return RedirectResponse(Links(ui_root(request))("login", next=str(request.url.path)), status_code=303)

    @ui.exception_handler(CsrfRefused)
    async def _csrf(request: Request, exc: CsrfRefused) -> Response:
        return _page(request, 403, "Forbidden", "This change was refused and nothing was changed: it did not come "
                     "from a page of this Campus UI. If you did send it, reload the page and try again.",
                     [exc.reason])

    @ui.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        details = [e.message for e in exc.errors if e.message != exc.detail]
        back = _back(request)
        if back is not None:
            return redirect(request, back, error=exc.detail, details=details, form=_typed(request))
        return _page(request, exc.status, TITLES.get(exc.status, "Error"), exc.detail, details)

    @ui.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        details = [e.message for e in validation_errors(list(exc.errors()))]
        back = _back(request)
        if back is not None:
            return redirect(request, back, error="Some fields are not valid.", details=details, form=_typed(request))
        return _page(request, 400, "Bad Request", "The request is not valid.", details)

    @ui.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        detail = str(exc.detail) if exc.status_code != 404 else "There is no such page."
        return _page(request, exc.status_code, TITLES.get(exc.status_code, "Error"), detail, [])
