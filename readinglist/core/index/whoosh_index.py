"""The Whoosh full-text index: a cache of the database, rebuilt at any doubt.

The index holds one document per paper plus one ``__meta__`` document that
records the database generation it reflects. The library bumps the
generation in the same write transaction as every change, and commits the
index before the database, so an index whose generation differs from the
database's is known to be out of step and is rebuilt.
"""

from __future__ import annotations

import heapq
import shutil
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import partial, wraps
from itertools import islice
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.collectors import TopCollector
from whoosh.index import LockError
from whoosh.scoring import BM25F

from readinglist.core.index.documents import (
    INDEX_VERSION,
    META_ID,
    SEARCH_FIELDS,
    WRITER_MB,
    IndexBusy,
    IndexFilter,
    make_schema,
)
from readinglist.core.index.postings import IndexArrays, PostingCache, vectorised
from readinglist.core.index.query import QueryReader, filtered
from readinglist.core.index.ranking import matching, rank
from readinglist.core.index.writing import abandon, begin_update, build_beside

CACHE_ENTRIES = 128  # remembered query results, per index state


def _reading(method):
    """Run under the index's own lock (the searcher may be swapped meanwhile)."""
    @wraps(method)
    def locked(self, *args, **kwargs):
        with self.lock:
            return method(self, *args, **kwargs)

    return locked


@dataclass(frozen=True)
class RawHit:
    id: int
    score: float
    snippet: str


class SearchIndex:
    """One Whoosh index folder.

    Its readers (searches, checks) take the index's own lock, which guards
    the open searcher and what is remembered of it; writing (`apply`,
    building a fresh index) does not touch those, so a search never waits
    for a batch of changes to be indexed. Writers are serialised by the
    library's lock.
    """

    def __init__(self, directory: Path | None):
        self.directory = directory  # None until the library's cache folder is known
        self._ix = None
        self._searcher = None
        self._schema = make_schema()
        self.queries = QueryReader(self._schema, SEARCH_FIELDS)
        self._cache: OrderedDict = OrderedDict()
        self.postings = PostingCache()
        self._arrays: IndexArrays | None = None  # the numpy view of the open searcher
        self.lock = threading.RLock()  # the searcher, its results and arrays

    # -- opening and checking -------------------------------------------------
    @_reading
    def open(self) -> bool:
        """Open the index if it is there and readable; False otherwise."""
        self.close()
        if self.directory is None:
            return False
        try:
            if not whoosh_index.exists_in(str(self.directory)):
                return False
            self._ix = whoosh_index.open_dir(str(self.directory))
            self._searcher = self._ix.searcher(weighting=BM25F())
            return True
        except Exception:  # a damaged index can fail in many ways; it is only a cache
            self.close()
            return False

    @_reading
    def close(self) -> None:
        self._cache.clear()
        self._arrays = None
        for resource in (self._searcher, self._ix):
            if resource is not None:
                with suppress(Exception):
                    resource.close()
        self._searcher = None
        self._ix = None

    @_reading
    def state(self) -> tuple[int, int] | None:
        """(generation, paper count) the index reflects, or None if unusable."""
        if self._searcher is None and not self.open():
            return None
        try:
            self._refresh()
            meta = self._searcher.document(pid=META_ID)
            if not meta or meta.get("version") != INDEX_VERSION:
                return None
            return int(meta.get("generation", -1)), self._searcher.doc_count() - 1
        except Exception:
            return None

    def _refresh(self) -> None:
        # Not Searcher.refresh(): in whoosh 2.7 it re-adds the old reader's
        # segments to the new one, so merged-away segments and deleted
        # documents come back (duplicate hits after an update).
        if not self._searcher.up_to_date():
            with suppress(Exception):
                self._searcher.close()
            self._searcher = self._ix.searcher(weighting=BM25F())
            self._cache.clear()

    # -- writing --------------------------------------------------------------
    def rebuild(self, documents: Iterable[dict], generation: int, expected: int = 0) -> int:
        """Build a fresh index from ``documents`` (about ``expected``) beside the
        old one, then swap. Searches go on in the old one until the swap."""
        fresh, old, count = build_beside(self.directory, self._schema, documents, generation,
                                         expected)
        with self.lock:
            self.close()
            with suppress(FileNotFoundError):  # another process may have moved it
                self.directory.rename(old)
            try:
                fresh.rename(self.directory)
            except OSError:
                # Another process put its own fresh index in place between the two
                # renames: keep that one (the next catch-up brings it up to date).
                shutil.rmtree(fresh, ignore_errors=True)
            shutil.rmtree(old, ignore_errors=True)
            self.open()
        return count

    def writer_busy(self) -> bool:
        """Whether a writer (this process's or another's) holds the index's
        write lock just now."""
        if self._ix is None and not self.open():
            return False
        try:
            lock = self._ix.lock("WRITELOCK")
            if not lock.acquire(False):
                return True
            lock.release()
        except Exception:  # a lock that cannot be tried: nobody is known to hold it
            return False
        return False

    def apply(
        self, documents: Sequence[dict], remove_ids: Sequence[int], generation: int,
        wait: float = 30.0, merge: bool = True,
    ) -> None:
        """Replace the papers ``remove_ids`` by ``documents`` (those that still
        exist), and record ``generation``, in one commit."""
        self.begin_apply(documents, remove_ids, generation, wait, merge, deferred=False)

    def begin_apply(
        self, documents: Sequence[dict], remove_ids: Sequence[int], generation: int,
        wait: float = 30.0, merge: bool = True, deferred: bool = False,
    ) -> Callable[[], None] | None:
        """`apply`, whose commit is returned instead of made when ``deferred``
        and the documents go to a writer's processes (they analyse and write
        meanwhile); None when it is committed."""
        if self._ix is None and not self.open():
            raise OSError("the search index is not open")
        return begin_update(self._ix, documents, remove_ids, generation, wait, merge, deferred)

    @_reading
    def deleted_share(self) -> float:
        """The share of index documents that are deleted copies (left by edits
        until their segment is merged)."""
        if self._searcher is None and not self.open():
            return 0.0
        self._refresh()
        total = self._searcher.doc_count_all()
        return (total - self._searcher.doc_count()) / total if total else 0.0

    def compact(self) -> None:
        """Merge every segment into one, dropping deleted copies. Takes the index's
        write lock without waiting (IndexBusy); searches go on meanwhile on the
        segments they have open."""
        if self._ix is None and not self.open():
            raise OSError("the search index is not open")
        try:
            writer = self._ix.writer(timeout=0, limitmb=WRITER_MB, compound=False)
        except LockError as exc:
            raise IndexBusy("another process is writing the search index") from exc
        try:
            writer.commit(optimize=True)
        except BaseException:
            abandon(writer)
            raise

    # -- searching ------------------------------------------------------------
    @_reading
    def search(
        self,
        text: str,
        limit: int | None,
        index_filter: IndexFilter,
        texts: Callable[[list[int]], dict[int, dict[str, str]]] | None = None,
        plain: bool = False,
    ) -> list[RawHit]:
        """The ``limit`` best hits with snippets; ``texts`` maps ids to field texts.

        ``plain`` searches the query's words only, ignoring its syntax.
        """
        ranked = self.ranked(text, limit, index_filter, plain)
        field_texts = texts([paper_id for paper_id, _ in ranked]) if texts else {}
        query = self.queries.parse(text, plain)
        hits = []
        for paper_id, score in ranked:
            snippet = ""
            for field in ("abstract", "title", "note"):
                value = field_texts.get(paper_id, {}).get(field, "")
                if value:
                    snippet = self.queries.snippet(query, value)
                    if snippet:
                        break
            hits.append(RawHit(paper_id, score, snippet))
        return hits

    @_reading
    def ranked(self, text: str, limit: int | None, index_filter: IndexFilter,
               plain: bool = False) -> list[tuple[int, float]]:
        """(paper id, score), best first; remembered until the index changes."""
        if self._searcher is None and not self.open():
            raise OSError("the search index is not open")
        self._refresh()
        key = (text, plain, index_filter, limit)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        query = filtered(self.queries.parse(text, plain), index_filter)
        if vectorised():
            arrays = self._numpy_view()
            pids = arrays.pids()
            ranked = [(int(pids[doc]), score) for doc, score in rank(arrays, query, limit)
                      if pids[doc]]
        else:  # Whoosh's own evaluation, exact with its matcher replacement off
            if limit is None:
                results = self._searcher.search(query, limit=None)
            else:
                collector = TopCollector(limit=limit, usequality=False)
                collector.replace = 0  # replace() drops hits that belong in the top k
                self._searcher.search_with_collector(query, collector)
                results = collector.results()
            ranked = [(int(hit["pid"]), float(hit.score)) for hit in results
                      if hit["pid"] != META_ID]
        self._cache[key] = ranked
        while len(self._cache) > CACHE_ENTRIES:
            self._cache.popitem(last=False)
        return ranked

    @_reading
    def matching_ids(self, text: str, index_filter: IndexFilter,
                     plain: bool = False) -> list[int]:
        """Every matching paper id, unscored and in no particular order.

        Reads ids from a column instead of stored documents: all hits of a
        broad query in a fraction of the time scoring them would take.
        """
        if self._searcher is None and not self.open():
            raise OSError("the search index is not open")
        self._refresh()
        key = ("all", text, plain, index_filter)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        query = filtered(self.queries.parse(text, plain), index_filter)
        if vectorised():
            pids = self._numpy_view().pids()[matching(self._numpy_view(), query)]
            ids = pids[pids != 0].tolist()
        else:
            results = self._searcher.search(query, limit=None, scored=False)
            column = self._searcher.reader().column_reader("pidnum")
            ids = [pid for pid in (column[docnum] for docnum in results.docs()) if pid]
        self._cache[key] = ids
        while len(self._cache) > CACHE_ENTRIES:
            self._cache.popitem(last=False)
        return ids

    @_reading
    def whoosh_ranking(self, text: str, index_filter: IndexFilter | None = None,
                       scored: bool = True) -> list[tuple[int, float]]:
        """Every hit as Whoosh's own query objects and matchers rank it, exhaustively.

        Slow on a large index; for checks and tests, which compare the faster
        evaluation (`ranked`, `matching_ids`) with it.
        """
        if self._searcher is None and not self.open():
            raise OSError("the search index is not open")
        self._refresh()
        query = self.queries.whoosh_query(text)
        restriction = (index_filter or IndexFilter()).query()
        results = self._searcher.search(query, limit=None, scored=scored, filter=restriction)
        if not scored:
            pids = (self._searcher.stored_fields(d)["pid"] for d in results.docs())
            return [(int(pid), 0.0) for pid in pids if pid != META_ID]
        return [(int(hit["pid"]), float(hit.score)) for hit in results if hit["pid"] != META_ID]

    def warm_steps(self, fields=("title", "abstract"), per_field: int = 200) -> Iterator:
        """Small steps that decode what searches need most (ids, field lengths,
        each field's sorted words, the postings of the most frequent terms),
        for a background thread that takes the library's lock for one step at
        a time."""
        yield vectorised  # the check of Whoosh's internals, off the first search's path
        if self._searcher is None and not self.open():
            return
        self._refresh()
        arrays = self._numpy_view()
        yield arrays.pids
        for segment in arrays.segments:
            for fieldname in (*fields, "note"):
                yield partial(segment.lengths, fieldname)
        for segment in arrays.segments:  # the words a typed prefix expands to
            for fieldname in SEARCH_FIELDS:
                yield partial(segment.lexicon, fieldname)
        reader = self._searcher.reader()
        for fieldname in fields:
            terms = reader.iter_prefix(fieldname, "")
            best: list[tuple[float, bytes]] = []
            while True:  # a few hundred terms per step: a search waits for one at most
                chunk = list(islice(terms, 500))
                if not chunk:
                    break
                best = heapq.nlargest(per_field, best + [(info.weight(), text)
                                                          for text, info in chunk])
                yield lambda: None
            for _weight, text in best:
                tbytes = text if isinstance(text, bytes) else text.encode("utf-8")
                for segment in arrays.segments:
                    yield partial(segment.postings, fieldname, tbytes)

    @_reading
    def _numpy_view(self) -> IndexArrays:
        if self._arrays is None or self._arrays.searcher is not self._searcher:
            self._arrays = IndexArrays(self._searcher, self.postings)
        return self._arrays

    @_reading
    def forget_results(self) -> None:
        """Drop the remembered results (a benchmark measuring cold searches);
        ``postings`` too drops the decoded posting lists."""
        self._cache.clear()

    @_reading
    def remembered(self) -> int:
        """How many query results are remembered for the index's current state."""
        return len(self._cache)

    @_reading
    def ids(self) -> list[int]:
        """Every paper id in the index (for checks and tests)."""
        if self._searcher is None and not self.open():
            return []
        self._refresh()
        return [int(fields["pid"]) for fields in self._searcher.all_stored_fields()
                if fields.get("pid") != META_ID]
