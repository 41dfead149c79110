"""Creating a new library and bringing an older one to today's schema.

Each migration runs inside one write transaction, after a backup copy of the
file; a library written by a newer Readinglist is refused, never touched.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from readinglist.core.errors import LibraryError
from readinglist.core.sources.links import has_code
from readinglist.core.sources.references import match_key
from readinglist.core.storage import backups, citekeys, models, schema_check
from readinglist.core.storage.connection import BUSY_TIMEOUT_S, retry_while_busy
from readinglist.core.storage.db import (
    backup_database,
    describe,
    schema_version,
    write_transaction,
)
from readinglist.core.storage.schema import (
    APPLICATION_ID,
    EXPRESSION_INDEXES,
    RETIRED_KEY_INDEX,
    RETIRED_TITLE_INDEX,
    SCHEMA_VERSION,
    SORT_INDEXES,
    TAG_SORT_FILL,
    TAG_SORT_TRIGGERS,
    UNIQUE_CITEKEY_SQL,
)


def _v1_to_v2(conn: Connection) -> None:
    """Citation keys: a column, its case-insensitive unique index, retired keys."""
    conn.exec_driver_sql("ALTER TABLE paper ADD COLUMN citekey VARCHAR")
    conn.exec_driver_sql(
        "CREATE TABLE IF NOT EXISTS citekey_retired (key VARCHAR NOT NULL PRIMARY KEY)"
    )
    conn.exec_driver_sql(UNIQUE_CITEKEY_SQL)
    citekeys.assign_legacy_keys(conn)


def _v2_to_v3(conn: Connection) -> None:
    """The import batch that added each paper ("Newly imported")."""
    conn.exec_driver_sql("ALTER TABLE paper ADD COLUMN import_batch INTEGER")
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_paper_import_batch ON paper (import_batch)")


def _v3_to_v4(conn: Connection) -> None:
    """The queue of papers waiting for the search index (core/index/keeper.py)."""
    conn.exec_driver_sql(
        "CREATE TABLE IF NOT EXISTS index_queue (generation INTEGER NOT NULL, "
        "paper_id INTEGER NOT NULL, PRIMARY KEY (generation, paper_id))"
    )


def _v4_to_v5(conn: Connection) -> None:
    """An index for the title sort."""
    for statement in EXPRESSION_INDEXES:
        conn.exec_driver_sql(statement)


def _v5_to_v6(conn: Connection) -> None:
    """Indexes for the status and tags sorts (a kept first tag per paper)."""
    conn.exec_driver_sql("ALTER TABLE paper ADD COLUMN tag_sort VARCHAR")
    conn.exec_driver_sql(TAG_SORT_FILL)
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_paper_tag_sort ON paper (tag_sort)")
    for statement in SORT_INDEXES + TAG_SORT_TRIGGERS:
        conn.exec_driver_sql(statement)


def _v6_to_v7(conn: Connection) -> None:
    """The undo / redo history, and "has code" as a column that links.py fills
    (schema 6 sorted by a substring test in SQL that disagreed with the table)."""
    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_paper_has_code")
    conn.exec_driver_sql("ALTER TABLE paper ADD COLUMN has_code INTEGER NOT NULL DEFAULT 0")
    with_code = [
        {"id": paper_id}
        for paper_id, links in conn.exec_driver_sql("SELECT id, links FROM paper")
        if has_code(json.loads(links or "[]"))
    ]
    if with_code:
        conn.exec_driver_sql("UPDATE paper SET has_code = 1 WHERE id = :id", with_code)
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_paper_has_code ON paper (has_code)")
    models.HistoryStep.__table__.create(conn, checkfirst=True)


_V8_COLUMNS = (
    ("citekey_pinned", "INTEGER NOT NULL DEFAULT 0"), ("authors", "VARCHAR NOT NULL DEFAULT '[]'"),
    ("author_sort", "VARCHAR"), ("year", "INTEGER"), ("month", "INTEGER"),
    ("pub_date", "VARCHAR"), ("entry_type", "VARCHAR"), ("venue", "VARCHAR"),
    ("volume", "VARCHAR"), ("number", "VARCHAR"), ("pages", "VARCHAR"),
    ("publisher", "VARCHAR"), ("doi", "VARCHAR"), ("arxiv_id", "VARCHAR"),
    ("arxiv_version", "INTEGER"), ("arxiv_category", "VARCHAR"), ("url", "VARCHAR"),
    ("pdf_url", "VARCHAR"), ("meta_sources", "VARCHAR NOT NULL DEFAULT '{}'"),
    ("title_match", "VARCHAR"),
)


def _v7_to_v8(conn: Connection) -> None:
    """Metadata: authors, dates, venue and identifiers, each with its source; the
    title as any file spells it, for matching. Every key a library already has
    may have left it (exported, copied): it is pinned, never changed again."""
    for name, kind in _V8_COLUMNS:
        conn.exec_driver_sql(f"ALTER TABLE paper ADD COLUMN {name} {kind}")
    for name in ("author_sort", "year", "doi", "arxiv_id", "title_match"):
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_paper_{name} ON paper ({name})")
    conn.exec_driver_sql("UPDATE paper SET citekey_pinned = 1 WHERE citekey IS NOT NULL")
    conn.exec_driver_sql("ALTER TABLE citekey_retired ADD COLUMN paper_id INTEGER")
    _name_the_library(conn)
    rows = [{"id": paper_id, "key": match_key(title)}
            for paper_id, title in conn.exec_driver_sql("SELECT id, title FROM paper")]
    if rows:
        conn.exec_driver_sql("UPDATE paper SET title_match = :key WHERE id = :id", rows)


def _v8_to_v9(conn: Connection) -> None:
    """A retired key names its paper by title too: ids of deleted papers are
    reused, titles are not (a paper deleted and imported again gets its key back)."""
    conn.exec_driver_sql("ALTER TABLE citekey_retired ADD COLUMN title_key VARCHAR")
    conn.exec_driver_sql("UPDATE citekey_retired SET title_key = (SELECT title_key FROM paper "
                         "WHERE paper.id = citekey_retired.paper_id)")
    conn.exec_driver_sql("UPDATE citekey_retired SET paper_id = NULL WHERE title_key IS NULL")
    conn.exec_driver_sql(RETIRED_TITLE_INDEX)


def _v9_to_v10(conn: Connection) -> None:
    """Retired keys looked up case-insensitively through an index (a new key is
    found by a few lookups, not by reading every key that shares its start)."""
    conn.exec_driver_sql(RETIRED_KEY_INDEX)


def _v10_to_v11(conn: Connection) -> None:
    """"Not interested": when a paper was dismissed, or NULL."""
    conn.exec_driver_sql("ALTER TABLE paper ADD COLUMN dismissed VARCHAR")
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_paper_dismissed ON paper (dismissed)")


def _name_the_library(conn: Connection) -> None:
    """The library's own id: what this user's caches and automatic exports of it
    are kept under, outside its folder."""
    conn.exec_driver_sql("INSERT OR IGNORE INTO meta (key, value) VALUES ('library_id', ?)",
                         (uuid.uuid4().hex,))


# from_version -> function that brings a library to from_version + 1, inside
# the migration transaction. Add one entry per schema change; never edit one.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4, 4: _v4_to_v5, 5: _v5_to_v6, 6: _v6_to_v7,
    7: _v7_to_v8, 8: _v8_to_v9, 9: _v9_to_v10, 10: _v10_to_v11,
}


def create_schema(conn: Connection) -> None:
    """Today's schema, in an empty database."""
    SQLModel.metadata.create_all(conn)
    conn.exec_driver_sql(UNIQUE_CITEKEY_SQL)
    for statement in (*EXPRESSION_INDEXES, *SORT_INDEXES, *TAG_SORT_TRIGGERS,
                      RETIRED_TITLE_INDEX, RETIRED_KEY_INDEX):
        conn.exec_driver_sql(statement)


def _user_tables(conn: Connection) -> list[str]:
    rows = conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return [row[0] for row in rows]


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
        raise backups.damaged(db_path.parent, db_path.name,
                              f"cannot be read ({describe(exc)})") from exc
    if version < 0:
        raise backups.damaged(db_path.parent, db_path.name,
                              f"has an invalid schema version ({version})")
    if version > SCHEMA_VERSION:
        raise LibraryError(
            f"{db_path.name} was written by a newer Readinglist (schema {version}, "
            f"this version reads up to {SCHEMA_VERSION}); upgrade Readinglist"
        )
    if version == SCHEMA_VERSION and app_id == APPLICATION_ID:
        _verified(engine, db_path)
        return
    if 0 < version < SCHEMA_VERSION:
        backup_database(db_path, f"schema{version}")

    with write_transaction(engine) as conn:
        version = schema_version(conn)  # another process may have done it meanwhile
        if version == 0:
            if _user_tables(conn):
                raise LibraryError(f"{db_path.name} is not a Readinglist library")
            if backups.list_backups(db_path.parent):  # not new: emptied or truncated
                raise backups.damaged(db_path.parent, db_path.name, "is empty")
            create_schema(conn)
            _name_the_library(conn)
            version = SCHEMA_VERSION
        while version < SCHEMA_VERSION:
            MIGRATIONS[version](conn)
            version += 1
        conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        problem = schema_check.unexpected(conn.connection.dbapi_connection, expected_schema())
        if problem:  # rolled back: the file stays as it was
            raise LibraryError(f"{db_path.name} {problem}")


def _verified(engine: Engine, db_path: Path) -> None:
    with engine.connect() as conn:
        problem = schema_check.unexpected(conn.connection.dbapi_connection, expected_schema())
    if problem:
        raise LibraryError(f"{db_path.name} {problem}")


@functools.cache
def expected_schema() -> frozenset:
    """The tables, indexes and triggers (with their SQL) of today's schema, made
    once in memory: what every library, new or migrated, holds exactly."""
    engine = create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            create_schema(conn)
            return schema_check.objects(conn.connection.dbapi_connection)
    finally:
        engine.dispose()
