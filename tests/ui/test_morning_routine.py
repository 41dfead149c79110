"""The morning routine without a stumble: where a view opens and where the
keys are (every view at its top, a digest at its first unread paper, a view
left and chosen again where it was left), Home / End as in a mail reader,
Shift+F10, the search scope line and search-all, the shortcut sheet, and
the smaller items a new user tripped on."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import wait_idle
from tests.ui.test_triage_flow import press, select_row


def choose(window, qtbot, key: str) -> None:
    window.sidebar.select_key(key)
    wait_idle(qtbot, window)


def test_a_view_opens_at_its_top_not_at_the_row_the_last_one_had(big_window, qtbot):
    window = big_window
    model = window.paper_list.model
    digest = next(iter(window.sidebar.digests))
    choose(window, qtbot, f"digest:{digest}")
    top, far = model.id_at(0), model.id_at(25)
    choose(window, qtbot, "all")
    window.paper_list.selection.select([far])  # a paper the digest lists too
    window.paper_list._places.clear()  # as a digest not opened before
    choose(window, qtbot, f"digest:{digest}")
    assert window.paper_list.selected_ids() == [top]


def test_a_digest_opens_at_its_first_unread_paper(big_window, qtbot):
    window = big_window
    digest = next(iter(window.sidebar.digests))
    choose(window, qtbot, f"digest:{digest}")
    ids = window.paper_list.model.ids()
    window.library.edit.set_status(ids[:7], "read")
    choose(window, qtbot, "all")
    window.paper_list._places.clear()  # as a digest not opened before
    choose(window, qtbot, f"digest:{digest}")
    assert window.paper_list.selected_ids() == [ids[7]]


def test_coming_back_to_a_view_restores_where_you_were(big_window, qtbot):
    window = big_window
    choose(window, qtbot, "status:unread")
    there = select_row(window, qtbot, 20)
    choose(window, qtbot, "trending")
    choose(window, qtbot, "status:unread")
    assert window.paper_list.selected_ids() == [there]


def test_home_and_end_select_the_first_and_last_paper(big_window, qtbot):
    window = big_window
    model = window.paper_list.model
    select_row(window, qtbot, 10)
    press(window, qtbot, Qt.Key.Key_End)
    assert window.paper_list.selected_ids() == [model.id_at(model.rowCount() - 1)]
    press(window, qtbot, Qt.Key.Key_Home)
    assert window.paper_list.selected_ids() == [model.id_at(0)]
    press(window, qtbot, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert window.paper_list.selected_ids() == [model.id_at(model.rowCount() - 1)]
    press(window, qtbot, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert window.paper_list.selected_ids() == [model.id_at(0)]
    press(window, qtbot, Qt.Key.Key_PageDown)  # a screen down: that one paper selected
    [down] = window.paper_list.selected_ids()
    assert model.row_of(down) > 5
    press(window, qtbot, Qt.Key.Key_PageUp)
    assert window.paper_list.selected_ids() == [model.id_at(0)]


def test_shift_f10_opens_the_papers_menu(big_window, qtbot):
    window = big_window
    select_row(window, qtbot, 3)
    press(window, qtbot, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.interactions.menu is not None
                    and window.interactions.menu.isVisible(), timeout=30000)
    window.interactions.menu.close()


def test_the_list_has_the_keys_after_a_view_is_clicked_and_after_an_import(big_window, qtbot):
    from tests.conftest import DIGESTS
    from tests.ui.test_main_window import drop_files

    window = big_window
    window.search_edit.setFocus()
    item = window.sidebar.item_for("trending")
    qtbot.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.sidebar.visualItemRect(item).center())
    wait_idle(qtbot, window)
    assert window.paper_list.state.view_key == "trending"
    assert window.paper_list.table.hasFocus()
    window.search_edit.setFocus()  # a click in the search box, then files dropped
    drop_files(qtbot, window, DIGESTS[:1])
    wait_idle(qtbot, window)
    assert window.paper_list.table.hasFocus()
    press(window, qtbot, Qt.Key.Key_J)
    assert window.search_edit.text() == ""


def test_a_search_says_it_looks_in_the_view_and_can_search_all(filled_window, qtbot):
    window = filled_window
    window.library.edit.set_status(window.paper_list.model.ids()[:2], "read")
    window.sidebar.select_key("status:read")
    wait_idle(qtbot, window)
    window.searching.focus()
    qtbot.keyClicks(window.search_edit, "models")
    qtbot.waitUntil(lambda: window.paper_list.query != "", timeout=30000)
    wait_idle(qtbot, window)
    bar = window.paper_list.view_bar
    assert bar.scope.isVisible() and bar.scope.text() == "In Read —"
    assert bar.search_all.isVisible()
    in_view = window.paper_list.model.rowCount()
    qtbot.keyClick(window.search_edit, Qt.Key.Key_F,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    wait_idle(qtbot, window)
    assert window.paper_list.state.view_key == "all"
    assert window.search_edit.text() == "models"
    assert window.paper_list.model.rowCount() > in_view
    assert not bar.search_all.isVisible()  # All papers: nowhere else to look


def test_the_shortcut_sheet_lists_every_action_with_a_key(filled_window, qtbot, monkeypatch):
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QMainWindow

    from readinglist.ui.dialogs import shortcuts

    window = filled_window
    shown = []
    monkeypatch.setattr(shortcuts.ShortcutSheet, "exec",
                        lambda self: shown.append(self.keys()) or 0)
    qtbot.keyClick(window.paper_list.table, Qt.Key.Key_F1)
    assert shown, "F1 opened no sheet"
    native = QKeySequence.SequenceFormat.NativeText
    for action in QMainWindow.actions(window):
        for key in action.shortcuts():
            text = key.toString(native)
            assert any(text in row.split(", ") for row in shown[0]), (action.text(), text)
    for key in ("R", "S", "U", "X", "J", "K", "Space", "Ctrl+Shift+F", "Home, End (Ctrl too)",
                "Shift+F10, Menu key"):
        assert any(key == row or key in row.split(", ") for row in shown[0]), key


def test_the_smaller_stumbles(filled_window, qtbot, tmp_path):
    from tests.conftest import DIGESTS, FIXTURES
    from tests.ui.test_main_window import drop_files, summary_text

    window = filled_window
    # a digest imported again says so in words, not in zeros
    drop_files(qtbot, window, DIGESTS[:1])
    wait_idle(qtbot, window)
    assert summary_text(window) == f"Already imported, nothing new: {DIGESTS[0].name}"
    # a .bib dropped on the window is a bibliography, not a digest without a date
    drop_files(qtbot, window, [FIXTURES / "bib" / "arxiv_export.bib"])
    wait_idle(qtbot, window)
    assert "date line" not in summary_text(window) and "Rejected" not in summary_text(window)
    # a tag's menu exports it
    window.library.tags.add(window.paper_list.model.ids()[:1], ["robots"])
    window.refresh()
    wait_idle(qtbot, window)
    texts = [a.text() for a in window.sidebar.tag_menu("robots").actions()]
    assert "&Export as BibTeX…" in texts
    # the delete question has a mnemonic on Delete (Alt+D; no Shift+Tab, Space)
    from PySide6.QtWidgets import QAbstractButton

    from tests.ui.conftest import answer_next_dialog

    before = window.paper_list.model.rowCount()
    select_row(window, qtbot, 0)
    labels = []
    answer_next_dialog(qtbot, "Delete", prepare=lambda dialog: labels.extend(
        b.text() for b in dialog.findChildren(QAbstractButton)))
    qtbot.keyClick(window.paper_list.table, Qt.Key.Key_Delete)
    wait_idle(qtbot, window)
    assert "&Delete" in labels
    assert window.paper_list.model.rowCount() == before - 1


def test_tags_draw_as_chips_inside_their_column(filled_window, qtbot):
    from PySide6.QtGui import QColor, QImage, QPainter

    from readinglist.ui.paper_list.model import COL_TAGS
    from readinglist.ui.paper_list.tag_chips import TagChipDelegate

    window = filled_window
    table = window.paper_list.table
    paper = window.paper_list.model.id_at(0)
    window.library.tags.add([paper], ["robots", "vision language", "a very long tag name"])
    window.paper_list.model.refresh([paper])
    wait_idle(qtbot, window)
    delegate = table.itemDelegateForColumn(COL_TAGS)
    assert isinstance(delegate, TagChipDelegate)
    from PySide6.QtCore import QRect

    index = window.paper_list.model.index(0, COL_TAGS)
    rect = QRect(10, 0, 90, 24)  # a narrow column: two chips and "+1" at most
    image = QImage(140, 24, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    from PySide6.QtWidgets import QStyleOptionViewItem

    option = QStyleOptionViewItem()
    option.rect = rect
    option.palette = table.palette()
    option.fontMetrics = table.fontMetrics()
    option.widget = table
    delegate.paint(painter, option, index)
    painter.end()
    inside = {image.pixel(x, rect.center().y()) for x in range(rect.left(), rect.right())}
    beyond = {image.pixel(x, rect.center().y()) for x in range(rect.right() + 1,
                                                                rect.right() + 20)}
    assert len(inside) > 2  # chips and text drawn in the cell
    assert beyond <= {QColor("white").rgba()}  # nothing runs into the next column
