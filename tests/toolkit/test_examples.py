"""docs/testing-your-integration.md stays true: its examples are files in examples/, run here.

A code block in the guide that follows `<!-- example: examples/NAME -->` must appear verbatim in
that file; every example file is run (the vendor-style tests with the plugin, the quick start
against a live server).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from boi_mock.testing.server import BoiServer

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "testing-your-integration.md"
EXAMPLES = ROOT / "examples"
LEAN = ("-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:hypothesispytest", "-p", "no:faker",
        "-p", "no:anyio")
BLOCK = re.compile(r"<!-- example: (?P<file>[\w./-]+) -->\s*```\w*\n(?P<code>.*?)```", re.DOTALL)


def test_guide_blocks_are_verbatim_excerpts_of_example_files() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    blocks = list(BLOCK.finditer(text))
    assert len(blocks) >= 3
    for block in blocks:
        source = (ROOT / block["file"]).read_text(encoding="utf-8")
        assert block["code"] in source, f"the guide's block from {block['file']} no longer matches the file"
    referenced = {Path(block["file"]).name for block in blocks}
    assert {path.name for path in EXAMPLES.glob("*.py")} <= referenced | {"hr_push.py"}


def test_vendor_example_tests_pass_with_the_plugin(pytester: pytest.Pytester) -> None:
    for path in EXAMPLES.glob("*.py"):
        shutil.copy(path, pytester.path / path.name)
    result = pytester.runpytest_subprocess(*LEAN, "test_hr_push.py")
    result.assert_outcomes(passed=12)


@pytest.mark.slow  # a live server and a subprocess
def test_quickstart_runs_against_a_live_server(boi_live_server: BoiServer) -> None:
    env = {**os.environ, "BOI_MOCK_URL": boi_live_server.url}
    done = subprocess.run([sys.executable, str(EXAMPLES / "quickstart.py")], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "created: 90001" in done.stdout and "again: 409 staff_exists" in done.stdout
    assert "journal: POST staffMembers 201 ['STAFF-5'" in done.stdout
