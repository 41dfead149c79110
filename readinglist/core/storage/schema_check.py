"""Whether a database holds exactly Readinglist's schema: its tables, indexes
and triggers, nothing else. A library folder may come from someone else, and
SQLite runs what a file declares — a trigger on every write, a view — so a
file with anything extra is refused with one line (`check` says the same)."""

from __future__ import annotations

import re
import sqlite3

KINDS = ("table", "index", "trigger", "view")


def _normal(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()


def objects(conn: sqlite3.Connection) -> frozenset:
    """(kind, name, table, sql) of every object the file declares; the SQL is
    compared for triggers and views only (tables and indexes grow by
    migration, their text differs from a new library's). ``conn`` is the
    driver's connection (an engine's: ``conn.connection.dbapi_connection``)."""
    rows = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    return frozenset((kind, name, table, _normal(sql) if kind in ("trigger", "view") else "")
                     for kind, name, table, sql in rows)


def unexpected(conn: sqlite3.Connection, expected: frozenset) -> str | None:
    """One line saying what the file holds that Readinglist never makes, or
    lacks of what it needs; None when it is exactly ours."""
    found = objects(conn)
    extra = sorted(found - expected)
    if extra:
        kind, name = extra[0][0], extra[0][1]
        more = f" (and {len(extra) - 1} more)" if len(extra) > 1 else ""
        return (f"has a {kind} “{name}” Readinglist never makes{more}: not opened (a "
                "library received from someone else is read as data only)")
    missing = sorted((kind, name) for kind, name, _t, _s in expected - found
                     if kind == "table")
    if missing:
        return f"lacks the table “{missing[0][1]}”: it is not a whole Readinglist library"
    return None


def current(conn: sqlite3.Connection) -> bool:
    """Whether the file is a library of today's schema holding exactly what
    Readinglist makes: opened as it is, without a migration (and without the
    ORM). Anything else goes the long way, which migrates or says why not."""
    from readinglist.core.storage import schema_objects
    from readinglist.core.storage.schema import APPLICATION_ID, SCHEMA_VERSION

    version = conn.execute("PRAGMA user_version").fetchone()[0]
    application = conn.execute("PRAGMA application_id").fetchone()[0]
    return (version == SCHEMA_VERSION == schema_objects.SCHEMA_VERSION
            and application == APPLICATION_ID and objects(conn) == schema_objects.OBJECTS)
