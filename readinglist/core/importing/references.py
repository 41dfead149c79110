"""A bibliography's entries into the library, in one transaction per file.

Each entry is matched to a paper by its arXiv id, then its DOI, then its
title (`match_key`: case, punctuation, LaTeX, accents, a trailing period). A
match fills the paper's missing fields (`storage.metadata.fill`: values typed
by hand are never touched); an entry that matches no paper becomes one, with
its abstract. Every entry is counted: matched, added, or left alone (it
taught the library nothing new), and each value it held that was not applied
is a conflict, said with the paper it concerns.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, func, insert, select, text, update

from readinglist.core.bibtex.keys import valid_key
from readinglist.core.sources.digest import title_key
from readinglist.core.sources.links import extract_links, has_code
from readinglist.core.sources.references import Reference, match_key
from readinglist.core.storage import citekeys, metadata
from readinglist.core.storage.metadata_columns import file_source, to_columns
from readinglist.core.storage.sql import chunks, now_iso, papers_t
from readinglist.core.views import IMPORTED, FileResult

MAX_CONFLICTS_SHOWN = 50


class _Index:
    """The library's papers by arXiv id, DOI and title, for the file's entries
    only (three set-based queries), kept up to date as entries add papers."""

    def __init__(self, conn: Connection, references: Sequence[Reference]):
        self.by_arxiv = _lookup(conn, papers_t.c.arxiv_id,
                                {r.metadata.arxiv_id for r in references if r.metadata.arxiv_id})
        self.by_doi = _lookup(conn, papers_t.c.doi,
                              {r.metadata.doi.lower() for r in references if r.metadata.doi},
                              lower=True)
        self.by_title = _lookup(conn, papers_t.c.title_match,
                                {match_key(r.title) for r in references if r.title})

    def find(self, reference: Reference) -> int | None:
        meta = reference.metadata
        return ((meta.arxiv_id and self.by_arxiv.get(meta.arxiv_id))
                or (meta.doi and self.by_doi.get(meta.doi.lower()))
                or (reference.title and self.by_title.get(match_key(reference.title)))
                or None)

    def add(self, paper_id: int, reference: Reference) -> None:
        meta = reference.metadata
        if meta.arxiv_id:
            self.by_arxiv.setdefault(meta.arxiv_id, paper_id)
        if meta.doi:
            self.by_doi.setdefault(meta.doi.lower(), paper_id)
        self.by_title.setdefault(match_key(reference.title), paper_id)


def _lookup(conn: Connection, column, values: set[str], lower: bool = False) -> dict[str, int]:
    """{value: the oldest paper with it} for these values of one column."""
    key = func.lower(column) if lower else column
    found: dict[str, int] = {}
    for chunk in chunks(sorted(values)):
        rows = conn.execute(select(key, papers_t.c.id).where(key.in_(chunk))
                            .order_by(papers_t.c.id))
        for value, paper_id in rows:
            found.setdefault(value, paper_id)
    return found


def store_references(conn: Connection, path: Path, kind: str, references: Sequence[Reference],
                     batch: int, today: date, refresh: bool = False
                     ) -> tuple[FileResult, list[int]]:
    """Match, fill and add the file's entries (``refresh``: replacing what
    other sources said, never a hand value); returns the result and the ids of
    the papers the search index must see again."""
    source = file_source(path.name)
    index = _Index(conn, references)
    result = FileResult(path, IMPORTED, kind=kind, digest_date=None)
    touched: list[int] = []
    added: list[int] = []
    file_keys: list[tuple[int, str | None, str]] = []  # a new paper's key in the file
    follow: list[int] = []  # papers whose authors or year arrived: their keys follow
    for reference in references:
        if not reference.title and index.find(reference) is None:
            result.warnings.append(f"{reference.where}: no title and no identifier "
                                   "the library knows; left out")
            continue
        paper_id = index.find(reference)
        if paper_id is None:
            paper_id = _add_paper(conn, reference, source, batch, today)
            index.add(paper_id, reference)
            added.append(paper_id)
            touched.append(paper_id)
            file_keys.append((paper_id, reference.key, title_key(reference.title)))
            continue
        filled = metadata.fill(conn, paper_id, reference.metadata, source, refresh=refresh)
        grew = _complete_abstract(conn, paper_id, reference.abstract)
        adopted = adopt_key(conn, paper_id, reference.key)
        if filled.fields or grew or adopted:
            result.matched += 1
            touched.append(paper_id)
        else:
            result.unchanged += 1
        if {"authors", "year"} & set(filled.fields):
            follow.append(paper_id)
        result.conflicts += [f"#{paper_id} {reference.where}: {c}" for c in filled.conflicts]
    # A paper that comes back gets the key it had when it left the library
    # (a document cites it so); a new one the file's key, if free.
    came_back = citekeys.former_keys(conn, [title for _id, _key, title in file_keys])
    for paper_id, key, title in file_keys:
        if title not in came_back:
            adopt_key(conn, paper_id, key)
    citekeys.assign_keys(conn, added)
    citekeys.follow_metadata(conn, follow)
    result.new = len(added)
    result.seen = result.matched + result.unchanged
    if len(result.conflicts) > MAX_CONFLICTS_SHOWN:
        more = len(result.conflicts) - MAX_CONFLICTS_SHOWN
        result.conflicts = [*result.conflicts[:MAX_CONFLICTS_SHOWN], f"… {more} more"]
    return result, list(dict.fromkeys(touched))


def adopt_key(conn: Connection, paper_id: int, key: str | None) -> bool:
    """A file's own key for a paper whose key has not left the library, when no
    other paper holds it or gave it up: the key the person already cites.
    It is pinned from then on."""
    if not key or not valid_key(key):
        return False
    current, pinned = conn.execute(select(papers_t.c.citekey, papers_t.c.citekey_pinned)
                                   .where(papers_t.c.id == paper_id)).one()
    if pinned or (current or "").lower() == key.lower():
        return False
    if citekeys.owner(conn, key) is not None:
        return False
    if citekeys.retired_for_another(conn, key, paper_id):
        return False
    conn.execute(text("DELETE FROM citekey_retired WHERE key = :k COLLATE NOCASE"), {"k": key})
    conn.execute(update(papers_t).where(papers_t.c.id == paper_id)
                 .values(citekey=key, citekey_pinned=1))
    if current:
        citekeys.retire_keys(conn, [current], paper_id)
    return True


def _add_paper(conn: Connection, reference: Reference, source: str, batch: int,
               today: date) -> int:
    """A paper no digest listed: seen on the day it came in, in no digest."""
    now = now_iso()
    links = extract_links(reference.abstract)
    meta = reference.metadata.known()
    row = {
        "title": reference.title, "title_key": title_key(reference.title),
        "title_match": match_key(reference.title), "abstract": reference.abstract,
        "links": json.dumps(list(links)), "has_code": int(has_code(links)),
        "first_seen": today.isoformat(), "last_seen": today.isoformat(), "times_seen": 0,
        "status": "unread", "note": "", "created": now, "updated": now,
        "import_batch": batch,
        **to_columns(meta),
        "meta_sources": json.dumps({name: source for name in meta}, sort_keys=True),
    }
    return conn.execute(insert(papers_t).values(row)).inserted_primary_key[0]


def _complete_abstract(conn: Connection, paper_id: int, abstract: str) -> bool:
    """A paper with no abstract (or one cut short) gets the file's."""
    if not abstract:
        return False
    stored = conn.execute(select(papers_t.c.abstract).where(papers_t.c.id == paper_id)).scalar()
    stored = stored or ""
    if len(abstract) > len(stored) and abstract.startswith(stored.rstrip()):
        links = extract_links(abstract)
        conn.execute(update(papers_t).where(papers_t.c.id == paper_id).values(
            abstract=abstract, links=json.dumps(list(links)), has_code=int(has_code(links)),
            updated=now_iso()))
        return True
    return False
