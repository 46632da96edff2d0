"""Templates, flash messages and redirects: the Post/Redirect/Get plumbing of the Campus UI."""

from __future__ import annotations

import base64
import binascii
import json
import shlex
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from boi_mock.admin.deps import Links, Ui, ui_root
from boi_mock.admin.security import CSRF_COOKIE, csrf_token, new_csrf_session
from boi_mock.domain.display import display_date, display_timestamp
from boi_mock.domain.masking import mask_field, mask_text

TEMPLATES_DIR = Path(__file__).parent / "templates"
FLASH_COOKIE = "boi_flash"
templates = Jinja2Templates(directory=TEMPLATES_DIR)


# One display format for dates and one for times, on every page (boi_mock/domain/display.py).
campus_date = display_date
campus_timestamp = display_timestamp


def path_breaks(value: str | None) -> Markup:
    """A URL path that wraps only between its segments (a <wbr> after each "/", before "?" and "&"), never inside
    a word: `/campus/api/businessOfficeIntegration/staffMembers/sync/commit`, not `…/staffMemb|ers`."""
    if not value:
        return Markup("")
    out = Markup("")
    for char in value:
        if char in "?&":
            out += Markup("<wbr>") + escape(char)
        else:
            out += escape(char)
            if char == "/":
                out += Markup("<wbr>")
    return out


templates.env.filters["path_breaks"] = path_breaks
templates.env.filters["campus_date"] = campus_date
templates.env.filters["campus_timestamp"] = campus_timestamp
templates.env.filters["pretty_json"] = lambda raw: _pretty_json(raw)
templates.env.filters["shell_quote"] = shlex.quote  # commands on the home page are pasted into a shell


def _pretty_json(raw: str | None) -> str:
    if not raw:
        return ""
    try:
        return json.dumps(json.loads(raw), indent=2, ensure_ascii=False)
    except ValueError:
        return raw


def _encode(data: dict[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False, default=str)[:3000]
    return base64.urlsafe_b64encode(text.encode()).decode()


def _decode(raw: str | None) -> dict[str, Any] | None:
    if not raw:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(raw.encode()).decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def redirect(request: Request, url: str, *, notice: str | None = None, error: str | None = None,
             details: list[str] | None = None, form: dict[str, str] | None = None) -> RedirectResponse:
    """303 See Other to a page, with a one-time message (and, after a failed form, what was typed)."""
    response = RedirectResponse(url, status_code=303)
    # The flash is shown and kept in a cookie: masked like the Error Log (an SSN to its last 4, no secret).
    flash: dict[str, Any] = {}
    if notice:
        flash["notice"] = mask_text(notice)
    if error:
        flash["error"] = mask_text(error)
    if details:
        flash["details"] = [mask_text(detail) for detail in details[:10]]
    if form:
        flash["form"] = {k: mask_field(k, v[:200]) for k, v in list(form.items())[:40]}
    if flash:
        response.set_cookie(FLASH_COOKIE, _encode(flash), path=ui_root(request) or "/", httponly=True,
                            samesite="lax", max_age=120)
    return response


def render(request: Request, template: str, context: dict[str, Any], *, ui: Ui | None = None,
           status_code: int = 200) -> HTMLResponse:
    """A page; shows and clears the flash message left by the redirect that led here."""
    flash = _decode(request.cookies.get(FLASH_COOKIE))
    full: dict[str, Any] = {
        "ui": ui,
        "links": ui.links if ui else Links(ui_root(request)),
        "root_links": Links(ui_root(request)),
        "flash": flash or {},
        "typed": (flash or {}).get("form", {}),
        "csrf_token": csrf_token(request),  # every POST form sends it back (boi_mock/admin/security.py)
        **context,
    }
    response = templates.TemplateResponse(request, template, full, status_code=status_code)
    if flash is not None:
        response.delete_cookie(FLASH_COOKIE, path=ui_root(request) or "/")
    session = new_csrf_session(request)
    if session is not None:
        response.set_cookie(CSRF_COOKIE, session, path=ui_root(request) or "/", httponly=True, samesite="lax")
    return response
