"""SQLite writers of one process take turns in arrival order (`boi_mock.db.WriterQueue`); readers never queue."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from boi_mock import db as db_module
from boi_mock.db import Database, WriterQueue


def wait_until(condition: Callable[[], bool]) -> None:
    """Poll a condition the other threads will make true (a guard against hanging, not a timing)."""
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, "the other threads never got there"
        time.sleep(0.001)


def has_waiting(lock: WriterQueue, count: int) -> bool:
    return lock.waiting == count


def test_waiters_get_the_lock_in_arrival_order() -> None:
    lock = WriterQueue()
    assert lock.acquire()
    order: list[int] = []

    def writer(n: int) -> None:
        assert lock.acquire()
        order.append(n)
        lock.release()

    threads = []
    for n in range(8):
        thread = threading.Thread(target=writer, args=(n,))
        thread.start()
        threads.append(thread)
        wait_until(partial(has_waiting, lock, n + 1))  # this one is queued before the next one starts
    lock.release()
    for thread in threads:
        thread.join()
    assert order == list(range(8))
    assert lock.waiting == 0 and lock.acquire(timeout=0)


def test_a_waiter_that_gives_up_leaves_the_queue() -> None:
    lock = WriterQueue()
    assert lock.acquire()
    assert lock.acquire(timeout=0.01) is False
    assert lock.waiting == 0
    lock.release()
    assert lock.acquire(timeout=0)


def test_any_thread_may_release() -> None:
    lock = WriterQueue()
    assert lock.acquire()
    releaser = threading.Thread(target=lock.release)
    releaser.start()
    releaser.join()
    assert lock.acquire(timeout=0)


def test_release_without_acquire_is_an_error() -> None:
    with pytest.raises(RuntimeError):
        WriterQueue().release()


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'w.db'}")
    with db.unit_of_work() as session:
        session.execute(text("CREATE TABLE t (n INTEGER)"))
    yield db
    db.dispose()


def test_a_writer_waits_its_turn_and_readers_do_not(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db_module, "WRITER_WAIT_S", 0.05)
    outcome: dict[str, object] = {}

    def second_writer() -> None:
        try:
            with database.unit_of_work() as session:
                session.execute(text("INSERT INTO t VALUES (2)"))
        except OperationalError as exc:
            outcome["error"] = exc

    with database.unit_of_work() as session:
        session.execute(text("INSERT INTO t VALUES (1)"))
        thread = threading.Thread(target=second_writer)
        thread.start()
        thread.join()
        with database.unit_of_work(write=False) as reader:  # a reader takes no turn (and WAL lets it read)
            assert reader.scalar(text("SELECT count(*) FROM t")) == 0
    assert "no turn among this process's writers" in str(outcome["error"])
    with database.unit_of_work() as session:  # the turn came back with the connection
        session.execute(text("INSERT INTO t VALUES (3)"))
    with database.unit_of_work(write=False) as reader:
        assert reader.scalar(text("SELECT n FROM t ORDER BY n")) == 1


def test_the_turn_is_given_back_after_a_rollback(database: Database) -> None:
    with pytest.raises(ZeroDivisionError), database.unit_of_work() as session:
        session.execute(text("INSERT INTO t VALUES (1)"))
        raise ZeroDivisionError
    done = threading.Event()

    def writer() -> None:
        with database.unit_of_work() as session:
            session.execute(text("INSERT INTO t VALUES (2)"))
        done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    thread.join(timeout=60)
    assert done.is_set()
    with database.unit_of_work(write=False) as reader:
        assert reader.scalars(text("SELECT n FROM t")).all() == [2]
