"""A person's edits never wait behind a long job, and a note typed is never
lost, not even to a killed window."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading

from PySide6.QtCore import Qt

from readinglist.core.library import Library
from tests.conftest import DIGESTS
from tests.ui.conftest import wait_idle
from tests.ui.test_triage_flow import press, select_row


def test_a_status_and_a_note_are_saved_at_once_while_an_import_runs(filled_window, qtbot,
                                                                    monkeypatch, tmp_path):
    window = filled_window
    library = window.library
    release = threading.Event()
    from readinglist.core.importing import importer

    original = importer.read_source

    def slow_import(*args, **kwargs):  # a file that takes as long as we like to read
        release.wait(60)
        return original(*args, **kwargs)

    monkeypatch.setattr(importer, "read_source", slow_import)
    extra = tmp_path / "more.txt"
    extra.write_text(DIGESTS[0].read_text(encoding="utf-8").replace("Apr 2", "Apr 9"))
    window.importer.start([extra])
    qtbot.waitUntil(lambda: window.tasks.long_running, timeout=30000)
    try:
        paper = window.paper_list.model.id_at(0)
        window.paper_list.selection.select([paper])
        window.paper_list.table.setFocus()
        qtbot.keyClick(window.paper_list.table, Qt.Key.Key_S)
        # The import waits for `release`, so a save seen before it is released
        # did not wait behind it (an order of events, not a stopwatch).
        qtbot.waitUntil(lambda: library.papers.get(paper).status == "skimmed", timeout=30000)
        window.paper_list.selection.select([paper])
        qtbot.keyClick(window.paper_list.table, Qt.Key.Key_N)
        qtbot.keyClicks(window.detail.note_edit, "typed during an import")
        target = window.detail.paper.id
        qtbot.waitUntil(lambda: library.papers.get(target).note == "typed during an import",
                        timeout=30000)  # saved while the import is still held
        assert window.tasks.long_running  # the import is still going
    finally:
        release.set()
    qtbot.waitUntil(lambda: not window.tasks.long_running, timeout=20000)


def test_a_note_typed_is_on_disk_before_it_is_saved(filled_window, qtbot):
    window = filled_window
    select_row(window, qtbot, 0)
    press(window, qtbot, Qt.Key.Key_N)
    qtbot.keyClicks(window.detail.note_edit, "draft")
    paper = window.detail.paper.id
    assert window.library.drafts.pending() == {paper: "draft"}  # at the keystroke
    qtbot.waitUntil(lambda: window.library.papers.get(paper).note == "draft", timeout=30000)
    wait_idle(qtbot, window)
    assert window.library.drafts.pending() == {}  # the database has it: draft gone


KILLED = """
import os, signal, sys
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from readinglist.ui.app import create_main_window
app = QApplication([])
window = create_main_window(sys.argv[1])
window.show()
while window.tasks.busy:
    app.processEvents()
window.paper_list.selection.select([window.paper_list.model.id_at(0)])
window.detail.note_edit.setFocus()
QTest.keyClicks(window.detail.note_edit, "typed just before the kill")
os.kill(os.getpid(), signal.SIGKILL)  # before the note's save (600 ms later)
"""


def test_a_killed_window_loses_no_typed_note(tmp_path, qtbot, open_window):
    folder = tmp_path / "lib"
    with Library.open(folder) as library:
        library.import_files(DIGESTS)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": os.getcwd(),
           "READINGLIST_SETTINGS": str(tmp_path / "settings.ini")}
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(KILLED), str(folder)],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == -9, result.stderr
    with Library.open(folder) as library:
        assert not any(p.note for p in library.papers.list(limit=None))  # never saved …
    window = open_window(folder)
    qtbot.waitUntil(lambda: any(p.note for p in window.library.papers.list(limit=None)),
                    timeout=30000)  # … until the next window found the draft
    notes = [p.note for p in window.library.papers.list(limit=None) if p.note]
    assert notes == ["typed just before the kill"]
    assert "Recovered 1 note" in window.statusBar().currentMessage()
    assert window.library.drafts.pending() == {}
