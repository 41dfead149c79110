"""What the index holds: its schema, one document per paper, the view filters.

Also the two patches to Whoosh's internals that this project makes (a cache
of missing length columns; the text fields' analysis fused, `analysis`),
applied when this module is imported.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, text
from whoosh.analysis import (
    CharsetFilter,
    CommaSeparatedTokenizer,
    LowercaseFilter,
    RegexTokenizer,
    StemmingAnalyzer,
    StopFilter,
)
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.query import And, NumericRange, Query, Term, TermRange
from whoosh.support.charset import accent_map

from readinglist.core.index import analysis
from readinglist.core.index.errors import IndexBusy
from readinglist.core.storage.filter import Filter
from readinglist.core.storage.rows import chunks

__all__ = ["IndexBusy"]  # where callers found it before errors.py

INDEX_VERSION = 5  # 5: the author field


def _cache_missing_length_columns() -> None:
    """Whoosh looks up a field's length column once per posting when it writes a
    segment, and for fields without one (ID, KEYWORD, NUMERIC) it asks the file
    system every time: most of an import's indexing time. Remember the answer.
    """
    from whoosh.codec import whoosh3

    reader_class = whoosh3.W3PerDocReader
    if getattr(reader_class, "_readinglist_patched", False):
        return
    original = reader_class._cached_reader

    def cached_reader(self, fieldname, column):
        if fieldname in self._readers:
            return self._readers[fieldname]
        reader = original(self, fieldname, column)
        if reader is None:
            self._readers[fieldname] = None
        return reader

    reader_class._cached_reader = cached_reader
    reader_class._readinglist_patched = True


_cache_missing_length_columns()
analysis.install()
META_ID = "__meta__"
# Whoosh sorts postings in memory up to this size before spilling runs to disk;
# merging segments goes through the same pool, so it bounds the writer's memory.
# 64 rather than 32: importing 20,000 papers went from 799 to 1,032 entries/s
# (fewer runs written to disk and read back) for 27 MB more at the peak.
WRITER_MB = 64
# Segments are written as separate files, not one compound file: a reader of a
# compound segment copies its whole postings into memory (BytesIO), which made
# memory grow with the size of the index.
SEARCH_FIELDS = ("title", "abstract", "note", "tag", "author")


def _tag_field() -> KEYWORD:
    field = KEYWORD(commas=True, lowercase=True, scorable=True)
    # A query word that is a stop word ("of") is dropped from the text fields;
    # drop it from the tag field too, or an AND query could never match.
    field.analyzer = CommaSeparatedTokenizer() | LowercaseFilter() | StopFilter(minsize=1)
    return field


def _author_analyzer():
    """Names as written, lower case, accents folded ("Müller" finds "muller"), no
    stems; stop words dropped as from every field ("The" of a group's name), so
    that a query of common words means the same in all of them."""
    return (RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
            | StopFilter(minsize=1))


def make_schema() -> Schema:
    stem = StemmingAnalyzer()
    return Schema(
        pid=ID(stored=True, unique=True),
        title=TEXT(analyzer=stem, field_boost=2.5, phrase=True),
        abstract=TEXT(analyzer=stem, phrase=True),
        note=TEXT(analyzer=stem, phrase=True),
        author=TEXT(analyzer=_author_analyzer(), field_boost=1.5, phrase=True),
        tag=_tag_field(),
        status=ID(),
        seen=KEYWORD(),  # ISO dates of the digests the paper was in
        digest=KEYWORD(),  # ids of those digests
        times_seen=NUMERIC(int, bits=16, shift_step=8),
        batch=ID(),  # the import batch that brought the paper in
        pidnum=COLUMN(NumericColumn("q")),  # the id again, as a column only (not searched)
        generation=STORED(),
        version=STORED(),
    )


@dataclass(frozen=True)
class IndexFilter:
    """A view of the library (`sql.Filter`) as index terms."""

    status: str | None = None
    tag: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None
    digest: int | None = None
    min_seen: int | None = None
    batch: int | None = None

    @classmethod
    def of(cls, view: Filter | None) -> IndexFilter:
        f = (view or Filter()).normalised()
        return cls(f.status, f.tag, f.since, f.until, f.digest, f.min_seen, f.batch)

    def query(self) -> Query | None:
        parts: list[Query] = []
        if self.status:
            parts.append(Term("status", self.status))
        if self.tag:
            parts.append(Term("tag", self.tag.lower()))
        if self.since or self.until:
            parts.append(TermRange("seen", self.since, self.until))
        if self.digest is not None:
            parts.append(Term("digest", str(self.digest)))
        if self.min_seen is not None:
            parts.append(NumericRange("times_seen", self.min_seen, None))
        if self.batch is not None:
            parts.append(Term("batch", str(self.batch)))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(parts)


def author_text(authors_json: str | None) -> str:
    """The authors as one text to search: "Oriol Vinyals; Samy Bengio"."""
    names = json.loads(authors_json or "[]")
    return "; ".join(" ".join(p for p in (n.get("given", ""), n.get("family", "")) if p)
                     for n in names)


def paper_document(row: Mapping) -> dict:
    """The index document of one paper, from a row of the library's doc query."""
    return {
        "pid": str(row["id"]),
        "title": row["title"] or "",
        "abstract": row["abstract"] or "",
        "note": row["note"] or "",
        "author": author_text(row["authors"]),
        "tag": row["tags"] or "",
        "status": row["status"],
        "seen": row["seen"] or "",
        "digest": row["digests"] or "",
        "times_seen": int(row["times_seen"] or 0),
        "batch": str(row["import_batch"] or ""),
        "pidnum": int(row["id"]),
    }


# What the index needs of a paper.
DOC_COLUMNS = """
    p.id, p.title, p.abstract, p.note, p.status, p.times_seen, p.import_batch, p.authors,
    (SELECT group_concat(t.name, ',') FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id
        WHERE pt.paper_id = p.id) AS tags,
    (SELECT group_concat(d.digest_date, ' ') FROM appearance a JOIN digest d
        ON d.id = a.digest_id WHERE a.paper_id = p.id) AS seen,
    (SELECT group_concat(a.digest_id, ' ') FROM appearance a
        WHERE a.paper_id = p.id) AS digests
"""


def read_documents(conn: Connection, ids: Sequence[int] | None = None) -> Iterator[dict]:
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
