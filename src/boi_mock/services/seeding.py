"""Scenario files in seed/ become districts on start, once (restarting never duplicates them).

Replicas starting together race to seed the same district: the loser's pre-check may pass and its INSERT
then meets the winner's row (`uq_district_app_name`, an IntegrityError at flush or commit) or, when the
winner's row is already committed, the pre-check's Conflict. Either way the loser's transaction is rolled
back whole and the district is read back: someone else created it.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from boi_mock import models as m
from boi_mock.db import Database
from boi_mock.errors import Conflict
from boi_mock.repositories import districts as repo
from boi_mock.schemas.scenario import Scenario
from boi_mock.services import districts
from boi_mock.settings import Settings

log = logging.getLogger("boi_mock")


def seed_files(settings: Settings) -> list[Path]:
    """The scenario files to load: names as given; globs ("*" = "*.json") expanded to scenario documents only."""
    found: list[Path] = []
    for name in settings.seed_files:
        if not any(ch in name for ch in "*?["):
            found.append(settings.seed_dir / name)
            continue
        pattern = "*.json" if name == "*" else name
        found += [path for path in sorted(settings.seed_dir.glob(pattern))
                  if path.is_file() and _is_scenario_document(path) and path not in found]
    return found


def _is_scenario_document(path: Path) -> bool:
    """A scenario is a JSON object; seed/ also holds HR exports (JSON arrays), which are not loaded."""
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip()
    return head.startswith(b"{")


def read_scenario(path: Path) -> Scenario:
    return Scenario.model_validate(json.loads(path.read_text(encoding="utf-8")))


def _app_name(path: Path) -> str:
    """The district a scenario file makes, without validating the whole file (a restart must be fast)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    name = data.get("appName") if isinstance(data, dict) else None
    return name if isinstance(name, str) and name else path.stem


def ensure_seeded(db: Database, files: list[Path]) -> list[m.District]:
    """Create the district of each scenario file that does not exist yet; return every seeded district."""
    seeded = []
    for path in files:
        if not path.exists():
            log.warning("Seed file %s not found; skipped", path)
            continue
        name = _app_name(path)
        try:
            with db.unit_of_work() as session:
                existing = repo.by_app_name(session, name)
                if existing is None:
                    scenario = read_scenario(path)
                    existing = districts.create(session, scenario.model_copy(update={"app_name": name}))
                    log.info("Seeded district %s from %s", name, path)
        except (Conflict, IntegrityError):  # another replica won the race: its district stands
            with db.unit_of_work(write=False) as session:
                existing = repo.by_app_name(session, name)
        if existing is not None:
            seeded.append(existing)
    return seeded


def seed_scenarios(settings: Settings) -> list[tuple[str, Scenario]]:
    """MOCK-14: what a global reset creates again: the seed files a start loads (none when the server does not
    seed on start), each with its district's appName; a file that no longer exists is skipped, as at start."""
    if not settings.seed_on_start:
        return []
    found = []
    for path in seed_files(settings):
        if not path.exists():
            log.warning("Seed file %s not found; skipped", path)
            continue
        found.append((_app_name(path), read_scenario(path)))
    return found
