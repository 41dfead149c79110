"""SQLite without the ORM: the busy timeout, waiting out a lock, and a plain
read snapshot.

A command that only reads (``similar``, ``show``) answers through these
before SQLAlchemy, SQLModel and pydantic are imported (0.4 s of a command's
start); `db` builds the engine every write goes through on the same rules.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TypeVar

from readinglist.core.errors import LibraryError

T = TypeVar("T")

BUSY_TIMEOUT_S = 30.0
BUSY_TIMEOUT_ENV = "READINGLIST_BUSY_TIMEOUT"  # seconds; for scripts and tests


def default_busy_timeout() -> float:
    try:
        return float(os.environ.get(BUSY_TIMEOUT_ENV, BUSY_TIMEOUT_S))
    except ValueError:
        return BUSY_TIMEOUT_S


def is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def retry_while_busy(action: Callable[[], T], timeout: float) -> T:
    """Run ``action``, retrying while SQLite says the database is locked.

    SQLite skips its busy handler where waiting could deadlock (switching a
    new file to WAL while another process does the same, for one), so a
    second process opening a library at the same moment needs this.
    """
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        try:
            return action()
        except Exception as exc:
            # the driver's error, or SQLAlchemy's wrapping of it (``orig``)
            cause = getattr(exc, "orig", None) or exc
            if not (isinstance(cause, sqlite3.OperationalError) and is_busy(cause)) \
                    or time.monotonic() > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


def connect(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """A connection to an existing library's file (never creates one), in
    autocommit mode at the driver level, transactions begun explicitly as
    the engine's are."""
    conn = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=rw", uri=True,
                           timeout=busy_timeout, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def read_snapshot(path: Path, busy_timeout: float) -> Iterator[sqlite3.Connection]:
    """A read snapshot on a connection of its own: every statement inside sees
    the same state; WAL lets it proceed while another process writes."""
    try:
        conn = connect(path, busy_timeout)
    except sqlite3.Error as exc:
        raise LibraryError(f"cannot read the library: {exc}") from exc
    try:
        try:
            conn.execute("BEGIN")
            yield conn
        except sqlite3.Error as exc:
            raise LibraryError(f"cannot read the library: {exc}") from exc
        finally:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
    finally:
        conn.close()
