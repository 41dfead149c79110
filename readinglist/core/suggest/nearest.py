"""Papers like one: the cosine of their TF-IDF rows, with NumPy alone.

The rows have unit length, so one pass over the matrix's non-zeros gives
every paper's cosine with the paper asked about. The suggester uses it on
the features in memory; a terminal's `readinglist similar` on the features
file as it is, when the file is in step with the database (`from_file`):
then neither SciPy, scikit-learn nor the ORM is imported, and the answer
comes in a fraction of a second however large the library.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np

from readinglist.core.errors import NotFound
from readinglist.core.storage import rows as paper_rows
from readinglist.core.suggest import feature_file
from readinglist.core.suggest.suggestion import Suggestion


def neighbours(ids: np.ndarray, data: np.ndarray, indices: np.ndarray, indptr: np.ndarray,
               columns: int, paper_id: int, limit: int) -> tuple[list[int], list[float]]:
    """The ``limit`` papers nearest to ``paper_id`` (which must have a row) by
    cosine, best first (ties by id), itself left out; the matrix is CSR with
    rows of unit length, one row per id of ``ids`` (ascending)."""
    row = int(np.searchsorted(ids, paper_id))
    start, end = int(indptr[row]), int(indptr[row + 1])
    vector = np.zeros(columns, dtype=np.float32)
    vector[indices[start:end]] = data[start:end]
    products = vector[indices]
    products *= data
    cosines = np.zeros(len(ids), dtype=np.float64)
    filled = np.flatnonzero(np.diff(indptr))  # rows with a term: reduceat's starts
    if len(filled):  # summed in float32, as SciPy's product does: a cast costs 20 times more
        cosines[filled] = np.add.reduceat(products, indptr[filled])
    cosines[row] = -np.inf
    count = min(limit, len(cosines) - 1)
    if count <= 0:
        return [], []
    best = np.argpartition(-cosines, count - 1)[:count]
    best = best[np.lexsort((ids[best], -cosines[best]))]
    return [int(i) for i in ids[best]], [float(s) for s in cosines[best]]


def suggestions(conn: sqlite3.Connection, ids: list[int],
                scores: list[float]) -> list[Suggestion]:
    """The papers found alike as a person reads them (``conn``: the driver's)."""
    papers = {p.id: p for p in paper_rows.get_papers(conn, ids)}
    return [Suggestion(papers[i], s, (), 100.0 * s, likeness=True)
            for i, s in zip(ids, scores, strict=True) if i in papers]


def from_file(conn: sqlite3.Connection, cache_dir: Path | None, paper_id: int,
              limit: int) -> list[Suggestion] | None:
    """The papers like ``paper_id`` from the features file, inside ``conn``'s
    read snapshot; None when the file is missing, damaged or not in step with
    the database (the suggester then brings the features in step). NotFound
    for an id no paper has."""
    if not paper_rows.get_papers(conn, [paper_id]):
        raise NotFound(f"no paper with id {paper_id}")
    if cache_dir is None:
        return None
    rows = feature_file.load_rows(cache_dir / feature_file.CACHE_NAME)
    if rows is None or not rows.in_step_with(feature_file.signature_of(conn)):
        return None
    row = int(np.searchsorted(rows.ids, paper_id))
    if row >= len(rows.ids) or int(rows.ids[row]) != paper_id:
        return []
    found = neighbours(rows.ids, rows.data, rows.indices, rows.indptr, rows.shape[1],
                       paper_id, limit)
    return suggestions(conn, *found)
