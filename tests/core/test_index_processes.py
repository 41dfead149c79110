"""A large batch is indexed by two processes (Whoosh's MpWriter, each writing a
segment): the index answers exactly as one writer's does, for new papers,
papers seen again (their old copies deleted), a rebuild, and an import run on
a thread as the window runs it."""

from __future__ import annotations

import shutil
import threading

import pytest

from readinglist.core.importing import importer
from readinglist.core.index import writing
from readinglist.core.index.whoosh_index import SearchIndex
from readinglist.core.library import Library
from tests.conftest import index_dir_of
from tests.synthetic import write_digests

QUERIES = ["model", "language models", '"reward transformer"', "scal", "agent -robot",
           "Synthetic Study 00042", "graph diffusion planning"]

WRITER_OPTIONS = writing.writer_options
BEGIN_APPLY = SearchIndex.begin_apply

pytestmark = pytest.mark.skipif(not writing._forks() or (writing.os.cpu_count() or 1) < 2,
                                reason="two processes are used only where forks and two cores are")


def answers(library: Library) -> dict:
    found: dict = {"papers": library.papers.count()}
    for query in QUERIES:
        found[query] = sorted(library.search.ids(query))
        best = [(round(h.score, 6), h.id) for h in library.search.hits(query, limit=20)]
        # the same scores; the same papers, but for ties at the cut
        found[query, "scores"] = sorted(score for score, _ in best)
        found[query, "above the cut"] = sorted(i for score, i in best
                                               if score > min(best)[0])
    return found


def import_in_batches(folder, files, small: bool, monkeypatch, writers: list) -> dict:
    monkeypatch.setattr(writing, "PROCESSES_FROM", 10**9 if small else 50)
    def recorded(documents):
        options = WRITER_OPTIONS(documents)
        writers.append(options.get("procs", 1))
        return options

    monkeypatch.setattr(writing, "writer_options", recorded)
    # a catch-up after every file: the next files are stored while the last
    # batch is indexed (its commit deferred), several times in one import
    monkeypatch.setattr(importer, "INDEX_BATCH", 50)
    def counted(self, *args, **kwargs):
        commit = BEGIN_APPLY(self, *args, **kwargs)
        if commit is not None:
            writers.append("deferred")
        return commit

    monkeypatch.setattr(SearchIndex, "begin_apply", counted)
    with Library.open(folder) as library:
        library.import_files(files[:3])
        library.import_files(files[3:])  # a quarter of each file seen before
        return answers(library)


def test_two_processes_index_what_one_writer_does(tmp_path, monkeypatch):
    write_digests(tmp_path / "digests", files=6, per_file=60)
    files = sorted((tmp_path / "digests").glob("*.txt"))
    one, two = [], []
    single = import_in_batches(tmp_path / "one", files, True, monkeypatch, one)
    parallel = import_in_batches(tmp_path / "two", files, False, monkeypatch, two)
    assert set(one) == {1} and 2 in two  # each path really taken
    assert two.count("deferred") >= 2
    assert parallel == single
    assert all(single[q] for q in ("model", "language models", "Synthetic Study 00042"))


def test_a_rebuild_by_two_processes_finds_the_same(tmp_path, monkeypatch):
    write_digests(tmp_path / "digests", files=4, per_file=60)
    files = sorted((tmp_path / "digests").glob("*.txt"))
    monkeypatch.setattr(writing, "PROCESSES_FROM", 10**9)
    with Library.open(tmp_path / "lib") as library:
        library.import_files(files)
        before = answers(library)
    shutil.rmtree(index_dir_of(tmp_path / "lib"))
    monkeypatch.setattr(writing, "PROCESSES_FROM", 50)
    with Library.open(tmp_path / "lib") as library:
        assert answers(library) == before
        assert library.index_rebuilt


def test_an_import_on_a_thread_indexes_by_two_processes(tmp_path, monkeypatch):
    # the window imports on a worker thread: the sub-writers fork from it
    write_digests(tmp_path / "digests", files=3, per_file=60)
    files = sorted((tmp_path / "digests").glob("*.txt"))
    monkeypatch.setattr(writing, "PROCESSES_FROM", 50)
    with Library.open(tmp_path / "lib") as library:
        worker = threading.Thread(target=library.import_files, args=(files,))
        worker.start()
        worker.join(120)
        assert not worker.is_alive()
        assert len(library.search.ids("synthetic")) == library.papers.count() > 100
