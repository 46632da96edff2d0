"""Placeholder: the in-process job worker (started by app/main.py's lifespan when settings.run_worker)."""

from __future__ import annotations

from app.db import Database
from app.settings import Settings


class Worker:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    def start(self) -> None:
        """Recover interrupted jobs and start polling for queued ones."""

    def stop(self) -> None:
        """Stop polling; a running job is left for recovery."""
