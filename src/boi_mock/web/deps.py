"""Request-scoped dependencies every HTTP face uses: the unit of work (the one commit point), journal reads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from boi_mock.db import Database
from boi_mock.services import races
from boi_mock.services.observability import JournalWriter
from boi_mock.settings import Settings

READ_METHODS = ("GET", "HEAD", "OPTIONS")


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def unit_of_work(request: Request) -> Iterator[Session]:
    """Commit when the handler returns, before the response is sent; roll back on any error.

    A unique-key race lost to another request (or replica) answers as the contract says (`services.races`).
    """
    try:
        with get_db(request).unit_of_work(write=request.method not in READ_METHODS) as session:
            yield session
    except IntegrityError as exc:
        answer = races.contract_error(exc)
        if answer is None:
            raise
        raise answer from exc


SessionDep = Annotated[Session, Depends(unit_of_work, scope="function")]


def settle_journal(request: Request) -> None:
    """Read-your-writes for the journal and the Error Log: wait until this process's writer has written
    every call answered before this request began (a control route dependency)."""
    writer: JournalWriter | None = getattr(request.app.state, "journal_writer", None)
    if writer is not None:
        writer.settle()
