"""The SQLite engine, per-connection pragmas, transactions and the schema version.

Every connection runs in autocommit mode at the driver level; transactions are
opened explicitly: ``BEGIN IMMEDIATE`` for writes, so that a second process
waits for the write lock up front (with a busy timeout) instead of failing
half-way, and plain ``BEGIN`` for consistent reads.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import SQLModel

from readinglist.core import citekeys, models  # noqa: F401  (models registers the tables)
from readinglist.core.errors import LibraryBusy, LibraryError

T = TypeVar("T")

SCHEMA_VERSION = 6
APPLICATION_ID = 0x524C5354  # "RLST": marks the file as a Readinglist library
BUSY_TIMEOUT_S = 30.0
BUSY_TIMEOUT_ENV = "READINGLIST_BUSY_TIMEOUT"  # seconds; for scripts and tests


def default_busy_timeout() -> float:
    try:
        return float(os.environ.get(BUSY_TIMEOUT_ENV, BUSY_TIMEOUT_S))
    except ValueError:
        return BUSY_TIMEOUT_S



def _v1_to_v2(conn: Connection) -> None:
    """Citation keys: a column, its case-insensitive unique index, retired keys."""
    conn.exec_driver_sql("ALTER TABLE paper ADD COLUMN citekey VARCHAR")
    conn.exec_driver_sql(
        "CREATE TABLE IF NOT EXISTS citekey_retired (key VARCHAR NOT NULL PRIMARY KEY)"
    )
    conn.exec_driver_sql(citekeys.UNIQUE_INDEX_SQL)
    citekeys.assign_keys(conn)


def _v2_to_v3(conn: Connection) -> None:
    """The import batch that added each paper ("New in last import")."""
    conn.exec_driver_sql("ALTER TABLE paper ADD COLUMN import_batch INTEGER")
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_paper_import_batch ON paper (import_batch)")


def _v3_to_v4(conn: Connection) -> None:
    """The queue of papers waiting for the search index (core/indexing.py)."""
    conn.exec_driver_sql(
        "CREATE TABLE IF NOT EXISTS index_queue (generation INTEGER NOT NULL, "
        "paper_id INTEGER NOT NULL, PRIMARY KEY (generation, paper_id))"
    )


# Where a paper's code lives: a link to one of these makes "code available".
CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "codeberg.org")

# Sort keys that are expressions, spelled once: a query must repeat an
# expression index's text for SQLite to read the order from the index.
STATUS_RANK_SQL = "(CASE status WHEN 'unread' THEN 0 WHEN 'skimmed' THEN 1 ELSE 2 END)"
HAS_CODE_SQL = "(" + " OR ".join(f"instr(links, '{host}') > 0" for host in CODE_HOSTS) + ")"

# Indexes SQLModel cannot declare (on expressions); made for new and old libraries.
EXPRESSION_INDEXES = (
    # sorting 100,000 titles by lower(title) without it took 313 ms
    "CREATE INDEX IF NOT EXISTS ix_paper_title_lower ON paper (lower(title))",
)
SORT_INDEXES = (
    f"CREATE INDEX IF NOT EXISTS ix_paper_status_rank ON paper ({STATUS_RANK_SQL})",
    f"CREATE INDEX IF NOT EXISTS ix_paper_has_code ON paper ({HAS_CODE_SQL})",
)

# paper.tag_sort holds a paper's first tag key (NULL without tags), for the
# tags sort; these triggers keep it right whatever changes tags.
_TAG_SORT_VALUE = (
    "(SELECT min(t.name_key) FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id "
    "WHERE pt.paper_id = {paper})"
)
TAG_SORT_TRIGGERS = tuple(
    f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} BEGIN {body} END"
    for name, event, body in (
        ("tr_paper_tag_added", "INSERT ON paper_tag",
         "UPDATE paper SET tag_sort = {new} WHERE id = NEW.paper_id;"),
        ("tr_paper_tag_removed", "DELETE ON paper_tag",
         "UPDATE paper SET tag_sort = {old} WHERE id = OLD.paper_id;"),
        ("tr_paper_tag_changed", "UPDATE ON paper_tag",
         "UPDATE paper SET tag_sort = {old} WHERE id = OLD.paper_id; "
         "UPDATE paper SET tag_sort = {new} WHERE id = NEW.paper_id;"),
        ("tr_tag_renamed", "UPDATE OF name_key ON tag",
         "UPDATE paper SET tag_sort = {each} "
         "WHERE id IN (SELECT paper_id FROM paper_tag WHERE tag_id = NEW.id);"),
    )
    for body in [body.format(new=_TAG_SORT_VALUE.format(paper="NEW.paper_id"),
                             old=_TAG_SORT_VALUE.format(paper="OLD.paper_id"),
                             each=_TAG_SORT_VALUE.format(paper="paper.id"))]
)
TAG_SORT_VALUE = _TAG_SORT_VALUE.format(paper="paper.id")
TAG_SORT_FILL = f"UPDATE paper SET tag_sort = {TAG_SORT_VALUE}"


def _v4_to_v5(conn: Connection) -> None:
    """An index for the title sort."""
    for statement in EXPRESSION_INDEXES:
        conn.exec_driver_sql(statement)


def _v5_to_v6(conn: Connection) -> None:
    """Indexes for the status, code and tags sorts (a kept first tag per paper)."""
    conn.exec_driver_sql("ALTER TABLE paper ADD COLUMN tag_sort VARCHAR")
    conn.exec_driver_sql(TAG_SORT_FILL)
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_paper_tag_sort ON paper (tag_sort)")
    for statement in SORT_INDEXES + TAG_SORT_TRIGGERS:
        conn.exec_driver_sql(statement)


# from_version -> function that brings a library to from_version + 1, inside
# the migration transaction. Add one entry per schema change; never edit one.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4, 4: _v4_to_v5, 5: _v5_to_v6,
}


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
        except (sqlite3.OperationalError, OperationalError) as exc:
            if not _is_busy(exc) or time.monotonic() > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


def _is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _describe(exc: DBAPIError) -> str:
    return str(exc.orig) if exc.orig is not None else str(exc)


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A write transaction that takes the database write lock at once."""
    with engine.connect() as conn:
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except OperationalError as exc:
            if _is_busy(exc):
                raise LibraryBusy(
                    "the library is busy: another Readinglist is writing to it; try again"
                ) from exc
            raise LibraryError(f"cannot write to the library: {_describe(exc)}") from exc
        except DBAPIError as exc:
            raise LibraryError(f"cannot write to the library: {_describe(exc)}") from exc
        try:
            yield conn
        except BaseException:
            _rollback(conn)
            raise
        try:
            conn.exec_driver_sql("COMMIT")
        except DBAPIError as exc:
            _rollback(conn)
            raise LibraryError(f"could not save the change: {_describe(exc)}") from exc


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A read snapshot: every statement inside sees the same state."""
    with engine.connect() as conn:
        try:
            conn.exec_driver_sql("BEGIN")
            yield conn
        except DBAPIError as exc:
            raise LibraryError(f"cannot read the library: {_describe(exc)}") from exc
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


def _user_tables(conn: Connection) -> list[str]:
    rows = conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return [row[0] for row in rows]


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


def ensure_schema(engine: Engine, db_path: Path) -> None:
    """Create the schema of a new library, or migrate an older one.

    Safe when two processes open a new library at the same moment: the
    check and the creation happen under the write lock.
    """
    def read_version() -> tuple[int, int]:
        with engine.connect() as conn:
            return schema_version(conn), conn.exec_driver_sql("PRAGMA application_id").scalar()

    try:
        version, app_id = retry_while_busy(read_version, BUSY_TIMEOUT_S)
    except DBAPIError as exc:
        raise LibraryError(f"{db_path.name} cannot be read: {_describe(exc)}") from exc
    if version > SCHEMA_VERSION:
        raise LibraryError(
            f"{db_path.name} was written by a newer Readinglist (schema {version}, "
            f"this version reads up to {SCHEMA_VERSION}); upgrade Readinglist"
        )
    if version == SCHEMA_VERSION and app_id == APPLICATION_ID:
        return
    if 0 < version < SCHEMA_VERSION:
        backup_database(db_path, f"schema{version}")

    with write_transaction(engine) as conn:
        version = schema_version(conn)  # another process may have done it meanwhile
        if version == 0:
            if _user_tables(conn):
                raise LibraryError(f"{db_path.name} is not a Readinglist library")
            SQLModel.metadata.create_all(conn)
            conn.exec_driver_sql(citekeys.UNIQUE_INDEX_SQL)
            for statement in EXPRESSION_INDEXES + SORT_INDEXES + TAG_SORT_TRIGGERS:
                conn.exec_driver_sql(statement)
            version = SCHEMA_VERSION
        while version < SCHEMA_VERSION:
            MIGRATIONS[version](conn)
            version += 1
        conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
