"""The SQL layer shared by the services: tables, rows, small helpers (with SQLAlchemy).

Everything here is set-based: ids in, rows out, never one query per paper.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import (
    Connection,
    delete,
    insert,
    select,
    text,
    update,
)

from readinglist.core.errors import NotFound
from readinglist.core.storage import rows
from readinglist.core.storage.filter import normalise_tag
from readinglist.core.storage.models import (
    Appearance,
    Digest,
    IndexQueue,
    Meta,
    Paper,
    PaperTag,
    Tag,
)
from readinglist.core.storage.rows import chunks, storable
from readinglist.core.views import PaperView

papers_t = Paper.__table__
tags_t = Tag.__table__
paper_tags_t = PaperTag.__table__
digests_t = Digest.__table__
appearances_t = Appearance.__table__
meta_t = Meta.__table__
queue_t = IndexQueue.__table__

def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def get_papers(conn: Connection, ids: Sequence[int]) -> list[PaperView]:
    """The papers with these ids, in the order given (unknown ids are skipped),
    in the caller's transaction (`rows.get_papers`)."""
    return rows.get_papers(conn.connection.dbapi_connection, ids)


def existing_ids(conn: Connection, ids: Sequence[int]) -> set[int]:
    found: set[int] = set()
    for chunk in chunks(storable(ids)):
        found.update(conn.execute(select(papers_t.c.id).where(papers_t.c.id.in_(chunk))).scalars())
    return found


def require_papers(conn: Connection, ids: Sequence[int]) -> list[int]:
    """``ids`` without repeats, in order; NotFound names those that do not exist."""
    wanted = list(dict.fromkeys(int(i) for i in ids))
    found = existing_ids(conn, wanted)
    missing = [i for i in wanted if i not in found]
    if missing:
        raise NotFound(f"no paper with id {', '.join(map(str, missing[:10]))}")
    return wanted


def tag_id(conn: Connection, name: str, create: bool) -> int | None:
    """The id of the tag ``name`` (case-insensitively); made if ``create``."""
    name = normalise_tag(name)
    key = name.casefold()
    found = conn.execute(select(tags_t.c.id).where(tags_t.c.name_key == key)).scalar()
    if found is None and create:
        found = conn.execute(
            insert(tags_t).values(name=name, name_key=key)
        ).inserted_primary_key[0]
    return found


def tagged(conn: Connection, tag: int) -> list[int]:
    """Ids of the papers that carry the tag with id ``tag``."""
    return list(conn.execute(
        select(paper_tags_t.c.paper_id).where(paper_tags_t.c.tag_id == tag)).scalars())


def drop_unused_tags(conn: Connection) -> None:
    conn.execute(
        delete(tags_t).where(~tags_t.c.id.in_(select(paper_tags_t.c.tag_id).distinct()))
    )


def touch(conn: Connection, ids: Sequence[int]) -> None:
    """Mark papers as changed now."""
    now = now_iso()
    for chunk in chunks(list(ids)):
        conn.execute(update(papers_t).where(papers_t.c.id.in_(chunk)).values(updated=now))


def meta_get(conn: Connection, key: str) -> str | None:
    return rows.meta_value(conn.connection.dbapi_connection, key)


def meta_set(conn: Connection, key: str, value: str) -> None:
    conn.execute(
        text("INSERT INTO meta (key, value) VALUES (:key, :value) "
             "ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
        {"key": key, "value": value},
    )


def database_generation(conn: Connection) -> int:
    """Bumped by every write transaction; the index records the one it reflects."""
    return int(meta_get(conn, "generation") or 0)


def queue_for_index(conn: Connection, ids: Sequence[int], applied: int | None = None) -> int:
    """Bump the generation and queue ``ids`` for the search index, in the
    caller's transaction (see index/keeper.py). ``applied``: the generation the
    index is known to hold, whose queue rows can go."""
    conn.execute(text(
        "INSERT INTO meta (key, value) VALUES ('generation', '1') "
        "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"))
    generation = database_generation(conn)
    # Paper 0 marks the generation itself, so that catching up can tell a
    # complete queue from one with gaps (a change made behind our back).
    unique = [0, *sorted(set(ids))]
    conn.execute(insert(queue_t), [{"generation": generation, "paper_id": i} for i in unique])
    if applied is not None:
        conn.execute(delete(queue_t).where(queue_t.c.generation <= applied))
    return generation
