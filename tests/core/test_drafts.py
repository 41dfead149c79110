"""Note drafts: what was typed, on disk until the database has it."""

from __future__ import annotations

from readinglist.core.storage.drafts import NoteDrafts


def test_a_save_of_older_text_keeps_the_newer_draft(tmp_path):
    drafts = NoteDrafts(tmp_path)
    drafts.put(3, "read the appendix")
    drafts.saved(3, "read the app")  # the save of what was typed a moment before
    assert drafts.pending() == {3: "read the appendix"}
    drafts.saved(3, "read the appendix")
    assert drafts.pending() == {}
