"""Settings: every field is a ``BOI_MOCK_<NAME>`` environment variable (``boi-mock serve --help`` lists them).

`serve` has flags for the everyday ones (``--host``, ``--port``, ``--database-url``); a flag wins over its variable.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from platformdirs import user_data_path
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# The scenario files that ship inside the package (demo district 7634-MO, minimal, the demo HR export).
PACKAGE_SEED_DIR = Path(__file__).resolve().parent / "seed"


def default_data_dir() -> Path:
    """Where the default SQLite file lives: the per-user data directory (never the current folder)."""
    return user_data_path("boi-mock", appauthor=False)


def default_database_url() -> str:
    return f"sqlite:///{default_data_dir() / 'boi-mock.db'}"


_URL_FORMS = ("Write sqlite:///relative/file.db or sqlite:////absolute/file.db for SQLite, "
              "postgresql+psycopg://user:password@host:5432/dbname for PostgreSQL")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOI_MOCK_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    database_url: str = Field(default_factory=default_database_url)
    # HS256 key for access tokens; generated and persisted in the database on first start when unset.
    token_signing_key: str | None = None
    # When set, every /_mock call needs `Authorization: Bearer <admin_token>` (and the Campus UI a sign-in).
    # Unset, both are open to this machine only: `serve` refuses a non-loopback host, and calls from
    # another machine are refused (docs/reliability.md, "Security").
    admin_token: str | None = None
    # Opt-out of that refusal: serve the open control API and Campus UI (client secrets included) to anyone
    # who reaches the port. Only for a network you trust entirely.
    allow_public_without_admin_token: bool = False
    max_body_bytes: int = 5 * 1024 * 1024
    journal_cap: int = 1000
    # Error Log rows a district keeps (oldest trimmed), unless it sets its own cap (ERR-1).
    error_log_cap: int = 10_000
    seed_dir: Path = PACKAGE_SEED_DIR
    # Scenario files in seed_dir loaded at start when their district does not exist yet. Entries may be
    # globs; "*" means every *.json scenario document there (JSON arrays, i.e. HR exports, are skipped).
    # Env: BOI_MOCK_SEED_FILES='*', 'a.json,b.json' or '["a.json", "b.json"]'; empty: none.
    seed_files: Annotated[list[str], NoDecode] = ["demo-7634-MO.json"]
    seed_on_start: bool = True
    # Public base URL used in tokenUrl/baseUrl answers; derived from host/port when unset.
    public_url: str | None = None
    run_worker: bool = True
    worker_poll_seconds: float = 0.5
    # Milliseconds the background commit job waits between two staff members (0: full speed). A slow job
    # lets a vendor watch commitJobStatus progress, and a test kill a server mid-job deterministically.
    job_pace_ms: int = 0
    # Pause automatic garbage collection while a sync validate or commit loads and compares a district
    # (services/sync/report.gc_paused). GC is process-wide: every thread's cyclic garbage waits until the
    # last pause ends (reference counting still frees the rest). Measured on 20,000 staff (docs/sync.md):
    # without the pause validate and the unchanged commit take ~1.5x the time. false: never touch the GC.
    sync_pause_gc: bool = True
    log_level: str = "info"
    # `serve --workers N`: server processes sharing the port (each with its own connection pool).
    workers: int = Field(default=1, ge=1, le=64)
    # PostgreSQL connections each process keeps (pool) and may open beyond it under load (overflow). A
    # deployment needs replicas x workers x (pool + overflow) + a few below max_connections (default 100):
    # the defaults (5 + 5) fit 9 processes. docs/architecture.md, "Running several replicas", says how.
    db_pool_size: int = Field(default=5, ge=1, le=1000)
    db_max_overflow: int = Field(default=5, ge=0, le=1000)

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        """A URL SQLAlchemy can use with the drivers boi-mock ships (checked by name: no driver is imported)."""
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(f"not a database URL. {_URL_FORMS}") from None
        backend, _, driver = url.drivername.partition("+")
        if backend == "postgres":
            raise ValueError(f"'postgres' is not a SQLAlchemy dialect name. {_URL_FORMS}")
        if backend == "postgresql" and driver != "psycopg":
            raise ValueError(f"boi-mock ships the psycopg (version 3) driver only. {_URL_FORMS}")
        if backend == "sqlite" and driver not in ("", "pysqlite"):
            raise ValueError(f"SQLite is used through Python's own sqlite3 driver. {_URL_FORMS}")
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(f"boi-mock runs on SQLite or PostgreSQL only. {_URL_FORMS}")
        return value

    @field_validator("seed_files", mode="before")
    @classmethod
    def _split_seed_files(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        text = value.strip()
        if text.startswith("["):
            return json.loads(text)
        return [part.strip() for part in text.split(",") if part.strip()]

    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{host}:{self.port}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
