"""Alembic environment: the URL comes from the caller (boi_mock.migrate) or BOI_MOCK_DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import boi_mock.models  # noqa: F401  (registers every table on Base.metadata)
from boi_mock.db import Base, create_db_engine
from boi_mock.settings import get_settings

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = create_db_engine(url)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported")
run_migrations_online()
