"""Exports from the window: the export dialog's format and "Keep this file up to
date", a burst of edits written once, and Tools ▸ Automatic Exports."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QTableWidget

from readinglist.core.exports.scope import Format, Scope
from tests.ui.conftest import answer_next_dialog, wait_idle
from tests.ui.test_main_window import LORA, select_titles


def settle(qtbot, window) -> None:
    """Until the edits are saved and the files kept up to date are written."""
    qtbot.waitUntil(lambda: window.tasks.idle and not window.auto_exports.pending,
                    timeout=30000)


def stamp(path):
    return path.read_bytes(), path.stat().st_mtime_ns


def test_a_kept_file_follows_a_burst_of_edits_with_one_write(filled_window, qtbot, tmp_path):
    window = filled_window
    target = tmp_path / "kept.bib"
    seen = []

    def fill(dialog):
        dialog.findChild(QLineEdit, "exportPath").setText(str(target))
        dialog.findChild(QComboBox, "exportFormat").setCurrentIndex(1)  # BibLaTeX
        dialog.findChild(QCheckBox, "exportKeep").setChecked(True)

    answer_next_dialog(qtbot, "Export", seen, prepare=fill)
    window.actions.export_view.trigger()
    wait_idle(qtbot, window)
    assert target.read_text().count("\n@online{") == 8
    assert "kept up to date from now on" in window.statusBar().currentMessage()
    [kept] = window.library.exports.list()
    assert (kept.what, kept.format.flavour) == ("the view “All papers”", "biblatex")
    timer = window.auto_exports
    select_titles(window, LORA)
    paper = window.paper_list.selected_ids()[0]
    written = timer.writes
    for number in range(200):  # a burst: 200 saved notes, as fast as they come
        window.commands.save_note(paper, f"draft {number}")
    settle(qtbot, window)
    assert 1 <= timer.writes - written <= 3, timer.writes - written
    assert "draft 199" in target.read_text() and "draft 198" not in target.read_text()
    before, written = stamp(target), timer.writes
    for _ in range(10):  # 20 edits that end where they began, and a status
        window.commands.change_tags(add=["burst"])
        window.commands.change_tags(remove=["burst"])
    window.commands.set_status("read")
    settle(qtbot, window)
    assert stamp(target) == before and timer.writes == written  # not even touched


def test_automatic_exports_lists_pauses_overwrites_and_removes(filled_window, qtbot,
                                                                tmp_path):
    window = filled_window
    target = tmp_path / "robots.bib"
    window.library.tags.add([2, 5], ["robots"])
    window.library.exports.register(target, Scope(tag="robots"), Format())
    window.auto_exports.registered()
    target.write_text(target.read_text() + "% typed by hand\n")
    select_titles(window, LORA)
    window.commands.change_tags(add=["robots"])
    settle(qtbot, window)
    assert "robots.bib was changed outside Readinglist" in window.statusBar().currentMessage()
    assert target.read_text().endswith("% typed by hand\n")
    rows = []

    def work(dialog):
        table = dialog.findChild(QTableWidget, "automaticExportsTable")
        rows.append([table.item(0, c).text() for c in range(table.columnCount())])
        assert dialog.overwrite.isEnabled() and "changed outside" in dialog.problem.text()
        dialog.overwrite.click()
        qtbot.waitUntil(lambda: dialog.isEnabled() and not dialog.overwrite.isEnabled())
        rows.append([table.item(0, c).text() for c in range(table.columnCount())])
        dialog.remove.click()
        qtbot.waitUntil(lambda: dialog.isEnabled() and table.rowCount() == 0)

    answer_next_dialog(qtbot, "Close", prepare=work)
    window.actions.automatic_exports.trigger()
    wait_idle(qtbot, window)
    assert rows[0][:3] == ["robots.bib", "tag “robots”", "bibtex"] and rows[0][3] == "paused"
    assert rows[1][3] != "paused" and rows[1][4] == "3"
    assert "typed by hand" not in target.read_text() and target.read_text().count("\n@") == 3
    assert window.library.exports.list() == [] and not window.auto_exports.kept
