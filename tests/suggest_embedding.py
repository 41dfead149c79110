"""A small embedding model, measured beside the project and the anchor
(`suggest_eval.py`): WordLlama's 256-dimension word embeddings (16 MB of
weights inside its wheel, loaded offline), averaged over a paper's title and
abstract, joined to the project's TF-IDF row with weight ``alpha`` (and alone,
``alpha`` None), ranked by the same SVM.

Not a dependency of Readinglist: run it where ``wordllama`` is importable,
``python -m tests.suggest_embedding``; the README's suggestion section gives
the figures and why it is not adopted.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

import numpy as np
from scipy import sparse

from readinglist.core.suggest import features, linear_svm, ranker
from tests import suggest_eval
from tests.conftest import SHARED_DIGESTS

ALPHAS = (None, 0.2, 0.35, 0.5, 0.75)


def load_model():
    import wordllama
    from wordllama import WordLlama

    # The wheel keeps its tokenizer under tokenizers/, where WordLlama's own
    # look-up (tokenizer/) misses it: the package folder as the "cache" finds
    # both, and disable_download keeps it offline.
    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


def embed(model, corpus: suggest_eval.Corpus) -> np.ndarray:
    texts = [f"{t}. {a}" for t, a in zip(corpus.titles, corpus.abstracts, strict=True)]
    vectors = np.asarray(model.embed(texts, norm=True), dtype=np.float64)
    return vectors


def hybrid_ranker(corpus, vectors: np.ndarray, alpha: float | None) -> suggest_eval.Ranker:
    ids = np.arange(len(corpus.titles), dtype=np.int64)
    tfidf = features.fit(ids, corpus.titles, corpus.abstracts).matrix
    matrix = (sparse.csr_matrix(vectors) if alpha is None
              else sparse.hstack([tfidf, alpha * sparse.csr_matrix(vectors)]).tocsr())

    def rank(positives: np.ndarray) -> np.ndarray:
        labels = np.zeros(matrix.shape[0], np.int8)
        labels[positives] = 1
        w, b = linear_svm.fit(matrix, labels, ranker.SVM_C)
        return matrix @ w + b
    return rank


def main() -> None:
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    model = load_model()
    print(f"model loaded in {time.perf_counter() - start:.2f} s, "
          f"+{(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024:.0f} MB peak")
    for name, corpus in (("generated", suggest_eval.generated_corpus()),
                         ("real digests", suggest_eval.real_corpus(SHARED_DIGESTS))):
        if corpus is None:
            continue
        sets = suggest_eval.seed_sets(corpus)
        start = time.perf_counter()
        vectors = embed(model, corpus)
        print(f"{name}: {len(vectors)} papers embedded in {time.perf_counter() - start:.2f} s")
        for label, rank in (("project", suggest_eval.project_ranker(corpus)),
                            ("arxiv-sanity-lite", suggest_eval.anchor_ranker(corpus))):
            found = suggest_eval.precision_at_10(corpus, rank, sets)
            print(f"{name}: {label} {found.mean:.3f} ± {found.spread:.3f}")
        for alpha in ALPHAS:
            found = suggest_eval.precision_at_10(corpus, hybrid_ranker(corpus, vectors, alpha),
                                                 sets)
            label = "embedding alone" if alpha is None else f"tf-idf + {alpha} × embedding"
            print(f"{name}: {label} {found.mean:.3f} ± {found.spread:.3f}")


if __name__ == "__main__":
    main()
