"""The SQLite engine, per-connection pragmas and transactions (the lowest layer).

Every connection runs in autocommit mode at the driver level; transactions are
opened explicitly: ``BEGIN IMMEDIATE`` for writes, so that a second process
waits for the write lock up front (with a busy timeout) instead of failing
half-way, and plain ``BEGIN`` for consistent reads.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError

from readinglist.core.errors import LibraryBusy, LibraryError
from readinglist.core.storage.connection import BUSY_TIMEOUT_S, is_busy, retry_while_busy


def create_library_engine(path: Path, busy_timeout: float = BUSY_TIMEOUT_S) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": busy_timeout, "check_same_thread": False},
        isolation_level="AUTOCOMMIT",
    )

    @event.listens_for(engine, "connect")
    def _set_pragmas(dbapi_connection, _record):  # pragma: no branch
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            retry_while_busy(lambda: cursor.execute("PRAGMA journal_mode = WAL"), busy_timeout)
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    return engine


def describe(exc: DBAPIError) -> str:
    return str(exc.orig) if exc.orig is not None else str(exc)


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A write transaction that takes the database write lock at once."""
    with engine.connect() as conn:
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except OperationalError as exc:
            if is_busy(exc):
                raise LibraryBusy(
                    "the library is busy: another Readinglist is writing to it; try again"
                ) from exc
            raise LibraryError(f"cannot write to the library: {describe(exc)}") from exc
        except DBAPIError as exc:
            raise LibraryError(f"cannot write to the library: {describe(exc)}") from exc
        try:
            yield conn
        except BaseException:
            _rollback(conn)
            raise
        try:
            conn.exec_driver_sql("COMMIT")
        except DBAPIError as exc:
            _rollback(conn)
            raise LibraryError(f"could not save the change: {describe(exc)}") from exc


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A read snapshot: every statement inside sees the same state."""
    with engine.connect() as conn:
        try:
            conn.exec_driver_sql("BEGIN")
            yield conn
        except DBAPIError as exc:
            raise LibraryError(f"cannot read the library: {describe(exc)}") from exc
        finally:
            _rollback(conn)


def fetch_ids(conn: Connection, stmt, params: dict | None = None) -> list[int]:
    """The first column of a statement's rows, read straight from the driver.

    For long id lists (a whole library's order): SQLAlchemy's row objects
    cost as much as SQLite's own work at 100,000 rows.
    """
    compiled = stmt.compile(dialect=conn.dialect)
    values = compiled.construct_params(params or {})
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(str(compiled), [values[name] for name in compiled.positiontup or ()])
        return [row[0] for row in cursor.fetchall()]
    except sqlite3.Error as exc:
        raise LibraryError(f"cannot read the library: {exc}") from exc
    finally:
        cursor.close()


def _rollback(conn: Connection) -> None:
    with suppress(DBAPIError):  # SQLite may already have ended the transaction
        conn.exec_driver_sql("ROLLBACK")


def schema_version(conn: Connection) -> int:
    return int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)


def backup_database(db_path: Path, label: str) -> Path:
    """Copy the database (consistently, through SQLite) next to itself."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = db_path.with_name(f"{db_path.name}.{label}-{stamp}.bak")
    source = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target

