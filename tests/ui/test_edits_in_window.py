"""Edits in the window as a person makes them: R, S, U on a selection, Delete
after asking, tags renamed, merged and deleted from the sidebar, and each one
undone and redone with the keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from tests.ui.conftest import answer_next_dialog, wait_idle
from tests.ui.test_main_window import LORA, select_titles, titles


def test_status_shortcuts_on_a_multi_selection_and_undo(filled_window, qtbot):
    window = filled_window
    first_three = titles(window)[:3]
    ids = select_titles(window, *first_three)
    assert len(ids) == 3

    def statuses():
        return {p.status for p in window.library.papers.get_many(ids)}

    def press(key):
        select_titles(window, *first_three)  # R, S, U move on to the next paper
        qtbot.keyClick(window.paper_list.table, key)
        wait_idle(qtbot, window)

    press(Qt.Key.Key_R)
    assert statuses() == {"read"}
    # the paper after them
    assert window.paper_list.selected_ids() == [window.paper_list.model.id_at(3)]
    assert window.statusBar().currentMessage() == "Marked read: 3 papers — Ctrl+Z undoes"
    press(Qt.Key.Key_R)  # all three already read: R leaves them read, never a toggle
    assert statuses() == {"read"}
    press(Qt.Key.Key_S)
    assert statuses() == {"skimmed"}
    press(Qt.Key.Key_U)
    assert statuses() == {"unread"}
    select_titles(window, *first_three)
    window.actions.mark_read.trigger()
    wait_idle(qtbot, window)
    assert statuses() == {"read"}
    assert window.actions.undo.text() == "&Undo Mark as Read"
    qtbot.keyClick(window.paper_list.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)
    assert statuses() == {"unread"}
    # the unread rows are bold, the read ones not
    press(Qt.Key.Key_R)
    model = window.paper_list.model
    row = model.row_of(ids[0])
    assert not model.index(row, 0).data(Qt.ItemDataRole.FontRole)


def test_delete_after_confirmation_and_undo(filled_window, qtbot):
    window = filled_window
    ids = select_titles(window, LORA)
    window.library.tags.add(ids, ["keep"])
    dialogs = []
    answer_next_dialog(qtbot, None, dialogs)  # Enter: Cancel is the default
    qtbot.keyClick(window.paper_list.table, Qt.Key.Key_Delete)
    wait_idle(qtbot, window)
    assert LORA in titles(window)
    assert dialogs[0].defaultButton().text() == "Cancel"
    window.activateWindow()  # back from the dialog (offscreen does not do it by itself)
    qtbot.waitUntil(window.isActiveWindow)
    answer_next_dialog(qtbot, "Delete")
    qtbot.keyClick(window.paper_list.table, Qt.Key.Key_Delete)
    wait_idle(qtbot, window)
    assert LORA not in titles(window) and len(titles(window)) == 7
    window.actions.undo.trigger()
    wait_idle(qtbot, window)
    assert LORA in titles(window)
    assert window.library.papers.get(ids[0]).tags == ("keep",)


def test_undo_of_a_tag(filled_window, qtbot):
    window = filled_window
    ids = select_titles(window, *titles(window)[:2])
    window.library.tags.add(ids[:1], ["mine"])
    window.commands.change_tags(add=["mine"])
    wait_idle(qtbot, window)
    assert all(p.tags == ("mine",) for p in window.library.papers.get_many(ids))
    window.actions.undo.trigger()
    wait_idle(qtbot, window)
    # the paper that had the tag before keeps it
    assert [p.tags for p in window.library.papers.get_many(ids)] == [("mine",), ()]


def test_tag_rename_merge_and_delete_from_the_sidebar(filled_window, qtbot, monkeypatch):
    window = filled_window
    ids = window.library.papers.ids()
    window.library.tags.add(ids[:2], ["rl"])
    window.library.tags.add(ids[2:3], ["robots"])
    window.refresh()
    wait_idle(qtbot, window)

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Reinforcement", True))
    window.sidebar.ask_rename("rl")
    wait_idle(qtbot, window)
    assert {t.name for t in window.library.tags.counts()} == {"Reinforcement", "robots"}
    window.sidebar.renameTagRequested.emit("robots", "Reinforcement")  # merge
    wait_idle(qtbot, window)
    assert [(t.name, t.count) for t in window.library.tags.counts()] == [("Reinforcement", 3)]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.sidebar.ask_delete("Reinforcement")
    wait_idle(qtbot, window)
    assert window.library.tags.counts() == []
    assert window.sidebar.item_for("tag:Reinforcement") is None


def test_a_merge_is_undone_and_redone_with_the_keyboard(filled_window, qtbot):
    """Edit ▸ Undo names the merge, Ctrl+Z undoes it, Ctrl+Shift+Z redoes it."""
    window = filled_window
    ids = window.library.papers.ids()
    window.library.tags.add(ids[:2], ["RL"])
    window.library.tags.add(ids[1:3], ["Reinforcement learning"])
    window.sidebar.renameTagRequested.emit("RL", "Reinforcement learning")
    wait_idle(qtbot, window)
    assert window.actions.undo.text() == "&Undo Merge Tag “RL” into “Reinforcement learning”"
    assert not window.actions.redo.isEnabled()
    qtbot.keyClick(window.paper_list.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)
    assert [p.tags for p in window.library.papers.get_many(ids[:3])] == [
        ("RL",), ("Reinforcement learning", "RL"), ("Reinforcement learning",)]
    assert window.sidebar.item_for("tag:RL") is not None
    assert window.statusBar().currentMessage().startswith("Undone: Merge Tag")
    assert window.actions.redo.text() == "&Redo Merge Tag “RL” into “Reinforcement learning”"
    qtbot.keyClick(window.paper_list.table, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    wait_idle(qtbot, window)
    assert [(t.name, t.count) for t in window.library.tags.counts()] == [
        ("Reinforcement learning", 3)]
    # an edit made in a terminal meanwhile is what Undo offers next
    window.library.edit.set_status(ids[:1], "read")
    window.commands.refresh_history()
    wait_idle(qtbot, window)
    assert window.actions.undo.text() == "&Undo Mark as Read"
