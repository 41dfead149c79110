"""A held or unwritable search index never stalls an edit, and never hides
that it is behind: search says so, check reports it, the index catches up."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

from readinglist.core.library import Library
from tests.conftest import DIGESTS, index_dir_of

HOLD = """
import sys, time
import whoosh.index
writer = whoosh.index.open_dir(sys.argv[1]).writer()
print("held", flush=True)
sys.stdin.readline()
writer.cancel()
"""


def run(folder, *args):
    env = {**os.environ, "READINGLIST_HOME": str(folder)}
    return subprocess.run([sys.executable, "-m", "readinglist", *args], capture_output=True,
                          text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)


def test_a_held_index_lock_leaves_edits_saved_and_searches_saying_so(tmp_path):
    folder = tmp_path / "lib"
    assert run(folder, "import", *map(str, DIGESTS)).returncode == 0
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(index_dir_of(folder))],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        tagged = run(folder, "tag", "1", "--add", "heldtag")
        assert tagged.returncode == 0 and "heldtag" in tagged.stdout  # in the database at once
        found = run(folder, "search", "heldtag")
        assert found.returncode == 1  # no match (yet) …
        assert "search index is behind the database" in found.stderr  # … and says why
        assert found.stderr.count("\n") == 1
        checked = run(folder, "check")
        assert checked.returncode == 1 and "another process holds its lock" in checked.stdout
    finally:
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    found = run(folder, "search", "heldtag")  # the lock is free: the index catches up
    assert found.returncode == 0 and found.stderr == "" and "     1" in found.stdout


def test_an_index_that_cannot_be_written_is_one_clear_line(tmp_path, monkeypatch, cli):
    assert cli("import", *map(str, DIGESTS))[0] == 0

    def cannot_move(*_args, **_kwargs):
        raise OSError(errno.EBUSY, "Device or resource busy", str(tmp_path / "index"))

    monkeypatch.setattr("readinglist.core.index.whoosh_index.SearchIndex.rebuild", cannot_move)
    code, out, err = cli("reindex")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "cannot be rebuilt: Device or resource busy" in err
    assert "internal error" not in err


def test_edits_save_when_the_index_cannot_be_written(tmp_path, monkeypatch):
    with Library.open(tmp_path / "lib") as library:
        library.import_files(DIGESTS)

        def read_only(*_args, **_kwargs):
            raise OSError(errno.EROFS, "Read-only file system")

        monkeypatch.setattr(library.store.index, "begin_apply", read_only)
        library.tags.add([1], ["saved anyway"])
        assert library.papers.get(1).tags == ("saved anyway",)
        assert "could not be updated" in (library.index_error or "")
        assert library.search.behind()
        report = library.maintenance.check()
        assert any("cannot be brought up to date (Read-only file system)" in p
                   for p in report.problems)
