"""Looking papers up on arXiv from the window: Paper ▸ Look Up on arXiv (the
selection) and Tools ▸ Look Up All Papers Without Authors.

It runs on a thread of its own at arXiv's pace (minutes for many papers),
with its progress and a Cancel button in the status bar; the window never
waits for it, and a cancelled or failed lookup keeps what it found.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QPushButton

from readinglist.core.library import Library
from readinglist.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from readinglist.core.lookup.service import LookupResult


class LookupController(QObject):
    finished = Signal(object)  # LookupResult
    _progressed = Signal(object)  # (done, total, what), from the lookup's thread

    def __init__(self, library: Library, tasks: TaskRunner, label: QLabel, cancel: QPushButton,
                 message: Callable[[str], None], parent: QObject | None = None):
        super().__init__(parent)
        self._library = library
        self._tasks = tasks
        self._label = label
        self._cancel_button = cancel
        self._message = message
        self._cancel = threading.Event()
        self.running = False
        self._progressed.connect(self._show_progress)
        cancel.clicked.connect(self.cancel)
        self._idle()

    def look_up(self, ids: Sequence[int]) -> None:
        if self.running:
            self._message("A lookup is running already: wait for it, or cancel it.")
            return
        if not ids:
            self._message("Nothing to look up: every paper has its authors.")
            return
        self.running = True
        self._cancel.clear()
        self._label.setText(f"Looking up {len(ids)} paper{'s' if len(ids) != 1 else ''} on "
                            "arXiv…")
        self._label.show()
        self._cancel_button.show()
        self._cancel_button.setEnabled(True)
        lookup, wanted = self._library.lookup, list(ids)

        def work() -> LookupResult:
            return lookup.run(wanted, cancel=self._cancel,
                              progress=lambda *state: self._progressed.emit(state))

        self._tasks.network(work, self._done, self._failed)

    def look_up_missing(self) -> None:
        """Every paper no source has given an author yet (read on the reader thread)."""
        self._tasks.read(self._library.lookup.without_authors, self.look_up)

    def cancel(self) -> None:
        self._cancel.set()
        self._cancel_button.setEnabled(False)
        self._label.setText("Cancelling the lookup…")

    def close(self) -> None:
        self._cancel.set()

    def _show_progress(self, state: tuple[int, int, str]) -> None:
        done, total, what = state
        if self.running and not self._cancel.is_set():
            shown = what if len(what) <= 50 else what[:49] + "…"
            self._label.setText(f"Looking up on arXiv: {done} of {total}"
                                + (f" · {shown}" if shown else ""))

    def _done(self, result: LookupResult) -> None:
        self.running = False
        self._idle()
        self._message(result.message)
        self.finished.emit(result)

    def _failed(self, error: BaseException) -> None:
        self.running = False
        self._idle()
        self._message(f"The lookup stopped: {error}")
        from readinglist.core.lookup.service import LookupResult

        self.finished.emit(LookupResult())

    def _idle(self) -> None:
        self._label.hide()
        self._cancel_button.hide()
