"""Suggestions held to an anchor: arxiv-sanity-lite's own recipe, run on the
same papers and the same random seed sets as the project's, in one process.

The anchor is written here from arxiv-sanity-lite's `compute.py` (its
TfidfVectorizer) and `serve.py` (its LinearSVC): positives the tagged papers,
every other paper a negative, ranked by the SVM's decision value. The
project's side goes through the real core (`features.fit`, `ranker.train`,
`ranker.scores`, `ranker.similar`), so a change there moves its figure.

A topic's papers are known (`topics.py`'s generated library; the real
digests with keyword topics as silver labels); a seed set is five of them,
drawn at random; precision@10 is the share of the ten best-ranked other
papers that are of the topic.
"""

from __future__ import annotations

import random
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from readinglist.core.suggest import features as project_features
from readinglist.core.suggest import ranker

SEED_SETS = 20  # per topic
SEEDS_PER_SET = 5
TOP = 10


@dataclass(frozen=True)
class Corpus:
    titles: list[str]
    abstracts: list[str]
    topics: list[str | None]  # each paper's topic, None for papers of no topic

    def groups(self, smallest: int = 10) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for row, topic in enumerate(self.topics):
            if topic is not None:
                found.setdefault(topic, []).append(row)
        return {t: rows for t, rows in sorted(found.items()) if len(rows) >= smallest}


@dataclass(frozen=True)
class Figures:
    mean: float
    spread: float  # standard deviation over every topic's seed sets
    by_topic: dict[str, float]


# -- the two rankers, each a function (positives' rows) -> scores of every row ----------------
Ranker = Callable[[np.ndarray], np.ndarray]


def project_ranker(corpus: Corpus) -> Ranker:
    ids = np.arange(len(corpus.titles), dtype=np.int64)
    feats = project_features.fit(ids, corpus.titles, corpus.abstracts)

    def rank(positives: np.ndarray) -> np.ndarray:
        model = ranker.train(feats, positives.tolist())
        return ranker.scores(feats, model, ids.tolist())
    return rank


def anchor_matrix(corpus: Corpus):
    """arxiv-sanity-lite's compute.py, as it is (text: title and abstract)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        input="content", encoding="utf-8", decode_error="replace", strip_accents="unicode",
        lowercase=True, analyzer="word", stop_words="english",
        token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b", ngram_range=(1, 2),
        max_features=20000, norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=True,
        max_df=0.1, min_df=5)
    texts = [f"{t} | {a}" for t, a in zip(corpus.titles, corpus.abstracts, strict=True)]
    return vectorizer.fit_transform(texts).astype(np.float32)


def anchor_ranker(corpus: Corpus) -> Ranker:
    """arxiv-sanity-lite's serve.py: a LinearSVC on the tagged papers."""
    from sklearn.svm import LinearSVC

    matrix = anchor_matrix(corpus)

    def rank(positives: np.ndarray) -> np.ndarray:
        labels = np.zeros(matrix.shape[0], dtype=np.int8)
        labels[positives] = 1
        clf = LinearSVC(class_weight="balanced", verbose=False, max_iter=10000, tol=1e-6,
                        C=0.01)
        clf.fit(matrix, labels)
        return clf.decision_function(matrix)
    return rank


# -- measuring ---------------------------------------------------------------------------------
def seed_sets(corpus: Corpus, seed: int = 2026) -> list[tuple[str, np.ndarray]]:
    """The same random seed sets for both rankers: `SEED_SETS` per topic."""
    chooser = random.Random(seed)
    return [(topic, np.array(sorted(chooser.sample(rows, SEEDS_PER_SET))))
            for topic, rows in corpus.groups().items() for _ in range(SEED_SETS)]


def precision_at_10(corpus: Corpus, rank: Ranker, sets) -> Figures:
    per_topic: dict[str, list[float]] = {}
    for topic, positives in sets:
        scores = np.asarray(rank(positives), dtype=np.float64).copy()
        scores[positives] = -np.inf
        best = np.argsort(-scores, kind="stable")[:TOP]
        hits = sum(corpus.topics[int(row)] == topic for row in best)
        per_topic.setdefault(topic, []).append(hits / TOP)
    every = [p for values in per_topic.values() for p in values]
    return Figures(statistics.fmean(every), statistics.pstdev(every),
                   {t: statistics.fmean(v) for t, v in per_topic.items()})


def similar_on_topic(corpus: Corpus, neighbours: Callable[[int], Sequence[int]]) -> float:
    """The share of each topic paper's five nearest papers that share its topic."""
    shares = []
    for topic, rows in corpus.groups().items():
        for row in rows:
            near = list(neighbours(row))[:5]
            shares.append(sum(corpus.topics[r] == topic for r in near) / 5)
    return statistics.fmean(shares)


def project_neighbours(corpus: Corpus) -> Callable[[int], list[int]]:
    ids = np.arange(len(corpus.titles), dtype=np.int64)
    feats = project_features.fit(ids, corpus.titles, corpus.abstracts)
    return lambda row: ranker.similar(feats, row, 5)[0]


def anchor_neighbours(corpus: Corpus) -> Callable[[int], list[int]]:
    """arxiv-sanity-lite's "similar": the same SVM with one positive."""
    rank = anchor_ranker(corpus)

    def near(row: int) -> list[int]:
        scores = np.asarray(rank(np.array([row])), dtype=np.float64)
        scores[row] = -np.inf
        return [int(r) for r in np.argsort(-scores, kind="stable")[:5]]
    return near


# -- corpora -------------------------------------------------------------------------------------
def generated_corpus(per_topic: int = 40, seed: int = 11) -> Corpus:
    """Twelve topics as a real library has them: each topic's words are a long
    tail (a few common, most rare), an abstract is mostly words every paper
    uses, with a few of its topic's and a few of another's, and a fifth of the
    library is of no topic at all. Deterministic (a seed)."""
    from tests.topics import SHARED, TOPICS

    chooser = random.Random(seed)
    generic = SHARED + [f"{a}{b}" for a in ("pre", "re", "co", "de", "in", "ex", "sub", "over")
                        for b in ("tune", "scale", "frame", "align", "sample", "mark", "view",
                                  "form", "train", "model", "label", "shot", "layer", "span",
                                  "state", "task", "step", "gate", "path", "set")]
    vocab = {topic: words.split() + [f"{topic[:4]}{w}" for w in (
        "net", "bench", "former", "gen", "kit", "loss", "map", "vec", "flow", "sim", "graph",
        "text", "base", "pro", "lab", "verse", "mix", "hub", "scope", "core")]
        for topic, words in TOPICS.items()}

    def draw(words: list[str], count: int) -> list[str]:
        # Zipf-like: the first words of a list are the common ones
        weights = [1 / (rank + 1) for rank in range(len(words))]
        return chooser.choices(words, weights, k=count)

    titles, abstracts, topics = [], [], []
    names = list(vocab)
    for number in range(per_topic * (len(names) + 3)):
        topic = names[number % (len(names) + 3)] if number % (len(names) + 3) < len(names) \
            else None
        other = vocab[chooser.choice([n for n in names if n != topic])]
        own = vocab[topic] if topic else vocab[chooser.choice(names)][:0] + generic
        title = draw(own, 2) + draw(generic, 4) + draw(other, 1)
        words = draw(own, 8) + draw(other, 5) + draw(generic, 50)
        chooser.shuffle(title)
        chooser.shuffle(words)
        titles.append(" ".join(title).title())
        abstracts.append(" ".join(words).capitalize() + ".")
        topics.append(topic)
    return Corpus(titles, abstracts, topics)


# Keyword topics of the real digests (silver labels): a paper is of a topic
# when its title or abstract says one of its words, and of no topic when it
# says the words of none or of two.
REAL_TOPICS = {
    "robots": r"\brobot|\bembodied|\bmanipulation\b|vision-language-action|\bgrasp",
    "speech": r"\bspeech\b|\baudio\b|\bspeaker\b|text-to-speech|\bvoice\b",
    "code": r"\bcode generation|\bcoding\b|software engineering|\bprogramm|\bcompiler",
    "video": r"\bvideo generation|\bvideo diffusion|text-to-video|\bvideos?\b",
    "math": r"\bmathematical|\btheorem|\bmath\b|\bolympiad",
    "medical": r"\bmedical|\bclinical|\bpatient|\bradiolog|\bhealthcare",
    "agents": r"\bweb agents?\b|\bgui agents?\b|\bagentic\b|\btool use\b|\btool-use",
    "3d": r"\b3d\b|\bgaussian splatting|\bpoint clouds?\b|\bmesh(es)?\b|\bnerf\b",
}


def real_corpus(folder: Path) -> Corpus | None:
    """The shared real digests, when present: each paper once."""
    from datetime import date

    from readinglist.core.sources.digest import parse

    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    seen: dict[str, tuple[str, str]] = {}
    for path in files:
        digest = parse(path.read_bytes(), reference=date(2026, 12, 1))
        for paper in digest.entries:
            seen.setdefault(paper.title.lower(), (paper.title, paper.abstract))
    if len(seen) < 100:
        return None
    titles = [t for t, _ in seen.values()]
    abstracts = [a for _, a in seen.values()]
    topics = []
    for title, abstract in zip(titles, abstracts, strict=True):
        text = f"{title} {abstract}".lower()
        hits = [t for t, pattern in REAL_TOPICS.items() if re.search(pattern, text)]
        topics.append(hits[0] if len(hits) == 1 else None)
    return Corpus(titles, abstracts, topics)
