"""The features suggestions rank with, learnt in the background at start and
after imports, with their progress in the status bar.

Everything runs on the suggestions' own thread (`TaskRunner.suggest`): a
minute of learning a large library's words never holds up a search or an
edit, and the window closes without waiting for it (a fit stops at its next
block).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel

from readinglist.core.library import Library
from readinglist.ui.tasks import TaskRunner

LEARNING = ("Learning the words of your library for suggestions…\n"
            "The first time takes a moment; the list follows when it is done.")
RANKING = "Ranking the papers…"


class FitStopped(Exception):
    """The window is closing: the features are learnt another time."""


class FeatureLearning(QObject):
    ready = Signal()  # the features are in step (or could not be made)
    fitting_started = Signal()  # the vocabulary is being learnt: a minute at 100,000
    _progressed = Signal(object)  # (done 0..1, what), from the suggestions' thread

    def __init__(self, library: Library, tasks: TaskRunner, label: QLabel,
                 message: Callable[[str], None], parent: QObject | None = None):
        super().__init__(parent)
        library.refit_suggestions_inline(False)  # refits happen here, in the background
        self._library = library
        self._tasks = tasks
        self._label = label
        self._message = message
        self._closing = False
        self._again = False
        self.learning = False  # the features are being read, brought in step or learnt
        self.fitting = False  # … learnt: a minute at 100,000 papers (progress came)
        self._progressed.connect(self._show_progress)

    def prepare(self) -> None:
        """Bring the features in step, learning the vocabulary again when the
        library has grown by a quarter (at start and after each import)."""
        if self.learning:
            self._again = True
            return
        self.learning = True
        suggester = self._library.suggester

        def progress(done: float, what: str) -> None:
            if self._closing:
                raise FitStopped
            self._progressed.emit((done, what))

        self._tasks.suggest(lambda: suggester.prepare(progress), self._prepared,
                            self._not_prepared)

    def waiting_note(self) -> str | None:
        """What a ranked list says while it waits for the features, or None."""
        if not self.learning:
            return None
        return LEARNING if self.fitting else RANKING

    def _show_progress(self, state: tuple[float, str]) -> None:
        done, _what = state
        if self.learning and done < 1:
            if not self.fitting:
                self.fitting = True
                self.fitting_started.emit()
            self._label.setText(f"Learning the library's words for suggestions… {done:.0%}")
            self._label.show()

    def _prepared(self, _result=None) -> None:
        self.learning = self.fitting = False
        self._label.hide()  # a ranked view asked for meanwhile was queued behind: it shows now
        if self._again:
            self._again = False
            self.prepare()
        else:
            self.ready.emit()

    def _not_prepared(self, error: BaseException) -> None:
        self._again = False
        self._prepared()
        if not isinstance(error, FitStopped):
            self._message(f"Suggestions are not available: {error}")

    def close(self) -> None:
        """The window is closing: a fit stops at its next block."""
        self._closing = True
