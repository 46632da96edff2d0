"""Importing the app leaves the heavy modules to the code that uses them (issue 12: the plugin's first use)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# Each loads on first use: the Campus UI (and Jinja2) on its first page, usaddress' CRF model on the first
# street line, scourgify's Pub 28 tables (and PyYAML) on their first lookup, python-jose (and cryptography)
# on the first token, Alembic only when a database is behind the head revision.
LAZY = ["boi_mock.admin.app", "jinja2", "usaddress", "pycrfsuite", "scourgify", "yaml", "jose", "cryptography",
        "alembic", "fastapi_offline", "uvicorn"]


def loaded_after(code: str) -> set[str]:
    probe = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.slow  # a fresh interpreter importing the app
def test_importing_the_app_loads_none_of_the_heavy_modules() -> None:
    loaded = loaded_after("import boi_mock.main")
    assert "fastapi" in loaded and "sqlalchemy.orm" in loaded
    assert sorted(name for name in LAZY if name in loaded) == []


def test_they_load_when_used() -> None:
    loaded = loaded_after(
        "from boi_mock.domain import addresses, tokens\n"
        "addresses.parse_street_line('4321 N Lexington Ave Apt 2')\n"
        "tokens.issue(key='k', app_name='a', client_id='c', secret_version=1, now=0, lifetime=60)\n")
    assert {"usaddress", "scourgify", "jose"} <= loaded
