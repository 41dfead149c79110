"""Window tests: a real window on a temporary library, driven with real events."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from readinglist.core.library import Library
from readinglist.ui.app import create_main_window
from tests.conftest import DIGESTS
from tests.synthetic import write_digests


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("READINGLIST_SETTINGS", str(tmp_path / "settings.ini"))


def wait_idle(qtbot, window, timeout: int = 120000) -> None:
    """Until every thread the window started has finished: tasks (their results
    delivered too) and upkeep threads."""
    qtbot.waitUntil(lambda: window.tasks.idle, timeout=timeout)


@pytest.fixture
def open_window(qtbot, tmp_path):
    windows = []

    def make(folder=None, idle=True):
        window = create_main_window(folder or tmp_path / "library")
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitExposed(window)
        if idle:
            wait_idle(qtbot, window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        if window.isVisible():
            window.close()


DIALOG_WAIT_S = 10.0


def answer_next_dialog(qtbot, button: str | None, seen: list | None = None,
                       prepare=None) -> None:
    """Answer the next modal dialog as a person would: press Enter (``button``
    None: the default button) or click the button with this text. It looks for
    the dialog for at most `DIALOG_WAIT_S`, and stops looking when the test
    ends (the timer is the test's own widget's child), so it never fires into
    a later test. ``prepare(dialog)`` fills it in before the button is pressed."""
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

    owner = QWidget()  # deleted with the test: its timers die with it
    qtbot.addWidget(owner)
    deadline = time.monotonic() + DIALOG_WAIT_S

    def answer():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            if time.monotonic() < deadline:
                QTimer.singleShot(20, owner, answer)
            return
        if seen is not None:
            seen.append(dialog)
        if prepare is not None:  # fill the dialog in first, as a person would
            prepare(dialog)
        if button is None:
            qtbot.keyClick(dialog, Qt.Key.Key_Return)
            return
        for candidate in dialog.findChildren(QAbstractButton):
            if candidate.text().replace("&", "") == button:
                candidate.click()
                return
        raise AssertionError(f"no button {button!r} in {dialog.windowTitle()!r}")

    QTimer.singleShot(0, owner, answer)


@pytest.fixture
def filled_window(open_window, qtbot):
    window = open_window()
    from tests.ui.test_main_window import drop_files

    drop_files(qtbot, window, DIGESTS)
    return window


@pytest.fixture
def big_window(open_window, tmp_path):
    """60 papers in one view: enough rows to scroll."""
    folder = tmp_path / "lib"
    write_digests(tmp_path / "digests", files=2, per_file=40)
    with Library.open(folder) as library:
        library.import_files(sorted((tmp_path / "digests").glob("*.txt")))
    window = open_window(folder)
    window.resize(1000, 600)
    return window
