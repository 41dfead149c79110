"""Exact BM25F ranking of a parsed query, evaluated on dense numpy arrays.

Whoosh's collector calls ``replace()`` on its matcher tree every few
documents, and an intersection's ``replace(minquality)`` drops documents
that belong in the top k: its top k is not exact. Here every query node is
evaluated over all document numbers at once:

- Term: mask where the term occurs, score = Whoosh's BM25F from its own idf,
  average field length and byte-quantised field lengths;
- Or: union, scores summed; And: intersection, scores summed; NOT parts are
  removed from the mask (they add nothing to a score);
- Prefix, wildcard, range: the union of the expanded terms at a constant score;
- a view's filter: a mask that scores 0;
- Phrase: the AND of its words in that field (Whoosh scores a phrase hit by
  that sum); word positions are checked only for the candidates that can
  still reach the top k;
- any other node: Whoosh's own matcher, per segment (exact, slower).

The top k is taken by score, ties by the lower document number, as Whoosh's
own collector orders them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from whoosh import query as wq

from readinglist.core.index.positions import phrase_documents, position_decoder
from readinglist.core.index.postings import IndexArrays
from readinglist.core.index.query import QuickAnd, QuickPrefix, View

B, K1 = 0.75, 1.2  # Whoosh's BM25F defaults, which the index uses
EXPANSIONS = (wq.Prefix, wq.Wildcard, wq.TermRange)
PREFIXES = (wq.Prefix, QuickPrefix)  # exactly these: a subclass may expand otherwise


@dataclass
class PhrasePart:
    """A phrase whose positions are checked lazily: ``possible`` is the AND of
    its words; ``checked`` the documents looked at; ``found`` those that hold it."""

    query: wq.Phrase
    possible: np.ndarray
    checked: np.ndarray
    found: np.ndarray

    def mask(self) -> np.ndarray:
        """Documents that hold the phrase or may: exact where checked."""
        return self.found | (self.possible & ~self.checked)


@dataclass
class Node:
    """A query node's result: which documents match, their scores, and for
    compound nodes how to combine its children again once phrases are checked."""

    mask: np.ndarray
    score: np.ndarray | None  # None: scores 0
    kind: str = "leaf"  # leaf, and, or, phrase
    boost: float = 1.0
    children: list[Node] = field(default_factory=list)
    excluded: np.ndarray | None = None  # NOT parts of an AND
    phrase: PhrasePart | None = None

    def phrases(self) -> list[PhrasePart]:
        if self.phrase is not None:
            return [self.phrase]
        return [p for child in self.children for p in child.phrases()]

    def recombine(self) -> None:
        """Compute mask and score again from the children (after phrase checks)."""
        if self.kind == "phrase":
            self.mask = self.phrase.mask()
            return
        if self.kind == "leaf":
            return
        for child in self.children:
            child.recombine()
        combined = _combine(self.children, self.kind == "and", self.boost)
        self.mask, self.score = combined.mask, combined.score
        if self.excluded is not None:
            self.mask &= ~self.excluded


def _combine(nodes: list[Node], intersect: bool, boost: float) -> Node:
    mask = nodes[0].mask.copy()
    score = None
    for node in nodes:
        if node is not nodes[0]:
            if intersect:
                mask &= node.mask
            else:
                mask |= node.mask
        if node.score is not None:
            part = np.where(node.mask, node.score, 0.0) if not intersect else node.score
            score = part.copy() if score is None else score + part
    if score is not None and boost != 1.0:
        score = score * boost
    return Node(mask, score)


class Evaluator:
    def __init__(self, arrays: IndexArrays):
        self.arrays = arrays
        self.searcher = arrays.searcher
        self.fallbacks = 0  # nodes Whoosh's own matcher had to evaluate

    def _false(self) -> np.ndarray:
        return np.zeros(self.arrays.size, bool)

    def _zeros(self) -> np.ndarray:
        return np.zeros(self.arrays.size, np.float64)

    # -- nodes ---------------------------------------------------------------------------
    def evaluate(self, q: wq.Query, scored: bool = True, lazy: bool = True) -> Node:
        kind = type(q)
        if kind is wq.Term:
            return self.term(q.fieldname, q.text, q.boost, scored)
        if kind is wq.Or and not q.scale and not getattr(q, "minmatch", 0):
            children = [self.evaluate(c, scored, lazy) for c in q.subqueries]
            if not children:
                return Node(self._false(), None)
            node = _combine(children, False, q.boost)
            return Node(node.mask, node.score if scored else None, "or", q.boost, children)
        if kind in (wq.And, QuickAnd):
            return self._and(q, scored, lazy)
        if kind is View:
            return Node(self.evaluate(q.child, scored=False, lazy=False).mask, None)
        if kind is wq.Phrase:
            return self.phrase(q, scored, lazy)
        if isinstance(q, EXPANSIONS) and q.constantscore:
            return self.expansion(q, scored)
        if q is wq.NullQuery:
            return Node(self._false(), None)
        return self.fallback(q, scored)

    def _and(self, q, scored: bool, lazy: bool) -> Node:
        positives = [c for c in q.subqueries if not isinstance(c, wq.Not)]
        negatives = [c.query for c in q.subqueries if isinstance(c, wq.Not)]
        if not positives:
            return self.fallback(q, scored)
        children = [self.evaluate(c, scored, lazy) for c in positives]
        combined = _combine(children, True, q.boost)
        excluded = None
        for negative in negatives:  # exact membership: no lazy phrase under NOT
            mask = self.evaluate(negative, scored=False, lazy=False).mask
            excluded = mask if excluded is None else excluded | mask
        if excluded is not None:
            combined.mask &= ~excluded
        return Node(combined.mask, combined.score if scored else None, "and", q.boost,
                    children, excluded)

    def term(self, fieldname: str, text, boost: float = 1.0, scored: bool = True) -> Node:
        schema = self.searcher.schema
        mask = self._false()
        score = self._zeros() if scored else None
        if fieldname not in schema:
            return Node(mask, score)
        field_type = schema[fieldname]
        try:
            tbytes = field_type.to_bytes(text)
        except ValueError:
            return Node(mask, score)
        if (fieldname, tbytes) not in self.searcher.reader():
            return Node(mask, score)
        for segment in self.arrays.segments:
            self._term_in(segment, fieldname, tbytes, mask, score, boost)
        return Node(mask, score)

    def _term_in(self, segment, fieldname: str, tbytes: bytes, mask: np.ndarray,
                 score: np.ndarray | None, boost: float = 1.0) -> None:
        """One term's documents and BM25F scores in one segment, into the arrays."""
        ids, weights = segment.live_postings(fieldname, tbytes)
        if not len(ids):
            return
        where = ids + segment.offset if segment.offset else ids
        mask[where] = True
        if score is None:
            return
        tf = weights.astype(np.float64)
        if self.searcher.schema[fieldname].scorable:
            idf = self.searcher.idf(fieldname, tbytes)
            average = self.searcher.avg_field_length(fieldname) or 1
            length = segment.lengths(fieldname)[ids]
            # Whoosh's bm25(): idf * (tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl))
            values = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * length / average)))
        else:
            values = tf
        score[where] = values * boost if boost != 1.0 else values

    def expansion(self, q, scored: bool) -> Node:
        """Prefix, wildcard or term range, scored as Whoosh scores them in each
        segment: one expanded term is a plain term (BM25F, no boost); with
        several, every matching document scores the boost."""
        mask = self._false()
        score = self._zeros() if scored else None
        if q.fieldname not in self.searcher.schema:
            return Node(mask, score)
        for segment in self.arrays.segments:
            if type(q) in PREFIXES:  # the words from the segment's sorted lexicon
                prefix = q.text if isinstance(q.text, bytes) else q.text.encode("utf-8")
                words = [w for w in segment.lexicon(q.fieldname).starting(prefix) if w]
            else:
                words = [word for word in q._btexts(segment.reader) if word]
            if len(words) == 1:
                self._term_in(segment, q.fieldname, words[0], mask, score)
                continue
            for word in words:
                ids, _weights = segment.live_postings(q.fieldname, word)
                if not len(ids):
                    continue
                where = ids + segment.offset
                mask[where] = True
                if score is not None:
                    score[where] = q.boost
        return Node(mask, score)

    def fallback(self, q: wq.Query, scored: bool) -> Node:
        """Any query, through Whoosh's own matchers, segment by segment (exact)."""
        self.fallbacks += 1
        mask = self._false()
        score = self._zeros() if scored else None
        for segment in self.arrays.segments:
            sub = segment.searcher
            context = sub.context(weighting=sub.weighting) if scored else sub.boolean_context()
            matcher = q.matcher(sub, context)
            if scored:
                while matcher.is_active():
                    doc = matcher.id() + segment.offset
                    mask[doc] = True
                    score[doc] = matcher.score()
                    matcher.next()
            elif matcher.is_active():
                ids = np.fromiter(matcher.all_ids(), np.int64)
                mask[ids + segment.offset] = True
        return Node(mask, score)

    # -- phrases ---------------------------------------------------------------------------
    def phrase(self, q: wq.Phrase, scored: bool, lazy: bool) -> Node:
        if q.fieldname not in self.searcher.schema or not q.words:
            return Node(self._false(), None)
        if len(q.words) == 1 or q.slop != 1:
            return self.fallback(q, scored)
        words = [self.term(q.fieldname, word, 1.0, scored) for word in q.words]
        both = _combine(words, True, q.boost)
        part = PhrasePart(q, both.mask, self._false(), self._false())
        if not lazy:
            self.check(part, np.flatnonzero(part.possible))
        return Node(part.mask(), both.score if scored else None, "phrase", phrase=part)

    def check(self, part: PhrasePart, docs: np.ndarray) -> None:
        """Look at the word positions of ``docs`` (global numbers, ascending)."""
        docs = docs[~part.checked[docs]]
        if not len(docs):
            return
        part.checked[docs] = True
        for doc in self._holding(part.query, docs):
            part.found[doc] = True

    def _holding(self, q: wq.Phrase, docs: np.ndarray):
        """The documents of ``docs`` whose field has the phrase's words in a row
        (positions.py: sorted (document, position) keys, kept per block)."""
        field_type = self.searcher.schema[q.fieldname]
        words = [field_type.to_bytes(word) for word in q.words]
        positions_of = position_decoder(field_type.format)
        for segment in self.arrays.segments:
            low, high = segment.offset, segment.offset + segment.size
            local = docs[(docs >= low) & (docs < high)] - low
            if len(local):
                yield from (phrase_documents(segment, q.fieldname, words, local, positions_of)
                            + low).tolist()


# -- top k --------------------------------------------------------------------------------
def top(mask: np.ndarray, score: np.ndarray | None, k: int | None):
    """(document numbers, scores): best first, ties by the lower number."""
    docs = np.flatnonzero(mask)
    values = score[docs] if score is not None else np.zeros(len(docs))
    if k is not None and len(docs) > k:
        kth = np.partition(values, len(values) - k)[len(values) - k]
        above = np.flatnonzero(values > kth)
        equal = np.flatnonzero(values == kth)[: k - len(above)]
        chosen = np.concatenate([above, equal])
        docs, values = docs[chosen], values[chosen]
    order = np.lexsort((docs, -values))
    return docs[order], values[order]


def rank(arrays: IndexArrays, q: wq.Query, limit: int | None) -> list[tuple[int, float]]:
    """[(document number, score)] best first, exactly as Whoosh's exhaustive search."""
    evaluator = Evaluator(arrays)
    root = evaluator.evaluate(q)
    parts = root.phrases()
    if parts and limit is None:
        for part in parts:
            evaluator.check(part, np.flatnonzero(part.possible))
        root.recombine()
    elif parts:
        _settle_phrases(evaluator, root, parts, limit)
    docs, values = top(root.mask, root.score, limit)
    return list(zip(docs.tolist(), values.tolist(), strict=True))


def _settle_phrases(evaluator: Evaluator, root: Node, parts: list[PhrasePart],
                    limit: int) -> None:
    """Check phrase positions for the best candidates until the top ``limit`` are all
    checked: every other candidate's score is then at most theirs."""
    batch = limit + max(8, limit // 4)
    while True:
        docs, _values = top(root.mask, root.score, batch)
        best = docs[:limit]
        unchecked = [(part, best[part.possible[best] & ~part.checked[best]])
                     for part in parts]
        if not any(len(d) for _part, d in unchecked):
            return
        for part in parts:
            pending = docs[part.possible[docs] & ~part.checked[docs]]
            evaluator.check(part, np.sort(pending))
        root.recombine()
        batch *= 2


def matching(arrays: IndexArrays, q: wq.Query) -> np.ndarray:
    """Every matching document number, unscored (phrases checked for every candidate)."""
    return np.flatnonzero(Evaluator(arrays).evaluate(q, scored=False, lazy=False).mask)
