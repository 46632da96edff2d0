"""Issue 15 item 8: a start that could exhaust PostgreSQL's connections says so (pool sizing, --workers)."""

from __future__ import annotations

from boi_mock.cli import connection_shortfall
from boi_mock.settings import Settings


def _settings(**values: int) -> Settings:
    return Settings(database_url="sqlite:////tmp/unused.db").model_copy(update=values)


def test_the_defaults_leave_room_for_nine_processes_on_postgresqls_default_limit() -> None:
    defaults = _settings()
    assert (defaults.db_pool_size, defaults.db_max_overflow, defaults.workers) == (5, 5, 1)
    for running in range(9):  # 8 processes already up with full pools, the 9th starting
        assert connection_shortfall(defaults, max_connections=100, reserved=3, in_use=running * 10) is None
    assert connection_shortfall(defaults, max_connections=100, reserved=3, in_use=90) is not None


def test_the_warning_names_the_settings_and_the_figures() -> None:
    problem = connection_shortfall(_settings(workers=4, db_pool_size=10, db_max_overflow=20), max_connections=100,
                                   reserved=3, in_use=1)
    assert problem is not None
    assert "120 PostgreSQL connections" in problem and "96 of max_connections 100 are free" in problem
    assert "BOI_MOCK_DB_POOL_SIZE 10" in problem and "BOI_MOCK_DB_MAX_OVERFLOW 20" in problem
