"""The pytest plugin (entry point pytest11 `boi_mock`), run the way a vendor's suite would run it."""

from __future__ import annotations

import json
from pathlib import Path

# Imported here, before any in-process pytester run: modules first imported inside such a run are
# dropped from sys.modules after it, and httpx would then map a re-imported httpcore's exceptions wrongly;
# so would python-jose a re-imported cryptography's classes, once the app imports them on first use.
import httpcore  # noqa: F401
import jose.jwt  # noqa: F401
import pytest
import usaddress  # noqa: F401
from scourgify import address_constants  # noqa: F401

from boi_mock.testing.server import BoiServer

pytest_plugins = ["pytester"]
# Fresh interpreters (subprocess, xdist workers) without the heavy plugins this venv also has.
LEAN = ("-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:hypothesispytest", "-p", "no:faker",
        "-p", "no:anyio")

VENDOR_TESTS = '''
import pytest

from boi_mock.client import BoiApiError


def test_typed_client_and_http(boi_district):
    assert [s.school_number for s in boi_district.client.schools()] == ["010", "020", "030"]
    response = boi_district.http.get("/attributes/genders")
    assert response.status_code == 200
    boi_district.assert_called("GET", "/schools", times=1)
    boi_district.assert_called("GET", "/attributes/genders", status=200)
    with pytest.raises(AssertionError, match="was not called"):
        boi_district.assert_called("POST", "/staffMembers")
    pytest.shared = boi_district.app_name


def test_previous_district_was_deleted(boi_server, boi_district):
    assert boi_server.control.request("GET", f"/districts/{pytest.shared}").status_code == 404
    assert boi_district.app_name != pytest.shared


def test_faults_and_clock_through_the_district(boi_district):
    boi_district.add_fault(method="GET", path="/schools", status=503, times=1)
    with pytest.raises(BoiApiError) as caught:
        boi_district.client.schools()
    assert caught.value.status == 503
    boi_district.advance_clock(3600)
    assert boi_district.client.schools()
    assert boi_district.client.auth.tokens_fetched == 2


def test_secret_rotation_keeps_the_clients_working(boi_district):
    boi_district.client.schools()
    boi_district.rotate_secret()
    assert boi_district.http.get("/schools").status_code == 200
'''


def test_plugin_gives_a_district_with_clients_and_controls(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_vendor=VENDOR_TESTS)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_boi_scenario_marker_takes_a_dict_or_a_file(pytester: pytest.Pytester) -> None:
    scenario = {"appName": "vendor", "today": "2030-01-01", "schools": [{"schoolNumber": "900", "name": "Nine"}]}
    (pytester.path / "district.json").write_text(json.dumps(scenario))
    pytester.makepyfile(test_marker=f'''
import pytest

@pytest.mark.boi_scenario({{"schools": [{{"schoolNumber": "100", "name": "One"}}]}})
def test_dict(boi_district):
    assert [s.school_number for s in boi_district.client.schools()] == ["100"]

@pytest.mark.boi_scenario({str(pytester.path / "district.json")!r})
def test_file(boi_district):
    assert boi_district.app_name.startswith("vendor-")
    assert boi_district.clock()["today"] == "2030-01-01"
    assert [s.name for s in boi_district.client.schools()] == ["Nine"]
''')
    pytester.makepyfile(test_override='''
import pytest

@pytest.fixture
def boi_scenario():
    return {"genders": [{"code": "Q", "name": "Other"}]}

def test_overridden_fixture(boi_district):
    assert [g.code for g in boi_district.client.genders()] == ["Q"]
''')
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=3)


def test_fresh_interpreter_lazy_plugin_no_fixture_name_clash(pytester: pytest.Pytester) -> None:
    """Via the entry point in a new process: nothing starts until asked; the suite's own fixture names stay free."""
    pytester.makeconftest('''
import pytest

@pytest.fixture
def client():
    return "the suite's own client"

@pytest.fixture
def district():
    return "the suite's own district"

@pytest.fixture
def settings():
    return "the suite's own settings"

@pytest.fixture
def database_url():
    return "the suite's own database_url"
''')
    pytester.makepyfile(test_lazy='''
import gc
import sys
import threading

def test_nothing_started(client, district, settings, database_url, request):
    assert request.config.pluginmanager.has_plugin("boi_mock")
    assert (client, district, settings, database_url)[0] == "the suite's own client"
    assert "boi_mock.main" not in sys.modules, "loading the plugin must not import the server"
    assert not [t for t in threading.enumerate() if t.name.startswith("boi-mock")]
    assert gc.get_freeze_count() == 0

def test_then_used(boi_server, boi_district, client):
    assert client == "the suite's own client"
    assert boi_district.client.titles()
    assert gc.get_freeze_count() > 0, "what was alive at the start is out of later collections"
    print("started_in=%.3f" % boi_server.started_in)
''')
    result = pytester.runpytest_subprocess(*LEAN, "-s")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*started_in=*"])


def test_xdist_workers_each_run_their_own_server(pytester: pytest.Pytester) -> None:
    out = pytester.path / "seen"
    out.mkdir()
    pytester.makepyfile(test_xdist=f'''
import os
import pytest

@pytest.mark.parametrize("n", range(6))
def test_worker(n, boi_server, boi_district):
    assert boi_district.client.schools()
    with open(os.path.join({str(out)!r}, f"{{os.getpid()}}-{{n}}"), "w") as f:
        f.write(f"{{boi_server.mode}} {{id(boi_server)}}")
''')
    result = pytester.runpytest_subprocess(*LEAN, "-n", "2")
    result.assert_outcomes(passed=6)
    pids = {path.name.split("-")[0] for path in out.iterdir()}
    servers = {f"{path.name.split('-')[0]} {path.read_text()}" for path in out.iterdir()}
    assert len(pids) == 2 and len(servers) == 2, (pids, servers)
    assert all(" in-process " in server for server in servers)


def test_external_server_via_option(pytester: pytest.Pytester, boi_live_server: BoiServer) -> None:
    pytester.makepyfile(test_external=f'''
import pytest

def test_uses_the_given_server(boi_server, boi_live_server, boi_district):
    assert boi_server is boi_live_server
    assert boi_server.url == {boi_live_server.url!r} and boi_server.mode == "external"
    assert boi_server.started_in is None
    assert boi_district.client.schools()

@pytest.mark.boi_live_server
def test_live_marker_uses_it_too(boi_district):
    assert boi_district.base_url == {boi_live_server.base_url!r}
''')
    pytester.runpytest("-p", "no:cacheprovider", f"--boi-mock-url={boi_live_server.url}").assert_outcomes(passed=2)


def test_unreachable_external_server_fails_clearly(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_down="def test_x(boi_district):\n    pass\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "--boi-mock-url=http://127.0.0.1:9")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*does not answer /_mock/health*"])


def test_scenario_shipped_with_the_plugin_is_valid() -> None:
    from boi_mock.schemas.scenario import Scenario
    from boi_mock.testing.district import SCENARIOS

    for path in Path(SCENARIOS).glob("*.json"):
        Scenario.model_validate_json(path.read_text())


def test_ini_seed_files_are_loaded_by_the_in_process_server(pytester: pytest.Pytester) -> None:
    seed = pytester.path / "scenarios"
    seed.mkdir()
    (seed / "shared.json").write_text(json.dumps({"appName": "shared-7634", "schools": []}))
    (seed / "hr-export.json").write_text(json.dumps([{"staffNumber": "1"}]))
    pytester.makeini("[pytest]\nboi_mock_seed_dir = scenarios\nboi_mock_seed_files =\n    *\n")
    pytester.makepyfile(test_seeded='''
def test_seeded(boi_server):
    assert boi_server.control.request("GET", "/districts/shared-7634").status_code == 200
''')
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_in_process_by_default_a_socket_when_asked(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_modes='''
import httpx
import pytest

def test_default_has_no_socket(boi_server, boi_district):
    assert boi_server.mode == "in-process" and not boi_server.has_socket
    assert boi_server.url == "http://boi-mock.invalid"  # no port: nothing listens
    with httpx.Client(transport=boi_server.transport) as own:
        assert own.get(boi_server.url + "/_mock/health").status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(boi_district.token_url, timeout=5)

@pytest.mark.boi_live_server
def test_marked_district_is_behind_a_socket(boi_live_server, boi_district):
    assert boi_live_server.mode == "socket" and boi_district.base_url == boi_live_server.base_url
    assert httpx.get(boi_live_server.url + "/_mock/health").status_code == 200
    assert boi_district.client.schools()

def test_both_servers_share_the_database(boi_server, boi_live_server, boi_district):
    assert boi_live_server.control.request("GET", f"/districts/{boi_district.app_name}").status_code == 200
''')
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=3)

    pytester.makepyfile(test_socket='''
def test_socket_everywhere(boi_server, boi_live_server, boi_district):
    assert boi_server is boi_live_server and boi_server.mode == "socket"
    assert boi_district.base_url.startswith("http://127.0.0.1:")
''')
    pytester.runpytest("-p", "no:cacheprovider", "--boi-mock-transport=socket", "test_socket.py").assert_outcomes(
        passed=1)
    pytester.makeini("[pytest]\nboi_mock_transport = socket\n")
    pytester.runpytest("-p", "no:cacheprovider", "test_socket.py").assert_outcomes(passed=1)
    pytester.makeini("[pytest]\nboi_mock_transport = pigeon\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "test_socket.py")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*boi_mock_transport must be one of in-process, socket, not 'pigeon'*"])
