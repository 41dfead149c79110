"""Whoosh's StemmingAnalyzer without its per-token objects, for indexing and
for marking matches.

Whoosh analyses text through a chain of generators, one `Token` object going
through the tokenizer, the lower-case, stop and stem filters for every word:
about a third of an import's time. The same steps fused into one loop give
the same words at the same positions (tests/core/test_analysis.py compares
them with Whoosh's own on generated and real text), several times faster.

`install` makes Whoosh's `Positions` format use it for exactly the analyzer
`make_schema` gives the text fields, and for nothing else: a class-level
patch, so nothing of it is saved in an index's schema.
"""

from __future__ import annotations

import re

from whoosh.analysis import (
    STOP_WORDS,
    CompositeAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.analysis.tokenizers import default_pattern
from whoosh.lang.porter import stem

WORD = re.compile(default_pattern.pattern)  # RegexTokenizer's own pattern
MIN_WORD = 2  # StemmingAnalyzer's minsize: shorter words are stop words
_STEMS: dict[str, str] = {}
_STEMS_MAX = 200_000  # words remembered (Whoosh's own cache keeps 50,000)


def stemmed(word: str) -> str:
    """A lower-case word as the index keeps it: stop words and words under
    two letters as they are (the index drops them), the rest Porter-stemmed."""
    found = _STEMS.get(word)
    if found is None:
        found = word if len(word) < MIN_WORD or word in STOP_WORDS else stem(word)
        if len(_STEMS) < _STEMS_MAX:
            _STEMS[word] = found
    return found


def word_positions(text: str) -> dict[str, list[int]]:
    """{stemmed word: its positions}, in the order of first appearance, as the
    StemmingAnalyzer numbers them: stop words are dropped and the words after
    the first kept one are renumbered without gaps (the first keeps its own
    number: Whoosh's StopFilter)."""
    positions: dict[str, list[int]] = {}
    stops = STOP_WORDS
    position = -1
    first = True
    for number, match in enumerate(WORD.finditer(text)):
        word = match.group().lower()
        if len(word) < MIN_WORD or word in stops:
            continue
        if first:
            position, first = number, False
        else:
            position += 1
        word = stemmed(word)
        found = positions.get(word)
        if found is None:
            positions[word] = [position]
        else:
            found.append(position)
    return positions


def is_stemming_analyzer(analyzer) -> bool:
    """Whether ``analyzer`` is exactly `StemmingAnalyzer()` with its defaults:
    the one chain `word_positions` reproduces."""
    if not isinstance(analyzer, CompositeAnalyzer) or len(analyzer.items) != 4:
        return False
    tokenizer, lower, stop, stemmer = analyzer.items
    return (type(tokenizer) is RegexTokenizer and not tokenizer.gaps
            and tokenizer.expression.pattern == WORD.pattern
            and type(lower) is LowercaseFilter
            and type(stop) is StopFilter and stop.stops == STOP_WORDS
            and stop.min == MIN_WORD and stop.max is None and stop.renumber
            and type(stemmer) is StemFilter and stemmer.stemfn is stem
            and not stemmer.ignore and not getattr(stemmer, "lang", None))


def install() -> None:
    """Make Whoosh's `Positions.word_values` take the fused path when indexing
    a string with the stemming analyzer (once; idempotent)."""
    from whoosh.formats import Positions

    if getattr(Positions, "_readinglist_fused", False):
        return
    original = Positions.word_values

    def word_values(self, value, analyzer, **kwargs):
        if (kwargs == {"mode": "index"} and isinstance(value, str)
                and is_stemming_analyzer(analyzer)):
            boost = self.field_boost
            return ((word, len(found), len(found) * boost, self.encode(found))
                    for word, found in word_positions(value).items())
        return original(self, value, analyzer, **kwargs)

    word_values.__wrapped_original__ = original  # Whoosh's own, for the tests' comparison
    Positions.word_values = word_values
    Positions._readinglist_fused = True
