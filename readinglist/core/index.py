"""The Whoosh full-text index: a cache of the database, rebuilt at any doubt.

The index holds one document per paper plus one ``__meta__`` document that
records the database generation it reflects. The library bumps the
generation in the same write transaction as every change, and commits the
index before the database, so an index whose generation differs from the
database's is known to be out of step and is rebuilt.
"""

from __future__ import annotations

import re
import shutil
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import (
    CommaSeparatedTokenizer,
    LowercaseFilter,
    StemmingAnalyzer,
    StopFilter,
)
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError
from whoosh.matching import FilterMatcher, ListMatcher, WrappingMatcher
from whoosh.qparser import AndGroup, MultifieldParser
from whoosh.query import (
    And,
    ConstantScoreQuery,
    Not,
    NumericRange,
    Prefix,
    Query,
    Term,
    TermRange,
    Wildcard,
)
from whoosh.scoring import BM25F

INDEX_VERSION = 4
CACHE_ENTRIES = 128  # remembered query results, per index state


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
META_ID = "__meta__"
# Whoosh sorts postings in memory up to this size before spilling runs to disk;
# merging segments goes through the same pool, so it bounds the writer's memory.
# 64 rather than 32: importing 20,000 papers went from 799 to 1,032 entries/s
# (fewer runs written to disk and read back) for 27 MB more at the peak.
WRITER_MB = 64
# Segments are written as separate files, not one compound file: a reader of a
# compound segment copies its whole postings into memory (BytesIO), which made
# memory grow with the size of the index.
SEARCH_FIELDS = ("title", "abstract", "note", "tag")


def _tag_field() -> KEYWORD:
    field = KEYWORD(commas=True, lowercase=True, scorable=True)
    # A query word that is a stop word ("of") is dropped from the text fields;
    # drop it from the tag field too, or an AND query could never match.
    field.analyzer = CommaSeparatedTokenizer() | LowercaseFilter() | StopFilter(minsize=1)
    return field


def make_schema() -> Schema:
    stem = StemmingAnalyzer()
    return Schema(
        pid=ID(stored=True, unique=True),
        title=TEXT(analyzer=stem, field_boost=2.5, phrase=True),
        abstract=TEXT(analyzer=stem, phrase=True),
        note=TEXT(analyzer=stem, phrase=True),
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


class IndexBusy(Exception):
    """Another process holds the index's write lock."""


@dataclass(frozen=True)
class IndexFilter:
    status: str | None = None
    tag: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None
    digest: int | None = None
    min_seen: int | None = None
    batch: int | None = None

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


@dataclass(frozen=True)
class RawHit:
    id: int
    score: float
    snippet: str


def paper_document(row: Mapping) -> dict:
    """The index document of one paper, from a row of the library's doc query."""
    return {
        "pid": str(row["id"]),
        "title": row["title"] or "",
        "abstract": row["abstract"] or "",
        "note": row["note"] or "",
        "tag": row["tags"] or "",
        "status": row["status"],
        "seen": row["seen"] or "",
        "digest": row["digests"] or "",
        "times_seen": int(row["times_seen"] or 0),
        "batch": str(row["import_batch"] or ""),
        "pidnum": int(row["id"]),
    }


_MINUS = re.compile(r"(?<![\w:])-(?=[\w\"(])")
_QUOTED = re.compile(r'("[^"]*")')
# Half-typed queries ("robot AND", "tag:") are common while typing: an
# operator with nothing to join, or a field with no value, is dropped.
_DANGLING = re.compile(r"^\s*(?:AND|OR)\b|\b(?:AND|OR|NOT)\s*$")
_EMPTY_FIELD = re.compile(r"\b\w+:(?=\s|$)")


def _rewrite(text: str) -> str:
    """Make a typed query parseable the way people mean it.

    ``-word`` means NOT word, as in web search engines; a field prefix with no
    value is dropped (both outside quotes only); so is an operator with
    nothing to join, as in a half-typed "robot AND".
    """
    parts = _QUOTED.split(text)
    text = "".join(
        part if part.startswith('"') else _EMPTY_FIELD.sub(" ", _MINUS.sub("NOT ", part))
        for part in parts
    )
    previous = None
    while previous != text:
        previous, text = text, _DANGLING.sub(" ", text).strip()
    return text


class SearchIndex:
    """One Whoosh index folder. Not thread-safe: the library serialises calls."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._ix = None
        self._searcher = None
        self._schema = make_schema()
        self._parser = MultifieldParser(
            list(SEARCH_FIELDS), self._schema, group=AndGroup
        )
        self._lock = threading.RLock()
        self._cache: OrderedDict = OrderedDict()

    # -- opening and checking -------------------------------------------------
    def open(self) -> bool:
        """Open the index if it is there and readable; False otherwise."""
        self.close()
        try:
            if not whoosh_index.exists_in(str(self.directory)):
                return False
            self._ix = whoosh_index.open_dir(str(self.directory))
            self._searcher = self._ix.searcher(weighting=BM25F())
            return True
        except Exception:  # a damaged index can fail in many ways; it is only a cache
            self.close()
            return False

    def close(self) -> None:
        self._cache.clear()
        for resource in (self._searcher, self._ix):
            if resource is not None:
                with suppress(Exception):
                    resource.close()
        self._searcher = None
        self._ix = None

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
    def rebuild(self, documents: Iterable[dict], generation: int) -> int:
        """Build a fresh index from ``documents`` beside the old one, then swap."""
        self.close()
        parent = self.directory.parent
        fresh = parent / (self.directory.name + ".new")
        old = parent / (self.directory.name + ".old")
        for leftover in (fresh, old):
            shutil.rmtree(leftover, ignore_errors=True)
        fresh.mkdir(parents=True)
        ix = whoosh_index.create_in(str(fresh), self._schema)
        count = 0
        writer = ix.writer(limitmb=WRITER_MB, compound=False)
        try:
            for document in documents:
                writer.add_document(**document)
                count += 1
            writer.add_document(pid=META_ID, generation=generation, version=INDEX_VERSION)
            writer.commit(optimize=True)
        except BaseException:
            _abandon(writer)
            ix.close()
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        ix.close()
        if self.directory.exists():
            self.directory.rename(old)
        fresh.rename(self.directory)
        shutil.rmtree(old, ignore_errors=True)
        self.open()
        return count

    def apply(
        self, documents: Sequence[dict], remove_ids: Sequence[int], generation: int,
        wait: float = 30.0, merge: bool = True,
    ) -> None:
        """Replace the papers ``remove_ids`` by ``documents`` (those that still
        exist), and record ``generation``, in one commit."""
        if self._ix is None and not self.open():
            raise OSError("the search index is not open")
        try:
            writer = self._ix.writer(timeout=wait, limitmb=WRITER_MB, compound=False)
        except LockError as exc:
            raise IndexBusy("another process is writing the search index") from exc
        try:
            # One searcher finds every old version to delete; update_document()
            # would open a new searcher per document.
            with writer.searcher() as searcher:
                for pid in [*(str(i) for i in remove_ids), META_ID]:
                    for docnum in searcher.document_numbers(pid=pid):
                        writer.delete_document(docnum)
            for document in documents:
                writer.add_document(**document)
            writer.add_document(pid=META_ID, generation=generation, version=INDEX_VERSION)
            # Merging segments is what costs an import its time and memory:
            # during a batch the commits only add segments, and the merge runs
            # once at its end.
            writer.commit(merge=merge)
        except BaseException:
            _abandon(writer)
            raise

    # -- searching ------------------------------------------------------------
    def parse(self, text: str, plain: bool = False) -> Query:
        """Parse the user's query; broken syntax falls back to plain terms."""
        with self._lock:  # one parser, shared by the window's threads
            return self._parse(text, plain)

    def _parse(self, text: str, plain: bool) -> Query:
        query = None
        if not plain:
            try:
                query = self._parser.parse(_rewrite(text))
            except Exception:
                query = None
        if query is None or _is_degenerate(query):
            query = self._parser.parse(" ".join(re.findall(r"\w+", text)))
        return query.accept(_quick_expansion)

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
        query = self.parse(text, plain)
        hits = []
        for paper_id, score in ranked:
            snippet = ""
            for field in ("abstract", "title", "note"):
                value = field_texts.get(paper_id, {}).get(field, "")
                if value:
                    snippet = self.snippet(query, value)
                    if snippet:
                        break
            hits.append(RawHit(paper_id, score, snippet))
        return hits

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
        query = self.parse(text, plain)
        results = self._searcher.search(_filtered(query, index_filter), limit=limit)
        ranked = [(int(hit["pid"]), float(hit.score)) for hit in results
                  if hit["pid"] != META_ID]
        self._cache[key] = ranked
        while len(self._cache) > CACHE_ENTRIES:
            self._cache.popitem(last=False)
        return ranked

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
        query = self.parse(text, plain)
        results = self._searcher.search(_filtered(query, index_filter), limit=None,
                                        scored=False)
        column = self._searcher.reader().column_reader("pidnum")
        ids = [pid for pid in (column[docnum] for docnum in results.docs()) if pid]
        self._cache[key] = ids
        while len(self._cache) > CACHE_ENTRIES:
            self._cache.popitem(last=False)
        return ids

    def snippet(self, query: Query, value: str, width: int = 160) -> str:
        """Up to two passages of ``value`` around the query's matches, matches in ``**``."""
        spans = self._spans(query, value)
        if not spans:
            return ""
        passages: list[tuple[int, int]] = []
        for start, _end in spans:
            if passages and start < passages[-1][1]:
                continue  # inside the previous passage
            left = max(0, start - width // 3, passages[-1][1] if passages else 0)
            while left > 0 and not value[left - 1].isspace() and (
                    not passages or left > passages[-1][1]):
                left -= 1  # do not cut a word
            right = min(len(value), left + width)
            while right < len(value) and not value[right].isspace():
                right += 1
            passages.append((left, right))
            if len(passages) == 2:
                break
        out = []
        for left, right in passages:
            piece, cursor = [], left
            for start, end in spans:
                if left <= start and end <= right:
                    piece += [value[cursor:start], "**", value[start:end], "**"]
                    cursor = end
            piece.append(value[cursor:right])
            out.append("".join(piece).strip())
        return " … ".join(out)

    def match_spans(self, text: str, document: str) -> list[tuple[int, int]]:
        """Character spans of ``document`` that the query ``text`` matches.

        Needs no open index; safe to call while another thread writes it.
        """
        return self._spans(self.parse(text), document)

    def _spans(self, query: Query, document: str) -> list[tuple[int, int]]:
        with self._lock:  # the analyzer's caches are shared between threads
            return self._spans_unlocked(query, document)

    def _spans_unlocked(self, query: Query, document: str) -> list[tuple[int, int]]:
        words, prefixes = set(), []
        for leaf in query.leaves():
            field = getattr(leaf, "fieldname", None)
            if field not in ("title", "abstract", "note"):
                continue
            if isinstance(leaf, Prefix):
                prefixes.append(str(leaf.text).lower())
            else:
                words.update(str(term) for _field, term in leaf.iter_all_terms())
        analyzer = self._schema["abstract"].analyzer
        spans = []
        for token in analyzer(document, chars=True, removestops=False):
            original = document[token.startchar : token.endchar].lower()
            if token.text in words or any(original.startswith(p) for p in prefixes):
                spans.append((token.startchar, token.endchar))
        return spans

    def ids(self) -> Iterator[int]:
        """Every paper id in the index (for checks and tests)."""
        self._refresh()
        for fields in self._searcher.all_stored_fields():
            if fields.get("pid") != META_ID:
                yield int(fields["pid"])


def _abandon(writer) -> None:
    """Cancel a failed writer and free the index's write lock whatever state it is in.

    Whoosh's cancel() itself fails when the commit failed half-way (a full
    disk), which would leave the lock held and every later write waiting.
    """
    with suppress(Exception):
        writer.cancel()
    lock = getattr(writer, "writelock", None)
    if lock is not None:
        with suppress(Exception):
            lock.release()


class _QuickExpansion:
    """A prefix or wildcard query read as one list of documents.

    Whoosh matches ``la*`` through a tree of one matcher per expanded term
    and walks it posting by posting; "la" expands to hundreds of terms and
    that took 78 s on 100,000 papers. Reading each term's document ids in
    one go (deleted documents left out, as in any search) and taking their
    union gives the same documents, at the constant score Whoosh gives such
    queries anyway, in about a second.
    """

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        words = [word for word in self._btexts(reader) if word]
        if len(words) <= 1:
            return super().matcher(searcher, context)
        ids: set[int] = set()
        for word in words:
            ids.update(reader.postings(self.fieldname, word).all_ids())
        return ListMatcher(sorted(ids), all_weights=self.boost)


class QuickPrefix(_QuickExpansion, Prefix):
    pass


class QuickWildcard(_QuickExpansion, Wildcard):
    pass


class QuickAnd(And):
    """AND with its NOT parts read as one set of documents to leave out.

    Whoosh intersects ``a b -c`` with "every document but c", asking c's
    matchers (one per field) about each candidate in turn: the NOT tripled
    the time of a broad query. Reading c's documents once and filtering the
    candidates against that set gives the same hits in the same order
    (Whoosh also added 1 to every hit's score per NOT; that constant is gone).
    """

    def _matcher(self, subs, searcher, context):
        negatives = [q.query for q in subs if isinstance(q, Not)]
        positives = [q for q in subs if not isinstance(q, Not)]
        if not negatives or not positives:
            return super()._matcher(subs, searcher, context)
        if len(positives) > 1:
            matcher = super()._matcher(positives, searcher, context)  # boosted there
        else:
            matcher = positives[0].matcher(searcher, context)
            if self.boost != 1.0:
                matcher = WrappingMatcher(matcher, self.boost)
        excluded: set[int] = set()
        for negative in negatives:
            excluded.update(negative.matcher(searcher, searcher.boolean_context()).all_ids())
        return FilterMatcher(matcher, frozenset(excluded), exclude=True) if excluded else matcher


class _NoScore(ListMatcher):
    """Documents that add nothing to a hit's score (Whoosh's ListMatcher takes
    a constant weight of 0 for "no weight given" and scores 1)."""

    def copy(self):
        return _NoScore(self._ids)

    def weight(self):
        return 0.0

    def score(self):
        return 0.0

    def max_quality(self):
        return 0.0

    def block_quality(self):
        return 0.0


class _View(ConstantScoreQuery):
    """The documents of a view, as a part of a query that scores 0."""

    def __init__(self, child: Query):
        super().__init__(child, 0.0)

    def _rewrap(self, child):
        return self.__class__(child)

    def matcher(self, searcher, context=None):
        matcher = self.child.matcher(searcher, searcher.boolean_context())
        if not matcher.is_active():
            return matcher
        return _NoScore(array("I", matcher.all_ids()))


def _filtered(query: Query, index_filter: IndexFilter) -> Query:
    """The query restricted to the view, as one more part of the AND.

    As a separate ``filter=``, Whoosh matches the whole query and then drops
    the hits outside the view; inside the AND, the view's own (often much
    shorter) posting list leads the intersection. It adds 0 to the scores.
    """
    restriction = index_filter.query()
    if restriction is None:
        return query
    return QuickAnd([query, _View(restriction)])


def _quick_expansion(query: Query) -> Query:
    if type(query) is And:
        return QuickAnd(query.subqueries, boost=query.boost)
    if type(query) is Prefix:
        return QuickPrefix(query.fieldname, query.text, boost=query.boost)
    if type(query) is Wildcard:
        return QuickWildcard(query.fieldname, query.text, boost=query.boost)
    return query


def _is_degenerate(query: Query) -> bool:
    """True when parsing produced nothing searchable (e.g. only operators)."""
    from whoosh.query import NullQuery

    return query is NullQuery or (not list(query.leaves()) and not query.is_leaf())
