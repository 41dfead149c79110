"""A library folder from someone else is data, never code: the caches earlier
versions kept in it (the pickled features, the Whoosh index with its pickled
table of contents) are never read, the caches are this user's own, and a
paper that took a deleted paper's id is never ranked by the old paper's words."""

from __future__ import annotations

import pickle
import shutil
import sqlite3

import numpy as np
import pytest

from readinglist.core.errors import LibraryError
from readinglist.core.library import Library
from tests.conftest import DIGESTS, cache_dir_of


class Payload:
    """Unpickling this creates ``marker``: proof that a pickle was loaded."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def forge_old_caches(folder, marker) -> None:
    """What a hostile folder could hold, in the places earlier versions read."""
    (folder / "features.pickle").write_bytes(pickle.dumps(Payload(marker)))
    index = folder / "index"
    index.mkdir(exist_ok=True)
    for name in ("_MAIN_1.toc", "_MAIN_2.toc", "MAIN_WRITELOCK"):
        (index / name).write_bytes(pickle.dumps(Payload(marker)))
    (index / "MAIN_abc.pst").write_bytes(pickle.dumps(Payload(marker)))


def test_a_received_folder_with_forged_caches_runs_nothing(tmp_path):
    folder, marker = tmp_path / "received", tmp_path / "pwned"
    with Library.open(folder) as library:
        library.import_files(DIGESTS)
        library.tags.add([1, 2], ["robots"])
    forge_old_caches(folder, marker)
    with Library.open(folder) as library:  # opening, listing, searching, suggesting, checking
        assert library.papers.stats().papers == 8
        assert [h.id for h in library.search.hits("pruning")]
        assert library.suggest("robots").items
        assert library.similar(3)
        assert library.maintenance.check().ok
    assert not marker.exists()
    assert not (folder / "features.pickle").exists() and not (folder / "index").exists()


def test_the_caches_are_plain_data_in_the_users_cache_folder(library, tmp_path):
    library.import_files(DIGESTS)
    library.tags.add([1, 2], ["robots"])
    library.suggest("robots")
    library.close()
    cache = cache_dir_of(library.folder)
    assert (cache / "index").is_dir() and (cache / "features.npz").is_file()
    with np.load(cache / "features.npz", allow_pickle=False) as stored:  # no object in it
        assert set(stored.files) >= {"ids", "data", "indices", "indptr", "terms0", "idf0"}
    # a features file forged to hold a pickled object is made again, never run
    marker = tmp_path / "pwned"
    np.savez(cache / "features.npz", ids=np.array([Payload(marker)], dtype=object))
    with Library.open(library.folder) as again:
        assert again.similar(3)
    assert not marker.exists()


def test_a_copy_of_the_folder_builds_caches_of_its_own(library, tmp_path):
    library.import_files(DIGESTS)
    library.close()
    copy = tmp_path / "copy"
    shutil.copytree(library.folder, copy)
    with Library.open(copy) as other:
        other.tags.add([4], ["only-in-the-copy"])
        assert [h.id for h in other.search.hits("tag:only-in-the-copy")] == [4]
    with Library.open(library.folder) as first:
        assert first.search.hits("tag:only-in-the-copy") == []
    assert cache_dir_of(copy) != cache_dir_of(library.folder)


def test_a_paper_that_takes_a_deleted_papers_id_is_ranked_by_its_own_words(library, tmp_path):
    library.import_files(DIGESTS)
    newest = max(library.papers.ids())
    before = library.suggester.cache.current()
    old_row = before.matrix[before.rows_of([newest])[0]].toarray()
    library.edit.delete([newest])
    other = tmp_path / "other.txt"
    other.write_text("Apr 22\n\nQuantum Error Correction with Surface Codes\n\n"
                     + "Surface codes protect logical qubits from decoherence. " * 8 + "\n")
    library.import_files([other])
    assert library.papers.get(newest).title.startswith("Quantum")  # the id, reused
    features = library.suggester.cache.current(refit=False)
    row = features.matrix[features.rows_of([newest])[0]].toarray()
    assert not np.allclose(row, old_row)
    from readinglist.core.suggest import features as feats

    fresh = feats.transform(features.vectorizers, [library.papers.get(newest).title],
                            [library.papers.get(newest).abstract]).toarray()
    assert np.allclose(row, fresh)


@pytest.mark.parametrize("statement", [
    "CREATE TRIGGER wipe AFTER UPDATE ON paper BEGIN DELETE FROM tag; END",
    "CREATE VIEW everything AS SELECT * FROM paper",
    "CREATE TABLE extra (x)",
    "DROP TRIGGER tr_paper_tag_added; CREATE TRIGGER tr_paper_tag_added "
    "AFTER INSERT ON paper_tag BEGIN DELETE FROM paper; END",
])
def test_a_database_with_anything_extra_is_refused_in_one_line(library, statement):
    library.import_files(DIGESTS)
    library.close()
    conn = sqlite3.connect(library.folder / "library.sqlite")
    conn.executescript(statement)
    conn.close()
    before = (library.folder / "library.sqlite").read_bytes()
    with pytest.raises(LibraryError) as refused:
        Library.open(library.folder)
    message = str(refused.value)
    assert message.startswith("library.sqlite has a ") and "never makes: not opened" in message
    assert "\n" not in message
    assert before == (library.folder / "library.sqlite").read_bytes()  # left as it was found


def test_check_says_so_when_something_was_added_while_open(library):
    library.import_files(DIGESTS)
    conn = sqlite3.connect(library.folder / "library.sqlite")
    conn.execute("CREATE TRIGGER sneaky AFTER INSERT ON tag BEGIN SELECT 1; END")
    conn.commit()
    conn.close()
    report = library.maintenance.check()
    assert report.problems == ["the database has a trigger “sneaky” Readinglist never makes: "
                               "not opened (a library received from someone else is read as "
                               "data only)"]


def test_a_database_replaced_under_the_same_folder_gets_fresh_caches(library, tmp_path):
    """A synced folder whose library.sqlite was replaced by another copy of the
    same library (same id, same place, another file): the caches made from
    the old file are wiped, not trusted."""
    folder = library.folder
    library.import_files(DIGESTS[:2])
    library.search.ids("models")
    library.similar(library.papers.ids(sort="id")[0])
    library.close()
    cache = cache_dir_of(folder)
    marker = cache / "index" / "made-from-the-old-file"
    marker.write_text("")
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(folder, elsewhere)
    with Library.open(elsewhere) as other:
        other.import_files(DIGESTS)
    replacement = folder / "library.sqlite.new"
    shutil.copyfile(elsewhere / "library.sqlite", replacement)
    replacement.replace(folder / "library.sqlite")  # another inode at the same place
    with Library.open(folder) as again:
        assert not marker.exists()
        assert not (cache / "features.npz").exists()
        assert again.search.ids("models")  # and a fresh index answers
    # opening the same file again keeps what it made
    marker = cache / "index" / "kept"
    marker.write_text("")
    with Library.open(folder):
        assert marker.exists()


@pytest.mark.parametrize("forged", ["../../../../elsewhere", "a/b", "..", "", "x" * 300])
def test_a_forged_library_id_never_names_a_place_outside_the_users_folders(library, forged):
    """The library's id comes from its database: a hostile one must not move
    the caches or the list of kept files out of this user's folders."""
    from readinglist.paths import automatic_exports_file, library_cache_dir

    with sqlite3.connect(library.db_path) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'library_id'", (forged,))
    library.close()
    with Library.open(library.folder) as again:
        assert again.library_id == forged
        cache = library_cache_dir(again.library_id, again.db_path)
        kept = automatic_exports_file(again.library_id)
        for path, root in ((cache, "libraries"), (kept, "automatic-exports")):
            assert path.parent.name == root and "/" not in path.name and ".." not in path.name
            assert len(path.name) < 100
        assert again.search.ids("anything") == []  # the caches work where they are
