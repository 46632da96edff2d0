"""Issue 17: every walk-through's commands run as written, pasted into bash against a live server.

A uvicorn server runs in a thread on a free port over a temporary SQLite database with the `minimal` district
and the demo district `7634-MO` (whose full sync sends the demo HR export the package ships). The home page's
`<pre>` blocks are taken as shown: the token block, with the client secret put in its first line as the page
says, then each walk-through's blocks in order, each curl command in its own bash, which must exit 0 (curl
`--fail-with-body`: a 2xx) and print an answer. The README's curl walk-through runs the same way.
"""

from __future__ import annotations

import html
import json
import re
import shlex
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.support import ROOT
from tests.ui.support import live_server

pytestmark = pytest.mark.slow  # a live server; each walk-through command runs in bash

MINIMAL = "minimal"
DEMO = "7634-MO"
SECRET_LINE = "CLIENT_SECRET='…the Client Secret…'"
BLOCK = re.compile(r'<pre class="code"[^>]*><code>(.*?)</code></pre>', re.S)
WALK = re.compile(r'<details class="walkthrough" id="walk-([\w-]+)".*?</details>', re.S)


@dataclass
class Live:
    base: str
    http: httpx.Client

    def secret(self, app: str) -> str:
        return str(self.http.get(f"/_mock/districts/{app}").json()["clientSecret"])


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_server(tmp_path_factory.mktemp("walk"), ("minimal.json", "demo-7634-MO.json")) as base, \
            httpx.Client(base_url=base, timeout=120) as client:
        yield Live(base, client)


def bash(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=300, check=False)


def blocks(page: str) -> list[str]:
    return [html.unescape(code) for code in BLOCK.findall(page)]


def token_block(page: str, secret: str) -> str:
    block = blocks(page)[0]
    first, rest = block.split("\n", 1)
    assert first == SECRET_LINE, "the token block starts with the line the page asks to fill in"
    return f"CLIENT_SECRET={shlex.quote(secret)}\n{rest}"


@pytest.mark.parametrize("app", [MINIMAL, DEMO])
def test_every_walkthrough_command_runs_as_written(live: Live, app: str) -> None:
    page = live.http.get(f"/campus/ui/{app}/").text
    login = token_block(page, live.secret(app))
    walks = {match.group(1): blocks(match.group(0)) for match in WALK.finditer(page)}
    assert set(walks) == {"name-change", "shared-household", "address-variants", "position-update", "full-sync"}
    ran = 0
    for key, commands in walks.items():
        setup = ""
        for command in commands:
            if not command.startswith("curl "):
                setup += command + "\n"
                continue
            result = bash(f"{login}\n{setup}{command}")
            where = f"{app} {key}: {command}\nstdout: {result.stdout[:2000]}\nstderr: {result.stderr[:2000]}"
            assert result.returncode == 0, where
            assert result.stdout.strip(), where
            json.loads(result.stdout)  # the BOI answer, whole
            ran += 1
    assert ran >= 11


def test_the_address_query_keeps_its_spaces(live: Live) -> None:
    page = live.http.get(f"/campus/ui/{MINIMAL}/").text
    command = next(c for c in blocks(page) if "/addresses" in c and "-G" in c)
    assert "--data-urlencode 'fullStreetAddress=4321 North Lexington Avenue'" in command
    result = bash(f"{token_block(page, live.secret(MINIMAL))}\n{command}")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout), "the variant spelling finds the existing address"


def test_a_wrong_secret_prints_the_token_endpoints_answer(live: Live) -> None:
    page = live.http.get(f"/campus/ui/{MINIMAL}/").text
    result = bash("set -e\n" + token_block(page, "not-the-secret"))
    assert result.returncode == 1  # the TOKEN= line fails, with the answer on stderr
    assert "no token:" in result.stderr and "invalid_client" in result.stderr
    assert "KeyError" not in result.stderr and "Traceback" not in result.stderr


def test_readme_curl_walkthrough_runs_as_written(live: Live) -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## A walk-through with curl", 1)[1]
    script = section.split("```sh\n", 1)[1].split("```", 1)[0]
    port = live.base.rsplit(":", 1)[1]
    lines = script.splitlines()
    assert lines[0].startswith("PORT=8080") and lines[1].startswith("CLIENT_SECRET='"), lines[:2]
    lines[0] = f"PORT={port}"
    lines[1] = f"CLIENT_SECRET={shlex.quote(live.secret(DEMO))}"
    result = bash("set -e\n" + "\n".join(lines))
    assert result.returncode == 0, f"stdout: {result.stdout[:2000]}\nstderr: {result.stderr[:2000]}"
    assert '"staffNumber":"90001"' in result.stdout.replace(" ", ""), result.stdout[:2000]
