"""SQL shared by the library facade and the importer: tables, filters, sorts, rows.

Everything here is set-based: ids in, rows out, never one query per paper.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection, bindparam, func, literal_column, select, text

from readinglist.core.db import HAS_CODE_SQL, STATUS_RANK_SQL
from readinglist.core.errors import InvalidInput
from readinglist.core.index import IndexFilter, paper_document
from readinglist.core.models import STATUSES, Appearance, Digest, Meta, Paper, PaperTag, Tag
from readinglist.core.views import PaperView

CHUNK = 500  # ids per IN (…) list, well under SQLite's variable limit

papers_t = Paper.__table__
tags_t = Tag.__table__
paper_tags_t = PaperTag.__table__
digests_t = Digest.__table__
appearances_t = Appearance.__table__
meta_t = Meta.__table__

SORTS = {
    "date": papers_t.c.last_seen,
    "last_seen": papers_t.c.last_seen,
    "first_seen": papers_t.c.first_seen,
    "title": func.lower(papers_t.c.title),
    "times_seen": papers_t.c.times_seen,
    "status": literal_column(STATUS_RANK_SQL),
    "tags": papers_t.c.tag_sort,
    "code": literal_column(HAS_CODE_SQL),
    "id": papers_t.c.id,
}
# Sorts whose natural order is largest first.
DESCENDING_SORTS = frozenset({"date", "last_seen", "first_seen", "times_seen", "code"})


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
        )

    def for_index(self) -> IndexFilter:
        f = self.normalised()
        return IndexFilter(f.status, f.tag, f.since, f.until, f.digest, f.min_seen, f.batch)


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


def normalise_tag(name: str) -> str:
    """A tag as stored: NFC, trimmed, inner whitespace folded. Raises if invalid."""
    cleaned = " ".join(unicodedata.normalize("NFC", name).split())
    if not cleaned:
        raise InvalidInput("a tag cannot be empty")
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
    p.times_seen, p.links, p.status_changed, p.created, p.updated, p.citekey,
    (SELECT group_concat(name, char(31)) FROM (
        SELECT t.name AS name FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id
        WHERE pt.paper_id = p.id ORDER BY t.name_key)) AS tags
"""

# What the index needs of a paper.
DOC_COLUMNS = """
    p.id, p.title, p.abstract, p.note, p.status, p.times_seen, p.import_batch,
    (SELECT group_concat(t.name, ',') FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id
        WHERE pt.paper_id = p.id) AS tags,
    (SELECT group_concat(d.digest_date, ' ') FROM appearance a JOIN digest d
        ON d.id = a.digest_id WHERE a.paper_id = p.id) AS seen,
    (SELECT group_concat(a.digest_id, ' ') FROM appearance a
        WHERE a.paper_id = p.id) AS digests
"""


def paper_view(row) -> PaperView:
    m = row._mapping
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
    return clauses


def documents(conn: Connection, ids: Sequence[int] | None = None) -> Iterator[dict]:
    """Index documents of the papers with ``ids`` (or all), read in chunks."""
    if ids is None:
        last = 0
        while True:
            rows = conn.execute(
                text(f"SELECT {DOC_COLUMNS} FROM paper p WHERE p.id > :last "
                     "ORDER BY p.id LIMIT 2000"),
                {"last": last},
            ).mappings().all()
            if not rows:
                return
            for row in rows:
                yield paper_document(row)
            last = rows[-1]["id"]
    else:
        for chunk in chunks(list(ids)):
            stmt = text(f"SELECT {DOC_COLUMNS} FROM paper p WHERE p.id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            )
            for row in conn.execute(stmt, {"ids": list(chunk)}).mappings():
                yield paper_document(row)
