"""Undo and redo in the core: every edit one step, kept in the database."""

from __future__ import annotations

import json

from readinglist.cli import main
from readinglist.core.library import Library


def statuses(library, ids):
    return [p.status for p in library.papers.get_many(ids)]


def tags_of(library, ids):
    return [p.tags for p in library.papers.get_many(ids)]


def test_undo_of_a_mixed_selection_gives_each_paper_its_own_status(filled):
    filled.edit.set_status([1], "read")
    filled.edit.set_status([2], "skimmed")
    filled.edit.set_status([1, 2, 3], "read")
    assert statuses(filled, [1, 2, 3]) == ["read", "read", "read"]
    result = filled.undo()
    assert result.label == "Mark as Read" and result.skipped == 0
    assert statuses(filled, [1, 2, 3]) == ["read", "skimmed", "unread"]


def test_status_keys_are_explicit_never_toggles(filled):
    """R on a read paper leaves it read: going back over a list flips nothing."""
    filled.edit.set_status([1], "read")
    filled.edit.set_status([1, 2], "read")
    assert statuses(filled, [1, 2]) == ["read", "read"]
    filled.edit.set_status([1, 2], "read")
    assert statuses(filled, [1, 2]) == ["read", "read"]
    assert not hasattr(filled.edit, "toggle_status")


def test_a_tag_merge_is_undone_and_redone(filled):
    filled.tags.add([1, 2], ["RL"])
    filled.tags.add([2, 3], ["Reinforcement learning"])
    filled.tags.rename("rl", "reinforcement LEARNING")  # onto an existing tag: a merge
    assert filled.history.labels() == ("Merge Tag “RL” into “Reinforcement learning”", None)
    assert tags_of(filled, [1, 2, 3]) == [("Reinforcement learning",)] * 3
    assert filled.undo().message == "Undone: Merge Tag “RL” into “Reinforcement learning”"
    assert tags_of(filled, [1, 2, 3]) == [("RL",), ("Reinforcement learning", "RL"),
                                         ("Reinforcement learning",)]
    assert filled.history.labels()[1] == "Merge Tag “RL” into “Reinforcement learning”"
    filled.redo()
    assert {t.name: t.count for t in filled.tags.counts()} == {"Reinforcement learning": 3}
    # the index follows: the old tag is found again after an undo
    filled.undo()
    assert sorted(h.id for h in filled.search.hits("tag:rl")) == [1, 2]


def test_rename_delete_note_key_and_delete_papers_undo_and_redo(filled):
    filled.tags.add([4], ["robots"])
    filled.tags.rename("robots", "Robotics")
    filled.edit.set_note(4, "check the appendix")
    filled.edit.set_citekey(4, "Planner2026")
    old_key = filled.papers.get(5).citekey
    filled.edit.delete([5])
    filled.tags.delete("Robotics")
    for label, check in [
        ("Delete Tag “Robotics”", lambda: filled.papers.get(4).tags == ("Robotics",)),
        ("Delete 1 Paper", lambda: filled.papers.get(5).citekey == old_key),
        ("Set Citation Key “Planner2026”", lambda: filled.papers.get(4).citekey != "Planner2026"),
        ("Edit Note", lambda: filled.papers.get(4).note == ""),
        ("Rename Tag “robots” to “Robotics”", lambda: filled.papers.get(4).tags == ("robots",)),
        ("Tag “robots”", lambda: filled.papers.get(4).tags == ()),
    ]:
        result = filled.undo()
        assert result.label == label and check(), label
    assert filled.undo() is None  # the import is not an edit: nothing older to undo
    for _ in range(6):
        filled.redo()
    assert filled.redo() is None
    paper = filled.papers.get(4)
    assert (paper.tags, paper.note, paper.citekey) == ((), "check the appendix", "Planner2026")
    assert 5 not in filled.papers.ids()


def test_a_new_edit_clears_the_redo_side(filled):
    filled.edit.set_status([1], "read")
    filled.undo()
    assert filled.history.labels() == (None, "Mark as Read")
    filled.edit.set_status([2], "skimmed")
    assert filled.history.labels() == ("Mark as Skimmed", None)


def test_typing_on_in_one_note_is_one_step(filled):
    for text in ("a", "ab", "abc"):
        filled.edit.set_note(1, text)
    filled.edit.set_note(2, "other")
    filled.undo()
    assert filled.papers.get(2).note == ""
    filled.undo()
    assert filled.papers.get(1).note == ""


def test_undo_after_the_cli_changed_the_same_paper_takes_the_newest_change_first(
        filled, capsys):
    filled.edit.set_status([1, 2, 3], "read")  # the window
    assert main(["--library", str(filled.folder), "mark", "2", "skimmed"]) == 0
    capsys.readouterr()
    assert filled.history.labels()[0] == "Mark as Skimmed"  # the window's menu says so
    assert filled.undo().label == "Mark as Skimmed"
    assert statuses(filled, [1, 2, 3]) == ["read", "read", "read"]
    assert filled.undo().label == "Mark as Read"
    assert statuses(filled, [1, 2, 3]) == ["unread", "unread", "unread"]


def test_undo_skips_a_paper_changed_since_and_says_so(filled):
    filled.edit.set_status([1, 2, 3], "read")
    # another program, behind the history's back (an older Readinglist, a script)
    with Library.open(filled.folder) as other, other.store.write() as conn:
        conn.exec_driver_sql("UPDATE paper SET status = 'skimmed' WHERE id = 2")
    result = filled.undo()
    assert statuses(filled, [1, 2, 3]) == ["unread", "skimmed", "unread"]
    assert result.changed == 2 and result.skipped == 1
    assert result.message == ("Undone: Mark as Read — 1 change was left as they are: "
                              "those papers were changed again since")


def test_cli_undo_and_redo_share_the_window_history(filled, capsys):
    filled.tags.add([1], ["later"])
    folder = str(filled.folder)
    assert main(["--library", folder, "undo"]) == 0
    assert capsys.readouterr().out.strip() == "Undone: Tag “later”"
    assert filled.papers.get(1).tags == ()
    assert main(["--library", folder, "redo", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "action": "redone", "label": "Tag “later”", "changed": 1, "skipped": 0, "notes": [],
        "failed": None}
    assert filled.papers.get(1).tags == ("later",)
    assert main(["--library", folder, "redo"]) == 0
    assert capsys.readouterr().out.strip() == "Nothing to redo."


def test_the_history_survives_a_restart_and_keeps_at_least_50_steps(tmp_path, filled):
    for number in range(60):
        filled.edit.set_status([1 + number % 8], ("read", "unread")[number // 8 % 2])
    folder = filled.folder
    filled.close()
    with Library.open(folder) as reopened:
        undone = 0
        while reopened.undo() is not None:
            undone += 1
        assert undone >= 50
