"""`boi-mock serve` (migrate, seed the demo district, serve, print URLs and credentials) and friends."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence

from boi_mock import migrate
from boi_mock.db import Database
from boi_mock.services import districts, seeding
from boi_mock.settings import Settings


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from boi_mock.main import create_app, seed_files

    overrides = {k: v for k, v in {"host": args.host, "port": args.port, "database_url": args.database_url}.items()
                 if v is not None}
    settings = Settings(**overrides)
    started = time.perf_counter()
    migrate.upgrade(settings.database_url)
    db = Database(settings.database_url)
    seeded = seeding.ensure_seeded(db, seed_files(settings)) if settings.seed_on_start else []
    server_url = settings.base_url()
    print(f"boi-mock: database ready in {time.perf_counter() - started:.2f}s ({settings.database_url})")
    print(f"boi-mock: serving on {server_url}  (health: {server_url}/_mock/health)")
    print(f"  Base URL:      {server_url}/campus")
    print(f"  API docs:      {server_url}/campus/api/businessOfficeIntegration/documentation")
    print(f"  Campus UI:     {server_url}/campus/ui/")
    for district in seeded:
        creds = districts.credentials(district, server_url)
        print(f"  District {creds.app_name}:")
        print(f"    Token URL:     {creds.token_url}")
        print(f"    Client ID:     {creds.client_id}")
        print(f"    Client Secret: {creds.client_secret}")
    sys.stdout.flush()
    db.dispose()
    app = create_app(settings.model_copy(update={"seed_on_start": False}), run_migrations=False)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level,
                proxy_headers=False, server_header=False)
    return 0


def _migrate(args: argparse.Namespace) -> int:
    settings = Settings(**({"database_url": args.database_url} if args.database_url else {}))
    migrate.upgrade(settings.database_url)
    print("migrated")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="boi-mock", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="migrate, seed the demo district and serve")
    serve.add_argument("--host", default=None, help="bind address (default 127.0.0.1; env BOI_MOCK_HOST)")
    serve.add_argument("--port", type=int, default=None, help="port (default 8080; env BOI_MOCK_PORT)")
    serve.add_argument("--database-url", default=None, help="SQLAlchemy URL (env BOI_MOCK_DATABASE_URL)")
    serve.set_defaults(func=_serve)
    mig = sub.add_parser("migrate", help="apply the database migrations")
    mig.add_argument("--database-url", default=None)
    mig.set_defaults(func=_migrate)
    __import__("boi_mock.sync_cli", fromlist=["register"]).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
