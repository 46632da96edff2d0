"""Job handlers by kind. A handler runs one claimed job to its end in its own sessions.

A handler that returns leaves a still-RUNNING job to be marked COMPLETED by the worker; one that
raises has crashed (FAILED). A handler may close the job itself, atomically with its own last
write (the sync commit does: COMPLETED with the run's COMMITTED, or INTERRUPTED when stopped).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from boi_mock.db import Database
from boi_mock.services.sync import commit, state


@dataclass(frozen=True)
class JobControl:
    worker_id: str
    # True once the worker is stopping: a handler stops between units of work.
    should_stop: Callable[[], bool]
    # Pause between two units of work (settings.job_pace_ms): a slow job on purpose, to watch progress.
    pace_seconds: float = 0.0


Handler = Callable[[Database, int, JobControl], None]


def _sync_commit(db: Database, job_id: int, control: JobControl) -> None:
    """SYNC-7: the commit engine; it closes the job (COMPLETED/INTERRUPTED) itself."""
    commit.run_commit(db, job_id, control.should_stop, pace_seconds=control.pace_seconds)


HANDLERS: dict[str, Handler] = {state.JOB_KIND: _sync_commit}


def register(kind: str, handler: Handler) -> None:
    """Add a handler (tests register probes; a future job kind registers here)."""
    HANDLERS[kind] = handler
