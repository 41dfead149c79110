"""The database and the index: schema, pragmas, rebuilds, threads and processes."""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
import threading
import time

import pytest

from readinglist.core.errors import LibraryBusy, LibraryError
from readinglist.core.library import SORT_NAMES, Library
from readinglist.core.reading import view_ids
from readinglist.core.storage import migrations, schema
from readinglist.core.storage.view_sql import SORT_SQL
from tests.conftest import DIGESTS, FIXTURES, index_dir_of


def test_new_library_has_schema_version_wal_and_foreign_keys(tmp_path):
    folder = tmp_path / "a" / "b"  # missing folders are created
    with Library.open(folder) as library:
        assert (folder / "library.sqlite").is_file()
        library.search.hits("anything")  # the index is made at the first search
        assert index_dir_of(folder).is_dir()
        # the folder holds data only: the caches are this user's, elsewhere
        assert {p.name for p in folder.iterdir()} <= {"backups", "library.sqlite",
                                                      "library.sqlite-shm",
                                                      "library.sqlite-wal"}
        with library.store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA user_version").scalar() == schema.SCHEMA_VERSION
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        # every pooled connection gets the pragmas, also from another thread
        seen = []

        def check():
            with library.store.engine.connect() as conn:
                seen.append(conn.exec_driver_sql("PRAGMA foreign_keys").scalar())

        worker = threading.Thread(target=check)
        worker.start()
        worker.join()
        assert seen == [1]


def test_library_written_by_a_newer_version_is_refused(tmp_path):
    Library.open(tmp_path / "lib").close()
    conn = sqlite3.connect(tmp_path / "lib" / "library.sqlite")
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(LibraryError, match="newer Readinglist"):
        Library.open(tmp_path / "lib")


def test_foreign_database_and_garbage_are_refused(tmp_path):
    (tmp_path / "foreign").mkdir()
    conn = sqlite3.connect(tmp_path / "foreign" / "library.sqlite")
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(LibraryError, match="not a Readinglist library"):
        Library.open(tmp_path / "foreign")
    (tmp_path / "garbage").mkdir()
    (tmp_path / "garbage" / "library.sqlite").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LibraryError, match=r"library\.sqlite"):
        Library.open(tmp_path / "garbage")


def test_migration_runs_after_a_backup(tmp_path, monkeypatch):
    """A library of an older schema is backed up, then migrated, data intact."""
    with Library.open(tmp_path / "lib") as library:
        library.import_files(DIGESTS)
    calls = []

    current = schema.SCHEMA_VERSION

    def to_next(conn):
        calls.append("migrated")
        conn.exec_driver_sql("ALTER TABLE paper ADD COLUMN extra TEXT DEFAULT ''")

    # a new version: the schema module says so, and the migrations see it
    monkeypatch.setattr(schema, "SCHEMA_VERSION", current + 1)
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(migrations.MIGRATIONS, current, to_next)
    with Library.open(tmp_path / "lib") as library:
        assert library.papers.stats().papers == 8
    assert calls == ["migrated"]
    backups = list((tmp_path / "lib").glob(f"library.sqlite.schema{current}-*.bak"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT count(*) FROM paper").fetchone() == (8,)
    assert old.execute("PRAGMA user_version").fetchone() == (current,)
    old.close()
    with Library.open(tmp_path / "lib") as library:  # migrated once only
        assert calls == ["migrated"]


def test_index_folder_deleted_is_rebuilt_on_open(tmp_path):
    with Library.open(tmp_path / "lib") as library:
        library.import_files(DIGESTS)
        library.tags.add([3], ["kept"])
    shutil.rmtree(index_dir_of(tmp_path / "lib"))
    with Library.open(tmp_path / "lib") as library:
        assert not library.index_rebuilt  # opening never touches the index …
        assert [h.id for h in library.search.hits("tag:kept")] == [3]
        assert library.index_rebuilt  # … the first search rebuilt it
        assert library.search.index_ids() == set(library.papers.ids())
    with Library.open(tmp_path / "lib") as library:
        library.search.hits("tag:kept")
        assert not library.index_rebuilt  # in step now: no rebuild


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty-folder", "toc-gone"])
def test_damaged_index_is_rebuilt_on_open(tmp_path, damage):
    with Library.open(tmp_path / "lib") as library:
        library.import_files(DIGESTS)
    index = index_dir_of(tmp_path / "lib")
    files = [p for p in index.iterdir() if p.is_file()]
    for path in files:
        if damage == "truncate" and path.suffix not in (".toc", "") and path.stat().st_size > 20:
            path.write_bytes(path.read_bytes()[:20])
        elif damage == "garbage":
            path.write_bytes(b"\x00garbage" * 50)
        elif damage == "empty-folder" or (damage == "toc-gone" and path.suffix == ".toc"):
            path.unlink()
    with Library.open(tmp_path / "lib") as library:
        assert len(library.search.hits("pruning")) == 2
        assert library.index_rebuilt


def test_index_out_of_step_with_the_database_is_rebuilt(tmp_path):
    with Library.open(tmp_path / "lib") as library:
        library.import_files(DIGESTS)
    # another tool changes the database behind the index's back
    conn = sqlite3.connect(tmp_path / "lib" / "library.sqlite")
    conn.execute("UPDATE paper SET note = 'quokka sighting' WHERE id = 5")
    conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
    conn.commit()
    conn.close()
    with Library.open(tmp_path / "lib") as library:
        assert [h.id for h in library.search.hits("quokka")] == [5]
        assert library.index_rebuilt


def test_reindex_rebuilds_and_counts(filled):
    assert filled.maintenance.reindex() == 8
    assert filled.search.index_ids() == set(filled.papers.ids())
    assert len(filled.search.hits("pruning")) == 2


def test_library_used_from_a_worker_thread(tmp_path):
    library = Library.open(tmp_path / "lib")
    errors, results = [], []

    def work():
        try:
            library.import_files(DIGESTS)
            library.edit.set_status([1], "read")
            results.append(len(library.search.hits("pruning")))
        except Exception as exc:  # pragma: no cover - shown on failure
            errors.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert errors == [] and results == [2]
    assert library.papers.get(1).status == "read"  # and back on the opening thread
    library.close()


def test_a_second_writer_waits_for_the_lock(tmp_path):
    with Library.open(tmp_path / "lib") as library:
        library.import_files(DIGESTS[:1])
        blocker = sqlite3.connect(
            tmp_path / "lib" / "library.sqlite", isolation_level=None, check_same_thread=False
        )
        blocker.execute("BEGIN IMMEDIATE")
        released = threading.Event()

        def release():
            time.sleep(0.5)
            blocker.execute("COMMIT")
            released.set()

        threading.Thread(target=release).start()
        library.edit.set_status([1], "read")  # waits, then succeeds
        assert released.is_set()
        assert library.papers.get(1).status == "read"
        blocker.close()


def test_a_writer_that_cannot_get_the_lock_says_so(tmp_path):
    Library.open(tmp_path / "lib").close()
    with Library.open(tmp_path / "lib", busy_timeout=0.2) as library:
        library.import_files(DIGESTS[:1])
        blocker = sqlite3.connect(tmp_path / "lib" / "library.sqlite", isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(LibraryBusy, match="busy"):
                library.edit.set_status([1], "read")
            result = library.import_files(DIGESTS[1:2])
            assert result.files[0].status == "rejected"
            assert "busy" in result.files[0].error
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert library.papers.get(1).status == "unread"
        assert library.papers.stats().digests == 1


def _import_in_process(folder, paths, barrier, queue):
    barrier.wait()
    with Library.open(folder) as library:
        result = library.import_files(paths)
        queue.put([f.status for f in result.files])


@pytest.mark.slow
def test_two_processes_create_and_import_into_one_library_at_once(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    folder = tmp_path / "shared-lib"
    barrier, queue = ctx.Barrier(2), ctx.Queue()
    batches = [
        [*DIGESTS, FIXTURES / "hardwrapped.txt"],
        [FIXTURES / "missing_abstract.txt", *reversed(DIGESTS), FIXTURES / "dated_iso.txt"],
    ]
    procs = [
        ctx.Process(target=_import_in_process, args=(folder, batch, barrier, queue))
        for batch in batches
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(120)
        assert proc.exitcode == 0
    statuses = sorted(s for _ in procs for s in queue.get(timeout=5))
    # each of the three shared digests is imported by exactly one process
    assert statuses.count("imported") == 6 and statuses.count("already_imported") == 3
    with Library.open(folder) as library:
        stats = library.papers.stats()
        assert (stats.papers, stats.digests) == (8, 6)
        assert stats.appearances == 11 + 3 + 3 + 1
        assert library.search.index_ids() == set(library.papers.ids())
        conn = sqlite3.connect(folder / "library.sqlite")
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.close()


def test_postings_damaged_under_an_open_library_are_rebuilt_at_the_next_search(tmp_path):
    with Library.open(tmp_path / "lib") as library:
        library.import_files(DIGESTS)
        library.store.index.close()  # as if another process had replaced the files
        for path in index_dir_of(tmp_path / "lib").glob("*.pst"):
            path.write_bytes(b"\x00" * 10)
        assert len(library.search.hits("pruning")) == 2
        assert library.search.index_ids() == set(library.papers.ids())


def test_every_sort_the_command_line_and_window_offer_has_its_sql():
    assert tuple(SORT_SQL) == SORT_NAMES


def test_sorts_read_their_order_from_an_index_in_new_and_migrated_libraries(tmp_path):
    old = tmp_path / "old"
    old.mkdir()
    shutil.copy(FIXTURES / "library-v1.sqlite", old / "library.sqlite")
    for folder in (tmp_path / "new", old):
        with Library.open(folder) as library, library.store.read_plain() as conn:
            for sort, index in (("title", "ix_paper_title_lower"),
                                ("status", "ix_paper_status_rank"),
                                ("code", "ix_paper_has_code"),
                                ("tags", "ix_paper_tag_sort")):
                # the query `list` and the window run
                sql, params = view_ids.query(sort=sort, descending=False)
                plan = str(conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall())
                assert index in plan and "TEMP B-TREE" not in plan, (sort, plan)


def test_a_migrated_library_sorts_by_tags_as_a_new_one_does(tmp_path):
    shutil.copy(FIXTURES / "library-v1.sqlite", tmp_path / "library.sqlite")
    with Library.open(tmp_path) as library:
        tagged = {p.id: p.tags for p in library.papers.list(limit=None) if p.tags}
        assert tagged  # the fixture has tags
        by_tags = library.papers.ids(sort="tags")
        expected = sorted(library.papers.ids(sort="id"), key=lambda i: (
            i in tagged, min((t.casefold() for t in tagged.get(i, [])), default=""), i))
        assert by_tags == expected
