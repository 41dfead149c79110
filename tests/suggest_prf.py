"""Pseudo-relevance feedback, measured beside the project and the anchor
(`suggest_eval.py`): a second SVM fit with the first ranking's best ``k``
unlabelled papers as weak positives (weight ``w``). Run it with
``python -m tests.suggest_prf``; the README's suggestion section gives the
figures and why it is not adopted.

Tuned on the generated topics (k, w), then read on the real digests, which it
was not tuned on.
"""

from __future__ import annotations

import numpy as np

from readinglist.core.suggest import features, linear_svm, ranker
from tests import suggest_eval
from tests.conftest import SHARED_DIGESTS

SETTINGS = [(k, w) for k in (3, 5, 10) for w in (0.3, 0.6, 1.0)]


def prf_ranker(corpus: suggest_eval.Corpus, k: int, weight: float) -> suggest_eval.Ranker:
    ids = np.arange(len(corpus.titles), dtype=np.int64)
    matrix = features.fit(ids, corpus.titles, corpus.abstracts).matrix

    def rank(positives: np.ndarray) -> np.ndarray:
        labels = np.zeros(matrix.shape[0], np.int8)
        labels[positives] = 1
        w, b = linear_svm.fit(matrix, labels, ranker.SVM_C)
        first = matrix @ w + b
        first[positives] = -np.inf
        weak = np.argsort(-first)[:k]
        labels[weak] = 1
        sample_weight = np.ones(len(labels))
        sample_weight[weak] = weight
        w, b = linear_svm.fit(matrix, labels, ranker.SVM_C, sample_weight=sample_weight)
        return matrix @ w + b
    return rank


def main() -> None:
    for name, corpus in (("generated", suggest_eval.generated_corpus()),
                         ("real digests", suggest_eval.real_corpus(SHARED_DIGESTS))):
        if corpus is None:
            continue
        sets = suggest_eval.seed_sets(corpus)
        for label, rank in (("project", suggest_eval.project_ranker(corpus)),
                            ("arxiv-sanity-lite", suggest_eval.anchor_ranker(corpus))):
            found = suggest_eval.precision_at_10(corpus, rank, sets)
            print(f"{name}: {label} {found.mean:.3f} ± {found.spread:.3f}")
        for k, weight in SETTINGS:
            found = suggest_eval.precision_at_10(corpus, prf_ranker(corpus, k, weight), sets)
            print(f"{name}: feedback k={k} w={weight} {found.mean:.3f} ± {found.spread:.3f}")


if __name__ == "__main__":
    main()
