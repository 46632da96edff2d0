"""The ways in that are not the BOI API: the banner's URL, `/campus`, `/docs` and `/favicon.ico`.

`make run` prints `http://127.0.0.1:PORT`; opening it (or `/campus`) lands on the Campus UI's district
picker, and `/docs` on the BOI API documentation. Only these exact paths: any other unknown path, under
`/campus/api/…` above all, stays the problem+json 404 a vendor's client expects.
"""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from boi_mock.api.docs import DOCS_PATH

UI_HOME = "/campus/ui/"
# The Campus UI's icon (boi_mock/admin/static/favicon.svg), read as package data: no UI import needed.
FAVICON = resources.files("boi_mock.admin").joinpath("static", "favicon.svg")

router = APIRouter(include_in_schema=False)


def _to(request: Request, path: str) -> RedirectResponse:
    return RedirectResponse(request.scope.get("root_path", "") + path, status_code=307)


@router.api_route("/", methods=["GET", "HEAD"])
@router.api_route("/campus", methods=["GET", "HEAD"])
@router.api_route("/campus/", methods=["GET", "HEAD"])
def campus_home(request: Request) -> RedirectResponse:
    return _to(request, UI_HOME)


@router.api_route("/docs", methods=["GET", "HEAD"])
def documentation(request: Request) -> RedirectResponse:
    return _to(request, DOCS_PATH)


@router.api_route("/favicon.ico", methods=["GET", "HEAD"])
def favicon() -> Response:
    return Response(FAVICON.read_bytes(), media_type="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=86400"})
