"""The SQL layer shared by the services: tables, filters, sorts, rows, small helpers.

Everything here is set-based: ids in, rows out, never one query per paper.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import (
    Connection,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    select,
    text,
    update,
)

from readinglist.core.errors import InvalidInput, NotFound
from readinglist.core.storage.metadata_columns import metadata_of
from readinglist.core.storage.models import (
    STATUSES,
    Appearance,
    Digest,
    IndexQueue,
    Meta,
    Paper,
    PaperTag,
    Tag,
)
from readinglist.core.storage.schema import STATUS_RANK_SQL
from readinglist.core.views import PaperView

CHUNK = 500  # ids per IN (…) list, well under SQLite's variable limit

papers_t = Paper.__table__
tags_t = Tag.__table__
paper_tags_t = PaperTag.__table__
digests_t = Digest.__table__
appearances_t = Appearance.__table__
meta_t = Meta.__table__
queue_t = IndexQueue.__table__

SORTS = {
    "date": papers_t.c.last_seen,
    "last_seen": papers_t.c.last_seen,
    "first_seen": papers_t.c.first_seen,
    "title": func.lower(papers_t.c.title),
    "times_seen": papers_t.c.times_seen,
    "status": literal_column(STATUS_RANK_SQL),
    "tags": papers_t.c.tag_sort,
    "code": papers_t.c.has_code,
    "authors": papers_t.c.author_sort,
    "year": papers_t.c.year,
    "id": papers_t.c.id,
}
# Sorts whose unknown values (NULL) come last, whichever the direction.
NULLS_LAST = frozenset({"authors", "year"})
# Sorts whose natural order is largest first.
DESCENDING_SORTS = frozenset({"date", "last_seen", "first_seen", "times_seen", "code", "year"})


@dataclass(frozen=True)
class Filter:
    """What a view of the library shows. All fields combine with AND."""

    status: str | None = None
    tag: str | None = None
    since: date | str | None = None  # seen in a digest dated on or after
    until: date | str | None = None  # … on or before
    digest: int | None = None  # in this digest
    min_seen: int | None = None  # seen in at least this many digests
    batch: int | None = None  # new in this import batch
    dismissed: bool | None = None  # only those marked "not interested" (True), or none (False)

    def normalised(self) -> Filter:
        if self.status is not None and self.status not in STATUSES:
            raise InvalidInput(
                f"unknown status {self.status!r} (use one of {', '.join(STATUSES)})"
            )
        return Filter(
            status=self.status,
            tag=tag_key(self.tag) if self.tag is not None else None,
            since=iso_date(self.since),
            until=iso_date(self.until),
            digest=self.digest,
            min_seen=self.min_seen,
            batch=self.batch,
            dismissed=self.dismissed,
        )


def iso_date(value: date | str | None) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise InvalidInput(f"{value!r} is not a date (use YYYY-MM-DD)") from exc


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# Control characters and the invisible ones that only hide a tag's likeness to
# another (zero-width space, word joiner, byte-order mark, bidi controls).
_INVISIBLE_IN_TAG = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u200b\u2060\ufeff"
                               "\u202a-\u202e\u2066-\u2069]")


def normalise_tag(name: str) -> str:
    """A tag as stored: NFC, trimmed, inner whitespace folded. Raises if invalid."""
    cleaned = " ".join(_INVISIBLE_IN_TAG.sub("", unicodedata.normalize("NFC", name)).split())
    if not cleaned:
        raise InvalidInput("a tag cannot be empty")
    if not any(unicodedata.category(ch)[0] not in "CZ" for ch in cleaned):
        raise InvalidInput(f"a tag needs a visible character: {name!r}")
    if "," in cleaned:
        raise InvalidInput(f"a tag cannot contain a comma: {name!r}")
    if len(cleaned) > 100:
        raise InvalidInput(f"a tag is at most 100 characters: {cleaned[:30]!r}…")
    return cleaned


def tag_key(name: str) -> str:
    return normalise_tag(name).casefold()


def chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


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

def paper_view(row) -> PaperView:
    m = row._mapping
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


def filter_clauses(f: Filter) -> list:
    f = f.normalised()
    clauses = []
    if f.status:
        clauses.append(papers_t.c.status == f.status)
    if f.tag:
        clauses.append(
            papers_t.c.id.in_(
                select(paper_tags_t.c.paper_id)
                .join(tags_t, tags_t.c.id == paper_tags_t.c.tag_id)
                .where(tags_t.c.name_key == f.tag)
            )
        )
    if f.since or f.until or f.digest is not None:
        seen = select(appearances_t.c.paper_id).join(
            digests_t, digests_t.c.id == appearances_t.c.digest_id
        )
        if f.since:
            seen = seen.where(digests_t.c.digest_date >= f.since)
        if f.until:
            seen = seen.where(digests_t.c.digest_date <= f.until)
        if f.digest is not None:
            seen = seen.where(digests_t.c.id == f.digest)
        clauses.append(papers_t.c.id.in_(seen))
    if f.min_seen is not None:
        clauses.append(papers_t.c.times_seen >= f.min_seen)
    if f.batch is not None:
        clauses.append(papers_t.c.import_batch == f.batch)
    if f.dismissed is not None:
        clauses.append(papers_t.c.dismissed.is_not(None) if f.dismissed
                       else papers_t.c.dismissed.is_(None))
    return clauses


MAX_ID = 2**63 - 1  # SQLite's largest integer: no paper has a larger id


def storable(ids: Sequence[int]) -> list[int]:
    """The ids a paper could have; others (0, negative, past 2**63) match nothing
    instead of overflowing SQLite's integers."""
    return [i for i in map(int, ids) if 0 < i <= MAX_ID]


def get_papers(conn: Connection, ids: Sequence[int]) -> list[PaperView]:
    """The papers with these ids, in the order given (unknown ids are skipped)."""
    ids = storable(ids)
    found: dict[int, PaperView] = {}
    for chunk in chunks(ids):
        stmt = text(f"SELECT {PAPER_COLUMNS} FROM paper p WHERE p.id IN :ids").bindparams(
            bindparam("ids", expanding=True)
        )
        for row in conn.execute(stmt, {"ids": list(chunk)}):
            found[row.id] = paper_view(row)
    return [found[i] for i in ids if i in found]


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
    return conn.execute(select(meta_t.c.value).where(meta_t.c.key == key)).scalar()


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
