"""The Campus web UI: a server-rendered sub-application mounted at /campus/ui by boi_mock/main.py.

Pages mimic the Business Office Integration tools of the guide (API Credentials, Synchronization,
Validation Report, Error Log, Notifications, Preferences) plus the staff pages and Combine Person.
Every page reuses the services; the UI holds no business rule of its own.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI
from starlette.datastructures import State
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from boi_mock.admin import errors
from boi_mock.admin.routes import (
    combine,
    coverage,
    credentials,
    errorlog,
    home,
    journal,
    notifications,
    preferences,
    staff,
    sync,
)
from boi_mock.admin.security import SecurityHeaders, csrf_protect
from boi_mock.inputs import storable_inputs
from boi_mock.web.deps import settle_journal

STATIC_DIR = Path(__file__).parent / "static"


class CampusUi(FastAPI):
    """A mounted FastAPI app that shares the parent's state (database, settings, worker).

    A mounted app is a separate Starlette app whose `request.app` is itself, so it would not see
    the `app.state.db` the parent's lifespan sets; adopting the parent's `State` lets the UI reuse
    `boi_mock.web.deps.SessionDep` (the request's unit of work) unchanged.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        parent = scope.get("app")
        if parent is not None and parent is not self:
            parent_state = getattr(parent, "state", None)
            if isinstance(parent_state, State) and self.state is not parent_state:
                self.state = parent_state
        await super().__call__(scope, receive, send)


def create_ui() -> FastAPI:
    # Every route refuses state changes from other pages (CSRF) and inputs no database can store (NUL, lone
    # surrogates: boi_mock/inputs.py); every answer carries the security headers.
    # Pages show the Error Log and journal figures: like the control API, they read what was written
    # before they began (`settle_journal`: the journal writer works after the answers).
    ui = CampusUi(docs_url=None, redoc_url=None, openapi_url=None, title="Campus UI (boi-mock)",
                  dependencies=[Depends(csrf_protect), Depends(storable_inputs), Depends(settle_journal)])
    ui.add_middleware(SecurityHeaders)
    ui.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    errors.install(ui)
    # Order matters only for the picker (`/`) before the per-district routes.
    ui.include_router(home.router)
    for module in (credentials, preferences, errorlog, journal, notifications, staff, sync, combine, coverage):
        ui.include_router(module.router, prefix="/{appName}")
    return ui
