"""BibTeX export: the papers chosen by ids, a view or a search, in key order,
streamed a few thousand at a time so that a whole library never sits in memory."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from sqlalchemy import bindparam, func, select, text, update

from readinglist.core.bibtex import entries
from readinglist.core.errors import InvalidInput
from readinglist.core.reading.papers import Papers
from readinglist.core.reading.search import Search
from readinglist.core.storage import citekeys, db
from readinglist.core.storage.atomic import write_atomic
from readinglist.core.storage.sql import Filter, chunks, get_papers, papers_t, require_papers
from readinglist.core.store import Store

EXPORT_CHUNK = 2000  # papers read at a time while exporting


class Export:
    def __init__(self, store: Store, papers: Papers, search: Search):
        self._store = store
        self._papers = papers
        self._search = search

    def bibtex(self, ids: Sequence[int] | None = None, *, view: Filter | None = None,
               query: str | None = None, flavour: str = "bibtex") -> str:
        """BibTeX of the given papers, or of a view (optionally searched)."""
        return "".join(self.pieces(ids, view=view, query=query, flavour=flavour))

    def pieces(self, ids: Sequence[int] | None = None, *, view: Filter | None = None,
               query: str | None = None, flavour: str = "bibtex") -> Iterator[str]:
        """The export in pieces, for writing as it is made; arguments are checked at once."""
        return self._parts(self._chosen(ids, view, query, flavour), flavour)

    def write(self, path: str | Path, ids: Sequence[int] | None = None, *,
              view: Filter | None = None, query: str | None = None,
              flavour: str = "bibtex", force: bool = False,
              progress: Callable[[int], None] | None = None) -> int:
        """Write the export to ``path`` in one step; returns how many entries it holds.

        An export that selects nothing does not replace a file that has
        something in it (a typo in a tag must not empty a bibliography),
        unless ``force``.
        """
        ordered = self._chosen(ids, view, query, flavour)
        if not force and self._count(ordered) == 0 and _has_content(path):
            raise InvalidInput(f"nothing to export: {Path(path).name} is left as it is "
                               "(--force writes an empty file over it)")
        written = [0]
        write_atomic(path, self._parts(ordered, flavour, written, progress))
        return written[0]

    def _count(self, ids: list[int] | None) -> int:
        if ids is not None:
            return len(ids)
        return self._papers.stats().papers

    def _chosen(self, ids, view, query, flavour) -> list[int] | None:
        """The papers to export (None: the whole library), checked up front; their
        keys are pinned, as they leave the library now."""
        if flavour not in entries.FLAVOURS:
            raise InvalidInput(f"unknown flavour {flavour!r} (use {' or '.join(entries.FLAVOURS)})")
        if ids is not None:
            with self._store.read() as conn:
                chosen = require_papers(conn, ids)
        elif query and query.strip():
            chosen = self._search.ids(query, view)
        elif view is not None and view != Filter():
            chosen = self._papers.ids(view, sort="id")
        else:
            chosen = None
        self.pin(chosen)
        return chosen

    def pin(self, ids: Sequence[int] | None) -> None:
        """These papers' keys (None: every key) have left the library: an export,
        a copy. They never change again."""
        with self._store.write() as conn:
            if ids is None:
                conn.execute(update(papers_t).where(papers_t.c.citekey_pinned == 0)
                             .values(citekey_pinned=1))
            else:
                citekeys.pin(conn, list(ids))

    def _parts(self, ids: list[int] | None, flavour: str,
               written: list[int] | None = None,
               progress: Callable[[int], None] | None = None) -> Iterator[str]:
        """The export's text in pieces, entries sorted by key, from one snapshot."""
        order = select(papers_t.c.id).order_by(text("citekey COLLATE NOCASE"))
        params = {}
        if ids is not None:
            order = order.where(papers_t.c.id.in_(
                select(text("value")).select_from(func.json_each(bindparam("ids")))))
            params = {"ids": json.dumps([int(i) for i in ids])}
        yield entries.HEADER
        with self._store.read() as conn:
            for chunk in chunks(db.fetch_ids(conn, order, params), EXPORT_CHUNK):
                papers = get_papers(conn, chunk)
                if written is not None:
                    written[0] += len(papers)
                    if progress is not None:
                        progress(written[0])
                yield "".join("\n" + entries.entry(p, p.citekey, flavour) for p in papers)


def _has_content(path: str | Path) -> bool:
    try:
        return Path(path).stat().st_size > 0
    except OSError:
        return False
