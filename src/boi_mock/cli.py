"""`boi-mock serve` (migrate, seed the demo district, serve, print URLs and credentials) and friends.

Every failure a user can cause (a bad setting, a database that cannot be used or reached, a port in
use) ends in one paragraph on stderr that names what to change, and exit status 2 — never a
traceback, and never a half-created database file.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import socket
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from boi_mock import __version__
from boi_mock.settings import Settings

# What `serve --help` lists: every setting is a BOI_MOCK_* variable; these four are also flags.
_FLAGS = {"host": "--host", "port": "--port", "database_url": "--database-url", "workers": "--workers"}


class StartError(Exception):
    """A start that cannot go on: the message says what to change."""


def _settings_help() -> str:
    lines = ["settings (environment variables; a flag wins over its variable):"]
    for name, field in Settings.model_fields.items():
        default = field.get_default(call_default_factory=True)
        shown = "unset" if default is None else repr(default) if isinstance(default, str) else str(default)
        flag = f" (also {_FLAGS[name]})" if name in _FLAGS else ""
        lines.append(f"  BOI_MOCK_{name.upper():<22} default {shown}{flag}")
    return "\n".join(lines)


def load_settings(**overrides: Any) -> Settings:
    """Settings from BOI_MOCK_* and the given flags; a bad value is a StartError naming the variable or flag."""
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "?"
            where = f"{_FLAGS[name]}" if name in given and name in _FLAGS else f"BOI_MOCK_{name.upper()}"
            value = error.get("input")
            if name == "database_url" and isinstance(value, str):
                value = _describe_if_url(value)
            problems.append(f"{where} = {value!r}: {error['msg']}")
        raise StartError("invalid setting: " + "; ".join(problems) + ". See `boi-mock serve --help`.") from None


def _describe(url: str) -> str:
    """The database URL for messages and the banner: never its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _describe_if_url(value: str) -> str:
    try:
        return _describe(value)
    except Exception:  # not a URL at all: nothing in it can be a password field
        return value


def _bound_address(host: str, port: int) -> str:
    """The address `bind_socket` will listen on (what the host name resolves to first); the host when unknown."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        return host  # bind_socket explains
    return str(infos[0][4][0])


def is_public_bind(settings: Settings) -> bool:
    """Listening where other machines can connect (0.0.0.0, ::, a LAN address), not on loopback only."""
    from boi_mock.security import is_loopback_host

    return not (is_loopback_host(settings.host) or is_loopback_host(_bound_address(settings.host, settings.port)))


def refuse_open_public_bind(settings: Settings) -> None:
    """MOCK-16: without an admin token, /_mock hands every district's client secret to whoever reaches the port."""
    if settings.admin_token or settings.allow_public_without_admin_token or not is_public_bind(settings):
        return
    raise StartError(
        f"refusing to serve on {settings.host} (reachable from other machines) without an admin token: anyone who "
        f"reaches port {settings.port} could read every district's client secret (GET /_mock/districts) and "
        "reset, change or delete districts. Set BOI_MOCK_ADMIN_TOKEN to a long random value (every /_mock call "
        "then needs 'Authorization: Bearer <token>' and the Campus UI asks for it), or serve on this machine "
        "only with --host 127.0.0.1. On a network you trust entirely, "
        "BOI_MOCK_ALLOW_PUBLIC_WITHOUT_ADMIN_TOKEN=true serves it open anyway.")


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind the listening socket before anything else happens, so a port in use stops the start early."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise StartError(f"cannot bind to host {host!r}: {exc.strerror}. Give an address such as 127.0.0.1 "
                         "with --host or BOI_MOCK_HOST.") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise StartError(f"port {port} on {host} is already in use (another boi-mock?). Choose another port "
                             "with --port or BOI_MOCK_PORT (e.g. --port 8081), or stop the other server.") from None
        if exc.errno == errno.EACCES:
            raise StartError(f"no permission to listen on port {port}; choose a port above 1023 with --port "
                             "or BOI_MOCK_PORT.") from None
        raise StartError(f"cannot listen on {host}:{port}: {exc.strerror}. Check --host/--port "
                         "(BOI_MOCK_HOST/BOI_MOCK_PORT).") from None
    sock.set_inheritable(True)
    return sock


def _sqlite_file(url: str) -> Path | None:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


@contextmanager
def _no_half_created_database(url: str) -> Iterator[None]:
    """A SQLite file this start creates is removed again when the start fails."""
    path = _sqlite_file(url)
    existed = path is None or path.exists()
    try:
        yield
    except BaseException:
        if path is not None and not existed:
            for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
                             path.with_name(path.name + "-journal")):
                leftover.unlink(missing_ok=True)
        raise


def _store_signing_key(db: Any, configured: str | None) -> None:
    """The token signing key stored (race-safe: `auth.signing_key`) before any app or --workers process reads it."""
    from boi_mock.services import auth

    with db.unit_of_work() as session:
        auth.signing_key(session, configured)


def connection_shortfall(settings: Settings, *, max_connections: int, reserved: int, in_use: int) -> str | None:
    """Why this start may exhaust PostgreSQL's connections, or None: its processes' pools against what is free."""
    wanted = settings.workers * (settings.db_pool_size + settings.db_max_overflow)
    free = max_connections - reserved - in_use
    if wanted <= free:
        return None
    return (f"this server may open up to {wanted} PostgreSQL connections ({settings.workers} process(es) x "
            f"(BOI_MOCK_DB_POOL_SIZE {settings.db_pool_size} + BOI_MOCK_DB_MAX_OVERFLOW {settings.db_max_overflow}))"
            f", but only {free} of max_connections {max_connections} are free ({in_use} in use, {reserved} reserved "
            "for superusers). Under load, calls would wait for a connection and then fail. Lower the pool settings "
            "or raise max_connections (docs/architecture.md, 'Running several replicas').")


def _warn_if_connections_may_run_out(db: Any, settings: Settings) -> None:
    """PostgreSQL: say so at start when the replicas already running leave too few connections for this one."""
    if db.dialect != "postgresql":
        return
    from sqlalchemy import text

    with db.unit_of_work(write=False) as session:
        max_connections, reserved, in_use = session.execute(text(
            "SELECT current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int,"
            " (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')")).one()
    problem = connection_shortfall(settings, max_connections=max_connections, reserved=reserved, in_use=in_use)
    if problem is not None:
        sys.stderr.write(f"boi-mock serve: WARNING: {problem}\n")


def prepare_database(settings: Settings) -> list[Any]:
    """Migrate and seed; return the seeded districts. Database problems become a StartError."""
    from sqlalchemy.exc import OperationalError

    from boi_mock import migrate
    from boi_mock.db import Database
    from boi_mock.services import seeding

    shown = _describe(settings.database_url)
    with _no_half_created_database(settings.database_url):
        try:
            migrate.upgrade(settings.database_url)
            db = Database(settings.database_url)
            try:
                _store_signing_key(db, settings.token_signing_key)
                _warn_if_connections_may_run_out(db, settings)
                return seeding.ensure_seeded(db, seeding.seed_files(settings)) if settings.seed_on_start else []
            finally:
                db.dispose()
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc).splitlines()[0]
            if shown.startswith("sqlite"):
                raise StartError(f"cannot open the SQLite database {shown}: {reason}. Give a writable file with "
                                 "--database-url or BOI_MOCK_DATABASE_URL.") from None
            raise StartError(f"cannot reach the database {shown}: {reason}. Is the server running and are the "
                             "host, port, user and password right? Set --database-url or "
                             "BOI_MOCK_DATABASE_URL.") from None
        except OSError as exc:  # the SQLite file's folder cannot be created
            raise StartError(f"cannot create the SQLite database {shown}: {exc.strerror or exc} ({exc.filename}). "
                             "Give a writable location with --database-url or BOI_MOCK_DATABASE_URL.") from None


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from boi_mock.main import create_app
    from boi_mock.services import districts

    settings = load_settings(host=args.host, port=args.port, database_url=args.database_url, workers=args.workers)
    refuse_open_public_bind(settings)  # before the port is bound or the database touched
    public = is_public_bind(settings)
    sock = bind_socket(settings.host, settings.port)
    try:
        started = time.perf_counter()
        seeded = prepare_database(settings)
        server_url = settings.base_url()
        print(f"boi-mock {__version__}: database ready in {time.perf_counter() - started:.2f}s "
              f"({_describe(settings.database_url)})")
        print(f"boi-mock: serving on {server_url}  (health: {server_url}/_mock/health)")
        print(f"  Base URL:      {server_url}/campus")
        print(f"  API docs:      {server_url}/campus/api/businessOfficeIntegration/documentation")
        print(f"  Campus UI:     {server_url}/campus/ui/")
        for district in seeded:
            creds = districts.credentials(district, server_url)
            print(f"  District {creds.app_name}:")
            print(f"    Token URL:     {creds.token_url}")
            print(f"    Client ID:     {creds.client_id}")
            if public:  # the banner ends up in container logs and CI output: no secret there
                print(f"    Client Secret: (not shown: the server is reachable from other machines; "
                      f"GET /_mock/districts/{creds.app_name} with the admin token)")
            else:
                print(f"    Client Secret: {creds.client_secret}")
        if settings.workers > 1:
            print(f"  Worker processes: {settings.workers} (one listening socket; each its own connection pool)")
        sys.stdout.flush()
        if settings.workers > 1:
            _serve_processes(settings, sock, settings.workers)
            return 0
        app = create_app(settings.model_copy(update={"seed_on_start": False}), run_migrations=False)
        config = uvicorn.Config(app, host=settings.host, port=settings.port, log_level=settings.log_level,
                                proxy_headers=False, server_header=False)
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
    return 0


def _serve_processes(settings: Settings, sock: socket.socket, workers: int) -> None:
    """`--workers N`: uvicorn's supervisor starts N processes on the socket bound (and the database prepared) here.

    Each worker builds its app with `worker_app` from BOI_MOCK_* variables: the flags given to this process
    travel to them that way. The database is migrated and seeded once, above, before any worker starts.
    """
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    os.environ.update({"BOI_MOCK_HOST": settings.host, "BOI_MOCK_PORT": str(settings.port),
                       "BOI_MOCK_DATABASE_URL": settings.database_url, "BOI_MOCK_SEED_ON_START": "false",
                       "BOI_MOCK_WORKERS": "1"})
    config = uvicorn.Config("boi_mock.cli:worker_app", factory=True, workers=workers, host=settings.host,
                            port=settings.port, log_level=settings.log_level, proxy_headers=False,
                            server_header=False)
    Multiprocess(config, sockets=[sock]).run()


def worker_app() -> Any:
    """The app of one `--workers` process (uvicorn's factory): settings from BOI_MOCK_*, database ready."""
    from boi_mock.main import create_app

    return create_app(load_settings(seed_on_start=False), run_migrations=False)


def _migrate(args: argparse.Namespace) -> int:
    settings = load_settings(database_url=args.database_url, seed_on_start=False)
    prepare_database(settings)
    print(f"migrated {_describe(settings.database_url)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="boi-mock",
        description="boi-mock: a faithful, stateful mock of the Infinite Campus Business Office Integration API.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="{serve,migrate,sync}")
    serve = sub.add_parser(
        "serve", help="migrate, seed the demo district and serve",
        description="Serve the BOI API, the /_mock control API and the Campus UI. On start: create or migrate "
                    "the database, load the seed scenarios (the demo district 7634-MO by default) once, and print "
                    "the URLs and the demo district's credentials. Binds to 127.0.0.1 unless told otherwise; on an "
                    "address other machines can reach it needs BOI_MOCK_ADMIN_TOKEN (and then prints no secret).",
        epilog=_settings_help(), formatter_class=argparse.RawDescriptionHelpFormatter)
    serve.add_argument("--host", default=None, help="bind address (default 127.0.0.1; env BOI_MOCK_HOST)")
    serve.add_argument("--port", type=int, default=None, help="port (default 8080; env BOI_MOCK_PORT)")
    serve.add_argument("--database-url", default=None,
                       help="SQLAlchemy URL: sqlite:///FILE or postgresql+psycopg://USER:PASS@HOST/DB "
                            "(env BOI_MOCK_DATABASE_URL; default: a SQLite file in the per-user data directory)")
    serve.add_argument("--workers", type=int, default=None,
                       help="server processes sharing the port (default 1; env BOI_MOCK_WORKERS). Each has its "
                            "own connection pool (BOI_MOCK_DB_POOL_SIZE + BOI_MOCK_DB_MAX_OVERFLOW); see "
                            "docs/architecture.md, 'Running several replicas'")
    serve.set_defaults(func=_serve)
    mig = sub.add_parser("migrate", help="create or migrate the database and exit",
                         description="Apply the database migrations (the ones shipped in the package) and exit.")
    mig.add_argument("--database-url", default=None, help="as for serve (env BOI_MOCK_DATABASE_URL)")
    mig.set_defaults(func=_migrate)
    from boi_mock import sync_cli

    sync_cli.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # the banner says the database is ready
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except StartError as exc:
        sys.stderr.write(f"boi-mock {args.command}: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    raise SystemExit(main())
