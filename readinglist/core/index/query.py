"""Reading a typed query: the rewrites people expect, and faster forms of
Whoosh's prefix, wildcard, AND-NOT and view queries (same hits, same order).
"""

from __future__ import annotations

import re
import threading
from array import array
from collections.abc import Sequence

from whoosh.fields import Schema
from whoosh.matching import FilterMatcher, ListMatcher, WrappingMatcher
from whoosh.qparser import AndGroup, MultifieldParser
from whoosh.query import And, ConstantScoreQuery, Not, NullQuery, Prefix, Query, Wildcard

from readinglist.core.index.analysis import stemmed
from readinglist.core.index.documents import IndexFilter

_MINUS = re.compile(r"(?<![\w:])-(?=[\w\"(])")
_MINUS_BEFORE_QUOTE = re.compile(r"(?:^|(?<=\s))-$")  # -"a phrase": the quote follows
_FIELD_BEFORE_QUOTE = re.compile(r"\b\w+:$")  # title:"a phrase"
_QUOTED = re.compile(r'("[^"]*")')
# Half-typed queries ("robot AND", "tag:") are common while typing: an
# operator with nothing to join, or a field with no value, is dropped.
_DANGLING = re.compile(r"^\s*(?:AND|OR)\b|\b(?:AND|OR|NOT)\s*$")
_EMPTY_FIELD = re.compile(r"\b\w+:(?=\s|$)")


PREFIX_FROM = 3  # letters typed before the word being typed counts as a prefix
_LAST_WORD = re.compile(r"(?:^|(?<=[\s(:\-]))(\w+)$")


def as_typed(text: str) -> str:
    """The query of a search box while typing: the word under the cursor, with
    no space after it, matches as itself or as a prefix ("lang" finds language
    and languages; "models" still finds model, whose indexed stem is shorter
    than the word); once a space follows, it is a whole word again. A prefix
    from its third letter on: "la" or "mo" expand to thousands of words at
    100,000 papers (0.1-1 s each), "lan" or "mod" to a few hundred."""
    stripped = text.strip()
    if not stripped or text[-1].isspace() or text.count('"') % 2:
        return stripped
    match = _LAST_WORD.search(stripped)
    if not match or len(match.group(1)) < PREFIX_FROM or match.group(1) in ("AND", "OR", "NOT"):
        return stripped
    word = match.group(1)
    return f"{stripped[: match.start(1)]}({word} OR {word.lower()}*)"


def rewrite(text: str) -> str:
    """Make a typed query parseable the way people mean it.

    ``-word`` means NOT word, as in web search engines; a field prefix with no
    value is dropped (both outside quotes only); so is an operator with
    nothing to join, as in a half-typed "robot AND".
    """
    parts = _QUOTED.split(text)
    out = []
    for number, part in enumerate(parts):
        if part.startswith('"'):
            out.append(part)
            continue
        before_quote = number + 1 < len(parts) and parts[number + 1].startswith('"')
        field = ""
        if before_quote:  # a field prefix or a minus belongs to the phrase after it
            match = _FIELD_BEFORE_QUOTE.search(part)
            if match:
                part, field = part[: match.start()], match.group()
            part = _MINUS_BEFORE_QUOTE.sub("NOT ", part)
        part = _EMPTY_FIELD.sub(" ", _MINUS.sub("NOT ", part))
        out.append(part + field)
    text = "".join(out)
    previous = None
    while previous != text:
        previous, text = text, _DANGLING.sub(" ", text).strip()
    return text



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


class View(ConstantScoreQuery):
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


def filtered(query: Query, index_filter: IndexFilter) -> Query:
    """The query restricted to the view, as one more part of the AND.

    As a separate ``filter=``, Whoosh matches the whole query and then drops
    the hits outside the view; inside the AND, the view's own (often much
    shorter) posting list leads the intersection. It adds 0 to the scores.
    """
    restriction = index_filter.query()
    if restriction is None:
        return query
    return QuickAnd([query, View(restriction)])


def quick_expansion(query: Query) -> Query:
    if type(query) is And:
        return QuickAnd(query.subqueries, boost=query.boost)
    if type(query) is Prefix:
        return QuickPrefix(query.fieldname, query.text, boost=query.boost)
    if type(query) is Wildcard:
        return QuickWildcard(query.fieldname, query.text, boost=query.boost)
    return query


def plain_words(text: str) -> str:
    """The query's words with no syntax left: lower case, so that AND, OR and
    NOT are words too ("NOT NOT robot" once crashed the parser's fallback), and
    without field names ("title:" is not a word the person looks for)."""
    text = re.sub(r"(?<![^\s(\-])\w+:", " ", text)
    return " ".join(word.lower() for word in re.findall(r"\w+", text))


def is_degenerate(query: Query) -> bool:
    """True when parsing produced nothing searchable (e.g. only operators)."""
    return query is NullQuery or (not list(query.leaves()) and not query.is_leaf())


class QueryReader:
    """Parses typed queries and finds their matches in a text (snippets, highlights).

    Needs no open index: the window calls it on its own thread while another
    thread writes the index. One parser and analyzer, shared under a lock.
    """

    def __init__(self, schema: Schema, fields: Sequence[str]):
        self.schema = schema
        self._parser = MultifieldParser(list(fields), schema, group=AndGroup)
        self._lock = threading.RLock()

    def whoosh_query(self, text: str) -> Query:
        """The query as Whoosh's own parser reads it (after `rewrite`), with
        Whoosh's own matchers: the reference the faster forms must agree with."""
        with self._lock:
            return self._parser.parse(rewrite(text))

    def parse(self, text: str, plain: bool = False) -> Query:
        """Parse the user's query; broken syntax falls back to plain terms."""
        with self._lock:  # one parser, shared by the window's threads
            return self._parse(text, plain)

    def notice(self, text: str) -> str | None:
        """One quiet line when the query is not searched as written (its syntax
        was dropped for plain words), else None."""
        if text.count('"') % 2:
            return "No closing quote: matching the words, not the phrase."
        outside = "".join(_QUOTED.split(text)[::2])
        if outside.count("(") != outside.count(")"):
            return "Brackets do not pair up: searched as if they did."
        rewritten = rewrite(text.strip())
        if not re.search(r"\w", rewritten):
            return None  # nothing typed yet but an operator or "tag:"
        with self._lock:
            try:
                query = self._parser.parse(rewritten)
            except Exception:
                query = None
            if query is not None and not is_degenerate(query):
                return None
            words = self._parser.parse(plain_words(text))
        if is_degenerate(words):
            return "Only very common or one-letter words: nothing to search for."
        return "Could not read the search syntax: matching its words only."

    def _parse(self, text: str, plain: bool) -> Query:
        query = None
        if not plain:
            try:
                query = self._parser.parse(rewrite(text))
            except Exception:
                query = None
        if query is None or is_degenerate(query):
            query = self._parser.parse(plain_words(text))
        return query.accept(quick_expansion)

    def snippet(self, query: Query, value: str, width: int = 160) -> str:
        """Up to two passages of ``value`` around the query's matches, matches in ``**``."""
        words, prefixes = query_words(query)
        passages: list[tuple[int, int]] = []
        spans: list[tuple[int, int]] = []
        found = iter_spans(words, prefixes, value)
        for start, end in found:
            spans.append((start, end))
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
        if not spans:
            return ""
        for start, end in found:  # the rest of the last passage's matches, no further
            if start >= passages[-1][1]:
                break
            spans.append((start, end))
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
        words, prefixes = query_words(query)
        return list(iter_spans(words, prefixes, document))


def query_words(query: Query) -> tuple[frozenset[str], tuple[str, ...]]:
    """The stemmed words and the prefixes of the query's text-field parts."""
    words, prefixes = set(), []
    for leaf in query.leaves():
        if getattr(leaf, "fieldname", None) not in ("title", "abstract", "note"):
            continue
        if isinstance(leaf, Prefix):
            prefixes.append(str(leaf.text).lower())
        else:
            words.update(str(term) for _field, term in leaf.iter_all_terms())
    return frozenset(words), tuple(prefixes)


# The tokenizer's pattern with the query's wildcard; each word stemmed as the
# index keeps it (`analysis.stemmed`). tests/core/test_ranking.py checks the
# spans against the analyzer.
_TOKEN = re.compile(r"[\w\*]+(\.?[\w\*]+)*")


def iter_spans(words: frozenset[str], prefixes: tuple[str, ...], document: str):
    """(start, end) of each word of ``document`` that the query matches."""
    if not words and not prefixes:
        return
    for match in _TOKEN.finditer(document):
        low = match.group().lower()
        if stemmed(low) in words or (prefixes and low.startswith(prefixes)):
            yield match.start(), match.end()
