"""Engines for the actions store (SQLite by default, PostgreSQL/PostGIS by URL) and migrations.

SQLite runs in WAL mode with a busy timeout and foreign keys on; every write transaction starts
with ``BEGIN IMMEDIATE`` so concurrent writers queue for the lock instead of failing on a stale
snapshot, and ``synchronous=FULL`` makes every acknowledged commit durable.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from geo.errors import InsufficientStorageError, ServiceUnavailableError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
"""Alembic scripts shipped inside the package."""

WRITE = "ketahanan_write"
"""Execution option marking a connection whose transaction will write (SQLite: IMMEDIATE)."""


def redact_url(url: str) -> str:
    """The database URL without its password, for messages."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<unparsable database URL>"


def create_db_engine(url: str, *, busy_timeout_ms: int = 15_000) -> Engine:
    """Create the SQLAlchemy engine for the actions store.

    Parameters
    ----------
    url : str
        ``sqlite:///path`` (the parent folder is created) or ``postgresql+psycopg://...``
        (``postgresql://`` is read as psycopg 3).
    busy_timeout_ms : int
        SQLite only: how long a writer waits for the file lock.

    Returns
    -------
    Engine

    Raises
    ------
    ServiceUnavailableError
        For a URL that is not SQLite or PostgreSQL (a setting of the server, not a fault of
        any request: the store answers 503 until it is fixed).
    """
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise ServiceUnavailableError(
            f"KETAHANAN_DATABASE_URL is not a database URL: {redact_url(url)}"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return sa.create_engine(
            parsed, pool_pre_ping=True, pool_size=10, max_overflow=20, pool_timeout=30
        )
    if backend != "sqlite":
        raise ServiceUnavailableError(
            f"KETAHANAN_DATABASE_URL: the actions store needs SQLite or PostgreSQL, not "
            f"{backend!r} ({redact_url(url)})"
        )
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(
        parsed,
        connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
        pool_size=10,
        max_overflow=20,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see _on_begin)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


@contextmanager
def db_errors(engine: Engine) -> Iterator[None]:
    """Turn 'cannot reach or lock the database' into :class:`ServiceUnavailableError` (503).

    A full disk becomes :class:`InsufficientStorageError` (507); the transaction was rolled
    back, so nothing of the request was written.

    The one place where SQLAlchemy's OperationalError and InterfaceError are caught.
    """
    try:
        yield
    except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
        orig = str(getattr(exc, "orig", exc)).strip().splitlines()
        reason = orig[0] if orig else type(exc).__name__
        details = {"database": redact_url(str(engine.url))}
        # SQLite: SQLITE_FULL; PostgreSQL: SQLSTATE 53100 disk_full
        if "disk is full" in reason or getattr(exc.orig, "sqlstate", None) == "53100":
            raise InsufficientStorageError(
                f"the actions database has no room left on its disk ({engine.dialect.name}: "
                f"{reason}); nothing was written: free space and try again",
                details=details,
            ) from None
        raise ServiceUnavailableError(
            f"the actions database is unavailable ({engine.dialect.name}: {reason}); "
            "try again shortly",
            details=details,
        ) from None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the store's migrations up to ``revision`` (idempotent).

    Parameters
    ----------
    engine : Engine
        From :func:`create_db_engine`.
    revision : str
        Alembic revision, ``head`` by default.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with db_errors(engine), engine.connect() as conn:
        conn = conn.execution_options(**{WRITE: True})
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        conn.commit()


def current_revision(engine: Engine) -> str | None:
    """The migration revision the database is at, or None before the first upgrade."""
    from alembic.runtime.migration import MigrationContext

    with db_errors(engine), engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
