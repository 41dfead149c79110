"""The files kept up to date, followed from the window: after any change (an
edit, an import, a lookup, an undo, a restore) they are written again, after
the person pauses — a burst of keys is one write — on a thread of their own,
so a .bib of 100,000 entries never holds up the list."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, QObject, QTimer

from readinglist.core.library import Library
from readinglist.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from readinglist.core.exports.automatic import Update

QUIET_MS = 1500  # written this long after the last change …
LONGEST_MS = 15000  # … but never later than this after the first one not yet written


class AutoExportTimer(QObject):
    def __init__(self, library: Library, tasks: TaskRunner, message: Callable[[str], None],
                 parent: QObject | None = None):
        super().__init__(parent)
        self._library = library
        self._tasks = tasks
        self._message = message
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._write)
        self._waiting = QElapsedTimer()  # since the first change not yet written
        self._running = False
        self._again = False  # a change came while writing: write once more after
        self._said: dict[str, str] = {}  # what was said of each file, said once
        self.kept = bool(library.exports.list())  # any file to keep: else changes cost nothing
        self.writes = 0  # files written (not those found the same): for the tests and a log
        self.updated = 0  # update rounds run

    def changed(self) -> None:
        """Papers changed: write the files once the person pauses."""
        if not self.kept:
            return
        if not self._waiting.isValid():
            self._waiting.start()
        if self._waiting.elapsed() < LONGEST_MS or not self._timer.isActive():
            self._timer.start(max(0, min(QUIET_MS, LONGEST_MS - self._waiting.elapsed())))

    def registered(self) -> None:
        """A file was added to the list (the export dialog, the dialog of the list)."""
        self.kept = True

    def forget(self) -> None:
        self.kept = bool(self._library.exports.list())

    @property
    def pending(self) -> bool:
        return self._timer.isActive() or self._running

    def _write(self) -> None:
        if self._running:
            self._again = True
            return
        self._waiting.invalidate()
        self._running = True
        self._tasks.files(self._library.exports.update, self._done, self._failed)

    def _done(self, updates: list[Update]) -> None:
        self._running = False
        self.updated += 1
        self.kept = bool(updates)
        for update in updates:
            if update.outcome == "written":
                self.writes += 1
            said = update.message if update.outcome in ("paused", "failed") else ""
            if said and self._said.get(update.path) != said:
                self._message(said)
            self._said[update.path] = said
        if self._again:
            self._again = False
            self._write()

    def _failed(self, error: BaseException) -> None:
        self._running = False
        self._message(f"The files kept up to date could not be written: {error}")

    def flush(self) -> None:
        """The window closes: a change not yet written is written now (the
        task runner waits for it)."""
        if self._timer.isActive():
            self._timer.stop()
            self._tasks.files(self._library.exports.update)
