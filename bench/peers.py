"""boi-mock beside two other API mocks on the same create-then-read workload, in the same run.

    .venv/bin/python bench/peers.py [--iterations 1000] [--clients 4] [--peers boi-mock,moto,prism] [--json FILE]

Each iteration creates a record and reads it back (2 requests); `--iterations` are spread over
`--clients` concurrent clients (one thread and one keep-alive httpx connection each), after 20
untimed warm-up iterations. The servers run one after the other, never at once.

* boi-mock: `boi-mock serve` on a temporary SQLite file, a district made from boi_mock/seed/minimal.json,
  POST /staffMembers (demographics, an employment, a position) then GET /staffMembers/{n},
  with a Bearer token. Stateful, every BOI rule checked, every call journalled.
* moto: `moto_server` (moto[server], AWS mocks on Werkzeug), IAM CreateUser then GetUser, as SigV4
  signed form POSTs. Stateful (in memory).
* Prism: `prism mock` (@stoplight/prism-cli, installed under bench/.node on first use) serving
  boi-mock's own OpenAPI document, same requests as boi-mock. Stateless: validates the request
  against the document and answers its example.

Prints requests/s and p50/p99 per step for each, and boi-mock's ratios to each peer.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import importlib.metadata
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    BOI,
    ROOT,
    Server,
    ServerError,
    Step,
    boi_mock,
    district_token,
    exit_on_sigterm,
    free_port,
    note,
    run_load,
    server_process,
    write_json,
)

NODE_DIR = ROOT / "bench" / ".node"
PRISM = NODE_DIR / "node_modules" / ".bin" / "prism"
PRISM_PACKAGE = "@stoplight/prism-cli@5"
MOTO_SERVER = Path(sys.executable).parent / "moto_server"
WARMUP = 20


def staff_body(i: int) -> dict[str, Any]:
    """A staff member valid in boi_mock/seed/minimal.json's district (schools 010-030, codes 10-95)."""
    schools, codes = ("010", "020", "030"), ("10", "20", "30", "95")
    return {
        "staffNumber": f"P{i:07d}", "lastName": f"Peer{i}", "firstName": "Pat", "middleName": "Q", "gender": "F",
        "ssn": f"{600000000 + i:09d}", "birthdate": "1980-05-17", "workPhone": "(417) 523-0100",
        "workEmail": f"p{i}@school.k12.mo.us", "employments": [{"hireDate": "2019-08-12"}],
        "positions": [{"schoolNumber": schools[i % 3], "assignmentCode": codes[i % 4], "titleCode": "7B20C1D4",
                       "startDate": "2019-08-12"}],
    }


def boi_steps(offset: int) -> list[Step]:
    return [
        ("create", 201, lambda h, i: h.post(f"{BOI}/staffMembers", json=staff_body(offset + i))),
        ("read", 200, lambda h, i: h.get(f"{BOI}/staffMembers/P{offset + i:07d}")),
    ]


# --- moto: IAM over the query protocol, SigV4-signed by hand (no boto3 import needed) ------------------


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def sigv4_headers(host: str, body: str, *, service: str = "iam", region: str = "us-east-1",
                  access_key: str = "testing", secret_key: str = "testing") -> dict[str, str]:
    """AWS Signature Version 4 headers for a form POST to `/` (what botocore sends for IAM)."""
    now = datetime.now(UTC)
    amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    content_type = "application/x-www-form-urlencoded; charset=utf-8"
    signed = "content-type;host;x-amz-date"
    canonical = "\n".join(["POST", "/", "", f"content-type:{content_type}", f"host:{host}",
                           f"x-amz-date:{amz_date}", "", signed, hashlib.sha256(body.encode()).hexdigest()])
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = _hmac(_hmac(_hmac(_hmac(f"AWS4{secret_key}".encode(), day), region), service), "aws4_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return {"Content-Type": content_type, "X-Amz-Date": amz_date,
            "Authorization": f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, SignedHeaders={signed}, "
                             f"Signature={signature}"}


def iam_call(http: httpx.Client, action: str, user: str) -> httpx.Response:
    body = urlencode({"Action": action, "UserName": user, "Version": "2010-05-08"})
    return http.post("/", content=body, headers=sigv4_headers(http.base_url.netloc.decode(), body))


def moto_steps(offset: int) -> list[Step]:
    return [
        ("create", 200, lambda h, i: iam_call(h, "CreateUser", f"peer-{offset + i}")),
        ("read", 200, lambda h, i: iam_call(h, "GetUser", f"peer-{offset + i}")),
    ]


# --- the runs ---------------------------------------------------------------------------------------------


def measure(server: Server, base_url: str, steps_for: Callable[[int], list[Step]], iterations: int, clients: int,
            headers: dict[str, str] | None = None) -> dict[str, Any]:
    run_load(base_url, steps_for(10_000_000), WARMUP, clients, headers=headers)
    load = run_load(base_url, steps_for(0), iterations, clients, headers=headers)
    result = load.summary()
    result.update(status="ok", started_in_s=server.started_in, rss_mb=server.rss_mb())
    if load.unexpected:
        note(f"{server.name}: {load.unexpected} unexpected answers, first: {load.errors[:1]}")
    return result


def run_boi_mock(tmp: Path, iterations: int, clients: int) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """boi-mock's figures, and its BOI OpenAPI document (for Prism)."""
    with boi_mock(f"sqlite:///{tmp}/peers.db", tmp) as server, \
            httpx.Client(base_url=server.url, timeout=60) as http:
        scenario = json.loads((ROOT / "src" / "boi_mock" / "seed" / "minimal.json").read_text(encoding="utf-8"))
        scenario.pop("clientSecret", None)
        created = http.post("/_mock/districts", json={**scenario, "appName": "peers"})
        created.raise_for_status()
        token = district_token(http, created.json())
        doc = None
        for path in (f"{BOI}/openapi.json", "/openapi.json"):
            response = http.get(path)
            if response.status_code == 200:
                doc = response.json()
                break
        result = measure(server, server.url, boi_steps, iterations, clients, {"Authorization": f"Bearer {token}"})
        result["workload"] = "POST /staffMembers then GET /staffMembers/{n} (SQLite, district minimal.json)"
        return result, doc


def run_moto(tmp: Path, iterations: int, clients: int) -> dict[str, Any]:
    if not MOTO_SERVER.exists():
        return {"status": "not installed",
                "reason": f"{MOTO_SERVER} not found: install moto[server] into the venv (pip install 'moto[server]')"}
    port = free_port()
    cmd = [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)]
    with server_process("moto", cmd, f"http://127.0.0.1:{port}/moto-api/", tmp) as server:
        result = measure(server, server.url, moto_steps, iterations, clients)
    result["version"] = _dist_version("moto")
    result["workload"] = "IAM CreateUser then GetUser (SigV4-signed query POSTs, in memory)"
    return result


def _dist_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def ensure_prism(install: bool) -> str | None:
    """None when Prism is there (installing it under bench/.node if allowed), else why not."""
    if PRISM.exists():
        return None
    if not install:
        return f"{PRISM} not found (npm install --prefix bench/.node {PRISM_PACKAGE}; --no-install given)"
    npm = shutil.which("npm")
    if npm is None:
        return "npm is not installed (Prism is a Node.js package: @stoplight/prism-cli)"
    note(f"peers: installing {PRISM_PACKAGE} under {NODE_DIR} (once)")
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(NODE_DIR), PRISM_PACKAGE],
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0 or not PRISM.exists():
        return f"npm install {PRISM_PACKAGE} failed ({done.returncode}): {(done.stderr or done.stdout)[-500:]}"
    return None


def prism_version() -> str | None:
    try:
        done = subprocess.run([str(PRISM), "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None


def run_prism(tmp: Path, doc: dict[str, Any] | None, iterations: int, clients: int, install: bool) -> dict[str, Any]:
    if doc is None:
        return {"status": "not run", "reason": "boi-mock served no OpenAPI document"}
    why = ensure_prism(install)
    if why:
        return {"status": "not installed", "reason": why}
    spec = tmp / "boi-openapi.json"
    spec.write_text(json.dumps(doc), encoding="utf-8")
    port = free_port()
    cmd = [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), "-v", "warn", str(spec)]
    # Any answer (Prism says 404 for a path not in the document) means it listens.
    with server_process("prism", cmd, f"http://127.0.0.1:{port}/", tmp, ok=lambda r: True) as server:
        result = measure(server, server.url, boi_steps, iterations, clients, {"Authorization": "Bearer peers"})
    result["version"] = prism_version()
    result["workload"] = "same requests as boi-mock, answered from boi-mock's OpenAPI document (stateless)"
    return result


def ratios(results: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    """boi-mock ÷ peer: throughput (above 1: boi-mock serves more) and latency (above 1: boi-mock is slower)."""
    boi = results.get("boi-mock", {})
    out: dict[str, dict[str, float]] = {}
    if boi.get("status") != "ok":
        return out
    for name, peer in results.items():
        if name == "boi-mock" or peer.get("status") != "ok":
            continue
        out[name] = {
            "rps": boi["rps"] / peer["rps"],
            "create_p50": boi["steps"]["create"]["p50_ms"] / peer["steps"]["create"]["p50_ms"],
            "create_p99": boi["steps"]["create"]["p99_ms"] / peer["steps"]["create"]["p99_ms"],
            "read_p50": boi["steps"]["read"]["p50_ms"] / peer["steps"]["read"]["p50_ms"],
            "read_p99": boi["steps"]["read"]["p99_ms"] / peer["steps"]["read"]["p99_ms"],
        }
    return out


def _guarded(name: str, run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return run()
    except (ServerError, httpx.HTTPError, OSError, subprocess.SubprocessError) as exc:
        note(f"peers: {name} failed: {exc}")
        return {"status": "failed", "reason": f"{type(exc).__name__}: {str(exc)[-800:]}"}


@contextmanager
def _scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="boi-peers-") as tmp:
        yield Path(tmp)


def print_table(results: dict[str, dict[str, Any]], iterations: int, clients: int) -> None:
    print(f"\npeers: create then read, {iterations} iterations ({2 * iterations} requests), {clients} clients")
    print(f"{'server':<10}{'req/s':>9}{'create p50':>12}{'create p99':>12}{'read p50':>10}{'read p99':>10}"
          f"{'start s':>9}{'RSS MB':>8}{'errors':>8}")
    for name, r in results.items():
        if r.get("status") != "ok":
            print(f"{name:<10} {r.get('status')}: {r.get('reason', '')[:200]}")
            continue
        c, rd = r["steps"]["create"], r["steps"]["read"]
        print(f"{name:<10}{r['rps']:>9.0f}{c['p50_ms']:>12.2f}{c['p99_ms']:>12.2f}{rd['p50_ms']:>10.2f}"
              f"{rd['p99_ms']:>10.2f}{r['started_in_s']:>9.2f}{r['rss_mb']:>8.0f}{r['unexpected']:>8}")
    for name, q in ratios(results).items():
        print(f"boi-mock / {name}: req/s {q['rps']:.2f}x, create p50 {q['create_p50']:.2f}x, "
              f"read p50 {q['read_p50']:.2f}x (latency above 1: boi-mock slower)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=1000, help="create+read pairs per server")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--peers", default="boi-mock,moto,prism", help="comma-separated subset")
    parser.add_argument("--no-install", action="store_true", help="do not npm-install Prism when missing")
    parser.add_argument("--json", default=None, help="write the figures as JSON to FILE ('-': stdout)")
    args = parser.parse_args(argv)
    exit_on_sigterm()
    wanted = [p.strip() for p in args.peers.split(",") if p.strip()]
    n, c = args.iterations, args.clients
    results: dict[str, dict[str, Any]] = {}
    with _scratch() as tmp:
        doc: dict[str, Any] | None = None
        if "boi-mock" in wanted or "prism" in wanted:
            note("peers: boi-mock")
            try:
                boi, doc = run_boi_mock(tmp, n, c)
            except (ServerError, httpx.HTTPError, OSError) as exc:
                boi = {"status": "failed", "reason": f"{type(exc).__name__}: {str(exc)[-800:]}"}
            if "boi-mock" in wanted:
                results["boi-mock"] = boi
        if "moto" in wanted:
            note("peers: moto")
            results["moto"] = _guarded("moto", lambda: run_moto(tmp, n, c))
        if "prism" in wanted:
            note("peers: prism")
            results["prism"] = _guarded("prism", lambda: run_prism(tmp, doc, n, c, not args.no_install))
    print_table(results, n, c)
    write_json(args.json, {"iterations": n, "clients": c, "results": results, "ratios": ratios(results)})
    return 0 if all(r.get("status") == "ok" for r in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
