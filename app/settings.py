"""Settings from the environment (prefix ``BOI_MOCK_``); every knob is also a CLI flag of `serve`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATA_DIR = Path("var")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOI_MOCK_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8080
    database_url: str = f"sqlite:///{DEFAULT_DATA_DIR / 'boi-mock.db'}"
    # HS256 key for access tokens; generated and persisted in the database on first start when unset.
    token_signing_key: str | None = None
    # When set, every /_mock call needs `Authorization: Bearer <admin_token>`.
    admin_token: str | None = None
    max_body_bytes: int = 5 * 1024 * 1024
    journal_cap: int = 1000
    seed_dir: Path = Path("seed")
    # Scenario files loaded at start when their district does not exist yet.
    seed_files: list[str] = ["demo-7634-MO.json"]
    seed_on_start: bool = True
    # Public base URL used in tokenUrl/baseUrl answers; derived from host/port when unset.
    public_url: str | None = None
    run_worker: bool = True
    worker_poll_seconds: float = 0.5
    log_level: str = "info"

    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{host}:{self.port}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
