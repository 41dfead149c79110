"""Ranking papers by how much they look like the ones a person chose.

With three positives or more: a linear SVM (the problem scikit-learn's
`LinearSVC` solves, class weights balanced; solved in linear_svm.py) trained
on the positives against the rest of the library, as arxiv-sanity does; its
decision value is the score. With one or two: the cosine similarity to their
centroid, which needs no training. Papers marked "not interested" are
negatives that weigh as much as a positive (with a centroid, their own
centroid is subtracted). Either way a paper's "why" is the five terms that
add most to its score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from readinglist.core.suggest import linear_svm, nearest
from readinglist.core.suggest.features import Features

SVM = "svm"
CENTROID = "centroid"
MIN_FOR_SVM = 3
SVM_C = 0.01  # strong regularisation, as arxiv-sanity: a handful of positives among thousands
# The SVM learns from at most this many papers: every positive up to half of
# it, and the rest drawn from the other papers. Balanced class weights make a
# sample of the negatives say what all of them say; at 100,000 papers the
# whole library takes 3-6 s to train on, a sample of 20,000 about 0.4 s.
TRAIN_ROWS = 20_000
WHY_TERMS = 5
DISMISSED_WEIGHT = 5.0  # at least: "not interested" says more than a paper left unread
DISMISSED_PULL = 0.5  # with a centroid: how far their centroid pushes away


@dataclass(frozen=True)
class Model:
    """What was learnt from the positives: one weight per column of the features
    it was trained on (``vocabulary`` tells which)."""

    weights: np.ndarray = field(repr=False)
    bias: float
    method: str
    vocabulary: int = field(repr=False)  # id() of the features' vectorizers

    def fits(self, features: Features) -> bool:
        return self.vocabulary == id(features.vectorizers)


def train(features: Features, positives: Sequence[int],
          dismissed: Sequence[int] = ()) -> Model:
    """Learn from ``positives`` (ids in ``features``) against the rest, the
    ``dismissed`` ones (not among the positives) counting more."""
    pos_rows = features.rows_of(positives)
    neg_rows = features.rows_of(dismissed) if len(dismissed) else np.zeros(0, np.int64)
    matrix = features.matrix
    if MIN_FOR_SVM <= len(pos_rows) < matrix.shape[0]:
        weights, bias = _svm(matrix, pos_rows, neg_rows)
        return Model(weights, bias, SVM, id(features.vectorizers))
    centre = _centroid(matrix, pos_rows)
    if len(neg_rows):
        centre = centre - DISMISSED_PULL * _centroid(matrix, neg_rows)
    return Model(centre, 0.0, CENTROID, id(features.vectorizers))


def scores(features: Features, model: Model, candidates: Sequence[int]) -> np.ndarray:
    """The model's score of each candidate (ids in ``features``); higher is better."""
    rows = features.rows_of(candidates)
    if len(rows) > features.matrix.shape[0] // 4:  # one pass beats copying the rows out
        return (features.matrix @ model.weights)[rows] + model.bias
    return np.asarray(features.matrix[rows] @ model.weights).ravel() + model.bias


def why(features: Features, model: Model, paper_id: int) -> list[str]:
    """The terms of this paper that add most to its score. A term's gain is what
    all its columns add (a title's and an abstract's copy count together), and
    only terms that add something are given. A term that shares a word with one
    already given is left out ("survey" after "comprehensive survey"): five
    terms say five things."""
    if not model.fits(features) or not features.has(paper_id):
        return []
    row = features.matrix[int(features.rows_of([paper_id])[0])]
    gains: dict[str, float] = {}
    for column, value in zip(row.indices, row.data, strict=True):
        term = str(features.terms[column])
        gains[term] = gains.get(term, 0.0) + float(value * model.weights[column])
    terms: list[str] = []
    words: set[str] = set()
    for term, gain in sorted(gains.items(), key=lambda item: -item[1]):
        if gain <= 0 or len(terms) == WHY_TERMS:
            break
        if words.isdisjoint(term.split()):
            terms.append(term)
            words.update(term.split())
    return terms


def similar(features: Features, paper_id: int, limit: int) -> tuple[list[int], list[float]]:
    """The papers nearest to one by cosine similarity, best first, itself left out."""
    matrix = features.matrix
    return nearest.neighbours(features.ids, matrix.data, matrix.indices, matrix.indptr,
                              matrix.shape[1], paper_id, limit)


def training_rows(total: int, pos_rows: np.ndarray,
                  neg_rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The rows the SVM learns from, and which of them are positives: all of a
    small library; else up to ``TRAIN_ROWS`` drawn the same way each time for
    the same positives (a view does not reorder itself from one ask to the next),
    every dismissed paper among them."""
    if total <= TRAIN_ROWS:
        labels = np.zeros(total, dtype=np.int8)
        labels[pos_rows] = 1
        return np.arange(total), labels
    rng = np.random.default_rng([total, len(pos_rows), int(pos_rows.sum())])
    positives = np.sort(pos_rows)
    if len(positives) > TRAIN_ROWS // 2:
        positives = np.sort(rng.choice(positives, TRAIN_ROWS // 2, replace=False))
    others = np.ones(total, dtype=bool)
    others[pos_rows] = False
    kept = np.zeros(0, np.int64)
    if neg_rows is not None and len(neg_rows):
        kept = np.unique(neg_rows[others[neg_rows]])[: TRAIN_ROWS // 4]
    others[kept] = False
    negatives = np.flatnonzero(others)
    wanted = min(len(negatives), TRAIN_ROWS - len(positives) - len(kept))
    negatives = np.concatenate([kept, rng.choice(negatives, wanted, replace=False)])
    wanted = len(negatives)
    rows = np.concatenate([positives, negatives])
    labels = np.concatenate([np.ones(len(positives), np.int8), np.zeros(wanted, np.int8)])
    order = np.argsort(rows)
    return rows[order], labels[order]


def _svm(matrix, pos_rows: np.ndarray, neg_rows: np.ndarray) -> tuple[np.ndarray, float]:
    rows, labels = training_rows(matrix.shape[0], pos_rows, neg_rows)
    weight = np.ones(len(rows), dtype=np.float64)
    # A dismissed paper weighs as much as a chosen one, in the other direction:
    # balanced class weights make one positive worth (negatives / positives)
    # ordinary negatives.
    positives = max(int(labels.sum()), 1)
    weight[np.isin(rows, neg_rows) & (labels == 0)] = max(
        DISMISSED_WEIGHT, (len(labels) - positives) / positives)
    return linear_svm.fit(matrix if len(rows) == matrix.shape[0] else matrix[rows], labels,
                          SVM_C, sample_weight=weight)


def _centroid(matrix, pos_rows: np.ndarray) -> np.ndarray:
    centre = np.asarray(matrix[pos_rows].mean(axis=0)).ravel().astype(np.float32)
    size = float(np.linalg.norm(centre))
    return centre / size if size else centre
