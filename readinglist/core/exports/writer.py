"""BibTeX export: the papers of a scope (ids, a view, a search, every paper) in
key order, or the papers a document cites in its order, streamed a few
thousand at a time so that a whole library never sits in memory.

Every export pins the keys it writes: they have left the library, and never
change again (`storage.citekeys`).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import bindparam, func, select, text, update

from readinglist.core.bibtex import entries
from readinglist.core.bibtex.cited import ALL, CitedError, cited_keys
from readinglist.core.errors import InvalidInput
from readinglist.core.exports.scope import Format, Scope
from readinglist.core.reading.papers import Papers
from readinglist.core.reading.search import Search
from readinglist.core.storage import citekeys, db
from readinglist.core.storage.atomic import write_atomic
from readinglist.core.storage.filter import Filter
from readinglist.core.storage.sql import chunks, get_papers, papers_t, require_papers
from readinglist.core.store import Store

EXPORT_CHUNK = 2000  # papers read at a time while exporting
BIBTEX = Format()


@dataclass
class Cited:
    """The papers a document cites: (the key it cites, the paper's id) in its
    order, the keys that name a paper by a key it gave up, and those no paper has."""

    entries: list[tuple[str, int]] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (cited, the key now)
    unknown: list[tuple[str, list[str]]] = field(default_factory=list)  # (key, close keys)
    everything: bool = False  # \nocite{*}


class Export:
    def __init__(self, store: Store, papers: Papers, search: Search):
        self._store = store
        self._papers = papers
        self._search = search

    # -- the old entry points, kept for callers that name ids, a view, a search --------------
    def bibtex(self, ids: Sequence[int] | None = None, *, view: Filter | None = None,
               query: str | None = None, flavour: str = "bibtex") -> str:
        """BibTeX of the given papers, or of a view (optionally searched)."""
        return "".join(self.pieces(ids, view=view, query=query, flavour=flavour))

    def pieces(self, ids: Sequence[int] | None = None, *, view: Filter | None = None,
               query: str | None = None, flavour: str = "bibtex") -> Iterator[str]:
        """The export in pieces, for writing as it is made; arguments are checked at once."""
        return self.scope_pieces(Scope.of(view, query, ids), Format(flavour))

    def write(self, path: str | Path, ids: Sequence[int] | None = None, *,
              view: Filter | None = None, query: str | None = None,
              flavour: str = "bibtex", force: bool = False,
              progress: Callable[[int], None] | None = None) -> int:
        return self.write_scope(path, Scope.of(view, query, ids), Format(flavour), force=force,
                                progress=progress)

    # -- scopes -----------------------------------------------------------------------------------
    def scope_pieces(self, scope: Scope, fmt: Format = BIBTEX,
                     written: list[int] | None = None,
                     progress: Callable[[int], None] | None = None) -> Iterator[str]:
        """The text of a scope's export in pieces; the scope is checked at once."""
        if scope.aux:
            cited = self.cited(Path(scope.aux))
            return self._cited_parts(cited, fmt, written, progress)
        return self._parts(self._chosen(scope), fmt, written, progress)

    def write_scope(self, path: str | Path, scope: Scope, fmt: Format = BIBTEX, *,
                    force: bool = False, progress: Callable[[int], None] | None = None) -> int:
        """Write the export to ``path`` in one step; returns how many entries it holds.

        An export that selects nothing does not replace a file that has
        something in it (a typo in a tag must not empty a bibliography),
        unless ``force``.
        """
        if not force and not scope.aux and self.count(scope) == 0 and _has_content(path):
            raise InvalidInput(f"nothing to export: {Path(path).name} is left as it is "
                               "(--force writes an empty file over it)")
        written = [0]
        write_atomic(path, self.scope_pieces(scope, fmt, written, progress))
        return written[0]

    def count(self, scope: Scope) -> int:
        chosen = self._chosen(scope, pin=False)
        return self._papers.stats().papers if chosen is None else len(chosen)

    def _chosen(self, scope: Scope, pin: bool = True) -> list[int] | None:
        """The papers of a scope (None: every paper), checked up front; their keys
        are pinned, as they leave the library now."""
        view = scope.view()
        if scope.ids is not None:
            with self._store.read() as conn:
                chosen = require_papers(conn, scope.ids)
        elif scope.query and scope.query.strip():
            chosen = self._search.ids(scope.query, view)
        elif view != Filter():
            chosen = self._papers.ids(view, sort="id")
        else:
            chosen = None
        if pin:
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

    # -- what a document cites -----------------------------------------------------------------
    def cited(self, source: Path) -> Cited:
        """The papers a document's .aux (or .bcf) cites, resolved to this library."""
        try:
            keys = cited_keys(source)
        except CitedError as exc:
            raise InvalidInput(str(exc)) from None
        found = Cited(everything=ALL in keys)
        with self._store.read() as conn:
            every_key = None
            for key in keys:
                if key == ALL:
                    continue
                holder = citekeys.owner(conn, key)
                if holder is None:
                    holder = citekeys.former_owner(conn, key)
                    if holder is not None:
                        now = conn.execute(select(papers_t.c.citekey)
                                           .where(papers_t.c.id == holder)).scalar()
                        found.renamed.append((key, now))
                if holder is None:
                    if every_key is None:
                        every_key = list(conn.execute(select(papers_t.c.citekey)).scalars())
                    close = difflib.get_close_matches(key, every_key, n=3, cutoff=0.6)
                    found.unknown.append((key, close))
                else:
                    found.entries.append((key, holder))
        self.pin(None if found.everything else [i for _k, i in found.entries])
        return found

    def _cited_parts(self, cited: Cited, fmt: Format, written: list[int] | None,
                     progress: Callable[[int], None] | None) -> Iterator[str]:
        if cited.everything:  # \nocite{*}: the whole library, as an export of it
            yield from self._parts(None, fmt, written, progress)
            return
        yield entries.HEADER
        options = fmt.entry_options()
        with self._store.read() as conn:
            for start in range(0, len(cited.entries), EXPORT_CHUNK):
                part = cited.entries[start:start + EXPORT_CHUNK]
                papers = {p.id: p for p in get_papers(conn, [i for _k, i in part])}
                if written is not None:
                    written[0] += len(part)
                    if progress is not None:
                        progress(written[0])
                # each entry under the key the document cites (an old one included)
                yield "".join("\n" + entries.entry(papers[i], key, fmt.flavour, options)
                              for key, i in part if i in papers)

    def _parts(self, ids: list[int] | None, fmt: Format, written: list[int] | None = None,
               progress: Callable[[int], None] | None = None) -> Iterator[str]:
        """The export's text in pieces, entries sorted by key, from one snapshot."""
        order = select(papers_t.c.id).order_by(text("citekey COLLATE NOCASE"))
        params = {}
        if ids is not None:
            order = order.where(papers_t.c.id.in_(
                select(text("value")).select_from(func.json_each(bindparam("ids")))))
            params = {"ids": json.dumps([int(i) for i in ids])}
        yield entries.HEADER
        options = fmt.entry_options()
        with self._store.read() as conn:
            for chunk in chunks(db.fetch_ids(conn, order, params), EXPORT_CHUNK):
                papers = get_papers(conn, chunk)
                if written is not None:
                    written[0] += len(papers)
                    if progress is not None:
                        progress(written[0])
                yield "".join("\n" + entries.entry(p, p.citekey, fmt.flavour, options)
                              for p in papers)


def _has_content(path: str | Path) -> bool:
    try:
        return Path(path).stat().st_size > 0
    except OSError:
        return False
