"""A throwaway PostgreSQL cluster for the test suite.

``start_cluster()`` runs ``initdb`` in a fresh temporary directory, starts a server bound to
127.0.0.1 on a free port (with durability switched off: it is thrown away afterwards), and returns
a :class:`PgCluster`.  ``PgCluster.stop()`` stops it (``pg_ctl stop -m immediate``) and deletes the
directory; it is also registered with :mod:`atexit`, so a crashed or interrupted run does not leave
servers behind.

PostgreSQL refuses to run as root.  When the current user is root (as in CI), the directory is
handed to the ``postgres`` system user and ``initdb``/``pg_ctl`` run through
``runuser -u postgres --``.  Otherwise they run as the current user.

The server binaries are taken from the newest ``/usr/lib/postgresql/<version>/bin`` (Debian's
layout), falling back to ``initdb`` found on ``PATH``.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import pwd
import re
import shlex
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType

import psycopg
from psycopg import sql

from boi_mock.testing.server import free_port

__all__ = ["PgCluster", "PgClusterError", "find_pg_bin_dir", "start_cluster"]

SUPERUSER = "postgres"
HOST = "127.0.0.1"
_START_ATTEMPTS = 5
_COMMAND_TIMEOUT_S = 120.0
_DB_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


class PgClusterError(RuntimeError):
    """The throwaway cluster could not be created, started or used."""


def find_pg_bin_dir() -> Path:
    """The directory holding ``initdb``/``pg_ctl``: the newest Debian install, else ``PATH``."""
    candidates: list[tuple[tuple[int, ...], Path]] = []
    for initdb in glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        bin_dir = Path(initdb).parent
        version = bin_dir.parent.name
        key = tuple(int(part) for part in re.findall(r"\d+", version))
        if os.access(initdb, os.X_OK) and (bin_dir / "pg_ctl").exists():
            candidates.append((key, bin_dir))
    if candidates:
        return max(candidates)[1]
    on_path = shutil.which("initdb")
    if on_path is not None:
        return Path(on_path).resolve().parent
    raise PgClusterError(
        "PostgreSQL server binaries not found (no /usr/lib/postgresql/*/bin/initdb and no initdb on "
        "PATH). Install them with `apt-get install -y postgresql` (or run `make deps-system`)."
    )


def _clean_env() -> dict[str, str]:
    """The environment for server commands: no inherited PG* settings, a locale that always exists."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env["LC_ALL"] = "C"
    env["LANG"] = "C"
    return env


class PgCluster:
    """A running throwaway cluster.  Use :func:`start_cluster` to make one."""

    def __init__(self, *, bin_dir: Path, base_dir: Path, port: int, run_as: str | None) -> None:
        self.bin_dir = bin_dir
        self.base_dir = base_dir
        self.data_dir = base_dir / "data"
        self.socket_dir = base_dir
        self.log_file = base_dir / "postgres.log"
        self.host = HOST
        self.port = port
        self.user = SUPERUSER
        self.run_as = run_as
        self._stopped = False
        self._lock = threading.Lock()

    # -- URLs ---------------------------------------------------------------------------------

    def url_for(self, database: str) -> str:
        """A SQLAlchemy URL (psycopg 3 driver) for ``database`` on this cluster."""
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{database}"

    @property
    def url(self) -> str:
        """A SQLAlchemy URL for the default ``postgres`` database."""
        return self.url_for("postgres")

    def conninfo(self, database: str = "postgres") -> str:
        """A libpq connection string, for using psycopg directly."""
        return f"host={self.host} port={self.port} user={self.user} dbname={database}"

    # -- databases ----------------------------------------------------------------------------

    def connect(self, database: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
        """An autocommit psycopg connection to ``database``."""
        return psycopg.connect(self.conninfo(database), autocommit=True, connect_timeout=10)

    def create_database(self, name: str, *, template: str | None = None) -> str:
        """Create database ``name`` (optionally copying ``template``) and return its SQLAlchemy URL."""
        for value in (name, template):
            if value is not None and not _DB_NAME_RE.match(value):
                raise ValueError(f"not a plain PostgreSQL identifier: {value!r}")
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            statement = sql.SQL("{} TEMPLATE {}").format(statement, sql.Identifier(template))
        with self.connect() as conn:
            conn.execute(statement)
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        """Drop database ``name`` if it exists, disconnecting any sessions still using it."""
        if not _DB_NAME_RE.match(name):
            raise ValueError(f"not a plain PostgreSQL identifier: {name!r}")
        statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        with self.connect() as conn:
            conn.execute(statement)

    # -- lifecycle ----------------------------------------------------------------------------

    @property
    def stopped(self) -> bool:
        return self._stopped

    def stop(self) -> None:
        """Stop the server immediately and delete its directory.  Safe to call more than once."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        try:
            if (self.data_dir / "postmaster.pid").exists():
                _run(
                    [str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "immediate", "-w", "stop"],
                    run_as=self.run_as,
                    cwd=self.base_dir,
                    check=False,
                )
        finally:
            shutil.rmtree(self.base_dir, ignore_errors=True)
            with contextlib.suppress(ValueError):
                _LIVE.remove(self)

    def log_tail(self, max_chars: int = 4000) -> str:
        """The end of the server log (for error messages)."""
        try:
            return self.log_file.read_text(errors="replace")[-max_chars:]
        except OSError:
            return ""

    def __enter__(self) -> PgCluster:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "stopped" if self._stopped else "running"
        return f"<PgCluster {self.host}:{self.port} {self.base_dir} {state}>"


_LIVE: list[PgCluster] = []


@atexit.register
def _stop_all() -> None:
    for cluster in list(_LIVE):
        with contextlib.suppress(Exception):
            cluster.stop()


def _run(
    args: list[str],
    *,
    run_as: str | None,
    cwd: Path,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    command = ["runuser", "-u", run_as, "--", *args] if run_as is not None else args
    try:
        result = subprocess.run(
            command,
            cwd=cwd,
            env=_clean_env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=_COMMAND_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        if not check:
            return subprocess.CompletedProcess(command, -1, "", str(exc))
        raise PgClusterError(f"{shlex.join(command)} failed: {exc}") from exc
    if check and result.returncode != 0:
        raise PgClusterError(
            f"{shlex.join(command)} exited with {result.returncode}\n{result.stdout}{result.stderr}"
        )
    return result


def _server_user() -> str | None:
    """``postgres`` when running as root (PostgreSQL refuses root), else ``None`` (current user)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SUPERUSER)
    except KeyError:
        raise PgClusterError(
            "running as root, but there is no `postgres` system user to run the server as "
            "(installing Debian's `postgresql` package creates it)"
        ) from None
    if shutil.which("runuser") is None:
        raise PgClusterError("running as root, but `runuser` (util-linux) is not available")
    return SUPERUSER


def start_cluster(base_dir: Path | None = None) -> PgCluster:
    """Create and start a throwaway cluster in a new temporary directory (under ``base_dir``).

    When running as root, every parent of ``base_dir`` must be searchable by the ``postgres``
    user (the default, the system temp directory, is).
    """
    bin_dir = find_pg_bin_dir()
    run_as = _server_user()
    root = Path(tempfile.mkdtemp(prefix="boi-pg-", dir=base_dir)).resolve()
    cluster: PgCluster | None = None
    try:
        if run_as is not None:
            account = pwd.getpwnam(run_as)
            os.chown(root, account.pw_uid, account.pw_gid)
        root.chmod(0o700)
        cluster = PgCluster(bin_dir=bin_dir, base_dir=root, port=0, run_as=run_as)
        _LIVE.append(cluster)
        _run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(cluster.data_dir),
                "-A",
                "trust",
                "-U",
                SUPERUSER,
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
            run_as=run_as,
            cwd=root,
        )
        _start_server(cluster)
        return cluster
    except BaseException:
        if cluster is not None:
            cluster.stop()
        else:
            shutil.rmtree(root, ignore_errors=True)
        raise


def _start_server(cluster: PgCluster) -> None:
    """Start the server on a free port, retrying with another port if that one was taken meanwhile."""
    last_error = ""
    for _attempt in range(_START_ATTEMPTS):
        cluster.port = free_port(HOST)
        options = " ".join(
            [
                "-c listen_addresses=" + HOST,
                f"-p {cluster.port}",
                "-k " + shlex.quote(str(cluster.socket_dir)),
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
            ]
        )
        result = _run(
            [
                str(cluster.bin_dir / "pg_ctl"),
                "-D",
                str(cluster.data_dir),
                "-l",
                str(cluster.log_file),
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start",
            ],
            run_as=cluster.run_as,
            cwd=cluster.base_dir,
            check=False,
        )
        if result.returncode == 0:
            return
        log = cluster.log_tail()
        last_error = f"pg_ctl start exited with {result.returncode}\n{result.stdout}{result.stderr}\n{log}"
        if "could not bind" not in log and "could not create any TCP/IP sockets" not in log:
            break
        # Port taken by someone else between free_port() and the bind: make sure nothing is left
        # running, start from an empty log, and try another port.
        _run(
            [str(cluster.bin_dir / "pg_ctl"), "-D", str(cluster.data_dir), "-m", "immediate", "-w", "stop"],
            run_as=cluster.run_as,
            cwd=cluster.base_dir,
            check=False,
        )
        with contextlib.suppress(OSError):
            cluster.log_file.unlink()
        time.sleep(0.1)
    raise PgClusterError(f"could not start PostgreSQL in {cluster.base_dir}: {last_error}")
