"""`boi-mock sync` (boi_mock/sync_cli.py): the five steps from an HR export file, credentials from the control API."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from boi_mock import sync_cli
from boi_mock.cli import build_parser
from boi_mock.services import districts
from tests.api.sync_support import SYNC, hr_export, sync_scenario
from tests.support import create_district, staff_payload


def test_sync_cli_runs_the_five_steps_and_prints_the_summary(
        client: TestClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = sync_scenario()
    district = create_district(client, scenario)
    export = tmp_path / "hr.json"
    export.write_text(json.dumps(hr_export(scenario)))
    args = build_parser().parse_args(["sync", "--file", str(export), "--app", district.app_name])
    assert sync_cli.sync(args, client, poll=0.05) == 1  # 30001 fails (duplicate Campus staff number)
    out = capsys.readouterr().out
    assert "Demographic differences:                  1" in out
    assert "Campus staff with duplicate staff numbers: 2" in out
    assert "Commit: 5 succeeded, 1 failed" in out
    assert "30001: duplicate_campus_staff_number" in out
    assert district.get(f"{SYNC}/status").json()["status"] == "COMMITTED"


def test_sync_cli_uses_the_commit_job_when_asked(client: TestClient, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    district = create_district(client)
    export = tmp_path / "hr.json"
    export.write_text(json.dumps([staff_payload("90001"), staff_payload("90002")]))
    args = build_parser().parse_args(["sync", "--file", str(export), "--app", district.app_name,
                                      "--client-id", district.client_id, f"--client-secret={district.client_secret}",
                                      "--commit", "job", "--batch-size", "1"])
    assert sync_cli.sync(args, client, poll=0.05) == 0
    assert "Commit: 2 succeeded, 0 failed" in capsys.readouterr().out
    assert district.get(f"{SYNC}/commitJobStatus").json()["status"] == "COMPLETED"


def test_sync_cli_reports_a_rejected_transfer(client: TestClient, tmp_path: Path) -> None:
    district = create_district(client)
    export = tmp_path / "hr.json"
    export.write_text(json.dumps([staff_payload("90001", gender="Q")]))
    args = build_parser().parse_args(["sync", "--file", str(export), "--app", district.app_name])
    with pytest.raises(sync_cli.SyncError, match=r"unknown_gender.*\n.*\[0\]\.gender"):
        sync_cli.sync(args, client)


def test_mock7_a_generated_secret_never_starts_with_a_hyphen(monkeypatch: pytest.MonkeyPatch) -> None:
    """A leading '-' reads as an option to command-line tools; one generated secret in 64 used to start with one
    (and `--client-secret SECRET` then failed in argparse)."""
    drawn = iter(["-starts-with-a-hyphen", "plain_secret-0001"])
    monkeypatch.setattr(secrets, "token_urlsafe", lambda _n: next(drawn))
    assert districts.new_secret() == "plain_secret-0001"


def test_sync_cli_takes_a_secret_that_starts_with_a_hyphen_in_its_equals_form() -> None:
    args = build_parser().parse_args(["sync", "--app", "7634-MO", "--client-id", "id",
                                      "--client-secret=-Vendor-Test.Secret_0001"])
    assert args.client_secret == "-Vendor-Test.Secret_0001"
