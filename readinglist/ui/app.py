"""Application set-up: the QApplication, settings, and the main window."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QLockFile, QSettings
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from readinglist import __version__
from readinglist.core.errors import DamagedLibrary, LibraryError, ReadinglistError
from readinglist.core.library import Library
from readinglist.core.storage import backups
from readinglist.ui import instance
from readinglist.ui.resources import app_icon
from readinglist.ui.window.main_window import MainWindow

SETTINGS_ENV = "READINGLIST_SETTINGS"  # an .ini file instead of the user's settings
APP_ID = "org.readinglist.Readinglist"


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
        owner = info[0] if info and isinstance(info[0], int) else 0
        if lock.error() != QLockFile.LockError.LockFailedError or not owner:
            # No window holds it: the lock file cannot be made (a read-only
            # folder, no permission), which is not "open elsewhere".
            raise LibraryError(f"{folder}: the library folder cannot be written (read-only, "
                               "or no permission); the command line can still read it")
        raise LibraryInUse(
            f"{folder} is already open in another Readinglist window (process {owner}); "
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


def application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Readinglist")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Readinglist")
    app.setDesktopFileName(APP_ID)  # the launcher entry, packaging/<APP_ID>.desktop
    app.setWindowIcon(app_icon())
    return app


def _offer_restore(folder: Path, damage: DamagedLibrary) -> QMainWindow | None:
    """The database is empty or unreadable but a backup is fine: say so, and
    put the backup back if the person agrees (the damaged file is kept)."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Readinglist",
                      f"The library {folder} cannot be opened.\n\n{damage}")
    box.setObjectName("damagedLibrary")
    restore = box.addButton("Restore the Backup", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(restore)
    box.exec()
    if box.clickedButton() is not restore:
        return None
    try:
        backups.restore(folder, damage.backup)
        return create_main_window(folder)
    except ReadinglistError as exc:
        QMessageBox.critical(None, "Readinglist", f"Cannot restore the backup:\n{exc}")
        return None


def run(library_dir: Path, files: Sequence[str | os.PathLike] = (),
        import_dialog: bool = False, argv: list[str] | None = None) -> int:
    """Open the window; ``files`` (from "Open with" or the command line) are imported.

    When the library is already open in a window, the files go to that window
    and it comes to the front, as a desktop app does.
    """
    app = application(argv)
    folder = Path(library_dir).expanduser()
    try:
        window = create_main_window(folder)
    except LibraryInUse as exc:
        if instance.forward(folder, files):
            return 0
        QMessageBox.critical(None, "Readinglist", str(exc))
        return 1
    except DamagedLibrary as exc:
        window = _offer_restore(folder, exc)
        if window is None:
            return 1
    except ReadinglistError as exc:
        QMessageBox.critical(None, "Readinglist", f"Cannot open the library {folder}:\n{exc}")
        return 1
    server = instance.serve(folder, window.open_files, parent=window)
    window.show()
    if files:
        window.open_files(files)
    elif import_dialog:
        window.choose_import()
    code = app.exec()
    server.close()
    window.library.close()
    return code
