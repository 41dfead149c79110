"""Undo and redo compare and set, whatever changed since, and never wedge.

Changes made behind the history's back (an import, an older Readinglist, a
script on the database) are made here through `library.store.write()`.
"""

from __future__ import annotations

from readinglist.core.editing.history import KEEP_STEPS
from tests.conftest import DIGESTS

TINYPLANNER = 2  # "TinyPlanner: …", in the first fixture digest


def behind_the_history(library, sql: str, **params) -> None:
    with library.store.write() as conn:
        conn.exec_driver_sql(sql, params) if params else conn.exec_driver_sql(sql)


def test_undo_of_a_key_leaves_it_when_another_paper_took_the_old_key(filled):
    old = filled.papers.get(1).citekey
    filled.edit.set_citekey(1, "Mine2026")
    behind_the_history(filled, f"UPDATE paper SET citekey = '{old}' WHERE id = 2")
    result = filled.undo()
    assert result.skipped == 1 and result.changed == 0
    assert filled.papers.get(1).citekey == "Mine2026"
    assert filled.papers.get(2).citekey == old


def test_undo_of_an_untag_never_tags_a_paper_deleted_since(filled):
    filled.tags.add([3, 4], ["robots"])
    filled.tags.remove([3, 4], ["robots"])
    behind_the_history(filled, "DELETE FROM paper WHERE id = 3")
    result = filled.undo()  # adds "robots" back: to paper 4 only
    assert result.changed == 1 and result.skipped == 1
    assert filled.papers.get(4).tags == ("robots",)
    assert filled.papers.ids(sort="id") == [1, 2, 4, 5, 6, 7, 8]


def test_undo_of_a_rename_leaves_it_when_another_tag_took_the_old_name(filled):
    filled.tags.add([1], ["rl"])
    filled.tags.rename("rl", "Reinforcement")
    behind_the_history(filled, "INSERT INTO tag (name, name_key) VALUES ('rl', 'rl')")
    behind_the_history(filled, "INSERT INTO paper_tag (paper_id, tag_id) "
                               "SELECT 5, id FROM tag WHERE name_key = 'rl'")
    result = filled.undo()
    assert result.skipped == 1
    assert filled.papers.get(1).tags == ("Reinforcement",)
    assert filled.papers.get(5).tags == ("rl",)


def test_undo_of_a_delete_leaves_its_key_with_the_paper_that_took_it(filled):
    key = filled.papers.get(1).citekey
    filled.edit.delete([1])
    behind_the_history(filled, f"UPDATE paper SET citekey = '{key}' WHERE id = 2")
    filled.undo()
    assert filled.papers.get(2).citekey == key
    back = filled.papers.get(1)
    assert back.citekey and back.citekey.lower() != key.lower()


def test_undo_puts_back_when_the_status_was_set(filled):
    filled.edit.set_status([1], "skimmed")
    before = filled.papers.get(1).status_changed
    assert before is not None
    filled.edit.set_status([1], "read")
    filled.undo()
    paper = filled.papers.get(1)
    assert (paper.status, paper.status_changed) == ("skimmed", before)
    filled.undo()
    assert filled.papers.get(1).status_changed is None  # never set before the first step


def test_the_history_keeps_exactly_the_newest_steps(filled):
    for number in range(KEEP_STEPS + 1):
        filled.edit.set_note(1 + number % 2, f"note {number}")  # another paper: a step each
    undone = 0
    while filled.undo() is not None:
        undone += 1
    assert undone == KEEP_STEPS
    assert filled.papers.get(2).note == "note 0" or filled.papers.get(1).note == "note 0"


def test_undo_of_a_delete_after_the_paper_was_imported_again_moves_its_tags_and_note(
        filled, tmp_path):
    filled.tags.add([TINYPLANNER], ["robots"])
    filled.edit.set_note(TINYPLANNER, "hierarchical RL, read the appendix")
    filled.edit.set_status([TINYPLANNER], "read")
    title = filled.papers.get(TINYPLANNER).title
    filled.edit.delete([TINYPLANNER])
    later = tmp_path / "later.txt"  # a later digest lists it again: it comes back as new
    later.write_text(DIGESTS[0].read_text(encoding="utf-8").replace("Apr 2", "Apr 12"),
                     encoding="utf-8")
    filled.import_files([later])
    [again] = [p for p in filled.papers.list() if p.title == title]
    assert again.id != TINYPLANNER and again.tags == ()
    result = filled.undo()
    assert result.failed is None
    assert f"imported again as #{again.id}" in result.message
    paper = filled.papers.get(again.id)
    assert paper.tags == ("robots",)
    assert paper.note == "hierarchical RL, read the appendix"
    assert paper.status == "read"
    assert len([p for p in filled.papers.list() if p.title == title]) == 1
    # the history goes on: older steps are undone as ever
    assert filled.undo().label == "Mark as Read"
    assert filled.undo().label == "Edit Note"


def test_redo_of_a_delete_never_deletes_the_paper_that_took_its_id(filled, tmp_path):
    newest = max(filled.papers.ids())
    filled.edit.delete([1, newest])
    digest = tmp_path / "newcomer.txt"
    digest.write_text("Daily Papers\n\nApr 9, 2026\n\nA Newcomer Takes the Highest Id\n\n"
                      "SQLite hands out the highest row id again once its holder was deleted, "
                      "so this paper gets the id of a deleted one, which a redo of the delete "
                      "must never take for the paper it deleted.\n", encoding="utf-8")
    filled.import_files([digest])
    assert filled.papers.get(newest).title == "A Newcomer Takes the Highest Id"
    result = filled.undo()  # both come back; the one whose id is taken under a new id
    assert result.changed == 2 and result.skipped == 0
    titles = {p.title for p in filled.papers.list()}
    assert len(titles) == 9 and "A Newcomer Takes the Highest Id" in titles
    filled.redo()  # deletes the two papers again, wherever they are now
    left = {p.title for p in filled.papers.list()}
    assert len(left) == 7 and "A Newcomer Takes the Highest Id" in left


def test_a_step_that_cannot_be_applied_moves_the_history_on(filled):
    filled.edit.set_status([1], "read")
    filled.edit.set_note(2, "a note")
    behind_the_history(filled, "CREATE TRIGGER refuse_notes BEFORE UPDATE OF note ON paper "
                               "BEGIN SELECT RAISE(ABORT, 'notes are read-only here'); END")
    result = filled.undo()
    assert result.failed is not None and "notes are read-only here" in result.message
    assert result.message.startswith("Cannot undo “Edit Note”")
    assert filled.papers.get(2).note == "a note"  # nothing half done
    assert filled.undo().label == "Mark as Read"  # the step under it is not blocked
    assert filled.papers.get(1).status == "unread"


def test_undo_of_a_note_leaves_one_written_since(filled):
    filled.edit.set_note(1, "mine")
    behind_the_history(filled, "UPDATE paper SET note = 'theirs' WHERE id = 1")
    result = filled.undo()
    assert result.skipped == 1 and filled.papers.get(1).note == "theirs"


def test_redo_of_a_delete_leaves_a_paper_that_took_the_id_behind_the_history(filled, tmp_path):
    newest = max(filled.papers.ids())
    title = filled.papers.get(newest).title
    filled.edit.delete([newest])
    filled.undo()  # back under its own id
    behind_the_history(filled, f"DELETE FROM paper WHERE id = {newest}")
    digest = tmp_path / "newcomer.txt"
    digest.write_text("Daily Papers\n\nApr 9, 2026\n\nA Newcomer Takes the Highest Id\n\n"
                      "SQLite hands out the highest row id again once its holder was deleted, "
                      "so this paper gets the id of a deleted one, which a redo of the delete "
                      "must never take for the paper it deleted.\n", encoding="utf-8")
    filled.import_files([digest])
    assert filled.papers.get(newest).title == "A Newcomer Takes the Highest Id"
    result = filled.redo()
    assert result.skipped == 1 and result.changed == 0
    assert filled.papers.get(newest).title == "A Newcomer Takes the Highest Id"
    assert title not in {p.title for p in filled.papers.list()}
