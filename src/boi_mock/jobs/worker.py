"""The in-process job worker (started by boi_mock/main.py's lifespan when settings.run_worker).

One daemon thread polls the queue every `worker_poll_seconds` (a cheap read first, then a claim) and
runs one job at a time, renewing the job's lease beside it (`queue.Lease`). A second thread marks jobs
whose lease has expired INTERRUPTED every `queue.RECOVER_EVERY_SECONDS` (boi_mock/jobs/queue.py `recover`),
also while this worker is busy with a long job, so a dead replica's job is taken over within the
documented time by any replica. Several workers, in one process or many, may poll one database: each job runs exactly
once (FOR UPDATE SKIP LOCKED on PostgreSQL, BEGIN IMMEDIATE on SQLite).

Decided: an interrupted job is not resumed automatically. It stays INTERRUPTED (what the vendor sees
in commitJobStatus); the sync stays COMMITTING with its remaining staff pending, and submitting the
commit again commits only those (staging rows record each staff member's outcome).
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from boi_mock import models as m
from boi_mock.db import Database
from boi_mock.jobs import queue
from boi_mock.settings import Settings

log = logging.getLogger("boi_mock")

RECOVER_EVERY_SECONDS = queue.RECOVER_EVERY_SECONDS
_numbers = itertools.count(1)


@dataclass(frozen=True)
class JobControl:
    worker_id: str
    # True once the worker is stopping: a handler stops between units of work.
    should_stop: Callable[[], bool]
    # Pause between two units of work (settings.job_pace_ms): a slow job on purpose, to watch progress.
    pace_seconds: float = 0.0
    # settings.sync_pause_gc: whether a heavy job step may pause the process's garbage collection.
    pause_gc: bool = True


# A handler runs one claimed job to its end in its own units of work. One that returns leaves a still-RUNNING
# job to be marked COMPLETED by the worker; one that raises has crashed (FAILED). A handler may close the job
# itself, atomically with its own last write (the sync commit does: COMPLETED with the run's COMMITTED, or
# INTERRUPTED when stopped).
Handler = Callable[[Database, int, JobControl], None]


class Worker:
    """Runs the job kinds of `handlers` (built by the app: `boi_mock.main.JOB_HANDLERS`). The jobs package
    imports nothing of `services`: services enqueue through `jobs.queue`, the app hands the worker its handlers."""

    def __init__(self, db: Database, settings: Settings, handlers: Mapping[str, Handler], *,
                 name: str | None = None, stale_after_seconds: float = queue.STALE_AFTER_SECONDS) -> None:
        self.db = db
        self.settings = settings
        self.handlers: Mapping[str, Handler] = MappingProxyType(dict(handlers))
        self.worker_id = f"{queue.process_identity()}:{name or f'worker-{next(_numbers)}'}"
        self.stale_after_seconds = stale_after_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._recovery: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Recover interrupted jobs and start polling for queued ones."""
        if self.running:
            return
        self._stop.clear()
        self.recover()
        self._thread = threading.Thread(target=self._loop, name=f"boi-worker {self.worker_id}", daemon=True)
        self._thread.start()
        self._recovery = threading.Thread(target=self._recover_loop, name=f"boi-recovery {self.worker_id}",
                                          daemon=True)
        self._recovery.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop polling; a running job stops between two staff members and becomes INTERRUPTED."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self._recovery is not None:
            self._recovery.join(timeout)
            self._recovery = None

    def recover(self) -> list[int]:
        interrupted = queue.recover(self.db, stale_after_seconds=self.stale_after_seconds)
        for job_id in interrupted:
            log.warning("job %s was interrupted (its worker is gone)", job_id)
        return interrupted

    def run_once(self) -> bool:
        """Claim and run one queued job; False when there was none."""
        kinds = tuple(self.handlers)
        if not queue.has_queued(self.db, kinds):
            return False
        job_id = queue.claim(self.db, self.worker_id, kinds)
        if job_id is None:
            return False
        self._run(job_id)
        return True

    def _run(self, job_id: int) -> None:
        with self.db.unit_of_work(write=False) as session:
            job = session.get(m.BackgroundJob, job_id)
            kind = job.kind if job is not None else ""
        handler = self.handlers.get(kind)
        if handler is None:
            queue.finish(self.db, job_id, queue.FAILED, f"No handler for job kind {kind!r}")
            return
        control = JobControl(worker_id=self.worker_id, should_stop=self._stop.is_set,
                                      pace_seconds=self.settings.job_pace_ms / 1000,
                                      pause_gc=self.settings.sync_pause_gc)
        log.info("job %s (%s) started by %s", job_id, kind, self.worker_id)
        try:
            with queue.Lease(self.db, job_id, self.worker_id):
                handler(self.db, job_id, control)
        except Exception as exc:
            log.exception("job %s (%s) crashed", job_id, kind)
            queue.finish(self.db, job_id, queue.FAILED, f"{type(exc).__name__}: {exc}")
            return
        queue.finish(self.db, job_id, queue.COMPLETED)
        log.info("job %s (%s) finished", job_id, kind)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                if self.run_once():
                    continue
            except Exception:  # the database may be briefly unavailable: log, wait, poll again
                log.exception("job worker %s: poll failed", self.worker_id)
            self._stop.wait(self.settings.worker_poll_seconds)

    def _recover_loop(self) -> None:
        while not self._stop.wait(RECOVER_EVERY_SECONDS):
            try:
                self.recover()
            except Exception:  # the database may be briefly unavailable: try again next round
                log.exception("job worker %s: recovery failed", self.worker_id)
