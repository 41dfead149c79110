"""The window under stress: a second window, the CLI writing alongside, hostile
content, backups restored from the menu."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from readinglist.core.library import Library
from readinglist.ui import app as ui_app
from tests.conftest import DIGESTS
from tests.synthetic import write_digests
from tests.ui.conftest import answer_next_dialog, wait_idle
from tests.ui.test_main_window import drop_files, titles


def test_a_second_window_on_the_same_library_is_refused(open_window, tmp_path, monkeypatch):
    folder = tmp_path / "lib"
    first = open_window(folder)
    with pytest.raises(ui_app.LibraryInUse, match="already open in another Readinglist window"):
        ui_app.create_main_window(folder)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    assert ui_app.run(folder) == 1
    assert "already open" in shown[0]
    first.close()
    second = open_window(folder)  # free again once the first window closed
    assert second.isVisible()


def test_a_lock_left_by_a_crashed_window_is_taken_over(open_window, tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    code = (
        "import sys, os\n"
        "from PySide6.QtCore import QLockFile\n"
        f"lock = QLockFile({str(folder / 'window.lock')!r})\n"
        "assert lock.tryLock(100)\n"
        "os._exit(0)  # dies holding the lock, as a crash would\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    assert (folder / "window.lock").exists()
    window = open_window(folder)
    assert window.isVisible()


@pytest.mark.slow
def test_the_window_and_the_command_line_import_at_the_same_time(open_window, qtbot, tmp_path):
    source = tmp_path / "digests"
    distinct, appearances = write_digests(source, files=12, per_file=30, seed=21)
    files = sorted(source.glob("*.txt"))
    folder = tmp_path / "lib"
    window = open_window(folder)
    proc = subprocess.Popen(
        [sys.executable, "-m", "readinglist", "--library", str(folder), "import",
         *map(str, reversed(files))], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    window.importer.start(files)
    wait_idle(qtbot, window, timeout=120_000)
    _out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    window.refresh()
    wait_idle(qtbot, window)
    stats = window.library.papers.stats()
    assert (stats.papers, stats.appearances, stats.digests) == (distinct, appearances, 12)
    assert len(titles(window)) == distinct
    assert window.library.maintenance.check().ok


def test_hostile_content_is_plain_text_and_the_table_stays_usable(open_window, qtbot, tmp_path):
    folder = tmp_path / "lib"
    with Library.open(folder) as library:
        library.import_files(DIGESTS)
    long_title = "Long " + "x" * 10_000
    rtl = "\u202eevil\u202c title with zero\u200bwidth and \u05e9\u05dc\u05d5\u05dd"
    conn = sqlite3.connect(folder / "library.sqlite")
    conn.execute("UPDATE paper SET title = ? WHERE id = 1", (long_title,))
    conn.execute("UPDATE paper SET title = ?, abstract = ? WHERE id = 2",
                 (rtl, "<i>italic?</i> javascript:alert(1) file:///etc/passwd"))
    conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
    conn.commit()
    conn.close()
    window = open_window(folder)
    wait_idle(qtbot, window)
    assert long_title in titles(window) and rtl in titles(window)
    # QTableView.selectRow depends on focus and the current index; select by id
    window.paper_list.selection.select([1])
    assert window.detail.title.text() == long_title
    wait_idle(qtbot, window)
    window.paper_list.selection.select([2])
    assert window.detail.title.text() == rtl
    assert "<i>italic?</i>" in window.detail.abstract.toPlainText()
    assert "href" not in window.detail.abstract.toHtml()
    # still sorts, still answers
    window.paper_list.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    wait_idle(qtbot, window)
    assert len(titles(window)) == 8


def test_check_and_restore_from_the_tools_menu(open_window, qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "lib"
    with Library.open(folder) as library:
        library.import_files(DIGESTS)
    with Library.open(folder):
        pass  # the first open of the day with papers makes the backup
    window = open_window(folder)
    window.actions.check.trigger()
    wait_idle(qtbot, window)
    report = window.findChild(QMessageBox, "checkReport")
    assert report is not None and report.text() == "The library is in good order."
    report.close()
    window.library.edit.set_status(window.library.papers.ids(), "read")
    dialogs = []
    answer_next_dialog(qtbot, "Restore", dialogs)
    window.actions.restore.trigger()
    wait_idle(qtbot, window)
    (dialog,) = dialogs  # the backups by time, with their paper counts
    assert isinstance(dialog, QInputDialog) and dialog.windowTitle() == "Restore from backup"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d.* — 8 papers  \(library-.*\.sqlite\)",
                        dialog.comboBoxItems()[0])
    assert window.library.papers.stats().read == 0  # back to the morning's backup
    assert len(titles(window)) == 8
    drop_files(qtbot, window, [DIGESTS[0]])  # and the window still works after it
    assert window.library.papers.stats().digests == 3


def test_an_emptied_library_offers_its_backup_instead_of_opening_empty(qtbot, tmp_path,
                                                                       monkeypatch):
    from readinglist.core.errors import DamagedLibrary
    from readinglist.core.storage import backups

    folder = tmp_path / "lib"
    with Library.open(folder) as library:
        library.import_files(DIGESTS)
    backups.daily_backup(folder)
    (folder / "library.sqlite").write_bytes(b"")
    for leftover in ("library.sqlite-wal", "library.sqlite-shm"):
        (folder / leftover).unlink(missing_ok=True)
    with pytest.raises(DamagedLibrary, match="holds 8 papers"):
        ui_app.create_main_window(folder)
    seen = []
    monkeypatch.setattr(ui_app.QApplication, "exec", lambda *a: 0)  # no event loop after
    answer_next_dialog(qtbot, "Restore the Backup", seen)
    assert ui_app.run(folder) == 0
    assert seen and seen[0].objectName() == "damagedLibrary"
    assert "holds 8 papers" in seen[0].text()
    with Library.open(folder) as library:
        assert library.papers.stats().papers == 8


def test_a_folder_the_window_cannot_write_is_not_called_open_elsewhere(tmp_path):
    from readinglist.core.errors import LibraryError

    folder = tmp_path / "lib"
    (folder / "window.lock").mkdir(parents=True)  # the lock file cannot be made there
    with pytest.raises(LibraryError, match="cannot be written") as raised:
        ui_app.create_main_window(folder)
    assert not isinstance(raised.value, ui_app.LibraryInUse)
    assert "another Readinglist window" not in str(raised.value)


def test_a_library_new_to_this_user_gets_its_index_in_the_background(open_window, tmp_path,
                                                                     qtbot):
    """A folder received from someone else has no index this user trusts: the
    window builds one at start, says so, and a search finds the papers."""
    from tests.conftest import index_dir_of

    folder = tmp_path / "received"
    with Library.open(folder) as library:
        library.import_files(DIGESTS[:2])
    import shutil

    shutil.rmtree(index_dir_of(folder))  # as on a machine that never opened it
    said = []
    window = open_window(folder, idle=False)
    window.statusBar().messageChanged.connect(said.append)
    wait_idle(qtbot, window, timeout=60000)
    assert index_dir_of(folder).is_dir()  # built without a search or an edit asking
    count = window.library.papers.count()
    assert f"Search index built: {count} papers" in said
    assert window.library.search.index_ids() == set(window.library.papers.ids())
