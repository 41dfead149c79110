"""Application set-up: the QApplication, settings, and the main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QLockFile, QSettings
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from readinglist import __version__
from readinglist.core.errors import LibraryError, ReadinglistError
from readinglist.core.library import Library
from readinglist.ui.main_window import MainWindow
from readinglist.ui.resources import icon

SETTINGS_ENV = "READINGLIST_SETTINGS"  # an .ini file instead of the user's settings


def window_settings() -> QSettings:
    """Window state (geometry, splitters, columns, last view), apart from the library."""
    path = os.environ.get(SETTINGS_ENV)
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings("Readinglist", "Readinglist")


class LibraryInUse(LibraryError):
    """Another window already has this library open."""


def _window_lock(folder: Path) -> QLockFile:
    """One window per library: two windows would race each other's edits.

    (The command line may still write alongside a window: SQLite's locks
    keep that safe.) A lock left by a crashed window is recognised and taken.
    """
    folder.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(folder / "window.lock"))
    lock.setStaleLockTime(0)  # only the owner's death frees it, never age
    if not lock.tryLock(200):
        info = [part for part in lock.getLockInfo() if not isinstance(part, bool)]
        owner = f" (process {info[0]})" if info else ""
        raise LibraryInUse(
            f"{folder} is already open in another Readinglist window{owner}; "
            "switch to that window"
        )
    return lock


def create_main_window(library_dir: str | os.PathLike) -> QMainWindow:
    """The ready window for a library folder (a QApplication must exist)."""
    folder = Path(library_dir).expanduser()
    lock = _window_lock(folder)
    try:
        library = Library.open(folder, backup=False)  # the window backs up in the background
    except BaseException:
        lock.unlock()
        raise
    window = MainWindow(library, window_settings())
    window.hold_lock(lock)
    window.owns_library = True  # closed with the window
    return window


def run(library_dir: Path, argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Readinglist")
    app.setApplicationDisplayName("Readinglist")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Readinglist")
    app.setDesktopFileName("readinglist")
    app.setWindowIcon(icon("readinglist"))
    try:
        window = create_main_window(library_dir)
    except ReadinglistError as exc:
        QMessageBox.critical(None, "Readinglist", f"Cannot open the library {library_dir}:\n{exc}")
        return 1
    window.show()
    code = app.exec()
    window.library.close()
    return code
