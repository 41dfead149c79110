"""What going through a real digest with the keyboard alone turned up: the
keys must reach the list from the first moment and never be trapped."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from readinglist.core.library import Library
from tests.synthetic import write_digests
from tests.ui.conftest import wait_idle
from tests.ui.test_triage_flow import press, select_row


def test_the_window_opens_with_the_keys_in_the_list(open_window, qtbot, tmp_path):
    folder = tmp_path / "lib"
    write_digests(tmp_path / "digests", files=1, per_file=5)
    with Library.open(folder) as library:
        library.import_files(sorted((tmp_path / "digests").glob("*.txt")))
    window = open_window(folder)
    qtbot.waitUntil(window.paper_list.table.hasFocus, timeout=30000)
    first = window.paper_list.selected_ids()
    press(window, qtbot, Qt.Key.Key_J)  # a move, not a "j" typed into the search box
    assert window.search_edit.text() == ""
    assert window.paper_list.selected_ids() == [window.paper_list.model.id_at(1)] != first


def test_tab_leaves_the_list_and_the_sidebar_arrows_skip_its_headings(filled_window, qtbot):
    window = filled_window
    select_row(window, qtbot, 0)
    press(window, qtbot, Qt.Key.Key_Backtab)  # out of the table, not to another cell
    assert QApplication.focusWidget() is window.sidebar
    assert window.paper_list.selected_ids() == [window.paper_list.model.id_at(0)]
    window.sidebar.select_key("dismissed")  # the last of the library views
    press(window, qtbot, Qt.Key.Key_Down)  # over the "DIGESTS" heading
    assert window.sidebar.current_key().startswith("digest:")
    assert window.paper_list.state.view_key == window.sidebar.current_key()
    press(window, qtbot, Qt.Key.Key_End)  # past "No tags yet" up to the last view
    assert window.sidebar.current_key().startswith("digest:")
    press(window, qtbot, Qt.Key.Key_Home)
    assert window.sidebar.current_key() == "all"
    press(window, qtbot, Qt.Key.Key_Up)  # nothing above "All papers": it stays
    assert window.sidebar.current_key() == "all"


def test_next_unread_wraps_round_to_the_top_and_says_so(filled_window, qtbot):
    window = filled_window
    ids = window.paper_list.model.ids()
    window.library.edit.set_status(ids[2:], "read")
    window.refresh()
    wait_idle(qtbot, window)
    select_row(window, qtbot, len(ids) - 1)
    press(window, qtbot, Qt.Key.Key_BracketRight)
    assert window.paper_list.selected_ids() == [ids[0]]
    assert "top of the list" in window.statusBar().currentMessage()
    press(window, qtbot, Qt.Key.Key_BracketLeft)  # and backwards from the top
    assert window.paper_list.selected_ids() == [ids[1]]
    window.library.edit.set_status(ids[:2], "read")
    window.refresh()
    wait_idle(qtbot, window)
    press(window, qtbot, Qt.Key.Key_BracketRight)
    assert window.statusBar().currentMessage() == "No more unread papers in this list."


def test_the_next_rows_stay_in_sight_while_going_down(big_window, qtbot):
    window = big_window
    table = window.paper_list.table
    select_row(window, qtbot, 0)
    for _ in range(40):
        press(window, qtbot, Qt.Key.Key_J)
    row = window.paper_list.model.row_of(window.paper_list.selected_ids()[0])
    below = table.visualRect(window.paper_list.model.index(row + 2, 0))
    assert table.viewport().rect().contains(below)  # two rows of what comes next


def test_an_empty_list_says_why(filled_window, qtbot):
    window = filled_window
    note = window.paper_list.table.viewport().findChild(QLabel, "emptyListNote")
    assert not note.isVisible()
    window.search_edit.setText("zzqx")
    qtbot.waitUntil(lambda: window.paper_list.query == "(zzqx OR zzqx*)" and not window.tasks.busy,
                    timeout=30000)
    wait_idle(qtbot, window)
    assert note.isVisible() and "No papers match “zzqx”" in note.text()
    window.search_edit.clear()
    qtbot.waitUntil(lambda: window.paper_list.model.rowCount() > 0, timeout=30000)
    assert not note.isVisible()
    window.sidebar.select_key("status:read")
    wait_idle(qtbot, window)
    assert note.isVisible() and note.text() == "No papers marked read yet"


def test_a_query_read_as_plain_words_says_so_under_the_search_box(filled_window, qtbot):
    window = filled_window
    notice = window.findChild(QLabel, "searchNotice")
    press(window, qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search_edit, '"robot planner')
    qtbot.waitUntil(notice.isVisible, timeout=30000)
    assert notice.text().startswith("No closing quote")
    qtbot.keyClicks(window.search_edit, '"')
    qtbot.waitUntil(lambda: not notice.isVisible(), timeout=30000)


def test_a_search_while_the_index_is_behind_says_so(filled_window, qtbot, monkeypatch):
    window = filled_window
    notice = window.findChild(QLabel, "searchNotice")
    monkeypatch.setattr(window.library.search, "behind",
                        lambda: "the search index is behind the database (a test holds it)")
    press(window, qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search_edit, "robot")
    qtbot.waitUntil(notice.isVisible, timeout=30000)
    assert "search index is behind" in notice.text()
