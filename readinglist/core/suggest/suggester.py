"""What to read next, and papers like this one (`Library.suggest`, `Library.similar`).

Two sets of positives: a tag's papers, or with no tag what the person showed
interest in (read, skimmed, tagged, or with a note). A `Ranking` orders any
view of the library by likeness to them; `suggest` is its top, with the
terms behind each score. The features live in `suggest.cache`.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np

from readinglist.core.errors import InvalidInput, NotFound
from readinglist.core.reading.papers import Papers
from readinglist.core.storage.filter import Filter, tag_key
from readinglist.core.storage.schema import STATUSES
from readinglist.core.store import Store
from readinglist.core.suggest import ranker
from readinglist.core.suggest.cache import FeatureCache, Progress
from readinglist.core.suggest.suggestion import Suggestion

NOTHING_TO_LEARN = "nothing to learn from yet: tag or read a few papers first"


def library_share_below(all_scores: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For each value, the percentage of the library's papers that score lower:
    a relevance a person can compare between days, unlike an SVM's margin."""
    ordered = np.sort(np.asarray(all_scores, dtype=np.float64))
    if not len(ordered):
        return np.full(len(values), math.nan)
    return 100.0 * np.searchsorted(ordered, values, side="left") / len(ordered)


def explain(method: str | None, positives: int) -> str | None:
    """What a person should know about how a ranking was made, if anything."""
    if method is None:
        return NOTHING_TO_LEARN
    if method == ranker.CENTROID:
        return (f"only {positives} paper{'s' if positives != 1 else ''} to learn "
                "from: ranked by likeness to them (3 or more train a classifier)")
    return None


@dataclass(frozen=True)
class Suggestions:
    items: list[Suggestion]
    method: str | None  # "svm", "centroid", or None when there was nothing to learn from
    positives: int

    @property
    def message(self) -> str | None:
        return explain(self.method, self.positives)


@dataclass(frozen=True)
class Ranking:
    """A view's papers best first. Papers the features do not cover yet (just
    imported) come last, unscored (NaN); with nothing to learn from, the
    papers keep the order they were given in."""

    ids: list[int]
    scores: list[float]
    method: str | None
    positives: int
    model: ranker.Model | None = field(default=None, repr=False, compare=False)
    relevance: list[float] = field(default_factory=list, repr=False, compare=False)

    @property
    def message(self) -> str | None:
        return explain(self.method, self.positives)

    @functools.cached_property
    def score_of(self) -> dict[int, float]:
        """Each scored paper's relevance, 0-100 (made once; the window makes it on
        a worker)."""
        values = self.relevance or self.scores
        return {i: s for i, s in zip(self.ids, values, strict=True) if not math.isnan(s)}


class Suggester:
    def __init__(self, store: Store, papers: Papers):
        self._store = store
        self._papers = papers
        self.cache = FeatureCache(store)
        self.refit_inline = True  # the window sets False and refits in the background

    def rank(self, view: Filter | None = None, tag: str | None = None,
             include_chosen: bool = False) -> Ranking:
        """The papers of ``view`` ranked by likeness to ``tag``'s papers, or with
        no tag to what the person showed interest in. The positives themselves
        are left out unless ``include_chosen`` (a view sorted best first)."""
        positives = self._positives(tag)
        candidates = np.asarray(self._papers.ids(view, sort="id"), dtype=np.int64)
        if not include_chosen:
            candidates = candidates[~np.isin(candidates, positives, assume_unique=True)]
        if not len(positives):
            return Ranking(candidates.tolist(), [math.nan] * len(candidates), None, 0)
        features = self.cache.current(refit=self.refit_inline)
        positives = positives[np.isin(positives, features.ids, assume_unique=True)]
        if not len(positives):
            return Ranking(candidates.tolist(), [math.nan] * len(candidates), None, 0)
        covered = np.isin(candidates, features.ids, assume_unique=True)
        dismissed = self._dismissed()
        dismissed = dismissed[np.isin(dismissed, features.ids, assume_unique=True)
                              & ~np.isin(dismissed, positives, assume_unique=True)]
        model = ranker.train(features, positives.tolist(), dismissed.tolist())
        scored = candidates[covered]
        values = ranker.scores(features, model, scored.tolist()) if len(scored) else np.array([])
        order = np.argsort(-values, kind="stable")
        later = candidates[~covered]
        # against the papers it did not learn from: those it learnt from rank
        # above everything, and a top paper would never be in the top 1%
        others = features.ids[~np.isin(features.ids, positives, assume_unique=True)]
        shares = library_share_below(ranker.scores(features, model, others.tolist()),
                                     values[order])
        return Ranking([*scored[order].tolist(), *later.tolist()],
                       [*values[order].astype(float).tolist(), *[math.nan] * len(later)],
                       model.method, len(positives), model,
                       [*shares.astype(float).tolist(), *[math.nan] * len(later)])

    def still(self, ranking: Ranking, view: Filter | None = None, tag: str | None = None,
              include_chosen: bool = False) -> Ranking:
        """The same ranking of the view's papers as they are now, without ranking
        again: papers that left the view (or became positives) drop out, new ones
        come last. A list that reorders itself under the cursor after every tag
        is worse than one a moment behind."""
        candidates = np.asarray(self._papers.ids(view, sort="id"), dtype=np.int64)
        if not include_chosen:
            candidates = candidates[~np.isin(candidates, self._positives(tag),
                                             assume_unique=True)]
        ranked = np.asarray(ranking.ids, dtype=np.int64)
        keep = np.isin(ranked, candidates, assume_unique=True)
        new = candidates[~np.isin(candidates, ranked, assume_unique=True)]
        kept_scores = np.asarray(ranking.scores, dtype=float)[keep]
        kept_shares = np.asarray(ranking.relevance or ranking.scores, dtype=float)[keep]
        return Ranking([*ranked[keep].tolist(), *new.tolist()],
                       [*kept_scores.tolist(), *[math.nan] * len(new)],
                       ranking.method, ranking.positives, ranking.model,
                       [*kept_shares.tolist(), *[math.nan] * len(new)])

    def why(self, ranking: Ranking, paper_id: int) -> tuple[str, ...]:
        """The five terms that weigh most in this paper's score."""
        if ranking.model is None:
            return ()
        return tuple(ranker.why(self.cache.loaded(), ranking.model, paper_id))

    def suggest(self, tag: str | None = None, status: str | None = "unread",
                limit: int | None = 50) -> Suggestions:
        """The top of the ranking of the papers with ``status`` (the tag's papers
        and the chosen ones left out), with the terms behind each score."""
        if status is not None and status not in STATUSES:
            raise InvalidInput(f"unknown status {status!r} (use one of {', '.join(STATUSES)})")
        ranking = self.rank(Filter(status=status, dismissed=False), tag)
        if ranking.method is None:
            return Suggestions([], None, 0)
        top = [(i, s, r) for i, s, r in zip(ranking.ids, ranking.scores, ranking.relevance,
                                             strict=True) if not math.isnan(s)][: limit or None]
        papers = {p.id: p for p in self._papers.get_many([i for i, _, _ in top])}
        items = [Suggestion(papers[i], s, self.why(ranking, i), r) for i, s, r in top
                 if i in papers]
        return Suggestions(items, ranking.method, ranking.positives)

    def similar(self, paper_id: int, limit: int = 10) -> list[Suggestion]:
        """The papers nearest to one by the cosine of their TF-IDF rows."""
        self._papers.get(paper_id)  # NotFound for an unknown id
        features = self.cache.current(refit=self.refit_inline)
        if not features.has(paper_id):
            return []
        ids, scores = ranker.similar(features, paper_id, limit)
        papers = {p.id: p for p in self._papers.get_many(ids)}
        return [Suggestion(papers[i], s, (), 100.0 * s, likeness=True)
                for i, s in zip(ids, scores, strict=True) if i in papers]

    def prepare(self, progress: Progress | None = None) -> None:
        """Have the features ready: read the cache, or make it (the window calls
        this in the background at start and after imports)."""
        if self.cache.refit_due():
            self.cache.refit(progress)
        else:
            self.cache.current(refit=False)
            # in the background: the file in step, so that the next process (a
            # terminal's `suggest`) need not transform the new papers itself
            self.cache.save(at_least=1)

    def _positives(self, tag: str | None) -> np.ndarray:
        with self._store.read_plain() as conn:
            if tag is not None:
                found = conn.execute("SELECT id FROM tag WHERE name_key = ?",
                                     (tag_key(tag),)).fetchone()
                if found is None:
                    raise NotFound(f"no tag named {tag!r}")
                query = "SELECT paper_id FROM paper_tag WHERE tag_id = ?", (found[0],)
            else:  # what the person showed interest in, and did not then dismiss
                query = ("SELECT id FROM paper WHERE (status != 'unread' OR note != '' "
                         "OR id IN (SELECT paper_id FROM paper_tag)) AND dismissed IS NULL", ())
            return np.unique(np.fromiter((row[0] for row in conn.execute(*query)),
                                         dtype=np.int64))

    def _dismissed(self) -> np.ndarray:
        """The papers marked "not interested": negatives that count more."""
        with self._store.read_plain() as conn:
            return np.unique(np.fromiter(
                (row[0] for row in conn.execute(
                    "SELECT id FROM paper WHERE dismissed IS NOT NULL")), dtype=np.int64))
