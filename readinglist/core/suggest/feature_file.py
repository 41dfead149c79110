"""The suggestion features on disk, as data only: one ``.npz`` file of plain
arrays (the matrix's three arrays, the ids, the idf weights) and UTF-8 JSON
bytes for the vocabulary and the settings, read with ``allow_pickle=False``.
Nothing in it can run code, whoever wrote it; anything unexpected in it
means it is made again from the database.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from readinglist.core.suggest import features as feats

FORMAT = 3  # 1: the pickle of earlier versions, never read; 2: two vocabularies
CACHE_NAME = "features.npz"
REFIT_GROWTH = 1.25  # learn the vocabulary again once the library is a quarter larger


@dataclass
class FeatureRows:
    """The file's rows as plain arrays: what a cosine needs, without SciPy
    or the vocabulary (a terminal's `similar` reads only these)."""

    ids: np.ndarray
    stamps: np.ndarray
    data: np.ndarray  # the CSR matrix: values, their columns, each row's start
    indices: np.ndarray
    indptr: np.ndarray
    shape: tuple[int, int]
    settings: dict

    @property
    def signature(self) -> tuple:
        return tuple(self.settings.get("signature") or ())

    @property
    def fitted_rows(self) -> int:
        return int(self.settings["fitted_rows"])

    def in_step_with(self, signature: tuple) -> bool:
        """Whether these rows are the library's papers as ``signature`` (of
        `signature_of`) says they are now, with a vocabulary not yet due to
        be learnt again."""
        return self.signature == tuple(signature) and not grown(self.fitted_rows, signature[0])


def grown(fitted_rows: int, papers: int) -> bool:
    """Whether the library grew enough since its vocabulary was learnt from
    ``fitted_rows`` papers to learn it again."""
    return papers > fitted_rows * REFIT_GROWTH


def signature_of(conn: sqlite3.Connection) -> tuple:
    """Changes whenever a paper is added or deleted: their count, the newest
    id, the ids' sum, and the time the newest one was made and its title
    (ids are reused after the newest paper is deleted). Read through the
    primary key: a scan of another column costs 0.1 s at 100,000 papers, this
    about 25 ms. ``conn`` is the driver's connection."""
    count, newest, total = conn.execute(
        "SELECT count(*), max(id), total(id) FROM paper").fetchone()
    made = conn.execute("SELECT created, title_key FROM paper WHERE id = ?",
                        (newest,)).fetchone()
    return count, newest, total, *(made or ("", ""))


def _text(value: object) -> np.ndarray:
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


def _json(array: np.ndarray) -> object:
    return json.loads(bytes(array.astype(np.uint8)).decode("utf-8"))


def save(path: Path, features: feats.Features) -> None:
    """Write ``features`` to ``path`` in one step (a kill leaves the old file)."""
    matrix = features.matrix
    models = [feats.describe_model(model) for model in features.vectorizers]
    arrays = {
        "ids": features.ids, "stamps": features.stamps, "data": matrix.data,
        "indices": matrix.indices, "indptr": matrix.indptr,
        "shape": np.asarray(matrix.shape, dtype=np.int64),
        "settings": _text({"format": FORMAT, "fitted_rows": features.fitted_rows,
                           "signature": list(features.signature),
                           "models": [settings for settings, _terms, _idf in models]}),
    }
    for number, (_settings, terms, idf) in enumerate(models):
        arrays[f"terms{number}"] = _text(terms)
        arrays[f"idf{number}"] = idf
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".features-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez(stream, **arrays)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def load_rows(path: Path, *, models: list | None = None) -> FeatureRows | None:
    """The rows in ``path`` as plain arrays, checked to be a whole matrix
    (every column and row start in range), or None when the file is missing,
    damaged or of another version (it is made again). ``models``, when
    given, receives the stored vocabularies."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            settings = _json(stored["settings"])
            if not isinstance(settings, dict) or settings.get("format") != FORMAT \
                    or not isinstance(settings.get("fitted_rows"), int) \
                    or not isinstance(settings.get("signature", []), list):
                return None
            rows = FeatureRows(stored["ids"].astype(np.int64), stored["stamps"].astype(np.int64),
                        stored["data"], stored["indices"], stored["indptr"],
                        tuple(int(x) for x in stored["shape"]), settings)
            if models is not None:
                models.extend(feats.StoredModel(model_settings, _json(stored[f"terms{n}"]),
                                                stored[f"idf{n}"])
                              for n, model_settings in enumerate(settings["models"]))
    except Exception:  # missing, cut short, forged, from another version: made again
        return None
    return rows if _whole(rows) else None


def _whole(rows: FeatureRows) -> bool:
    """A matrix whose arrays agree: nothing read from the file can index out
    of an array (a forged file is made again, never trusted)."""
    n_rows, n_columns = rows.shape
    ptr, indices = rows.indptr, rows.indices
    return (len(rows.ids) == len(rows.stamps) == n_rows and rows.data.dtype == np.float32
            and ptr.ndim == indices.ndim == rows.data.ndim == 1 and len(ptr) == n_rows + 1
            and np.issubdtype(ptr.dtype, np.integer) and np.issubdtype(indices.dtype, np.integer)
            and int(ptr[0]) == 0 and int(ptr[-1]) == len(indices) == len(rows.data)
            and bool(np.all(np.diff(ptr) >= 0))
            and (not len(indices) or (int(indices.min()) >= 0
                                      and int(indices.max()) < n_columns))
            and bool(np.all(np.diff(rows.ids) > 0)))


def load(path: Path) -> feats.Features | None:
    """The features in ``path``, or None when it is missing, damaged or of
    another version (they are made again)."""
    models: list = []
    rows = load_rows(path, models=models)
    if rows is None:
        return None
    from scipy import sparse

    try:
        matrix = sparse.csr_matrix((rows.data, rows.indices, rows.indptr), shape=rows.shape)
        features = feats.assembled(rows.ids, matrix, tuple(models), rows.fitted_rows)
    except Exception:  # vocabularies that do not fit the settings: made again
        return None
    if features is None or matrix.shape[1] != len(features.terms):
        return None
    features.signature = rows.signature
    features.stamps = rows.stamps
    return features
