"""The fused analysis gives the index exactly what Whoosh's StemmingAnalyzer
gives it: the same words, positions, frequencies, weights and encoded values,
in the same order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import RegexTokenizer, StemmingAnalyzer, StopFilter
from whoosh.formats import Positions

from readinglist.core.index import analysis
from readinglist.core.index.documents import make_schema
from tests.conftest import DIGESTS, FIXTURES

TRICKY = [
    "", "a", "The", "the the model", "A model of the models, modelling; MODELS!",
    "GPT-4o's 3.5-turbo v1.2.3 e.g. U.S.A. 12,000 x_y __init__",
    "Ünïcödé naïve café — Straße ΣΊΣΥΦΟΣ 数据 données",
    "of\tthe\nlarge\r\nlanguage  models... and. And: AND",
    "I a x y model",  # one-letter words dropped, and not counted by renumbering
]


def whoosh_values(text: str) -> list:
    # Whoosh's own generator path, whatever `install` did to the class
    return list(Positions.__dict__["word_values"].__wrapped_original__(
        Positions(), text, StemmingAnalyzer(), mode="index"))


def fused_values(text: str) -> list:
    return list(Positions().word_values(text, StemmingAnalyzer(), mode="index"))


def test_the_text_fields_take_the_fused_path():
    schema = make_schema()
    for name in ("title", "abstract", "note"):
        assert analysis.is_stemming_analyzer(schema[name].analyzer)
    assert not analysis.is_stemming_analyzer(schema["author"].analyzer)
    assert not analysis.is_stemming_analyzer(StemmingAnalyzer(minsize=3))
    assert not analysis.is_stemming_analyzer(StemmingAnalyzer(stoplist=None))
    assert not analysis.is_stemming_analyzer(RegexTokenizer() | StopFilter())


def test_tricky_text_is_analysed_as_whoosh_does():
    for text in TRICKY:
        assert fused_values(text) == whoosh_values(text), text


def test_fixture_digests_are_analysed_as_whoosh_does():
    texts = [path.read_text(errors="replace") for path in DIGESTS]
    texts += [p.read_text(errors="replace") for p in sorted(FIXTURES.glob("*.txt"))]
    for text in texts:
        for paragraph in text.split("\n\n"):
            assert fused_values(paragraph) == whoosh_values(paragraph)


def test_real_digests_are_analysed_as_whoosh_does(shared_digests):
    for path in sorted(shared_digests.glob("*.txt")):
        for paragraph in path.read_text(errors="replace").split("\n\n"):
            assert fused_values(paragraph) == whoosh_values(paragraph)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .,-'_\nThe oflMODEL9ÄéΣ数"))
               | st.characters(), max_size=120))
def test_any_text_is_analysed_as_whoosh_does(text):
    assert fused_values(text) == whoosh_values(text)


def test_other_analyzers_and_query_mode_keep_whoosh_path():
    # a different analyzer, and the query mode the parser uses, go through Whoosh
    other = RegexTokenizer() | StopFilter()
    text = "The models of a model"
    assert list(Positions().word_values(text, other, mode="index")) == \
        list(Positions.__dict__["word_values"].__wrapped_original__(
            Positions(), text, other, mode="index"))
