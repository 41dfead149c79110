"""Note drafts: what was typed, on disk until the database has it."""

from __future__ import annotations

import os
import threading

import pytest

from readinglist.core.errors import InvalidInput
from readinglist.core.library import MAX_NOTE_BYTES
from readinglist.core.storage.drafts import MAX_DRAFT_BYTES, NoteDrafts
from tests.conftest import DIGESTS


def test_a_save_of_older_text_keeps_the_newer_draft(tmp_path):
    drafts = NoteDrafts(tmp_path)
    drafts.put(3, "read the appendix")
    drafts.saved(3, "read the app")  # the save of what was typed a moment before
    assert drafts.pending() == {3: "read the appendix"}
    drafts.saved(3, "read the appendix")
    assert drafts.pending() == {}


def test_a_draft_that_links_elsewhere_is_never_read(library, tmp_path):
    """A received library folder's drafts/note-1.txt → a private file."""
    library.import_files(DIGESTS)
    secret = tmp_path / "id_rsa"
    secret.write_text("-----BEGIN PRIVATE KEY-----\n")
    drafts = library.folder / "drafts"
    drafts.mkdir()
    (drafts / "note-1.txt").symlink_to(secret)
    (drafts / "note-2.txt").write_text("a real draft")
    assert library.recover_notes() == 1
    assert library.papers.get(1).note == "" and library.papers.get(2).note == "a real draft"
    assert library.drafts.skipped == ["drafts/note-1.txt: a link, not followed, left as it is"]
    assert (drafts / "note-1.txt").is_symlink()  # left where it is


def test_a_draft_that_is_a_fifo_or_too_large_never_blocks(library):
    library.import_files(DIGESTS)
    drafts = library.folder / "drafts"
    drafts.mkdir()
    os.mkfifo(drafts / "note-1.txt")  # opening it for reading would wait for a writer
    (drafts / "note-2.txt").write_bytes(b"x" * (MAX_DRAFT_BYTES + 1))
    (drafts / "note-3.txt").write_bytes(b"\xff\xfe not text")
    answer = []
    reading = threading.Thread(target=lambda: answer.append(library.recover_notes()),
                               daemon=True)  # a read that blocked would never end
    reading.start()
    reading.join(timeout=60)
    assert answer == [0], "reading the drafts blocked"
    assert sorted(library.drafts.skipped) == [
        "drafts/note-1.txt: not a regular file, left as it is",
        "drafts/note-2.txt: larger than 1024 KB, left as it is",
        "drafts/note-3.txt: not UTF-8 text, left as it is"]


def test_a_drafts_folder_that_is_a_link_is_neither_read_nor_written(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "note-1.txt").write_text("not ours")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "drafts").symlink_to(elsewhere)
    drafts = NoteDrafts(tmp_path / "lib")
    assert drafts.pending() == {} and drafts.skipped == ["drafts: a link, not followed"]
    with pytest.raises(OSError):
        drafts.put(2, "typed")
    assert sorted(p.name for p in elsewhere.iterdir()) == ["note-1.txt"]


def test_a_note_is_at_most_a_megabyte(library):
    library.import_files(DIGESTS)
    with pytest.raises(InvalidInput, match="a note is at most 1 MB"):
        library.edit.set_note(1, "x" * (MAX_NOTE_BYTES + 1))
    library.edit.set_note(1, "x" * MAX_NOTE_BYTES)
    assert len(library.papers.get(1).note) == MAX_NOTE_BYTES
