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
import tempfile
from pathlib import Path

import numpy as np

from readinglist.core.suggest import features as feats

FORMAT = 3  # 1: the pickle of earlier versions, never read; 2: two vocabularies


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


def load(path: Path) -> feats.Features | None:
    """The features in ``path``, or None when it is missing, damaged or of
    another version (they are made again)."""
    from scipy import sparse

    try:
        with np.load(path, allow_pickle=False) as stored:
            settings = _json(stored["settings"])
            if not isinstance(settings, dict) or settings.get("format") != FORMAT:
                return None
            models = [feats.StoredModel(model_settings, _json(stored[f"terms{n}"]),
                                        stored[f"idf{n}"])
                      for n, model_settings in enumerate(settings["models"])]
            shape = tuple(int(x) for x in stored["shape"])
            matrix = sparse.csr_matrix((stored["data"], stored["indices"], stored["indptr"]),
                                       shape=shape)
            ids = stored["ids"].astype(np.int64)
            stamps = stored["stamps"].astype(np.int64)
    except Exception:  # missing, cut short, forged, from another version: made again
        return None
    if not (matrix.shape[0] == len(ids) == len(stamps)) or matrix.dtype != np.float32:
        return None
    features = feats.assembled(ids, matrix, tuple(models), int(settings["fitted_rows"]))
    if features is None or matrix.shape[1] != len(features.terms):
        return None
    features.signature = tuple(settings.get("signature") or ())
    features.stamps = stamps
    return features
