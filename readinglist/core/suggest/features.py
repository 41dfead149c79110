"""TF-IDF features of titles and abstracts (scikit-learn's `TfidfVectorizer`).

Words and two-word phrases, sublinear term frequency, English stop words,
rare and ubiquitous terms cut. The title counts twice as much as the abstract:
each has its own vectorizer, and the two halves are weighted and joined before
every row is scaled to unit length, so a dot product of two rows is their
cosine similarity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

TITLE_WEIGHT = 2.0
MAX_TERMS = 2**18  # per vectorizer: what a 100,000-paper library needs, bounded


@dataclass
class Features:
    ids: np.ndarray  # paper ids, one per row, ascending
    matrix: object  # scipy.sparse.csr_matrix, float32, rows of unit length
    vectorizers: tuple  # (title, abstract) TfidfVectorizer, fitted
    fitted_rows: int  # how many papers the vocabulary was fitted on
    terms: np.ndarray = field(repr=False, default=None)  # the term of each column

    def rows_of(self, ids: Sequence[int]) -> np.ndarray:
        """Row numbers of these ids (all must be present)."""
        return np.searchsorted(self.ids, np.asarray(ids, dtype=np.int64))

    def has(self, paper_id: int) -> bool:
        row = int(np.searchsorted(self.ids, paper_id))
        return row < len(self.ids) and int(self.ids[row]) == paper_id


def _vectorizer(rows: int):
    from sklearn.feature_extraction.text import TfidfVectorizer

    small = rows < 50  # a tiny library: keep every term, or nothing is left
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english",
                           min_df=1 if small else 2, max_df=1.0 if small else 0.5,
                           max_features=MAX_TERMS, dtype=np.float32)


def fit(ids: Sequence[int], titles: Sequence[str], abstracts: Sequence[str]) -> Features:
    """Fit the vocabulary on these papers and transform them."""
    title_vec, abstract_vec = _vectorizer(len(ids)), _vectorizer(len(ids))
    title_rows = _fit_transform(title_vec, titles)
    abstract_rows = _fit_transform(abstract_vec, abstracts)
    terms = np.concatenate([_names(title_vec), _names(abstract_vec)])
    matrix = _join(title_rows, abstract_rows)
    return Features(np.asarray(ids, dtype=np.int64), matrix, (title_vec, abstract_vec),
                    len(ids), terms)


def transform(features: Features, titles: Sequence[str], abstracts: Sequence[str]):
    """Rows for new papers with the fitted vocabulary (their new words are not in it)."""
    title_vec, abstract_vec = features.vectorizers
    return _join(_transform(title_vec, titles), _transform(abstract_vec, abstracts))


def extend(features: Features, ids: Sequence[int], titles: Sequence[str],
           abstracts: Sequence[str]) -> Features:
    """The features with these papers added (rows kept in id order)."""
    from scipy import sparse

    if not len(ids):
        return features
    rows = transform(features, titles, abstracts)
    all_ids = np.concatenate([features.ids, np.asarray(ids, dtype=np.int64)])
    order = np.argsort(all_ids, kind="stable")
    matrix = sparse.vstack([features.matrix, rows], format="csr")[order]
    return Features(all_ids[order], matrix, features.vectorizers, features.fitted_rows,
                    features.terms)


def without(features: Features, gone: Sequence[int]) -> Features:
    """The features without these papers (deleted from the library)."""
    keep = ~np.isin(features.ids, np.asarray(gone, dtype=np.int64))
    return Features(features.ids[keep], features.matrix[keep], features.vectorizers,
                    features.fitted_rows, features.terms)


def _fit_transform(vectorizer, texts: Sequence[str]):
    from scipy import sparse

    try:
        return vectorizer.fit_transform(texts)
    except ValueError:  # nothing but stop words (or no text): an empty vocabulary
        vectorizer.vocabulary_ = {}
        vectorizer.fixed_vocabulary_ = True
        return sparse.csr_matrix((len(texts), 0), dtype=np.float32)


def _transform(vectorizer, texts: Sequence[str]):
    from scipy import sparse

    if not getattr(vectorizer, "vocabulary_", None):
        return sparse.csr_matrix((len(texts), 0), dtype=np.float32)
    return vectorizer.transform(texts)


def _names(vectorizer) -> np.ndarray:
    if not getattr(vectorizer, "vocabulary_", None):
        return np.array([], dtype=object)
    return vectorizer.get_feature_names_out()


def _join(title_rows, abstract_rows):
    from scipy import sparse
    from sklearn.preprocessing import normalize

    joined = sparse.hstack([title_rows * TITLE_WEIGHT, abstract_rows], format="csr")
    return normalize(joined.astype(np.float32), norm="l2", copy=False)
