"""The feature cache: ``features.npz`` in this user's cache folder for the
library (never in the library folder; plain arrays, no pickle: `feature_file`).

Made from the database and checked against it at each use (a count, a sum
and the newest ids of the papers: one query, milliseconds): papers added
since are transformed with the learnt vocabulary, papers deleted dropped.
When the library has grown by a quarter since the vocabulary was learnt it is
learnt again: at once for the command line, in the background for the window
(`refit_due` / `refit`), which keeps ranking with the old one meanwhile. A
file that cannot be read is made again; it is never the source of truth.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from readinglist.core.storage.rows import chunks
from readinglist.core.store import Store
from readinglist.core.suggest import feature_file
from readinglist.core.suggest import features as feats

# Papers added or deleted since the file was written before it is written
# again: fewer are brought in step again in well under a second (a day's
# digest in milliseconds), while writing a 100,000-paper cache takes seconds.
SAVE_AFTER = 2_000

Progress = Callable[[float, str], None]  # done (0..1), what is being done


class FeatureCache:
    def __init__(self, store: Store):
        self._store = store
        self._features: feats.Features | None = None
        self._unsaved = 0  # papers added or deleted since the file was written
        self._lock = threading.Lock()  # one caller brings the features in step at a time
        self._fit_lock = threading.Lock()  # one refit at a time

    @property
    def path(self) -> Path | None:
        folder = self._store.cache_dir
        return folder / feature_file.CACHE_NAME if folder is not None else None

    def current(self, refit: bool = True, progress: Progress | None = None) -> feats.Features:
        """The features in step with the database. ``refit=False`` keeps the
        vocabulary learnt before however much the library grew (the window
        learns it again in the background); with no features at all they are
        made now either way."""
        with self._lock:
            features = self._features or self._load()
            signature = self._signature()
            if features is not None and features.signature == signature and not (
                    refit and self._grown(features, signature[0])):
                return features  # nothing added or deleted since
            ids, stamps = self._ids()
            if features is None or features.stamps is None or (
                    refit and self._grown(features, len(ids))):
                self._features = self._fit(ids, stamps, progress)
                self._features.signature = signature
                self._save_now()
                return self._features
            self._in_step(features, ids, stamps)
            self._features.signature = signature
            return self._features

    def loaded(self) -> feats.Features:
        """The features as they are in memory (for explaining a ranking made
        with them), without asking the database; made if there are none."""
        return self._features or self.current(refit=False)

    def refit_due(self) -> bool:
        """The library grew by a quarter since the vocabulary was learnt (or there
        are no features yet)."""
        with self._lock:
            features = self._features or self._load()
            return features is None or self._grown(features, self._signature()[0])

    def refit(self, progress: Progress | None = None) -> feats.Features:
        """Learn the vocabulary again from the library as it is now; the old
        features serve every caller until the new ones are ready."""
        with self._fit_lock:
            fresh = self._fit(*self._ids(), progress)
            with self._lock:  # papers added or deleted during the fit
                signature = self._signature()
                self._in_step(fresh, *self._ids())
                self._features.signature = signature
                self._save_now()
                return self._features

    def save(self, at_least: int = SAVE_AFTER) -> None:
        """Write the features if ``at_least`` papers were added or deleted since
        the file was written (kept off the path of an answer)."""
        with self._lock:
            if self._features is not None and self._unsaved >= max(1, at_least):
                self._save_now()

    # -- inside ----------------------------------------------------------------------------
    def _grown(self, features: feats.Features, papers: int) -> bool:
        return feature_file.grown(features.fitted_rows, papers)

    def _signature(self) -> tuple:
        """Changes whenever a paper is added or deleted (`feature_file.signature_of`)."""
        with self._store.read_plain() as conn:
            return feature_file.signature_of(conn)

    def _ids(self) -> tuple[np.ndarray, np.ndarray]:
        """Every paper's id, and a stamp telling it from a paper that had its id
        before (SQLite reuses the highest id after a delete or a restore)."""
        with self._store.read_plain() as conn:
            rows = conn.execute("SELECT id, created, title_key FROM paper ORDER BY id").fetchall()
        ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        stamps = np.fromiter((zlib.crc32(f"{row[1]}|{row[2]}".encode()) for row in rows),
                             dtype=np.int64, count=len(rows))
        return ids, stamps

    def _in_step(self, features: feats.Features, ids: np.ndarray, stamps: np.ndarray) -> None:
        """Keep ``features`` with the papers added and deleted since in step; a
        paper whose id another one took since counts as deleted and added."""
        common, mine, theirs = np.intersect1d(features.ids, ids, assume_unique=True,
                                              return_indices=True)
        replaced = common[features.stamps[mine] != stamps[theirs]]
        gone = np.union1d(np.setdiff1d(features.ids, ids, assume_unique=True), replaced)
        new = np.union1d(np.setdiff1d(ids, features.ids, assume_unique=True), replaced)
        if len(gone):
            features = feats.without(features, gone)
        if len(new):
            features = feats.extend(features, new, *self._texts(new),
                                    new_stamps=stamps[np.searchsorted(ids, new)])
        if features is not self._features:
            self._unsaved += len(gone) + len(new)
        self._features = features

    def _fit(self, ids: np.ndarray, stamps: np.ndarray,
             progress: Progress | None) -> feats.Features:
        report = progress or (lambda _done, _what: None)
        report(0.0, "learning the vocabulary")
        sample = feats.sample_of(ids)
        vectorizers = feats.learn(*self._texts(sample))
        blocks = []
        for start in range(0, len(ids), feats.BLOCK):
            report(0.3 + 0.7 * start / max(1, len(ids)), "weighing the words of each paper")
            blocks.append(feats.transform(vectorizers, *self._texts(ids[start:start
                                                                          + feats.BLOCK])))
        report(1.0, "done")
        features = feats.assemble(ids, blocks, vectorizers, len(ids))
        features.stamps = stamps
        return features

    def _texts(self, ids: Sequence[int]) -> tuple[list[str], list[str]]:
        by_id: dict[int, tuple[str, str]] = {}
        with self._store.read_plain() as conn:
            for chunk in chunks([int(i) for i in ids]):
                for pid, title, abstract in conn.execute(
                        "SELECT id, title, abstract FROM paper "
                        f"WHERE id IN ({', '.join('?' * len(chunk))})", chunk):
                    by_id[pid] = (title or "", abstract or "")
        pairs = [by_id.get(int(i), ("", "")) for i in ids]
        return [t for t, _ in pairs], [a for _, a in pairs]

    def _load(self) -> feats.Features | None:
        loaded = feature_file.load(self.path) if self.path is not None else None
        if loaded is not None:
            self._features, self._unsaved = loaded, 0
        return loaded

    def _save_now(self) -> None:
        if self.path is None or self._features is None:
            return
        try:
            feature_file.save(self.path, self._features)
        except OSError:  # a full disk: kept in memory, tried again when the library closes
            self._unsaved = max(self._unsaved, SAVE_AFTER)
            return
        self._unsaved = 0
