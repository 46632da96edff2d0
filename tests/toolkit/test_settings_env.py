"""Every setting is also a BOI_MOCK_* environment variable; seed files by name, list or glob ("*")."""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path
from typing import Any

import pytest

from boi_mock.services.seeding import seed_files
from boi_mock.settings import Settings

# Settings whose strings are checked: a valid sample of each.
SAMPLES = {"database_url": ("sqlite:////tmp/boi-sample.db", "sqlite:////tmp/boi-sample.db"),
           # bounded integers (issue 15): a value inside the bounds
           "workers": ("4", 4), "db_pool_size": ("20", 20), "db_max_overflow": ("0", 0)}


def sample(annotation: Any, default: Any) -> tuple[str, Any]:
    """An environment string for a field type, and the value it must give."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        return sample(args[0], default)
    if typing.get_origin(annotation) is typing.Annotated:
        return sample(args[0], default)
    if typing.get_origin(annotation) is list:
        return "a.json,b.json", ["a.json", "b.json"]
    if annotation is bool:
        return ("false", False) if default else ("true", True)
    if annotation is int:
        return "4242", 4242
    if annotation is float:
        return "0.25", 0.25
    if annotation is Path:
        return "/tmp/boi-sample", Path("/tmp/boi-sample")
    assert annotation is str, f"add a sample for {annotation!r}"
    return "sample-value", "sample-value"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_an_env_variable(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    field = Settings.model_fields[name]
    raw, expected = SAMPLES.get(name) or sample(field.annotation, field.default)
    monkeypatch.setenv(f"BOI_MOCK_{name.upper()}", raw)
    assert getattr(Settings(), name) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("*", ["*"]),
    ("minimal.json", ["minimal.json"]),
    (" a.json , b.json ,", ["a.json", "b.json"]),
    ('["a.json", "demo-*.json"]', ["a.json", "demo-*.json"]),
    ("", []),
])
def test_seed_files_env_forms(raw: str, expected: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOI_MOCK_SEED_FILES", raw)
    assert Settings().seed_files == expected


def test_seed_files_star_means_every_scenario_document_in_seed_dir(tmp_path: Path) -> None:
    (tmp_path / "b-district.json").write_text(json.dumps({"appName": "b"}))
    (tmp_path / "a-district.json").write_text('\n  {"appName": "a"}')
    (tmp_path / "hr-export.json").write_text(json.dumps([{"staffNumber": "1"}]))
    (tmp_path / "notes.txt").write_text("{}")
    settings = Settings(seed_dir=tmp_path, seed_files=["*"])
    assert [p.name for p in seed_files(settings)] == ["a-district.json", "b-district.json"]
    settings = Settings(seed_dir=tmp_path, seed_files=["b-*.json", "missing.json", "*"])
    assert [p.name for p in seed_files(settings)] == ["b-district.json", "missing.json", "a-district.json"]


def test_packaged_seed_dir_with_star_loads_the_scenarios_not_the_hr_export() -> None:
    names = [p.name for p in seed_files(Settings(seed_files=["*"]))]
    assert "minimal.json" in names and "hr-export-demo.json" not in names
