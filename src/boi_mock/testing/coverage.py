"""`--boi-coverage` / `--boi-coverage-json FILE`: the contract coverage (MOCK-11) of a whole test session.

Every `boi_district` the session creates has its coverage read just before it is deleted; the session's
figure is the union of them (hits added up). Under pytest-xdist each worker sends its union to the
controller when it finishes (`workeroutput`), and the controller merges them (`pytest_testnodedown`), prints
the line and writes the file. Imports nothing of the server: the client's models only, and only when used.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from boi_mock.wire.control import Coverage

WORKER_KEY = "boi_coverage"
ENABLED = pytest.StashKey["CoverageCollector"]()


def _as_model(data: dict[str, Any]) -> Coverage:
    from boi_mock.wire.control import Coverage

    return Coverage.model_validate(data)


class CoverageCollector:
    """One per pytest process: the union of the coverage of the districts it created."""

    def __init__(self, config: pytest.Config, json_path: str | None) -> None:
        self.config = config
        self.json_path = Path(json_path) if json_path else None
        self.union: Coverage | None = None
        self.districts = 0

    @property
    def is_worker(self) -> bool:
        return hasattr(self.config, "workerinput")

    def add(self, coverage: Coverage, districts: int = 1) -> None:
        from boi_mock.wire.control import Coverage

        self.union = coverage if self.union is None else Coverage.union([self.union, coverage])
        self.districts += districts

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = self.union.model_dump(mode="json", by_alias=True) if self.union is not None else {
            "rules": [], "errorCodes": [], "operations": [], "exercised": 0, "total": 0}
        return {**body, "districts": self.districts}

    def summary_lines(self) -> list[str]:
        if self.union is None:
            return ["BOI coverage: no boi_district was created in this session"]
        found = self.union
        operations = sum(1 for op in found.operations if op.hits)
        codes = sum(1 for code in found.error_codes if code.hits)
        return [found.summary(),
                f"BOI operations called: {operations} of {len(found.operations)}; error codes seen: {codes} of "
                f"{len(found.error_codes)} (districts: {self.districts})"]

    # --- hooks --------------------------------------------------------------------------------------------

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.is_worker:
            workeroutput: dict[str, Any] = getattr(session.config, "workeroutput")  # noqa: B009 (set by xdist)
            workeroutput[WORKER_KEY] = self.as_json()
            return
        if self.json_path is not None:
            self.json_path.parent.mkdir(parents=True, exist_ok=True)
            self.json_path.write_text(json.dumps(self.as_json(), indent=2) + "\n", encoding="utf-8")

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """xdist (controller): a worker finished; add its districts' coverage."""
        sent = getattr(node, "workeroutput", {}).get(WORKER_KEY)
        if sent and sent.get("districts"):
            self.add(_as_model(sent), districts=int(sent["districts"]))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.is_worker:
            return
        terminalreporter.write_sep("-", "boi-mock contract coverage")
        for line in self.summary_lines():
            terminalreporter.write_line(line)
        if self.json_path is not None:
            terminalreporter.write_line(f"written to {self.json_path}")


def configure(config: pytest.Config) -> None:
    """Register the collector when `--boi-coverage` or `--boi-coverage-json` is given."""
    json_path = config.getoption("--boi-coverage-json", None)
    if not (config.getoption("--boi-coverage", False) or json_path):
        return
    collector = CoverageCollector(config, json_path)
    config.stash[ENABLED] = collector
    config.pluginmanager.register(collector, "boi-mock-coverage")


def collector_of(config: pytest.Config) -> CoverageCollector | None:
    return config.stash.get(ENABLED, None)
