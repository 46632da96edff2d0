"""Engine, sessions and the declarative base.

Writes are serialised per district (see `repositories.districts.lock`): on SQLite every
write transaction starts with ``BEGIN IMMEDIATE`` (so two writers never deadlock upgrading a read
lock), on PostgreSQL the district row is locked ``FOR UPDATE``.

On SQLite a writer of this process first takes its turn in a FIFO queue (`WriterQueue`), and keeps it
until its connection goes back to the pool (right after COMMIT/ROLLBACK). SQLite's own busy handler
polls with growing sleeps (up to 100 ms) and serves whoever polls at the right moment, so under
concurrent writes a few unlucky writers waited seconds; queued, each waits for those ahead of it only.
The order is always queue → SQLite lock, and only writers queue: nothing can wait in a cycle.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import NullPool

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


WRITE_OPTION = "boi_write"
# How long a SQLite writer waits for its turn: the same as SQLite's busy_timeout below.
WRITER_WAIT_S = 30.0
# Set in the pool entry's info while its connection holds the writers' turn.
_TURN = "boi_writer_turn"


class WriterQueue:
    """A lock handed to its waiters in arrival order (`threading.Lock` promises no order).

    Any thread may release it (a request's unit of work may begin and end in different threads).
    """

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._held = False
        self._waiters: deque[threading.Event] = deque()

    @property
    def waiting(self) -> int:
        """How many are queued behind the holder."""
        with self._mutex:
            return len(self._waiters)

    def acquire(self, timeout: float | None = None) -> bool:
        with self._mutex:
            if not self._held:  # free means nobody waits: release hands it straight to the oldest waiter
                self._held = True
                return True
            turn = threading.Event()
            self._waiters.append(turn)
        if turn.wait(timeout):
            return True
        with self._mutex:
            if turn.is_set():  # handed over just as the wait timed out
                return True
            self._waiters.remove(turn)
            return False

    def release(self) -> None:
        with self._mutex:
            if not self._held:
                raise RuntimeError("WriterQueue.release() without acquire()")
            if self._waiters:
                self._waiters.popleft().set()  # stays held: it is the oldest waiter's now
            else:
                self._held = False


def _configure_sqlite(engine: Engine) -> None:
    writers = WriterQueue()  # one per engine: the writers of this process on this database

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from pysqlite so BEGIN IMMEDIATE is possible.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        if immediate and not conn.info.get(_TURN):
            if not writers.acquire(timeout=WRITER_WAIT_S):
                raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError(
                    f"database is locked (no turn among this process's writers in {WRITER_WAIT_S:.0f} s)"))
            conn.info[_TURN] = True
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        # Back in the pool: the transaction is over (committed, rolled back, or the connection is gone).
        if record.info.pop(_TURN, False):
            writers.release()


# PostgreSQL connections per process: kept open (pool) and opened beyond it under load (overflow), closed
# again when returned. The defaults of BOI_MOCK_DB_POOL_SIZE / BOI_MOCK_DB_MAX_OVERFLOW (boi_mock/settings.py).
POOL_SIZE = 5
MAX_OVERFLOW = 5


def create_db_engine(url: str, *, pool_size: int = POOL_SIZE, max_overflow: int = MAX_OVERFLOW) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            poolclass=NullPool if parsed.database in (None, "", ":memory:") else None,
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=True)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


class Database:
    """The engine plus two session factories: read (plain BEGIN) and write (district-serialised)."""

    def __init__(self, url: str, *, pool_size: int = POOL_SIZE, max_overflow: int = MAX_OVERFLOW) -> None:
        self.url = url
        self.engine = create_db_engine(url, pool_size=pool_size, max_overflow=max_overflow)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self, *, write: bool) -> Session:
        return (self._write if write else self._read)()

    @contextmanager
    def unit_of_work(self, *, write: bool = True) -> Iterator[Session]:
        """A unit of work: commit on success, else roll back. Who may open one is the transaction rule
        (docs/architecture.md; tests/unit/test_architecture.py OPENERS): services take a session."""
        session = self.session(write=write)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
