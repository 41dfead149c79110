"""What to read next, and papers like this one (`Library.suggest`, `Library.similar`).

The features are a cache in the library folder (``features.joblib``): made
from the database, checked against it at each use (papers added are
transformed with the fitted vocabulary, papers deleted dropped; refitted when
the library has grown by a quarter since the fit), and rebuilt from the
database whenever it cannot be read. Never the source of truth.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import select

from readinglist.core.errors import InvalidInput, NotFound
from readinglist.core.models import STATUSES
from readinglist.core.papers import Papers
from readinglist.core.sql import Filter, chunks, paper_tags_t, papers_t, tag_id
from readinglist.core.store import Store
from readinglist.core.suggest import features as feats
from readinglist.core.suggest.ranker import rank, similar
from readinglist.core.views import PaperView

CACHE_NAME = "features.joblib"
REFIT_GROWTH = 1.25  # refit the vocabulary once the library is a quarter larger
NOTHING_TO_LEARN = "nothing to learn from yet: tag or read a few papers first"


@dataclass(frozen=True)
class Suggestion:
    paper: PaperView
    score: float
    why: tuple[str, ...]

    def to_json(self) -> dict:
        return {**self.paper.to_json(), "score": round(self.score, 6), "why": list(self.why)}


@dataclass(frozen=True)
class Suggestions:
    items: list[Suggestion]
    method: str | None  # "svm", "centroid", or None when there was nothing to learn from
    positives: int

    @property
    def message(self) -> str | None:
        if self.method is None:
            return NOTHING_TO_LEARN
        if self.method == "centroid":
            return (f"only {self.positives} paper{'s' if self.positives != 1 else ''} to learn "
                    "from: ranked by likeness to them (3 or more train a classifier)")
        return None


class Suggester:
    def __init__(self, store: Store, papers: Papers):
        self._store = store
        self._papers = papers
        self._features: feats.Features | None = None
        self._lock = threading.Lock()  # one caller updates the features at a time

    @property
    def cache_path(self) -> Path:
        return self._store.folder / CACHE_NAME

    # -- the two questions ---------------------------------------------------------------
    def suggest(self, tag: str | None = None, status: str | None = "unread",
                limit: int | None = 50) -> Suggestions:
        """Papers ranked by likeness to a tag's papers (those without the tag
        are ranked), or with no tag to what the person showed interest in:
        read, skimmed, tagged, or with a note."""
        if status is not None and status not in STATUSES:
            raise InvalidInput(f"unknown status {status!r} (use one of {', '.join(STATUSES)})")
        with self._store.read() as conn:
            if tag is not None:
                found = tag_id(conn, tag, create=False)
                if found is None:
                    raise NotFound(f"no tag named {tag!r}")
                positives = set(conn.execute(select(paper_tags_t.c.paper_id).where(
                    paper_tags_t.c.tag_id == found)).scalars())
            else:
                positives = set(conn.execute(select(papers_t.c.id).where(
                    (papers_t.c.status != "unread") | (papers_t.c.note != "")
                    | papers_t.c.id.in_(select(paper_tags_t.c.paper_id)))).scalars())
        if not positives:
            return Suggestions([], None, 0)
        features = self.features()
        chosen = np.fromiter(sorted(positives), dtype=np.int64)
        positives_in = chosen[np.isin(chosen, features.ids, assume_unique=True)]
        candidates = np.asarray(self._papers.ids(Filter(status=status), sort="id"),
                                dtype=np.int64)
        candidates = candidates[np.isin(candidates, features.ids, assume_unique=True)
                                & ~np.isin(candidates, chosen, assume_unique=True)]
        if not len(positives_in) or not len(candidates):
            return Suggestions([], None if not len(positives_in) else "centroid",
                               len(positives_in))
        ranked = rank(features, positives_in.tolist(), candidates.tolist(), limit)
        papers = {p.id: p for p in self._papers.get_many(ranked.ids)}
        items = [Suggestion(papers[i], s, tuple(w))
                 for i, s, w in zip(ranked.ids, ranked.scores, ranked.why, strict=True)
                 if i in papers]
        return Suggestions(items, ranked.method, len(positives_in))

    def similar(self, paper_id: int, limit: int = 10) -> list[Suggestion]:
        """The papers nearest to one by the cosine of their TF-IDF rows."""
        self._papers.get(paper_id)  # NotFound for an unknown id
        features = self.features()
        if not features.has(paper_id):
            return []
        ids, scores = similar(features, paper_id, limit)
        papers = {p.id: p for p in self._papers.get_many(ids)}
        return [Suggestion(papers[i], s, ()) for i, s in zip(ids, scores, strict=True)
                if i in papers]

    # -- the feature cache ---------------------------------------------------------------
    def features(self) -> feats.Features:
        """The features, brought in step with the database (see the module)."""
        with self._lock:
            features = self._features or self._load()
            with self._store.read() as conn:
                ids = np.fromiter(conn.execute(select(papers_t.c.id).order_by(papers_t.c.id))
                                  .scalars(), dtype=np.int64)
            changed = False
            if features is None or len(ids) > features.fitted_rows * REFIT_GROWTH:
                features, changed = self._fit(ids), True
            else:
                gone = np.setdiff1d(features.ids, ids, assume_unique=True)
                new = np.setdiff1d(ids, features.ids, assume_unique=True)
                if len(gone):
                    features, changed = feats.without(features, gone), True
                if len(new):
                    titles, abstracts = self._texts(new)
                    features, changed = feats.extend(features, new, titles, abstracts), True
            self._features = features
            if changed:
                self._save(features)
            return features

    def _fit(self, ids: np.ndarray) -> feats.Features:
        titles, abstracts = self._texts(ids)
        return feats.fit(ids, titles, abstracts)

    def _texts(self, ids: Sequence[int]) -> tuple[list[str], list[str]]:
        by_id: dict[int, tuple[str, str]] = {}
        with self._store.read() as conn:
            for chunk in chunks([int(i) for i in ids]):
                for pid, title, abstract in conn.execute(
                        select(papers_t.c.id, papers_t.c.title, papers_t.c.abstract)
                        .where(papers_t.c.id.in_(chunk))):
                    by_id[pid] = (title or "", abstract or "")
        pairs = [by_id.get(int(i), ("", "")) for i in ids]
        return [t for t, _ in pairs], [a for _, a in pairs]

    def _load(self) -> feats.Features | None:
        import joblib

        try:
            loaded = joblib.load(self.cache_path)
        except Exception:  # missing, damaged, from another version: made again
            return None
        return loaded if isinstance(loaded, feats.Features) else None

    def _save(self, features: feats.Features) -> None:
        import joblib

        temp = self.cache_path.with_suffix(".tmp")
        with contextlib.suppress(OSError):  # a cache that cannot be kept is made again
            joblib.dump(features, temp)
            temp.replace(self.cache_path)
