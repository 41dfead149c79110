"""Going through a digest with the keyboard, as a person does every morning."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QDesktopServices
from PySide6.QtWidgets import QApplication, QMenu

from readinglist.core.library import Filter, Library
from readinglist.ui.paper_list.model import COL_RANK, COL_TAGS, COL_TITLE
from tests.conftest import DIGESTS
from tests.ui.conftest import answer_next_dialog, wait_idle
from tests.ui.test_main_window import select_titles, titles


def select_row(window, qtbot, row: int) -> int:
    window.paper_list.selection.select([window.paper_list.model.id_at(row)])
    window.paper_list.table.setFocus()
    wait_idle(qtbot, window)
    return window.paper_list.model.id_at(row)


def press(window, qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget() or window.paper_list.table, key, modifier)
    wait_idle(qtbot, window)


def test_r_in_the_unread_view_selects_the_paper_that_took_its_place(big_window, qtbot):
    window = big_window
    window.sidebar.select_key("status:unread")
    wait_idle(qtbot, window)
    before = window.paper_list.model.ids()
    marked = select_row(window, qtbot, 25)
    bar = window.paper_list.table.verticalScrollBar()
    bar.setValue(bar.value() + 4)  # the row in the middle of the screen, not at its edge
    scroll = bar.value()
    assert scroll > 0  # row 25 is below the first screen
    press(window, qtbot, Qt.Key.Key_R)
    assert window.library.papers.get(marked).status == "read"
    assert marked not in window.paper_list.model.ids()
    assert window.paper_list.selected_ids() == [before[26]]  # the one that took its place
    assert window.paper_list.table.verticalScrollBar().value() == scroll  # the list did not jump
    assert window.detail.title.text() == window.library.papers.get(before[26]).title
    press(window, qtbot, Qt.Key.Key_S)  # the next key acts on that paper
    assert window.library.papers.get(before[26]).status == "skimmed"
    assert window.paper_list.selected_ids() == [before[27]]


def test_in_all_papers_r_moves_on_and_leaves_the_paper_in_place(big_window, qtbot):
    window = big_window
    marked = select_row(window, qtbot, 3)
    after = window.paper_list.model.id_at(4)
    press(window, qtbot, Qt.Key.Key_R)
    assert window.paper_list.model.id_at(3) == marked
    assert window.paper_list.selected_ids() == [after]
    press(window, qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.library.papers.get(marked).status == "unread"


def test_a_digest_in_its_own_order_with_its_place_kept(open_window, qtbot, tmp_path):
    window = open_window(tmp_path / "lib")
    window.importer.start(DIGESTS)
    wait_idle(qtbot, window)
    digest = next(d for d in window.library.papers.digests() if d.file_name == "digest_apr03.txt")
    window.sidebar.select_key(f"digest:{digest.id}")
    wait_idle(qtbot, window)
    positions = window.library.papers.positions(digest.id)
    assert [positions[i] for i in window.paper_list.model.ids()] == [1, 2, 3, 4]
    header = window.paper_list.table.horizontalHeader()
    assert not header.isSectionHidden(COL_RANK) and header.visualIndex(COL_RANK) == 0
    assert window.paper_list.model.headerData(COL_RANK, Qt.Orientation.Horizontal) == "#"
    assert [window.paper_list.model.index(r, COL_RANK).data() for r in range(4)] == [1, 2, 3, 4]
    assert window.status.count.text() == "4 of 4 unread in 03 Apr 2026"
    ids = window.paper_list.model.ids()
    select_row(window, qtbot, 1)
    press(window, qtbot, Qt.Key.Key_R)
    assert window.paper_list.model.ids() == ids and window.paper_list.selected_ids() == [ids[2]]
    assert window.status.count.text() == "3 of 4 unread in 03 Apr 2026"
    assert "(3 / 4)" in window.sidebar.item_for(f"digest:{digest.id}").text(0)
    window.paper_list.table.sortByColumn(COL_TITLE, Qt.SortOrder.AscendingOrder)  # a click on Title
    wait_idle(qtbot, window)
    assert titles(window) == sorted(titles(window), key=str.lower)
    window.sidebar.select_key("all")
    wait_idle(qtbot, window)
    assert header.isSectionHidden(COL_RANK)
    window.sidebar.select_key(f"digest:{digest.id}")  # back: the digest's order again
    wait_idle(qtbot, window)
    assert window.paper_list.model.ids() == ids


def test_esc_leaves_the_tag_field_and_the_note(filled_window, qtbot):
    window = filled_window
    select_row(window, qtbot, 0)
    first, second = window.paper_list.model.id_at(0), window.paper_list.model.id_at(1)
    press(window, qtbot, Qt.Key.Key_T)
    assert window.detail.tag_edit.hasFocus()
    qtbot.keyClicks(window.detail.tag_edit, "robots")
    press(window, qtbot, Qt.Key.Key_Return)
    press(window, qtbot, Qt.Key.Key_Escape)
    assert window.paper_list.table.hasFocus()
    press(window, qtbot, Qt.Key.Key_N)  # N is the note's shortcut again, not a letter
    assert window.detail.tag_edit.text() == "" and window.detail.note_edit.hasFocus()
    assert window.library.papers.get(first).tags == ("robots",)
    qtbot.keyClicks(window.detail.note_edit, "read the appendix")
    press(window, qtbot, Qt.Key.Key_Escape)
    assert window.paper_list.table.hasFocus()
    press(window, qtbot, Qt.Key.Key_J)
    assert window.library.papers.get(first).note == "read the appendix"  # no "j"
    assert window.paper_list.selected_ids() == [second]


def test_emptying_the_tag_field_closes_its_completion_list(filled_window, qtbot):
    window = filled_window
    window.library.tags.add([window.paper_list.model.id_at(1)], ["robots"])
    window.refresh()
    wait_idle(qtbot, window)
    select_row(window, qtbot, 0)
    press(window, qtbot, Qt.Key.Key_T)
    qtbot.keyClicks(window.detail.tag_edit, "rob")
    popup = window.detail.tag_edit.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=30000)
    for _ in range(3):
        qtbot.keyClick(window.detail.tag_edit, Qt.Key.Key_Backspace)
    assert not popup.isVisible()  # so the next click lands on the table


def test_next_unread_and_space(filled_window, qtbot):
    window = filled_window
    ids = window.paper_list.model.ids()
    window.library.edit.set_status(ids[1:3], "read")
    window.refresh()
    wait_idle(qtbot, window)
    select_row(window, qtbot, 0)
    press(window, qtbot, Qt.Key.Key_BracketRight)
    assert window.paper_list.selected_ids() == [ids[3]]
    press(window, qtbot, Qt.Key.Key_BracketLeft)
    assert window.paper_list.selected_ids() == [ids[0]]
    window.detail.abstract.verticalScrollBar().setValue(
        window.detail.abstract.verticalScrollBar().maximum())  # at the end of the abstract
    press(window, qtbot, Qt.Key.Key_Space)
    assert window.paper_list.selected_ids() == [ids[3]]
    menus = window.menuBar().findChildren(QMenu)  # shown in the Paper menu, with its key
    assert any(window.actions.next_unread in m.actions() for m in menus)
    assert window.actions.next_unread.shortcut().toString() == "]"


def test_a_key_on_several_rows_or_on_the_last_rows_moves_past_them(big_window, qtbot):
    window = big_window
    ids = window.paper_list.model.ids()
    window.paper_list.selection.select([ids[3], ids[4], ids[6]])
    window.paper_list.table.setFocus()
    press(window, qtbot, Qt.Key.Key_S)
    assert {window.library.papers.get(i).status for i in (ids[3], ids[4], ids[6])} == {
        "skimmed"}
    assert window.paper_list.selected_ids() == [ids[7]]  # the row after the last one acted on
    window.paper_list.selection.select(ids[-2:])
    press(window, qtbot, Qt.Key.Key_S)
    assert window.paper_list.selected_ids() == [ids[-3]]  # none below: the nearest above


def test_previous_unread_from_below_is_the_nearest_above(big_window, qtbot):
    window = big_window
    ids = window.paper_list.model.ids()
    window.library.edit.set_status(ids[-6:], "read")
    window.refresh()
    wait_idle(qtbot, window)
    select_row(window, qtbot, len(ids) - 1)
    press(window, qtbot, Qt.Key.Key_BracketLeft)
    assert window.paper_list.selected_ids() == [ids[-7]]


def test_space_pages_through_a_long_abstract_before_moving_on(big_window, qtbot):
    window = big_window
    window.resize(1000, 420)  # a short window: the abstract needs a scroll bar
    wait_idle(qtbot, window)
    ids = window.paper_list.model.ids()
    select_row(window, qtbot, 0)
    bar = window.detail.abstract.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=30000)
    press(window, qtbot, Qt.Key.Key_Space)
    assert bar.value() > 0 and window.paper_list.selected_ids() == [ids[0]]
    while bar.value() < bar.maximum():
        press(window, qtbot, Qt.Key.Key_Space)
        assert window.paper_list.selected_ids() == [ids[0]]
    press(window, qtbot, Qt.Key.Key_Space)  # at its end: the next unread paper
    assert window.paper_list.selected_ids() == [ids[1]]


def test_the_papers_context_menu_from_the_mouse_and_the_keyboard(filled_window, qtbot):
    window = filled_window
    ids = select_titles(window, *titles(window)[:2])
    viewport = window.paper_list.table.viewport()
    row = window.paper_list.table.visualRect(window.paper_list.model.index(0, 0)).center()
    QApplication.sendEvent(viewport, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, row,
                                                       viewport.mapToGlobal(row)))
    qtbot.waitUntil(lambda: window.interactions.menu is not None, timeout=30000)
    menu = window.interactions.menu
    assert isinstance(menu, QMenu) and menu.objectName() == "paperMenu" and menu.isVisible()
    texts = [a.text().replace("&", "") for a in menu.actions()]
    for wanted in ("Mark as Read", "Mark as Skimmed", "Mark as Unread", "Add Tag", "Remove Tag",
                   "Open Link", "Open Code", "Copy Citation Key", "Copy BibTeX Entries",
                   "Export Selection as BibTeX…", "Delete Papers…"):
        assert wanted in texts
    # a right click on a selected row keeps the selection
    assert window.paper_list.selected_ids() == ids
    add = next(a.menu() for a in menu.actions() if a.text() == "Add &Tag")
    assert [a.text() for a in add.actions()] == ["&New Tag…"]  # no tags used yet
    menu.close()
    # the Menu key / Shift+F10: a keyboard context menu at the current row
    table = window.paper_list.table
    QApplication.sendEvent(table, QContextMenuEvent(
        QContextMenuEvent.Reason.Keyboard, QPoint(0, 0), table.mapToGlobal(QPoint(0, 0))))
    qtbot.waitUntil(lambda: window.interactions.menu is not menu, timeout=30000)
    assert window.interactions.menu.isVisible()
    read = next(a for a in window.interactions.menu.actions() if a.objectName() == "actionMarkRead")
    read.trigger()
    wait_idle(qtbot, window)
    assert {p.status for p in window.library.papers.get_many(ids)} == {"read"}


def test_enter_double_click_and_ctrl_l_open_the_papers_page(filled_window, qtbot, monkeypatch):
    window = filled_window
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString())
                        or True)
    shown = window.library.papers.get_many(window.paper_list.model.ids())
    with_link = next(p for p in shown if p.links)
    window.paper_list.selection.select([with_link.id])
    window.paper_list.table.setFocus()
    press(window, qtbot, Qt.Key.Key_Return)
    press(window, qtbot, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    table, model = window.paper_list.table, window.paper_list.model
    rect = table.visualRect(model.index(model.row_of(with_link.id), 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(opened) == 3 and opened[0] in with_link.links
    assert opened[0].startswith("http")


def test_header_menu_hides_columns_and_the_title_keeps_its_share(filled_window, qtbot):
    window = filled_window
    header = window.paper_list.table.horizontalHeader()
    header.customContextMenuRequested.emit(QPoint(10, 5))
    menus = [m for m in header.findChildren(QMenu) if m.objectName() == "columnMenu"]
    menu = menus[-1]
    tags = next(a for a in menu.actions() if a.text() == "Tags")
    assert tags.isChecked() and "Title" not in [a.text() for a in menu.actions()]
    tags.trigger()
    assert header.isSectionHidden(COL_TAGS)
    window.resize(1600, 1000)
    qtbot.wait(100)
    assert header.isSectionHidden(COL_TAGS)  # the person's choice, whatever the room
    window.actions.reset_layout.trigger()
    assert not header.isSectionHidden(COL_TAGS)
    for width, height in ((1024, 700), (1600, 1000), (800, 600)):
        window.resize(width, height)
        qtbot.wait(100)
        viewport = window.paper_list.table.viewport().width()
        assert header.sectionSize(COL_TITLE) >= 0.5 * viewport - 2, (width, viewport)
    window.actions.show_details.trigger()
    assert window.detail.isHidden()
    window.actions.show_sidebar.trigger()
    assert window.sidebar.isHidden()
    window.actions.reset_layout.trigger()
    assert not window.detail.isHidden() and not window.sidebar.isHidden()


def test_searching_ranks_by_relevance_marks_titles_and_esc_returns(filled_window, qtbot):
    window = filled_window
    qtbot.keyClicks(window.search_edit, "pruning")
    qtbot.waitUntil(lambda: len(titles(window)) == 2, timeout=30000)
    wait_idle(qtbot, window)
    header = window.paper_list.table.horizontalHeader()
    assert window.paper_list.model.headerData(COL_RANK, Qt.Orientation.Horizontal) == "Relevance"
    assert header.sortIndicatorSection() == COL_RANK and not header.isSectionHidden(COL_RANK)
    assert window.paper_list.title_delegate.spans(titles(window)[0])  # a matched word is marked
    window.paper_list.table.sortByColumn(COL_TITLE, Qt.SortOrder.DescendingOrder)
    wait_idle(qtbot, window)
    assert titles(window) == sorted(titles(window), key=str.lower, reverse=True)
    window.paper_list.table.setFocus()
    press(window, qtbot, Qt.Key.Key_Escape)  # back to relevance, the search stays
    assert header.sortIndicatorSection() == COL_RANK and window.search_edit.text() == "pruning"
    press(window, qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(titles(window)) == 8, timeout=30000)


def test_sidebar_counts_follow_deletes_and_undo(filled_window, qtbot):
    window = filled_window
    apr05 = next(d for d in window.library.papers.digests() if d.file_name == "digest_apr05.txt")
    key = f"digest:{apr05.id}"
    assert window.sidebar.item_for(key).text(0).endswith("(3 / 3)")
    in_digest = window.library.papers.ids(Filter(digest=apr05.id))
    window.paper_list.selection.select(in_digest)
    window.paper_list.table.setFocus()
    answer_next_dialog(qtbot, "Delete")
    press(window, qtbot, Qt.Key.Key_Delete)
    assert window.sidebar.item_for(key) is None  # a digest with no papers left is gone
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    press(window, qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.sidebar.item_for(key).text(0).endswith("(3 / 3)")


def test_a_digests_menu_marks_all_read_and_removes_it(filled_window, qtbot):
    window = filled_window
    apr02 = next(d for d in window.library.papers.digests() if d.file_name == "digest_apr02.txt")
    menu = window.sidebar.digest_menu(apr02.id)
    next(a for a in menu.actions() if a.text() == "Mark All &Read").trigger()
    wait_idle(qtbot, window)
    assert window.sidebar.item_for(f"digest:{apr02.id}").text(0).endswith("(0 / 4)")
    alone = window.library.papers.only_in_digest(apr02.id)
    answer_next_dialog(qtbot, "Delete")
    next(a for a in menu.actions() if a.text() == "Re&move Digest…").trigger()
    wait_idle(qtbot, window)
    assert window.library.papers.count() == 8 - len(alone)


def test_after_an_import_the_banner_shows_the_new_papers(open_window, qtbot, tmp_path):
    window = open_window(tmp_path / "lib")
    window.sidebar.select_key("status:read")  # a view the new papers are not in
    wait_idle(qtbot, window)
    window.importer.start(DIGESTS)
    wait_idle(qtbot, window)
    assert titles(window) == []
    button = window.summary.show_new
    assert button.isVisible() and button.text() == "Show new papers"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert window.sidebar.current_key() == "new" and len(titles(window)) == 8


def test_the_last_view_is_kept_per_library(open_window, qtbot, tmp_path):
    first = open_window(tmp_path / "one")
    first.importer.start(DIGESTS)
    wait_idle(qtbot, first)
    first.sidebar.select_key("status:read")
    wait_idle(qtbot, first)
    first.close()
    other = open_window(tmp_path / "two")  # opened for the first time: All papers
    assert other.sidebar.current_key() == "all"
    other.close()
    again = open_window(tmp_path / "one")
    assert again.sidebar.current_key() == "status:read"
    assert again.windowTitle() == "Readinglist — one"


def test_status_bar_counts_a_selection(filled_window, qtbot):
    window = filled_window
    table = window.paper_list.table
    table.setFocus()
    for row, modifier in ((0, Qt.KeyboardModifier.NoModifier),
                          (1, Qt.KeyboardModifier.ShiftModifier)):
        rect = table.visualRect(table.model().index(row, 0))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
    assert window.status.count.text() == "2 of 8 selected"
    qtbot.keyClick(table, Qt.Key.Key_J)  # one paper again: the count says so at once
    assert window.status.count.text() == "8 papers"


QUIT_SESSION = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from readinglist.ui.app import create_main_window
    window = create_main_window(sys.argv[1]); window.show()
    keys = [Qt.Key.Key_J, Qt.Key.Key_J, Qt.Key.Key_R, Qt.Key.Key_S, Qt.Key.Key_U,
            Qt.Key.Key_BracketRight, Qt.Key.Key_Space]
    def work(step=[0]):
        if step[0] < len(keys):
            QTest.keyClick(window.paper_list.table, keys[step[0]]); step[0] += 1
            QTimer.singleShot(30, work); return
        window.search_edit.setText("pruning")
        QTimer.singleShot(400, lambda: (QTest.keyClick(window.paper_list.table, Qt.Key.Key_Z,
                                                       Qt.KeyboardModifier.ControlModifier),
                                        window.sidebar.select_key("status:unread"),
                                        QTimer.singleShot(300, window.close)))
    QTimer.singleShot(300, work)
    sys.exit(app.exec())
""")


def test_quitting_after_work_exits_cleanly_every_time(tmp_path):
    folder = tmp_path / "lib"
    with Library.open(folder) as library:
        library.import_files(DIGESTS)
    env = {"QT_QPA_PLATFORM": "offscreen", "READINGLIST_SETTINGS": str(tmp_path / "s.ini")}

    for _ in range(6):
        done = subprocess.run([sys.executable, "-c", QUIT_SESSION, str(folder)],
                              env={**os.environ, **env}, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        assert "Fatal" not in done.stderr and "Traceback" not in done.stderr
