"""A .bib kept up to date: written when what it holds changes, left alone
(bytes and time) when it does not, never over a file someone else changed,
whole or not at all when the writer is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from readinglist.core.errors import InvalidInput
from readinglist.core.exports.scope import Format, Scope
from readinglist.core.library import Library


def stamp(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


@pytest.fixture
def kept(filled, tmp_path):
    """Tag “robots” on two papers, kept in robots.bib."""
    filled.tags.add([2, 5], ["robots"])
    target = tmp_path / "robots.bib"
    update = filled.exports.register(target, Scope(tag="robots"), Format())
    assert (update.outcome, update.entries) == ("written", 2)
    return filled, target


def test_a_change_in_scope_is_written_and_nothing_else_touches_the_file(kept):
    library, target = kept
    before = stamp(target)
    library.edit.set_note(1, "not a robot paper")  # outside the scope
    library.edit.set_status([2], "read")  # inside, but nothing an entry shows
    assert [u.outcome for u in library.exports.update()] == ["same"]
    assert stamp(target) == before  # a build watching the file is not woken
    library.tags.add([3], ["robots"])
    [update] = library.exports.update()
    assert (update.outcome, update.entries) == ("written", 3)
    assert target.read_text().count("\n@") == 3
    library.edit.set_note(2, "grasping, \\cite me")
    library.exports.update()
    assert "annote" in target.read_text() and "grasping, \\textbackslash{}cite me" in \
        target.read_text()
    [entry] = library.exports.list()
    assert (entry.entries, entry.paused, entry.scope.describe()) == (3, None, "tag “robots”")


def test_a_file_changed_by_someone_else_is_paused_not_overwritten(kept):
    library, target = kept
    target.write_text(target.read_text() + "\n@misc{mine, title = {typed by hand}}\n")
    hand = target.read_bytes()
    library.tags.add([3], ["robots"])
    [update] = library.exports.update()
    assert update.outcome == "paused" and "changed outside Readinglist" in update.message
    assert target.read_bytes() == hand
    library.tags.add([4], ["robots"])
    [update] = library.exports.update()  # still paused, still said, still untouched
    assert update.outcome == "paused" and target.read_bytes() == hand
    assert library.exports.list()[0].paused
    [forced] = [u for u in library.exports.update(force=target)]
    assert (forced.outcome, forced.entries) == ("written", 4)
    assert "typed by hand" not in target.read_text() and not library.exports.list()[0].paused


def test_a_deleted_file_is_written_again(kept):
    library, target = kept
    target.unlink()
    [update] = library.exports.update()
    assert update.outcome == "written" and target.read_text().count("\n@") == 2


def test_a_scope_left_empty_does_not_empty_the_file(kept):
    library, target = kept
    before = target.read_bytes()
    library.tags.delete("robots")
    [update] = library.exports.update()
    assert update.outcome == "failed"
    assert update.message == "robots.bib: tag “robots” has no papers now: the file is left " \
        "as it was"
    assert target.read_bytes() == before
    library.tags.add([1], ["robots"])  # back: followed again
    [update] = library.exports.update()
    assert (update.outcome, update.entries) == ("written", 1)
    assert library.exports.remove(target) and library.exports.list() == [] and target.exists()
    with pytest.raises(InvalidInput, match="is not kept up to date"):
        library.exports.update(force=target)


def test_an_aux_export_follows_the_document_and_the_library(filled, tmp_path):
    keys = {p.id: p.citekey for p in filled.papers.list(limit=None)}
    aux = tmp_path / "paper.aux"
    aux.write_text(f"\\citation{{{keys[3]}}}\n\\citation{{{keys[1]},{keys[2]}}}\n")
    target = tmp_path / "refs.bib"
    filled.exports.register(target, Scope(aux=str(aux)), Format("biblatex"))
    assert _keys(target) == [keys[3], keys[1], keys[2]]
    aux.write_text(f"\\citation{{{keys[4]}}}\n")  # the writer cites something else
    filled.exports.update()
    assert _keys(target) == [keys[4]]
    aux.unlink()  # a clean build removes it: said, and the file is left as it was
    [update] = filled.exports.update()
    assert update.outcome == "failed" and "paper.aux" in update.message
    assert _keys(target) == [keys[4]]


def _keys(path: Path) -> list[str]:
    return [line.split("{", 1)[1].rstrip(",") for line in path.read_text().splitlines()
            if line.startswith("@")]


def test_the_list_is_kept_for_the_user_outside_the_library_folder(kept, tmp_path):
    library, target = kept
    inside = [p for p in library.folder.rglob("*") if "robots" in p.name or "export" in p.name]
    assert inside == []  # a copied library folder brings no file-writing orders with it
    assert library.exports.list()[0].path == str(target.resolve())


KILLED_WRITER = r"""
import sys, time
from readinglist.core.bibtex import entries
from readinglist.core.library import Library
real = entries.entry
def slow(*args, **kwargs):
    print("writing", flush=True)
    time.sleep(0.05)
    return real(*args, **kwargs)
entries.entry = slow
with Library.open(sys.argv[1]) as library:
    library.tags.add(library.papers.ids(), ["robots"])
    library.exports.update()
"""


def test_a_killed_writer_leaves_the_old_file_whole(kept, tmp_path):
    library, target = kept
    before = target.read_bytes()
    folder = library.folder
    library.close()
    child = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(folder)],
                             stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        assert child.stdout.readline().strip() == "writing"  # in the middle of the file
        child.stdout.readline()
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert target.read_bytes() == before
    leftovers = [p.name for p in target.parent.iterdir() if p.name.startswith(".robots.bib.")]
    assert leftovers  # the half-written temporary file, never the export itself
    with Library.open(folder) as again:
        [update] = again.exports.update()  # the next update finishes the job
        assert update.outcome == "written" and update.entries == 8
    assert target.read_text().count("\n@") == 8
