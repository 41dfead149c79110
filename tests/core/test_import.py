"""Importing digests: dedup, re-import, rejection, progress."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import date, datetime

from readinglist.core.library import Library
from readinglist.core.views import ALREADY_IMPORTED, IMPORTED, REJECTED
from tests.conftest import DIGESTS, FIXTURES

TODAY = date(2026, 5, 1)


def _counts(library: Library) -> tuple[int, int, int]:
    s = library.papers.stats()
    return s.papers, s.appearances, s.digests


def test_three_digests_give_distinct_papers_and_appearances(library):
    result = library.import_files(DIGESTS, today=TODAY)
    assert [f.status for f in result.files] == [IMPORTED] * 3
    assert [(f.new, f.seen) for f in result.files] == [(4, 0), (2, 2), (2, 1)]
    assert _counts(library) == (8, 11, 3)
    assert result.new == 8 and result.seen == 3


def test_a_paper_seen_in_several_digests_is_one_entry_with_its_history(library):
    library.import_files(DIGESTS, today=TODAY)
    (hit,) = library.search.hits('title:"repository context"')
    paper = hit.paper
    # the second digest spells the title differently; it is still one paper
    assert paper.title == "Retrieval-Augmented Code Generation with Repository Context"
    assert (paper.times_seen, paper.first_seen, paper.last_seen) == (2, "2026-04-02", "2026-04-03")
    assert [(a.digest_date, a.position) for a in library.papers.appearances(paper.id)] == [
        ("2026-04-02", 3),
        ("2026-04-03", 4),
    ]
    assert paper.links == ("https://github.com/example-lab/repo-rag",)


def test_importing_an_older_digest_later_moves_first_seen_back(library, fixture_copy):
    (older,) = fixture_copy("dated_year.txt")  # Mar 18, 2025: papers P1 and P5
    library.import_files(DIGESTS, today=TODAY)
    library.import_files([older], today=TODAY)
    (hit,) = library.search.hits('title:"speech recognition"')
    assert (hit.paper.first_seen, hit.paper.last_seen, hit.paper.times_seen) == (
        "2025-03-18", "2026-04-05", 3,
    )


def test_reimport_changes_nothing_even_with_other_bytes(library, tmp_path):
    library.import_files(DIGESTS, today=TODAY)
    library.edit.set_status([1], "read")
    before = library.papers.list(limit=None)
    copy = tmp_path / "same-digest-saved-again.txt"
    data = DIGESTS[0].read_bytes()
    copy.write_bytes(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"))
    result = library.import_files([*DIGESTS, copy], today=TODAY)
    assert [f.status for f in result.files] == [ALREADY_IMPORTED] * 4
    assert result.new == 0
    assert _counts(library) == (8, 11, 3)
    assert library.papers.list(limit=None) == before


def test_rejected_file_leaves_nothing_and_the_batch_goes_on(library, tmp_path):
    bad = [FIXTURES / "empty.txt", FIXTURES / "binary.txt", FIXTURES / "no_date.txt",
           FIXTURES / "no_papers.txt", tmp_path / "missing.txt"]
    result = library.import_files([DIGESTS[0], *bad, DIGESTS[1]], today=TODAY)
    statuses = {f.path.name: (f.status, f.error) for f in result.files}
    assert statuses["digest_apr02.txt"][0] == IMPORTED
    assert statuses["digest_apr03.txt"][0] == IMPORTED
    assert statuses["empty.txt"] == (REJECTED, "the file is empty")
    assert "binary" in statuses["binary.txt"][1]
    assert "no date line" in statuses["no_date.txt"][1]
    assert "no papers" in statuses["no_papers.txt"][1]
    assert statuses["missing.txt"] == (REJECTED, "no such file")
    assert _counts(library) == (6, 8, 2)
    assert len(result.rejected) == 5


def test_folders_are_imported_recursively_txt_only(library, tmp_path):
    root = tmp_path / "inbox"
    (root / "march" / "deeper").mkdir(parents=True)
    shutil.copy(DIGESTS[0], root / "a.txt")
    shutil.copy(DIGESTS[1], root / "march" / "b.TXT")
    shutil.copy(DIGESTS[2], root / "march" / "deeper" / "c.txt")
    shutil.copy(DIGESTS[2], root / "march" / "notes.md")
    result = library.import_files([root], today=TODAY)
    assert sorted(f.path.name for f in result.files) == ["a.txt", "b.TXT", "c.txt"]
    assert _counts(library) == (8, 11, 3)


def test_warnings_are_reported_and_papers_kept(library):
    result = library.import_files(
        [FIXTURES / "missing_abstract.txt", FIXTURES / "repeated_in_digest.txt"], today=TODAY
    )
    missing, repeated = result.files
    assert missing.status == IMPORTED and missing.new == 3
    assert any("has no abstract" in w for w in missing.warnings)
    assert repeated.new + repeated.seen == 2
    assert any("repeats line" in w for w in repeated.warnings)
    assert library.papers.stats().appearances == 5


def test_year_comes_from_mtime_unless_overridden(library, fixture_copy):
    (path,) = fixture_copy("digest_apr02.txt")
    stamp = datetime(2026, 3, 1, 12, 0).timestamp()  # before Apr 2: last year's Apr 2
    os.utime(path, (stamp, stamp))
    result = library.import_files([path], today=TODAY)
    assert result.files[0].digest_date == "2025-04-02"

    other = Library.open(path.parent.parent / "other")
    try:
        result = other.import_files([path], year=2023, today=TODAY)
        assert result.files[0].digest_date == "2023-04-02"
    finally:
        other.close()


def test_progress_is_reported_and_cancel_stops_between_files(library):
    seen = []

    def progress(state):
        seen.append((state.files_done, state.files_total, state.papers_done))

    library.import_files(DIGESTS, progress)
    assert seen == [(0, 3, 0), (1, 3, 4), (2, 3, 8), (3, 3, 11)]

    other = Library.open(library.folder.parent / "cancel")
    try:
        result = other.import_files(DIGESTS, lambda state: state.files_done < 1)
        assert result.cancelled
        assert len(result.files) == 1
        assert other.papers.stats().digests == 1
    finally:
        other.close()


def test_an_index_failure_keeps_the_papers_and_the_index_catches_up(library, monkeypatch):
    """The database is the truth: a failing index write loses no paper; the queued
    papers reach the index at the next chance."""
    library.import_files([DIGESTS[0]], today=TODAY)

    def failing_apply(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:  # (undo() would undo the isolated home too)
        patched.setattr(library.store.index, "begin_apply", failing_apply)
        result = library.import_files([DIGESTS[1]], today=TODAY)
        assert result.files[0].status == IMPORTED
        assert "No space left on device" in library.index_error
        assert _counts(library) == (6, 8, 2)
        assert library.store.keeper.queued() > 0
    hits = library.search.hits('"dexterous grasping"')  # only in the second digest
    assert [h.title for h in hits] == [
        "Diffusion Policies for Dexterous Grasping from Few Demonstrations"]
    assert library.search.index_ids() == set(library.papers.ids())


def test_a_killed_index_write_is_caught_up_from_the_queue_not_rebuilt(tmp_path, monkeypatch):
    """The database committed, the index did not (a crash between the two)."""
    folder = tmp_path / "lib"
    with Library.open(folder) as library:
        library.import_files([DIGESTS[0]], today=TODAY)
        with monkeypatch.context() as patched:
            patched.setattr(library.store.keeper, "catch_up", lambda *a, **k: False)
            library.import_files(DIGESTS[1:], today=TODAY)
    with Library.open(folder) as library:
        assert library.search.hits("pruning") and not library.index_rebuilt  # caught up
        assert library.search.index_ids() == set(library.papers.ids())
        assert library.store.keeper.queued() == 0 or library.store.keeper.indexed is not None
        assert len(library.search.hits("pruning")) == 2


def test_database_is_plain_sqlite_with_expected_rows(library):
    library.import_files(DIGESTS, today=TODAY)
    conn = sqlite3.connect(library.db_path)
    try:
        (count,) = conn.execute("SELECT count(*) FROM paper").fetchone()
        keys = [row[0] for row in conn.execute("SELECT title_key FROM paper ORDER BY id")]
    finally:
        conn.close()
    assert count == 8
    assert keys[0] == "sparse mixture of experts routing for efficient speech recognition"


def test_real_digests_import(library, shared_digests):
    result = library.import_files([shared_digests])
    assert [f.status for f in result.files] == [IMPORTED] * 3
    stats = library.papers.stats()
    assert (stats.papers, stats.appearances, stats.digests) == (223, 263, 3)
    assert library.search.index_ids() == set(library.papers.ids())
