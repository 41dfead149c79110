"""Full-text search over the Whoosh index, with the database for the texts.

The index is a cache: a search that fails is retried after the index caught
up, then after a rebuild, before it gives up.
"""

from __future__ import annotations

from datetime import date

from readinglist.core.errors import LibraryError
from readinglist.core.index.documents import IndexFilter
from readinglist.core.index.query import as_typed
from readinglist.core.index.whoosh_index import RawHit, SearchIndex
from readinglist.core.reading.papers import Papers
from readinglist.core.reading.search_syntax import SEARCH_SYNTAX
from readinglist.core.storage.filter import Filter
from readinglist.core.store import Store
from readinglist.core.views import Hit, PaperView

RANKED_HITS = 200  # hits of a full search list ordered by relevance; the rest by date


def lead(abstract: str, width: int = 200) -> str:
    """The start of an abstract, cut at a word."""
    if len(abstract) <= width:
        return abstract
    return abstract[:width].rsplit(" ", 1)[0] + " …"



class Search:
    def __init__(self, store: Store, papers: Papers):
        self._store = store
        self._papers = papers
        self.ranked_hits = RANKED_HITS

    @property
    def index(self) -> SearchIndex:
        """The Whoosh index itself, for checks and tests (`SearchIndex.whoosh_ranking`)."""
        return self._store.index

    def hits(
        self,
        query: str,
        limit: int | None = 50,
        *,
        status: str | None = None,
        tag: str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        view: Filter | None = None,
        sort: str = "date",
    ) -> list[Hit]:
        """Full-text search, ranked by BM25F, with snippets; filters narrow it.

        With an empty query the filtered papers are listed, sorted by ``sort``.
        """
        view = view or Filter(status=status, tag=tag, since=since, until=until)
        if not query or not query.strip():
            papers = self._papers.list(view, sort=sort, limit=limit)
            return [Hit(p.id, p.title, 0.0, lead(p.abstract), p) for p in papers]
        index_filter = IndexFilter.of(view)
        cache: dict[int, PaperView] = {}

        def texts(ids: list[int]) -> dict[int, dict[str, str]]:
            for paper in self._papers.get_many(ids):
                cache[paper.id] = paper
            return {p.id: {"abstract": p.abstract, "title": p.title, "note": p.note}
                    for p in cache.values()}

        self._catch_up_if_free()
        raw = self._search_index(query, limit, index_filter, texts)
        kept = set(self._in_view([h.id for h in raw], view))
        return [Hit(h.id, cache[h.id].title, h.score, h.snippet or lead(cache[h.id].abstract),
                    cache[h.id])
                for h in raw if h.id in cache and h.id in kept]

    def ids(self, query: str, view: Filter | None = None,
            limit: int | None = None) -> list[int]:
        """Matching ids for the window's table.

        With a ``limit``: the best ``limit`` hits by relevance. Without: every
        hit — the best `ranked_hits` by relevance, then the rest newest
        first (scoring every hit of a broad query would cost seconds at 100k
        papers, and nobody reads hit 5,000 for its score).
        """
        index_filter = IndexFilter.of(view)
        self._catch_up_if_free()
        if limit is not None:
            return self._in_view([h.id for h in self._search_index(query, limit, index_filter)],
                                 view)
        best = [h.id for h in self._search_index(query, self.ranked_hits, index_filter)]
        if len(best) < self.ranked_hits:
            return self._in_view(best, view)
        everything = self._store.index.matching_ids(query, index_filter)
        chosen = set(best)
        rest = [i for i in everything if i not in chosen]
        return self._in_view(best + self._papers.ids(sort="first_seen", within=rest), view)

    def _in_view(self, ids: list[int], view: Filter | None) -> list[int]:
        """``ids`` without the papers the index has not seen since they changed
        and that the database says are no longer in the view (a status, a tag
        changed by a writer that was killed before the index followed): a
        search never contradicts the list."""
        if view is None or view == Filter() or not self._store.keeper.behind():
            return ids
        unseen = set(self._store.keeper.unseen())
        stale = [i for i in ids if i in unseen]
        if not stale:
            return ids
        still = set(self._papers.ids(view, within=stale))
        return [i for i in ids if i not in unseen or i in still]

    def count(self, query: str, view: Filter | None = None) -> int:
        """How many papers match: the ids only, neither scored nor sorted (for
        "… N more" after a cut list)."""
        try:
            return len(self._store.index.matching_ids(query, IndexFilter.of(view)))
        except Exception:  # a query the parser trips on: its plain words, as a search does
            return len(self._store.index.matching_ids(query, IndexFilter.of(view), plain=True))

    def _catch_up_if_free(self) -> None:
        """Apply a few queued changes first, unless this process is writing (an
        import, an edit batch, a rebuild): then search the index as it is."""
        if self._store.lock.acquire(blocking=False):
            try:
                self._store.catch_up_if_behind()
            finally:
                self._store.lock.release()

    def behind(self) -> str | None:
        """Why searches may miss the newest changes just now, or None: the
        index is a cache that follows the database, and says when it lags."""
        try:
            lagging = self._store.keeper.behind()
        except Exception:  # a database that cannot be read says so elsewhere
            return None
        if not lagging:
            return None
        unseen = len(self._store.keeper.unseen())
        reason = self._store.index_error or (
            "another process is writing it" if self._store.index.writer_busy()
            else "it catches up a step at each search")
        reason = reason.removeprefix("the search index is behind: ")
        what = f"{unseen} changed paper{'s' if unseen != 1 else ''}" if unseen else \
            "the newest changes"
        return f"the search index is behind the database ({reason}); results may miss {what}"

    def spans(self, query: str, text: str) -> list[tuple[int, int]]:
        """Where ``query`` matches ``text`` (character spans), for highlighting."""
        if not query or not query.strip():
            return []
        # Only the query parser and the analyzer are needed, not the index
        # files: the window calls this on its own thread, and must not wait
        # while an import commits to the index under the library's lock.
        return self._store.index.queries.match_spans(query, text)

    def notice(self, query: str) -> str | None:
        """Why ``query`` is not searched exactly as typed (an unclosed quote,
        unpaired brackets, syntax the parser could not read), or None."""
        return self._store.index.queries.notice(query)

    def warm(self) -> None:
        """Decode what searches need most, ahead of the first search (call it on
        a background thread: it takes the index's lock one short step at a time)."""
        steps = self._store.index.warm_steps()
        while True:
            with self._store.index.lock:
                step = next(steps, None)
                if step is None:
                    return
                step()

    def index_ids(self) -> set[int]:
        """The paper ids the search index holds, once it caught up with what it
        can (for checks and tests)."""
        self._catch_up_if_free()
        return set(self._store.index.ids())

    def _search_index(self, query: str, limit: int | None, index_filter: IndexFilter,
                      texts=None) -> list[RawHit]:
        index, keeper = self._store.index, self._store.keeper
        try:
            return index.search(query, limit, index_filter, texts)
        except Exception:
            pass
        try:  # a query the parser trips on is no sign of a damaged index
            return index.search(query, limit, index_filter, texts, plain=True)
        except Exception:
            pass
        # The index is a cache. First bring it up to date and search the
        # query's plain words again; if that fails too, the index is damaged
        # in a way its state did not show: rebuild.
        failure: Exception | None = None
        for repair in (keeper.catch_up, keeper.rebuild):
            try:
                repair()
                return index.search(query, limit, index_filter, texts, plain=True)
            except LibraryError:
                raise
            except Exception as exc:
                failure = exc
        raise LibraryError(f"search failed: {failure}") from failure


__all__ = ["RANKED_HITS", "SEARCH_SYNTAX", "Search", "as_typed", "lead"]
