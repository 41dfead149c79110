"""Launching the app the way a desktop does: files to open, a second launch, the smoke test."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from readinglist.core.library import Library
from readinglist.ui import instance
from tests.conftest import DIGESTS
from tests.ui.conftest import wait_idle


def _readinglist(*args, env=None, timeout=120):
    return subprocess.run([sys.executable, "-m", "readinglist", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})})


def test_open_with_sends_the_files_to_the_open_window_which_imports_them(
        qtbot, open_window, tmp_path):
    folder = tmp_path / "library"
    window = open_window(folder)
    server = instance.serve(folder, window.open_files, parent=window)
    assert window.paper_list.model.rowCount() == 0

    # "Open with Readinglist" while the window is open: a second process starts.
    launch = subprocess.Popen(
        [sys.executable, "-m", "readinglist", "--library", str(folder), "gui",
         str(DIGESTS[0]), str(DIGESTS[1])],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    qtbot.waitUntil(lambda: launch.poll() is not None, timeout=60000)
    assert launch.returncode == 0, launch.stderr.read()
    # 6 papers in two
    qtbot.waitUntil(lambda: window.paper_list.model.rowCount() == 6, timeout=30000)
    wait_idle(qtbot, window)
    assert window.findChild(type(window.importer.summary), "importSummary").isVisible()
    server.close()


def test_a_launch_with_no_window_to_answer_is_told_so(tmp_path, qtbot):
    assert instance.forward(tmp_path / "nobody-serves-this", [DIGESTS[0]]) is False
    assert instance.server_name(tmp_path / "a") != instance.server_name(tmp_path / "b")


def test_files_on_the_command_line_are_imported_when_the_window_opens(tmp_path, qtbot):
    from readinglist.ui.app import create_main_window

    window = create_main_window(tmp_path / "library")
    qtbot.addWidget(window)
    window.show()
    window.open_files([str(DIGESTS[2])])
    qtbot.waitUntil(lambda: window.paper_list.model.rowCount() > 0, timeout=30000)
    wait_idle(qtbot, window)
    window.close()
    with Library.open(tmp_path / "library") as library:
        assert library.papers.stats().digests == 1


def test_smoke_test_imports_searches_and_exits_zero(tmp_path):
    result = _readinglist("--smoke-test", env={"READINGLIST_HOME": str(tmp_path / "untouched")})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("smoke test passed: imported 5 papers")
    assert not (tmp_path / "untouched").exists()  # a temporary library, not the user's


def test_help_about_shows_the_version(open_window, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from readinglist import __version__

    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    window = open_window(tmp_path / "lib<b>")
    window.actions.about.trigger()
    assert f"Readinglist {__version__}" in shown[0]
    assert "lib&lt;b&gt;" in shown[0]  # a folder name is text, not markup


def test_the_window_shows_its_first_rows_before_whoosh_or_numpy_are_imported(tmp_path):
    """The window's modules and its first rows need neither the search engine
    nor the suggestion stack: they come after the first paint (a test of what
    is imported, not of time)."""
    folder = tmp_path / "lib"
    with Library.open(folder) as library:
        library.import_files(DIGESTS)
    probe = (
        "import json, sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "heavy = ('whoosh', 'numpy', 'sklearn', 'scipy', 'lxml')\n"
        "from readinglist.ui.app import create_main_window\n"
        "at_import = [m for m in heavy if m in sys.modules]\n"
        "from readinglist.ui.window import main_window\n"
        "main_window.MainWindow._start_background = lambda self: None\n"
        f"window = create_main_window({str(folder)!r}); window.show()\n"
        "model = window.paper_list.model\n"
        "while not (model.rowCount() and model.cached_count()):\n"
        "    app.processEvents()\n"
        "print(json.dumps([at_import, [m for m in heavy if m in sys.modules]]))\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    at_import, at_first_rows = json.loads(done.stdout.strip().splitlines()[-1])
    assert at_import == [] and at_first_rows == []
