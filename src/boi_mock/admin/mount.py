"""The Campus UI as boi_mock/main.py mounts it: built on its first request, not when the app is created.

The UI (its routes, Jinja2, the report views) is half of what importing the app costs, and a test
suite or an API-only deployment never opens it. The first request imports and builds it in a worker
thread (the event loop keeps serving meanwhile); every request after that goes straight to it.
"""

from __future__ import annotations

import threading

import anyio
from starlette.types import ASGIApp, Receive, Scope, Send


class LazyUi:
    def __init__(self) -> None:
        self._app: ASGIApp | None = None
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = self._app
        if app is None:
            app = await anyio.to_thread.run_sync(self._build)
        await app(scope, receive, send)

    def _build(self) -> ASGIApp:
        with self._lock:
            if self._app is None:
                from boi_mock.admin.app import create_ui

                self._app = create_ui()
            return self._app


def create_ui() -> LazyUi:
    """The mountable Campus UI (see `boi_mock.admin.app.create_ui` for what it is)."""
    return LazyUi()
