"""The window driven as a user drives it: drops, typing, shortcuts, clicks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QTreeWidget,
)

from readinglist.core.library import Library
from tests.conftest import DIGESTS, FIXTURES
from tests.ui.conftest import answer_next_dialog, wait_idle

LORA = "LoRA-Drop: Parameter-Efficient Fine-Tuning by Pruning Adapters"


def drop_files(qtbot, window, paths) -> None:
    """A real drag sequence onto the window: enter (accepted), then drop."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPoint(200, 200), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    assert window.overlay.isVisible() and window.overlay.text() == "Drop digests to import"
    drop = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    assert drop.isAccepted()
    assert not window.overlay.isVisible()
    wait_idle(qtbot, window)


def table(window) -> QTableView:
    return window.findChild(QTableView, "paperTable")


def titles(window) -> list[str]:
    model = table(window).model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def select_titles(window, *wanted) -> list[int]:
    view = table(window)
    model = view.model()
    view.clearSelection()
    rows = [row for row in range(model.rowCount()) if model.index(row, 0).data() in wanted]
    from PySide6.QtCore import QItemSelectionModel

    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        view.selectionModel().select(model.index(row, 0), flags)
    view.selectionModel().setCurrentIndex(model.index(rows[0], 0),
                                          QItemSelectionModel.SelectionFlag.NoUpdate)
    view.setFocus()
    return [model.id_at(row) for row in rows]


def summary_text(window) -> str:
    banner = window.summary
    assert banner.objectName() == "importSummary" and banner.isVisible()
    assert QApplication.activeModalWidget() is None  # non-modal: the window stays usable
    return banner.text()


def test_contract_names_exist(open_window):
    window = open_window()
    for cls, name in [(QTableView, "paperTable"), (QLineEdit, "searchEdit"),
                      (QTreeWidget, "sidebar"), (QLineEdit, "tagEdit"),
                      (QPlainTextEdit, "noteEdit"), (QProgressBar, "importProgress")]:
        assert window.findChild(cls, name) is not None, name
    assert window.findChild(type(window.detail), "detailPane") is window.detail
    for name in ("actionImport", "actionExportBibtex", "actionMarkRead", "actionMarkSkimmed",
                 "actionMarkUnread", "actionDelete", "actionUndo"):
        assert window.findChild(type(window.actions.undo), name) is not None, name
    assert window.windowTitle().startswith("Readinglist")
    assert not window.windowIcon().isNull()


def test_empty_library_shows_empty_state_and_sample_button(open_window, qtbot):
    window = open_window()
    assert window.stack.currentWidget() is window.empty
    hint = window.empty.findChild(QLabel, "emptyHint")
    assert hint.text() == "Drop digest files here or use File ▸ Import…"
    button = window.empty.findChild(type(window.status.cancel_import), "importSampleButton")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert window.stack.currentWidget() is window.paper_list.table
    assert len(titles(window)) == 5
    assert "5 new papers" in summary_text(window)


def test_drop_imports_files_and_shows_a_summary(filled_window):
    window = filled_window
    assert len(titles(window)) == 8
    assert "8 new papers, 3 seen before." in summary_text(window)
    assert window.status.progress.isHidden()
    assert window.status.count.text() == "8 papers"
    assert "Unread  (8)" in [window.sidebar.item_for("status:unread").text(0).strip()] or (
        window.sidebar.item_for("status:unread").text(0) == "Unread  (8)")


def test_rejected_file_in_a_batch_is_named_in_the_summary(open_window, qtbot):
    window = open_window()
    drop_files(qtbot, window, [DIGESTS[0], FIXTURES / "empty.txt", FIXTURES / "binary.txt"])
    text = summary_text(window)
    assert "4 new papers" in text
    assert "empty.txt: the file is empty" in text
    assert "binary.txt: binary file" in text
    assert len(titles(window)) == 4


def test_import_through_the_dialog(open_window, qtbot, monkeypatch):
    window = open_window()
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        lambda *a, **k: ([str(p) for p in DIGESTS[:2]], ""))
    window.actions.import_.trigger()
    wait_idle(qtbot, window)
    assert len(titles(window)) == 6


def test_drop_a_folder(open_window, qtbot, tmp_path):
    window = open_window()
    folder = tmp_path / "inbox"
    folder.mkdir()
    for path in DIGESTS:
        (folder / path.name).write_bytes(path.read_bytes())
    drop_files(qtbot, window, [folder])
    assert len(titles(window)) == 8


def test_search_as_you_type_highlights_and_esc_returns_then_clears(filled_window, qtbot):
    window = filled_window
    search = window.findChild(QLineEdit, "searchEdit")
    assert "title:" in search.toolTip()
    qtbot.keyClicks(search, "pruning")
    qtbot.waitUntil(lambda: len(titles(window)) == 2, timeout=30000)
    wait_idle(qtbot, window)
    assert set(titles(window)) == {LORA, "Scaling Laws for Data Pruning in Vision Transformers"}
    assert window.status.count.text() == "2 matches"
    html = window.detail.abstract.toHtml()
    assert "background-color" in html  # the matches are marked
    qtbot.keyClicks(search, " adapters")
    qtbot.waitUntil(lambda: titles(window) == [LORA], timeout=30000)
    qtbot.keyClick(search, Qt.Key.Key_Escape)  # the keys go to the list; the matches stay
    assert window.paper_list.table.hasFocus() and titles(window) == [LORA]
    qtbot.keyClick(window.paper_list.table, Qt.Key.Key_Escape)  # Esc in the list clears the search
    qtbot.waitUntil(lambda: len(titles(window)) == 8, timeout=30000)
    assert search.text() == ""


def test_a_half_typed_word_already_finds_papers(filled_window, qtbot):
    window = filled_window
    search = window.findChild(QLineEdit, "searchEdit")
    qtbot.keyClicks(search, "calib")  # "calibration", still being typed
    qtbot.waitUntil(lambda: len(titles(window)) == 1, timeout=30000)
    assert titles(window) == [
        "On the Calibration of Large Language Models under Distribution Shift"]
    wait_idle(qtbot, window)
    assert "background-color" in window.detail.abstract.toHtml()  # "Calibration" marked
    qtbot.keyClicks(search, " ")  # a space ends the word: "calib" is no word of its own
    qtbot.waitUntil(lambda: len(titles(window)) == 0, timeout=30000)


def test_tags_are_added_with_enter_and_removed_with_the_chip(filled_window, qtbot):
    window = filled_window
    [paper_id] = select_titles(window, LORA)
    tag_edit = window.findChild(QLineEdit, "tagEdit")
    qtbot.keyClick(window.paper_list.table, Qt.Key.Key_T)
    assert tag_edit.hasFocus()
    qtbot.keyClicks(tag_edit, "peft")
    qtbot.keyClick(tag_edit, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert window.library.papers.get(paper_id).tags == ("peft",)
    assert window.detail.tags.chip_names() == ["peft"]
    assert window.sidebar.item_for("tag:peft") is not None
    [chip] = window.detail.tags.chips()
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert window.library.papers.get(paper_id).tags == ()


def test_note_is_saved_while_typing_and_on_focus_loss(filled_window, qtbot):
    window = filled_window
    [paper_id] = select_titles(window, LORA)
    note = window.findChild(QPlainTextEdit, "noteEdit")
    qtbot.keyClick(window.paper_list.table, Qt.Key.Key_N)
    assert note.hasFocus()
    qtbot.keyClicks(note, "Try on our 7B model")
    qtbot.waitUntil(lambda: window.library.papers.get(paper_id).note == "Try on our 7B model",
                    timeout=30000)
    qtbot.keyClicks(note, " next week")
    window.search_edit.setFocus()  # leaving the editor saves at once
    wait_idle(qtbot, window)
    assert window.library.papers.get(paper_id).note == "Try on our 7B model next week"


def test_note_typed_just_before_closing_is_kept(open_window, qtbot, tmp_path):
    window = open_window(tmp_path / "lib")
    drop_files(qtbot, window, DIGESTS[:1])
    [paper_id] = select_titles(window, titles(window)[0])
    window.detail.note_edit.setFocus()
    qtbot.keyClicks(window.detail.note_edit, "last words")
    window.close()
    with Library.open(tmp_path / "lib") as library:
        assert library.papers.get(paper_id).note == "last words"


def test_sidebar_views_filter_the_table(filled_window, qtbot):
    window = filled_window
    sidebar = window.sidebar
    ids = select_titles(window, LORA)
    window.commands.set_status("read", ids)
    window.library.tags.add(ids, ["peft"])
    window.refresh()
    wait_idle(qtbot, window)

    def show(key):
        item = sidebar.item_for(key)
        rect = sidebar.visualItemRect(item)
        qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        wait_idle(qtbot, window)
        return set(titles(window))

    assert show("status:read") == {LORA}
    assert len(show("status:unread")) == 7
    assert show("tag:peft") == {LORA}
    assert show("trending") == {
        "Sparse Mixture-of-Experts Routing for Efficient Speech Recognition",
        "TinyPlanner: Reinforcement Learning for Long-Horizon Robot Manipulation",
        "Retrieval-Augmented Code Generation with Repository Context",
    }
    newest = window.library.papers.digests()[0]
    assert show(f"digest:{newest.id}") == {
        LORA, "Scaling Laws for Data Pruning in Vision Transformers",
        "Sparse Mixture-of-Experts Routing for Efficient Speech Recognition",
    }
    assert len(show("new")) == 8
    assert len(show("all")) == 8


def test_sorting_by_a_column_asks_the_core(filled_window, qtbot):
    window = filled_window
    window.paper_list.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    wait_idle(qtbot, window)
    assert titles(window) == sorted(titles(window), key=str.lower)
    window.paper_list.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    wait_idle(qtbot, window)
    model = window.paper_list.model
    seen = [model.index(r, 2).data() for r in range(model.rowCount())]
    assert seen == sorted(seen, reverse=True)


def test_j_and_k_move_through_the_table(filled_window, qtbot):
    window = filled_window
    window.paper_list.table.selectRow(0)
    window.paper_list.table.setFocus()
    qtbot.keyClick(window.paper_list.table, Qt.Key.Key_J)
    qtbot.keyClick(window.paper_list.table, Qt.Key.Key_J)
    assert window.paper_list.table.currentIndex().row() == 2
    qtbot.keyClick(window.paper_list.table, Qt.Key.Key_K)
    assert window.paper_list.table.currentIndex().row() == 1
    assert window.detail.title.text() == titles(window)[1]


def test_export_selection_through_the_save_dialog(filled_window, qtbot, monkeypatch, tmp_path):
    window = filled_window
    select_titles(window, LORA)
    target = tmp_path / "out.bib"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    seen = []

    def choose_file(dialog):  # Choose… opens the file dialog, which answers target
        dialog.findChild(QPushButton, "exportChoose").click()

    answer_next_dialog(qtbot, "Export", seen, prepare=choose_file)
    window.actions.export.trigger()
    wait_idle(qtbot, window)
    text = target.read_text()
    assert text.count("\n@misc{") == 1 and "@misc{loradrop," in text
    assert "Cite as  loradrop" in window.detail.citekey.text()
    assert seen[0].findChild(QLabel).text() == "Export 1 selected paper"
    window.paper_list.table.clearSelection()
    answer_next_dialog(qtbot, None, seen)  # Enter: the file it offers, in the same folder
    window.actions.export.trigger()  # nothing selected: the whole view
    wait_idle(qtbot, window)
    offered = tmp_path / "readinglist-All-papers.bib"
    assert seen[1].findChild(QLineEdit, "exportPath").text() == str(offered)
    assert offered.read_text().count("\n@misc{") == 8


def test_window_state_and_last_view_persist(open_window, qtbot, tmp_path):
    window = open_window(tmp_path / "lib")
    drop_files(qtbot, window, DIGESTS)
    window.sidebar.select_key("trending")
    wait_idle(qtbot, window)
    window.resize(780, 700)  # within the offscreen screen, so the geometry is kept as is
    window.splitter.setSizes([150, 330, 290])
    qtbot.wait(50)
    sizes = window.splitter.sizes()
    geometry = window.geometry().size()
    window.paper_list.table.horizontalHeader().setSectionHidden(2, True)  # "Seen" hidden: stays so
    window.close()
    again = open_window(tmp_path / "lib")
    assert again.sidebar.current_key() == "trending"
    assert len(titles(again)) == 3
    assert again.geometry().size() == geometry
    assert again.splitter.sizes() == sizes
    assert again.paper_list.table.horizontalHeader().isSectionHidden(2)


def test_hostile_markup_is_shown_as_plain_text(open_window, qtbot, tmp_path):
    digest = tmp_path / "hostile.txt"
    sentence = ("An abstract with <script>alert(1)</script> and "
                "<a href='javascript:alert(1)'>a link</a> and file:///etc/passwd and "
                "https://example.org/ok. ")
    digest.write_text(
        "Apr 1\n\n<b>Bold</b> <img src=x onerror=alert(1)> Title\n\n" + sentence * 3 + "\n"
    )
    window = open_window()
    drop_files(qtbot, window, [digest])
    window.paper_list.table.selectRow(0)
    assert window.detail.title.text() == "<b>Bold</b> <img src=x onerror=alert(1)> Title"
    plain = window.detail.abstract.toPlainText()
    assert "<script>alert(1)</script>" in plain
    html = window.detail.abstract.toHtml()
    # only the http(s) link is a link, once per occurrence
    assert re.findall(r'href="([^"]*)"', html) == ["https://example.org/ok"] * 3
    from readinglist.ui.browser import open_link

    assert open_link(QUrl("javascript:alert(1)")) is False
    assert open_link(QUrl("file:///etc/passwd")) is False


def test_a_dropped_email_is_imported_and_the_banner_names_its_kind(open_window, qtbot):
    window = open_window()
    drop_files(qtbot, window, [FIXTURES / "mail" / "digest_apr02.eml",
                               FIXTURES / "mail" / "apr02-apr03.mbox"])
    text = summary_text(window)
    assert "digest_apr02.eml (e-mail)" in text
    assert "apr02-apr03.mbox (mailbox: 2 digests, 1 message skipped)" in text
    assert len(titles(window)) == 6


def test_a_message_dragged_out_of_a_mail_client_as_data_is_imported(open_window, qtbot):
    """Some mail clients offer the message itself (message/rfc822), not a file."""
    window = open_window()
    mime = QMimeData()
    mime.setData("message/rfc822", (FIXTURES / "mail" / "digest_apr05.eml").read_bytes())
    enter = QDragEnterEvent(QPoint(200, 200), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    wait_idle(qtbot, window)
    assert "(e-mail)" in summary_text(window) and len(titles(window)) == 3


def test_cancel_stops_an_import_between_files(open_window, qtbot, tmp_path):
    window = open_window()
    files = []
    for day in range(1, 9):  # eight distinct digests
        path = tmp_path / f"may{day}.txt"
        path.write_bytes(DIGESTS[0].read_bytes().replace(b"\nApr 2\n", f"\nMay {day}\n".encode()))
        files.append(path)
    window.importer.start(files)
    assert window.status.progress.isVisible() and window.status.cancel_import.isVisible()
    window.status.cancel_import.click()
    wait_idle(qtbot, window)
    assert "Cancelled" in summary_text(window)
    assert window.library.papers.stats().digests < len(files)
    assert window.status.progress.isHidden()


def test_screenshot_files_are_real_pngs():
    shot = Path(__file__).resolve().parents[2] / "resources" / "screenshots" / "main-window.png"
    if not shot.exists():
        pytest.skip("no screenshot yet")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
