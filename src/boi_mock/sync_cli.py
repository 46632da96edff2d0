"""`boi-mock sync`: run the five staff synchronization steps against a running server, like an HR system.

    boi-mock sync --app 7634-MO [--file hr-export.json] [--url http://127.0.0.1:8080]
                  [--client-id … --client-secret …] [--commit auto|inline|job] [--batch-size 1000]

Without --file it sends the demo HR export that ships with boi-mock (357 staff for 7634-MO). The server
is --url, else BOI_MOCK_URL, else http://127.0.0.1:$BOI_MOCK_PORT (default port 8080).

Without credentials they are read from the control API (`GET /_mock/districts/{app}`, with
`--admin-token` / BOI_MOCK_ADMIN_TOKEN when the server requires one). Prints progress on stderr and
the validation summary and commit outcome on stdout. Exit status 0 when everything committed,
1 when some staff failed (see the Error Log), 2 on an error.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported by `run`: `boi-mock serve` does not pay for it (issue 12, start-up)
    import httpx

BOI = "/campus/api/businessOfficeIntegration"
SYNC = f"{BOI}/staffMembers/sync"
COMMIT_LIMIT = 500  # the guide: the synchronous commit is for fewer than 500 staff


class SyncError(Exception):
    """A step failed: the message says which and why."""


def default_url() -> str:
    """--url's default: BOI_MOCK_URL, else the local server on BOI_MOCK_PORT (as `boi-mock serve` starts it)."""
    url = os.environ.get("BOI_MOCK_URL", "").strip()
    if url:
        return url
    port = os.environ.get("BOI_MOCK_PORT", "").strip() or "8080"
    return f"http://127.0.0.1:{port}"


def demo_hr_export() -> Path:
    from boi_mock.settings import PACKAGE_SEED_DIR

    return PACKAGE_SEED_DIR / "hr-export-demo.json"


def register(subparsers: Any) -> None:
    """Add the `sync` command to the CLI (called from boi_mock/cli.py build_parser)."""
    cmd = subparsers.add_parser("sync", help="run a staff synchronization from an HR export file (SYNC-1..7)",
                                description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cmd.add_argument("--file", type=Path, default=None,
                     help="JSON array of staff member objects (default: the demo HR export boi-mock ships)")
    cmd.add_argument("--app", required=True, help="the district's appName, e.g. 7634-MO")
    cmd.add_argument("--url", default=None,
                     help="server base URL (default: BOI_MOCK_URL, else http://127.0.0.1:$BOI_MOCK_PORT, port 8080)")
    cmd.add_argument("--client-id", default=None)
    cmd.add_argument("--client-secret", default=None,
                     help="write it as --client-secret=VALUE when a chosen secret starts with '-'")
    cmd.add_argument("--admin-token", default=os.environ.get("BOI_MOCK_ADMIN_TOKEN"),
                     help="control API token, to look up the credentials (env BOI_MOCK_ADMIN_TOKEN)")
    cmd.add_argument("--commit", choices=("auto", "inline", "job"), default="auto",
                     help="auto: commit below 500 staff, else submitCommitJob (the guide's advice)")
    cmd.add_argument("--batch-size", type=int, default=1000, help="staff per transfer call (at most 1000)")
    cmd.set_defaults(func=run)


def _progress(label: str, done: int, total: int) -> None:
    width = 30
    filled = width * done // total if total else width
    sys.stderr.write(f"\r  {label:<10} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _call(client: httpx.Client, method: str, path: str, expected: int, **kw: Any) -> Any:
    response = client.request(method, path, **kw)
    if response.status_code != expected:
        try:
            body = response.json()
            detail = f"{body.get('code')}: {body.get('detail')}"
            errors = body.get("errors") or []
            if errors:
                detail += "".join(f"\n    {e['field']}: {e['message']}" for e in errors[:10])
                if len(errors) > 10:
                    detail += f"\n    … and {len(errors) - 10} more"
        except ValueError:
            detail = response.text[:500]
        raise SyncError(f"{method} {path} → {response.status_code} {detail}")
    return response.json() if response.content else None


def _credentials(args: argparse.Namespace, client: httpx.Client) -> tuple[str, str]:
    if args.client_id and args.client_secret:
        return args.client_id, args.client_secret
    headers = {"Authorization": f"Bearer {args.admin_token}"} if args.admin_token else {}
    found = _call(client, "GET", f"/_mock/districts/{args.app}", 200, headers=headers)
    return str(found["clientId"]), str(found["clientSecret"])


def _token(client: httpx.Client, app: str, client_id: str, client_secret: str) -> str:
    body = _call(client, "POST", f"/campus/oauth2/token?appName={app}", 200,
                 data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret})
    return str(body["access_token"])


def _print_summary(report: dict[str, Any]) -> None:
    s = report["summary"]
    demo = s["demographicDifferences"]
    print(f"Staff Synchronization Summary (generated {report['generatedDate']})")
    print(f"  Demographic differences:                  {demo['total']}")
    print("    " + "  ".join(f"{k} {v}" for k, v in demo["byField"].items()))
    rows = [("District Employment differences", "employmentDifferences"),
            ("District Assignment differences", "assignmentDifferences"),
            ("Address differences", "addressDifferences"), ("HR staff NOT in Campus", "hrStaffNotInCampus"),
            ("Campus staff NOT in HR", "campusStaffNotInHr"),
            ("Campus staff with duplicate staff numbers", "campusDuplicateStaffNumbers"),
            ("Campus staff with no staff number", "campusStaffWithoutStaffNumber")]
    for label, key in rows:
        print(f"  {label + ':':<42} {s[key]}")
    print(f"  {'Addresses to add:':<42} {len(report['details']['addressesToAdd'])}")


def _wait_for_job(client: httpx.Client, auth: dict[str, str], poll: float) -> dict[str, Any]:
    while True:
        job: dict[str, Any] = _call(client, "GET", f"{SYNC}/commitJobStatus", 200, headers=auth)
        _progress("commit", job["processed"], job["total"])
        if job["status"] not in ("QUEUED", "RUNNING"):
            return job
        time.sleep(poll)


def sync(args: argparse.Namespace, client: httpx.Client, *, poll: float = 0.5) -> int:
    """The five steps with `client` (any httpx client whose base URL is the server)."""
    path: Path = args.file or demo_hr_export()
    try:
        members = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SyncError(f"cannot read --file {path}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise SyncError(f"--file {path} is not JSON: {exc}") from exc
    if not isinstance(members, list) or not members:
        raise SyncError(f"{path} must hold a non-empty JSON array of staff member objects")
    batch = max(1, min(args.batch_size, 1000))
    client_id, client_secret = _credentials(args, client)
    auth = {"Authorization": f"Bearer {_token(client, args.app, client_id, client_secret)}"}

    started = _call(client, "POST", f"{SYNC}/start", 201, headers=auth)
    print(f"1. start: sync {started['syncID']} started by {started['startedBy']}", file=sys.stderr)
    print("2. transfer:", file=sys.stderr)
    for i in range(0, len(members), batch):
        body = _call(client, "POST", f"{SYNC}/transfer", 200, json=members[i:i + batch], headers=auth)
        _progress("transfer", body["staffTransferred"], len(members))
    _call(client, "POST", f"{SYNC}/end", 200, headers=auth)
    print("3. end: transfer ended", file=sys.stderr)
    report = _call(client, "POST", f"{SYNC}/validate", 200, headers=auth)
    print("4. validate: done", file=sys.stderr)
    _print_summary(report)

    inline = args.commit == "inline" or (args.commit == "auto" and len(members) < COMMIT_LIMIT)
    if inline:
        print(f"5. commit: {len(members)} staff (synchronous)…", file=sys.stderr)
        result = _call(client, "POST", f"{SYNC}/commit", 200, headers=auth)
        succeeded, failed = len(result["succeeded"]), result["failed"]
    else:
        job = _call(client, "POST", f"{SYNC}/submitCommitJob", 202, headers=auth)
        print(f"5. submitCommitJob: job {job['jobID']}", file=sys.stderr)
        job = _wait_for_job(client, auth, poll)
        if job["status"] != "COMPLETED":
            raise SyncError(f"commit job {job['jobID']} ended {job['status']}: {job.get('error') or ''}")
        succeeded, failed = job["succeeded"], [None] * job["failed"]
    print(f"Commit: {succeeded} succeeded, {len(failed)} failed")
    for failure in failed:
        if failure is not None:
            print(f"  {failure['staffNumber']}: {failure['code']}: {failure['message']}")
    if failed and not inline:
        print("  (the failures are in the Business Office Error Log: GET /_mock/districts/"
              f"{args.app}/error-log)")
    return 1 if failed else 0


def run(args: argparse.Namespace) -> int:
    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)  # the progress display says what happens
    url = (args.url or default_url()).rstrip("/")
    try:
        with httpx.Client(base_url=url, timeout=600) as client:
            return sync(args, client)
    except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
        sys.stderr.write(f"\nboi-mock sync: could not reach boi-mock at {url} ({exc}). Start it with "
                         "`boi-mock serve`, or give its address with --url or BOI_MOCK_URL.\n")
        return 2
    except httpx.InvalidURL as exc:
        sys.stderr.write(f"\nboi-mock sync: {url!r} is not a usable URL ({exc}); check --url, BOI_MOCK_URL "
                         "or BOI_MOCK_PORT.\n")
        return 2
    except (SyncError, OSError, ValueError, httpx.HTTPError) as exc:
        sys.stderr.write(f"\nboi-mock sync: {exc}\n")
        return 2
