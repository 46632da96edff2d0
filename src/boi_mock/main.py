"""The ASGI application: BOI API, OAuth2 token endpoint, /_mock control API (and, mounted, the Campus UI)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from types import MappingProxyType

from fastapi import APIRouter, Depends, FastAPI

from boi_mock import migrate
from boi_mock.admin.mount import create_ui  # built on its first request
from boi_mock.api import addresses, docs, entry, oauth, pipeline, reference, staff, sync
from boi_mock.api.gate import BoiGate
from boi_mock.api.routing import BoiRoute
from boi_mock.control import caps as control_caps
from boi_mock.control import coverage as control_coverage
from boi_mock.control import faults as control_faults
from boi_mock.control import routes as control
from boi_mock.control import staff as control_staff
from boi_mock.control import sync as control_sync
from boi_mock.db import Database
from boi_mock.jobs.worker import Handler, Worker
from boi_mock.services import auth, observability, seeding
from boi_mock.services.sync import commit, state
from boi_mock.settings import Settings, get_settings
from boi_mock.web import problems
from boi_mock.web.deps import settle_journal

log = logging.getLogger("boi_mock")
BOI_PREFIX = "/campus/api/businessOfficeIntegration"
SCOPED_PREFIX = "/apps/{appName}" + BOI_PREFIX


def boi_router() -> APIRouter:
    """Every BOI operation; included twice: at the vendor's path, and under /apps/{appName} for the district."""
    router = APIRouter(route_class=BoiRoute)
    router.include_router(reference.router)
    router.include_router(staff.router)
    router.include_router(addresses.router)
    router.include_router(sync.router)
    return router


# The job kinds this server runs, and who runs them (`jobs.worker.Worker`): built here, never registered at run time.
JOB_HANDLERS: Mapping[str, Handler] = MappingProxyType({state.JOB_KIND: commit.handle_job})


def create_app(settings: Settings | None = None, *, run_migrations: bool = True) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database(settings.database_url, pool_size=settings.db_pool_size,
                      max_overflow=settings.db_max_overflow)
        if run_migrations:
            migrate.upgrade(settings.database_url)
        with db.unit_of_work() as session:
            app.state.signing_key = auth.signing_key(session, settings.token_signing_key)
        app.state.db = db
        app.state.journal_writer = observability.JournalWriter(db, settings.journal_cap, app.state.signing_key,
                                                               error_log_cap_default=settings.error_log_cap)
        if settings.seed_on_start:
            seeding.ensure_seeded(db, seeding.seed_files(settings))
        worker = Worker(db, settings, JOB_HANDLERS)
        app.state.worker = worker
        if settings.run_worker:
            worker.start()
        try:
            yield
        finally:
            worker.stop()
            app.state.journal_writer.stop()
            db.dispose()

    app = FastAPI(
        title="Infinite Campus Business Office Integration API (boi-mock)",
        version="1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # boi_mock.api.docs serves the BOI and control documents separately
    )
    app.state.settings = settings
    problems.install(app, observe=pipeline.note_problem)
    app.include_router(oauth.router)
    app.include_router(boi_router(), prefix=BOI_PREFIX)
    app.include_router(boi_router(), prefix=SCOPED_PREFIX, include_in_schema=False)
    app.include_router(control.health_router)
    # Every control call first waits for this process's journal writer: read-your-writes for the journal and
    # the Error Log, and a reset or a clear never races an entry of an earlier call (boi_mock.api.pipeline).
    settled = [Depends(settle_journal)]
    app.include_router(control.router, dependencies=settled)
    for module in (control_staff, control_sync, control_faults, control_caps, control_coverage):
        app.include_router(module.router, prefix="/_mock", dependencies=[*control.router.dependencies, *settled])
    app.mount("/campus/ui", create_ui())
    docs.install(app)
    app.include_router(entry.router)  # /, /campus, /docs → the UI and the documentation; /favicon.ico
    # The one BOI middleware: raw-bytes checks and the call's context; the rest of the pipeline is BoiRoute's.
    app.add_middleware(BoiGate, max_body_bytes=settings.max_body_bytes)
    return app
