"""TF-IDF features of titles and abstracts (scikit-learn's `TfidfVectorizer`).

Words and two-word phrases, sublinear term frequency, English stop words and
the words every abstract uses ("propose", "demonstrate", pieces of web
addresses), rare and ubiquitous terms cut. One vocabulary for both: a
paper's row is its title's tf-idf twice plus its abstract's, scaled to unit
length once, so each title term weighs twice what the same term weighs in
the abstract, and a dot product of two rows is their cosine similarity.
(Two vectorizers each scaled to unit length, the title's then doubled, gave
the title's eight words 80% of every row: the ranking was by title alone.)

The vocabulary and the idf weights are learnt from at most `SAMPLE` papers
spread evenly over the library, and every paper is then transformed in
blocks: learning on all of 100,000 papers holds every word pair of every
abstract in memory at once (close to a gigabyte), a sample of 15,000 about
a fifth of it, and the terms it misses are the rare ones the cut drops anyway.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

TITLE_WEIGHT = 2.0
MAX_TERMS = 2**18  # per vectorizer: what a 100,000-paper library needs, bounded
SAMPLE = 15_000  # papers the vocabulary is learnt from
BLOCK = 5_000  # papers transformed at once
# A word of two characters or more with a letter in it ("3d" and "gpt4", not "2024").
TOKEN_PATTERN = r"(?u)\b(?=\w*[^\W\d_])\w\w+\b"
# Words of every abstract, whatever its topic: no reason to read a paper.
ACADEMIC_WORDS = frozenset("""
    abstract achieve achieves achieving address addresses approach approaches available based
    create creates demonstrate demonstrates demonstrating different effective effectively
    efficient existing experiments extensive finally furthermore github however introduce
    introduces introducing key leverage leverages leveraging method methods new novel outperform
    outperforms paper present presents previous primarily propose proposed proposes purpose
    release released results show shows significant significantly state study successfully
    use used uses using various work works""".split())
_ADDRESS = re.compile(r"(?i)\b(?:https?://|www\.)\S*|\b\S+\.(?:com|org|io|net|html?)\b\S*")


@dataclass
class Features:
    ids: np.ndarray  # paper ids, one per row, ascending
    matrix: object  # scipy.sparse.csr_matrix, float32, rows of unit length
    vectorizers: tuple  # (the TfidfVectorizer,), fitted
    fitted_rows: int  # how many papers the library had when the vocabulary was learnt
    terms: np.ndarray = field(repr=False, default=None)  # the term of each column
    signature: tuple = ()  # the library's papers when last brought in step (see cache)
    # one number per row telling the paper from another that later took its id
    # (SQLite reuses the highest id after a delete or a restore): see cache
    stamps: np.ndarray = field(repr=False, default=None)

    def rows_of(self, ids: Sequence[int]) -> np.ndarray:
        """Row numbers of these ids (all must be present)."""
        return np.searchsorted(self.ids, np.asarray(ids, dtype=np.int64))

    def has(self, paper_id: int) -> bool:
        row = int(np.searchsorted(self.ids, paper_id))
        return row < len(self.ids) and int(self.ids[row]) == paper_id


def sample_of(ids: np.ndarray) -> np.ndarray:
    """The papers to learn the vocabulary from: all, or `SAMPLE` evenly spread
    (old and new papers alike; the same library gives the same sample)."""
    if len(ids) <= SAMPLE:
        return ids
    return ids[np.linspace(0, len(ids) - 1, SAMPLE).astype(np.int64)]


def _vectorizer(rows: int):
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    small = rows < 50  # a tiny library: keep every term, or nothing is left
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True,
                           stop_words=sorted(ENGLISH_STOP_WORDS | ACADEMIC_WORDS),
                           token_pattern=TOKEN_PATTERN, strip_accents="unicode",
                           min_df=1 if small else 2, max_df=1.0 if small else 0.5,
                           max_features=MAX_TERMS, norm=None, dtype=np.float32)


def clean(text: str) -> str:
    """The text without web addresses (their pieces are no topic)."""
    return _ADDRESS.sub(" ", text)


def learn(titles: Sequence[str], abstracts: Sequence[str]) -> tuple:
    """The vectorizer, fitted on these papers (a sample of the library), as a
    tuple of one (the feature file stores a tuple of models)."""
    vectorizer = _vectorizer(len(titles))
    try:
        vectorizer.fit([clean(f"{t} {a}") for t, a in zip(titles, abstracts, strict=True)])
    except ValueError:  # nothing but stop words (or no text): an empty vocabulary
        vectorizer.vocabulary_ = {}
        vectorizer.fixed_vocabulary_ = True
    # every term the cut dropped, kept for introspection only: millions of
    # word pairs in a large library, and they would go into the cache file
    vectorizer.stop_words_ = None
    return (vectorizer,)


def transform(vectorizers: tuple, titles: Sequence[str], abstracts: Sequence[str]):
    """Rows for papers with the learnt vocabulary (words not in it are left out)."""
    from sklearn.preprocessing import normalize

    (vectorizer,) = vectorizers
    title_rows = _transform(vectorizer, [clean(t) for t in titles])
    abstract_rows = _transform(vectorizer, [clean(a) for a in abstracts])
    joined = (title_rows * TITLE_WEIGHT + abstract_rows).tocsr().astype(np.float32)
    if joined.shape[1] == 0:  # an empty vocabulary: rows of nothing
        return joined
    return normalize(joined, norm="l2", copy=False)


def assemble(ids: Sequence[int], blocks: list, vectorizers: tuple,
             fitted_rows: int) -> Features:
    """Features from the rows of ``ids`` transformed block by block, in order.
    The blocks are emptied as they are copied in (``blocks`` is left empty)."""
    terms = _names(vectorizers[0])
    matrix = _stack(blocks, len(terms))
    return Features(np.asarray(ids, dtype=np.int64), matrix, vectorizers, fitted_rows, terms)


def fit(ids: Sequence[int], titles: Sequence[str], abstracts: Sequence[str]) -> Features:
    """Learn the vocabulary on these papers and transform them (all in memory:
    for a sample or a small library; `Suggester` works block by block)."""
    vectorizers = learn(titles, abstracts)
    return assemble(ids, [transform(vectorizers, titles, abstracts)], vectorizers, len(ids))


def extend(features: Features, ids: Sequence[int], titles: Sequence[str],
           abstracts: Sequence[str], new_stamps: Sequence[int] | None = None) -> Features:
    """The features with these papers added (rows kept in id order)."""
    from scipy import sparse

    if not len(ids):
        return features
    rows = transform(features.vectorizers, titles, abstracts)
    all_ids = np.concatenate([features.ids, np.asarray(ids, dtype=np.int64)])
    matrix = sparse.vstack([features.matrix, rows], format="csr")
    stamps = None
    if features.stamps is not None and new_stamps is not None:
        stamps = np.concatenate([features.stamps, np.asarray(new_stamps, dtype=np.int64)])
    if len(all_ids) > 1 and not np.all(all_ids[1:] > all_ids[:-1]):
        order = np.argsort(all_ids, kind="stable")  # new papers have the highest ids, mostly
        all_ids, matrix = all_ids[order], matrix[order]
        stamps = stamps[order] if stamps is not None else None
    return Features(all_ids, matrix, features.vectorizers, features.fitted_rows,
                    features.terms, stamps=stamps)


def without(features: Features, gone: Sequence[int]) -> Features:
    """The features without these papers (deleted from the library)."""
    keep = ~np.isin(features.ids, np.asarray(gone, dtype=np.int64))
    return Features(features.ids[keep], features.matrix[keep], features.vectorizers,
                    features.fitted_rows, features.terms,
                    stamps=features.stamps[keep] if features.stamps is not None else None)


_SETTINGS = ("ngram_range", "sublinear_tf", "stop_words", "min_df", "max_df", "max_features",
             "token_pattern", "strip_accents", "lowercase", "norm", "use_idf", "smooth_idf")


class StoredModel:
    """A vectorizer as the feature file holds it (settings, terms, idf weights),
    made a `TfidfVectorizer` only when a paper must be transformed: `similar`
    and a ranking of papers already in the features never import
    scikit-learn (close to a second of a command's start)."""

    def __init__(self, settings: dict, terms: list[str], idf: np.ndarray):
        if not isinstance(settings, dict) or set(settings) != set(_SETTINGS):
            raise ValueError("not the settings of a vectorizer")
        if not isinstance(terms, list) or len(terms) != len(idf) or idf.ndim != 1:
            raise ValueError("terms and weights disagree")
        self.parts = (settings, terms, idf)
        self._built = None

    def built(self):
        if self._built is None:
            self._built = rebuild_model(*self.parts)
        return self._built

    def __getattr__(self, name: str):  # what a TfidfVectorizer has: made now
        if name.startswith("__") or name in ("parts", "_built"):
            raise AttributeError(name)
        return getattr(self.built(), name)


def describe_model(vectorizer) -> tuple[dict, list[str], np.ndarray]:
    """A fitted vectorizer as data: its settings, its terms in column order and
    their idf weights (for the feature file, which holds no objects)."""
    if isinstance(vectorizer, StoredModel):
        return vectorizer.parts
    params = vectorizer.get_params()
    settings = {name: (list(params[name]) if isinstance(params[name], tuple) else params[name])
                for name in _SETTINGS}
    terms = [str(t) for t in _names(vectorizer)]
    idf = (np.asarray(vectorizer.idf_, dtype=np.float64) if terms
           else np.zeros(0, dtype=np.float64))
    return settings, terms, idf


def rebuild_model(settings: dict, terms: list[str], idf: np.ndarray):
    """The vectorizer `describe_model` described, ready to transform."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not isinstance(settings, dict) or set(settings) != set(_SETTINGS):
        raise ValueError("not the settings of a vectorizer")
    if not isinstance(terms, list) or len(terms) != len(idf) or idf.ndim != 1:
        raise ValueError("terms and weights disagree")
    chosen = dict(settings)
    chosen["ngram_range"] = tuple(chosen["ngram_range"])
    vectorizer = TfidfVectorizer(dtype=np.float32, **chosen)
    if terms:
        vectorizer.vocabulary_ = {str(term): number for number, term in enumerate(terms)}
        vectorizer.fixed_vocabulary_ = True
        vectorizer.idf_ = idf
    else:
        vectorizer.vocabulary_ = {}
        vectorizer.fixed_vocabulary_ = True
    vectorizer.stop_words_ = None
    return vectorizer


def assembled(ids: np.ndarray, matrix, vectorizers: tuple, fitted_rows: int) -> Features:
    """Features from their parts as the feature file holds them."""
    if len(vectorizers) != 1:
        raise ValueError("not one vocabulary")
    model = vectorizers[0]
    terms = (np.array(model.parts[1], dtype=object) if isinstance(model, StoredModel)
             else _names(model))
    return Features(np.asarray(ids, dtype=np.int64), matrix, vectorizers, fitted_rows, terms)


def _stack(blocks: list, width: int):
    """The blocks' rows as one CSR matrix, each block freed once copied: scipy's
    vstack holds every block and the result at once (twice the features)."""
    from scipy import sparse

    total = sum(block.nnz for block in blocks)
    index = np.int32 if total < 2**31 else np.int64  # one index type: scipy copies mixed ones
    data = np.empty(total, dtype=np.float32)
    indices = np.empty(total, dtype=index)
    indptr = [np.zeros(1, dtype=index)]
    done = 0
    while blocks:
        block = blocks.pop(0)
        data[done:done + block.nnz] = block.data
        indices[done:done + block.nnz] = block.indices
        indptr.append(block.indptr[1:].astype(index) + done)
        done += block.nnz
    return sparse.csr_matrix((data, indices, np.concatenate(indptr)),
                             shape=(sum(len(p) for p in indptr) - 1, width))


def _transform(vectorizer, texts: Sequence[str]):
    from scipy import sparse

    if not getattr(vectorizer, "vocabulary_", None):
        return sparse.csr_matrix((len(texts), 0), dtype=np.float32)
    return vectorizer.transform(texts)


def _names(vectorizer) -> np.ndarray:
    if not getattr(vectorizer, "vocabulary_", None):
        return np.array([], dtype=object)
    return vectorizer.get_feature_names_out()
