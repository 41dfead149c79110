"""Papers like one, answered from the features file with NumPy and plain SQL
(a terminal's `readinglist similar`): the same answer as the suggester's on
the features in memory, and never from a file out of step or forged."""

from __future__ import annotations

import numpy as np
import pytest

from readinglist.core.errors import NotFound
from readinglist.core.library import Library
from readinglist.core.suggest import feature_file, nearest
from tests.topics import write_topic_digests


def test_neighbours_are_the_cosines_of_the_rows():
    from scipy import sparse

    rng = np.random.default_rng(7)
    dense = rng.random((40, 30)).astype(np.float32)
    dense[dense < 0.8] = 0
    dense[[3, 17, 38, 39]] = 0  # rows without a term, in the middle and at the end
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    dense = np.divide(dense, norms, out=np.zeros_like(dense), where=norms > 0)
    matrix = sparse.csr_matrix(dense)
    ids = np.arange(1, 41, dtype=np.int64) * 3
    for row, limit in ((0, 7), (5, 39), (17, 7), (36, 39), (2, 39)):
        cosines = (matrix @ dense[row]).astype(np.float64)
        cosines[row] = -np.inf
        expected = sorted(range(40), key=lambda r: (-cosines[r], ids[r]))[:limit]
        found, scores = nearest.neighbours(ids, matrix.data, matrix.indices, matrix.indptr,
                                           30, int(ids[row]), limit)
        assert found == [int(ids[r]) for r in expected]
        assert scores == pytest.approx([cosines[r] for r in expected], abs=1e-6)
    assert nearest.neighbours(ids[:1], matrix[:1].data, matrix[:1].indices,
                              matrix[:1].indptr, 30, 3, 5) == ([], [])


@pytest.fixture
def topics_folder(tmp_path):
    files = write_topic_digests(tmp_path / "digests", per_topic=12, per_digest=48)
    folder = tmp_path / "lib"
    with Library.open(folder) as library:
        library.import_files(files[:-1])
        library.similar(1)  # the features made and saved, as any earlier use does
    return folder, files[-1]


def test_the_file_answers_as_the_suggester_does(topics_folder):
    folder, _ = topics_folder
    with Library.open(folder) as library:
        ids = library.papers.ids(sort="id")
        for paper in ids[::17]:
            from_file = library.similar(paper, 8)
            assert "suggester" not in library.__dict__  # answered from the file
            assert len(from_file) == 8 and paper not in [s.paper.id for s in from_file]
            from_memory = library.suggester.similar(paper, 8)
            del library.suggester  # the next one from the file again
            assert [s.paper for s in from_file] == [s.paper for s in from_memory]
            assert [s.score for s in from_file] == pytest.approx(
                [s.score for s in from_memory], abs=1e-6)
            assert [s.relevance_text for s in from_file] == \
                [s.relevance_text for s in from_memory]
        with pytest.raises(NotFound):
            library.similar(max(ids) + 1)


def test_a_file_out_of_step_is_not_used_and_the_answer_has_the_new_papers(topics_folder):
    folder, today = topics_folder
    with Library.open(folder) as other_process:  # imports, never asks for suggestions
        other_process.import_files([today])
        newest = max(other_process.papers.ids(sort="id"))
    with Library.open(folder) as library:
        found = library.similar(newest, 5)
        assert "suggester" in library.__dict__  # the file was behind: brought in step
        assert len(found) == 5
        assert newest in [s.paper.id for s in library.similar(found[0].paper.id, 50)]


def test_a_forged_file_is_never_indexed_with_and_is_made_again(topics_folder):
    folder, _ = topics_folder
    with Library.open(folder) as library:
        path = library.store.cache_dir / feature_file.CACHE_NAME
        expected = [s.paper.id for s in library.similar(4, 6)]
    with np.load(path, allow_pickle=False) as stored:
        arrays = dict(stored)
    arrays["indices"] = arrays["indices"].copy()
    arrays["indices"][5] = 10**9  # a column past the matrix: read, it would index anywhere
    with open(path, "wb") as stream:
        np.savez(stream, **arrays)
    assert feature_file.load_rows(path) is None
    with Library.open(folder) as library:
        assert [s.paper.id for s in library.similar(4, 6)] == expected
        assert "suggester" in library.__dict__
    assert feature_file.load_rows(path) is not None  # made again


def test_a_service_asked_for_by_several_threads_at_once_is_made_once(tmp_path, monkeypatch):
    """Services are made on first use (a command imports only what it needs);
    the window's threads may all ask at the same moment, and an edit service
    must record into the one history."""
    import threading
    import time

    from readinglist.core.editing import history

    made = []
    original = history.History.__init__

    def slow(self, *args, **kwargs):
        made.append(self)
        time.sleep(0.05)  # the import and set-up a first use pays
        original(self, *args, **kwargs)

    monkeypatch.setattr(history.History, "__init__", slow)
    with Library.open(tmp_path / "lib") as library:
        start = threading.Barrier(6)
        seen = []

        def ask():
            start.wait()
            seen.append(library.history)

        threads = [threading.Thread(target=ask) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(made) == 1 and all(h is library.history for h in seen)
