"""Tag entry as in Zotero: Enter takes the highlighted completion, Tab
completes without adding, a new tag is made only when nothing is highlighted
(and the field says "new tag" first), and the keys go back to the list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from tests.ui.conftest import wait_idle
from tests.ui.test_main_window import LORA, select_titles


def start_typing(window, qtbot, text: str) -> QLineEdit:
    tag_edit = window.findChild(QLineEdit, "tagEdit")
    qtbot.keyClick(window.paper_list.table, Qt.Key.Key_T)
    assert tag_edit.hasFocus()
    qtbot.keyClicks(tag_edit, text, delay=80)  # as a person types: the popup opens meanwhile
    assert tag_edit.text() == text  # nothing written into the field but what was typed
    qtbot.waitUntil(lambda: tag_edit.completer().popup().isVisible()
                    or window.detail.tags.new_hint.isVisible(), timeout=30000)
    qtbot.wait(50)  # the first completion is highlighted a moment after the popup shows
    return tag_edit


def test_enter_takes_the_highlighted_completion_not_the_typed_prefix(filled_window, qtbot):
    window = filled_window
    [paper] = select_titles(window, LORA)
    others = [i for i in window.paper_list.model.ids() if i != paper][:2]
    window.library.tags.add(others, ["robots"])
    window.refresh()
    wait_idle(qtbot, window)
    select_titles(window, LORA)
    tag_edit = start_typing(window, qtbot, "rob")
    assert not window.detail.tags.new_hint.isVisible()
    popup = tag_edit.completer().popup()
    qtbot.keyClick(popup if popup.isVisible() else tag_edit, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert window.library.papers.get(paper).tags == ("robots",)
    assert [t.name for t in window.library.tags.counts()] == ["robots"]  # no "rob"
    assert tag_edit.text() == ""
    assert QApplication.focusWidget() is window.paper_list.table  # J moves, T adds another
    start_typing(window, qtbot, "ro")  # a tag the paper has is offered no more
    assert not tag_edit.completer().popup().isVisible()


def test_tab_completes_without_adding_and_a_new_tag_is_said_first(filled_window, qtbot):
    window = filled_window
    [paper] = select_titles(window, LORA)
    window.library.tags.add([i for i in window.paper_list.model.ids() if i != paper][:1],
                            ["robots"])
    window.refresh()
    wait_idle(qtbot, window)
    select_titles(window, LORA)
    tag_edit = start_typing(window, qtbot, "rob")
    popup = tag_edit.completer().popup()
    qtbot.keyClick(popup if popup.isVisible() else tag_edit, Qt.Key.Key_Tab)
    assert tag_edit.text() == "robots" and tag_edit.hasFocus()
    assert window.library.papers.get(paper).tags == ()
    tag_edit.clear()
    qtbot.keyClicks(tag_edit, "zebra")
    qtbot.waitUntil(window.detail.tags.new_hint.isVisible, timeout=30000)
    qtbot.keyClick(tag_edit, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert window.library.papers.get(paper).tags == ("zebra",)
