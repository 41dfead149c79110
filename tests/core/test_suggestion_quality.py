"""Suggestions against arxiv-sanity-lite's recipe on the same papers and the
same seed sets (`tests/suggest_eval.py`): the project must not fall below it.
Both figures are printed (`pytest -rP`) and go into the README."""

from __future__ import annotations

import numpy as np
import pytest

from readinglist.core.suggest import features, ranker
from tests import suggest_eval as ev
from tests.conftest import SHARED_DIGESTS


def _report(name: str, project: ev.Figures, anchor: ev.Figures) -> None:
    print(f"{name}: precision@10 project {project.mean:.3f} ± {project.spread:.3f}, "
          f"arxiv-sanity-lite {anchor.mean:.3f} ± {anchor.spread:.3f}")
    for topic, value in project.by_topic.items():
        print(f"  {topic:12s} {value:.3f}  {anchor.by_topic[topic]:.3f}")


def test_tag_suggestions_beat_arxiv_sanity_on_twelve_generated_topics():
    corpus = ev.generated_corpus()
    sets = ev.seed_sets(corpus)
    assert len(sets) == 12 * ev.SEED_SETS
    project = ev.precision_at_10(corpus, ev.project_ranker(corpus), sets)
    anchor = ev.precision_at_10(corpus, ev.anchor_ranker(corpus), sets)
    _report("generated", project, anchor)
    assert project.mean >= anchor.mean + 0.05
    assert sum(project.by_topic[t] >= anchor.by_topic[t] for t in project.by_topic) >= 10


def test_tag_suggestions_beat_arxiv_sanity_on_the_real_digests():
    corpus = ev.real_corpus(SHARED_DIGESTS)
    if corpus is None or not corpus.groups():
        pytest.skip("the shared real digests are not here")
    sets = ev.seed_sets(corpus)
    project = ev.precision_at_10(corpus, ev.project_ranker(corpus), sets)
    anchor = ev.precision_at_10(corpus, ev.anchor_ranker(corpus), sets)
    _report("real digests", project, anchor)
    assert project.mean >= anchor.mean


def test_similar_papers_share_the_topic_more_often_than_arxiv_sanitys():
    corpus = ev.generated_corpus(per_topic=20)
    project = ev.similar_on_topic(corpus, ev.project_neighbours(corpus))
    anchor = ev.similar_on_topic(corpus, ev.anchor_neighbours(corpus))
    print(f"similar on topic: project {project:.3f}, arxiv-sanity-lite {anchor:.3f}")
    assert project >= anchor


def test_the_title_weighs_twice_the_abstract_not_the_whole_row():
    """The bug this replaced: a title's few words were 80% of every row, so the
    ranking was by title alone."""
    corpus = ev.generated_corpus()
    feats = features.fit(np.arange(len(corpus.titles)), corpus.titles, corpus.abstracts)
    shares = []
    for row_number, title in enumerate(corpus.titles):
        words = set(title.lower().split())
        row = feats.matrix[row_number]
        title_part = sum(float(v) ** 2 for c, v in zip(row.indices, row.data, strict=True)
                         if set(str(feats.terms[c]).split()) <= words)
        shares.append(title_part)
    share = float(np.mean(shares))
    print(f"the title's share of a row: {share:.2f}")
    assert 0.15 < share < 0.6, share  # the title counts, and does not drown the abstract


def test_why_terms_are_the_topics_words_and_never_address_pieces_or_stock_phrases():
    corpus = ev.generated_corpus()
    ids = np.arange(len(corpus.titles), dtype=np.int64)
    abstracts = [a + " Code at https://github.com/someone/repo and www.example.com/page. "
                 "We propose a novel approach and demonstrate results."
                 for a in corpus.abstracts]
    feats = features.fit(ids, corpus.titles, abstracts)
    from tests.topics import TOPICS

    for topic, rows in corpus.groups().items():
        model = ranker.train(feats, rows[:5])
        scores = ranker.scores(feats, model, ids.tolist())
        scores[rows[:5]] = -np.inf
        best = [int(r) for r in np.argsort(-scores)[:5]]
        shown = [term for r in best for term in ranker.why(feats, model, r)]
        assert shown, topic
        for term in shown:
            assert not {"github", "https", "com", "www", "example", "propose", "novel",
                        "demonstrate", "results"} & set(term.split()), term
        own = set(TOPICS[topic].split()) | {w for w in " ".join(shown).split()
                                            if w.startswith(topic[:4])}
        on_topic = sum(bool(own & set(term.split())) for term in shown)
        assert on_topic >= 0.6 * len(shown), (topic, shown)
