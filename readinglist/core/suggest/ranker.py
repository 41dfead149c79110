"""Ranking papers by how much they look like the ones a person chose.

With three positives or more: a linear SVM (scikit-learn's `LinearSVC`, class
weights balanced) trained on the positives against the rest of the library,
as arxiv-sanity does; its decision value is the score. With one or two: the
cosine similarity to their centroid, which needs no training. Either way a
paper's "why" is the five terms that add most to its score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from readinglist.core.suggest.features import Features

SVM = "svm"
CENTROID = "centroid"
MIN_FOR_SVM = 3
SVM_C = 0.1  # strong regularisation: a handful of positives among thousands
WHY_TERMS = 5


@dataclass(frozen=True)
class Ranked:
    ids: list[int]  # best first
    scores: list[float]
    why: list[list[str]]
    method: str


def rank(features: Features, positives: Sequence[int], candidates: Sequence[int],
         limit: int | None) -> Ranked:
    """Score ``candidates`` by their likeness to ``positives`` (ids in ``features``)."""
    pos_rows = features.rows_of(positives)
    cand_rows = features.rows_of(candidates)
    matrix = features.matrix
    if MIN_FOR_SVM <= len(pos_rows) < matrix.shape[0]:
        (weights, bias), method = _svm(matrix, pos_rows), SVM
    else:
        weights, bias, method = _centroid(matrix, pos_rows), 0.0, CENTROID
    scores = np.asarray(matrix[cand_rows] @ weights).ravel() + bias
    order = np.argsort(-scores, kind="stable")[: limit or None]
    chosen = cand_rows[order]
    why = [_why(features, matrix[row], weights) for row in chosen]
    return Ranked([int(i) for i in features.ids[chosen]],
                  [float(s) for s in scores[order]], why, method)


def similar(features: Features, paper_id: int, limit: int) -> tuple[list[int], list[float]]:
    """The papers nearest to one by cosine similarity, best first, itself left out."""
    row = int(features.rows_of([paper_id])[0])
    scores = np.asarray(features.matrix @ features.matrix[row].T.toarray()).ravel()
    scores[row] = -np.inf
    count = min(limit, len(scores) - 1)
    if count <= 0:
        return [], []
    best = np.argpartition(-scores, count - 1)[:count]
    best = best[np.argsort(-scores[best], kind="stable")]
    return [int(i) for i in features.ids[best]], [float(s) for s in scores[best]]


def _svm(matrix, pos_rows: np.ndarray) -> tuple[np.ndarray, float]:
    from sklearn.svm import LinearSVC

    labels = np.zeros(matrix.shape[0], dtype=np.int8)
    labels[pos_rows] = 1
    model = LinearSVC(C=SVM_C, class_weight="balanced", dual="auto", max_iter=5000,
                      tol=1e-4)
    model.fit(matrix, labels)
    return model.coef_.ravel().astype(np.float32), float(model.intercept_[0])


def _centroid(matrix, pos_rows: np.ndarray) -> np.ndarray:
    centre = np.asarray(matrix[pos_rows].mean(axis=0)).ravel().astype(np.float32)
    size = float(np.linalg.norm(centre))
    return centre / size if size else centre


def _why(features: Features, row, weights: np.ndarray) -> list[str]:
    """The terms of this paper that add most to its score (a title's and an
    abstract's copy of one term count once)."""
    columns, values = row.indices, row.data
    if not len(columns):
        return []
    gains = values * weights[columns]
    terms: list[str] = []
    for position in np.argsort(-gains, kind="stable"):
        if gains[position] <= 0 or len(terms) == WHY_TERMS:
            break
        term = str(features.terms[columns[position]])
        if term not in terms:
            terms.append(term)
    return terms
