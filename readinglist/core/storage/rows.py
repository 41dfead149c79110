"""A paper's row as every reader sees it (`PaperView`), read with plain SQL
on the driver's connection: the same code for the window, the command line
and the services, with or without the ORM loaded.

Everything here is set-based: ids in, rows out, never one query per paper.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence

from readinglist.core.storage.metadata_columns import metadata_of
from readinglist.core.views import PaperView

CHUNK = 500  # ids per IN (…) list, well under SQLite's variable limit


def chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


MAX_ID = 2**63 - 1  # SQLite's largest integer: no paper has a larger id


def storable(ids: Sequence[int]) -> list[int]:
    """The ids a paper could have; others (0, negative, past 2**63) match nothing
    instead of overflowing SQLite's integers."""
    return [i for i in map(int, ids) if 0 < i <= MAX_ID]


# The columns of a paper row, with its tags aggregated.
PAPER_COLUMNS = """
    p.id, p.title, p.abstract, p.status, p.note, p.first_seen, p.last_seen,
    p.times_seen, p.links, p.status_changed, p.created, p.updated, p.citekey, p.citekey_pinned,
    p.authors, p.year, p.month, p.pub_date, p.entry_type, p.venue, p.volume, p.number, p.pages,
    p.publisher, p.doi, p.arxiv_id, p.arxiv_version, p.arxiv_category, p.url, p.pdf_url,
    p.meta_sources, p.dismissed,
    (SELECT group_concat(name, char(31)) FROM (
        SELECT t.name AS name FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id
        WHERE pt.paper_id = p.id ORDER BY t.name_key)) AS tags
"""


def paper_view(m: Mapping) -> PaperView:
    """A paper from its row (the columns of `PAPER_COLUMNS` by name)."""
    metadata, sources = metadata_of(m)
    return PaperView(
        id=m["id"],
        title=m["title"],
        abstract=m["abstract"],
        status=m["status"],
        tags=tuple(m["tags"].split("\x1f")) if m["tags"] else (),
        note=m["note"],
        first_seen=m["first_seen"],
        last_seen=m["last_seen"],
        times_seen=m["times_seen"],
        links=tuple(json.loads(m["links"] or "[]")),
        status_changed=m["status_changed"],
        created=m["created"],
        updated=m["updated"],
        citekey=m["citekey"] or "",
        metadata=metadata,
        sources=sources,
        citekey_pinned=bool(m["citekey_pinned"]),
        dismissed=m["dismissed"],
    )


def get_papers(conn: sqlite3.Connection, ids: Sequence[int]) -> list[PaperView]:
    """The papers with these ids, in the order given (unknown ids are skipped).
    ``conn`` is the driver's connection (an engine's:
    ``conn.connection.dbapi_connection``), inside the caller's transaction."""
    ids = storable(ids)
    found: dict[int, PaperView] = {}
    cursor = conn.cursor()
    try:
        for chunk in chunks(ids):
            marks = ", ".join("?" * len(chunk))
            cursor.execute(f"SELECT {PAPER_COLUMNS} FROM paper p WHERE p.id IN ({marks})",
                           list(chunk))
            names = [column[0] for column in cursor.description]
            for row in cursor:
                paper = paper_view(dict(zip(names, row, strict=True)))
                found[paper.id] = paper
    finally:
        cursor.close()
    return [found[i] for i in ids if i in found]


def key_owner(conn: sqlite3.Connection, key: str) -> int | None:
    """The id of the paper holding ``key`` (case-insensitively), if any."""
    found = conn.execute("SELECT id FROM paper WHERE citekey = ? COLLATE NOCASE",
                         (key,)).fetchone()
    return found[0] if found else None


def former_key_owner(conn: sqlite3.Connection, key: str) -> int | None:
    """The paper that gave ``key`` up (a re-key, a new key), if it is still here
    (by its id, or by its title when it was deleted and imported again)."""
    found = conn.execute(
        "SELECT p.id FROM citekey_retired r JOIN paper p ON p.id = r.paper_id "
        "OR (r.paper_id IS NULL AND p.title_key = r.title_key) "
        "WHERE r.key = ? COLLATE NOCASE", (key,)).fetchone()
    return found[0] if found else None


def meta_value(conn: sqlite3.Connection, key: str) -> str | None:
    """A small fact the library keeps about itself (`meta`), if it has it."""
    found = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return found[0] if found else None
