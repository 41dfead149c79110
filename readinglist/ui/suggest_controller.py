"""Suggestions in the window, never on the GUI thread: the features learnt in
the background (at start and after imports, with their progress in the status
bar), and the detail pane's similar papers and "why" terms.

Everything runs on the suggestions' own thread (`TaskRunner.suggest`): a
minute of learning a large library's words never holds up a search or an
edit. A paper shown while the features are being learnt gets its similar
papers when they are ready; only the last paper asked for is looked up.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

from readinglist.core.library import Library
from readinglist.core.suggestions import Ranking
from readinglist.ui.similar_list import SimilarList
from readinglist.ui.tasks import TaskRunner

SIMILAR = 5
DESCRIBE_DELAY_MS = 120  # J held down: look up the paper it stops on, not each one


class FitStopped(Exception):
    """The window is closing: the features are learnt another time."""


class SuggestController(QObject):
    _progressed = Signal(object)  # (done 0..1, what), from the suggestions' thread

    def __init__(self, library: Library, tasks: TaskRunner, similar: SimilarList,
                 label: QLabel, ranking: Callable[[], Ranking | None],
                 message: Callable[[str], None], parent: QObject | None = None):
        super().__init__(parent)
        library.suggestions.refit_inline = False  # refits happen here, in the background
        self._library = library
        self._tasks = tasks
        self._similar = similar
        self._label = label
        self._ranking = ranking
        self._message = message
        self._closing = False
        self._again = False
        self.learning = False  # the features are being read, brought in step or learnt
        self.fitting = False  # … learnt: a minute at 100,000 papers (progress came)
        self._asked: tuple[int | None, int] = (None, 0)
        self._generation = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DESCRIBE_DELAY_MS)
        self._timer.timeout.connect(self._describe)
        self._progressed.connect(self._show_progress)

    # -- learning the features ---------------------------------------------------------------
    def prepare(self) -> None:
        """Bring the features in step, learning the vocabulary again when the
        library has grown by a quarter (at start and after each import)."""
        if self.learning:
            self._again = True
            return
        self.learning = True
        suggestions = self._library.suggestions

        def progress(done: float, what: str) -> None:
            if self._closing:
                raise FitStopped
            self._progressed.emit((done, what))

        self._tasks.suggest(lambda: suggestions.prepare(progress), self._prepared,
                            self._not_prepared)

    def _show_progress(self, state: tuple[float, str]) -> None:
        done, _what = state
        if self.learning and done < 1:
            self.fitting = True
            self._label.setText(f"Learning the library's words for suggestions… {done:.0%}")
            self._label.show()

    def _prepared(self, _result=None) -> None:
        self.learning = self.fitting = False
        self._label.hide()  # a ranked view asked for meanwhile was queued behind: it shows now
        if self._again:
            self._again = False
            self.prepare()
        elif self._asked[0] is not None:  # asked for while learning: look it up now
            self._asked = (None, 0)
            self._timer.start()

    def _not_prepared(self, error: BaseException) -> None:
        self._again = False
        self._prepared()
        if not isinstance(error, FitStopped):
            self._message(f"Suggestions are not available: {error}")

    def close(self) -> None:
        """The window is closing: a fit stops at its next block."""
        self._closing = True
        self._timer.stop()

    # -- the detail pane -----------------------------------------------------------------------
    def show_paper(self, paper_id: int | None) -> None:
        """The detail pane shows this paper: find its similar papers (and the
        terms behind its place when the list is shown best first)."""
        ranking = self._ranking()
        asked = (paper_id, id(ranking) if ranking is not None else 0)
        if asked == self._asked and paper_id is not None:
            return  # the same paper in the same list: what is shown stands
        self._asked = asked
        self._similar.show_waiting(paper_id, learning=self.fitting)
        if ranking is None:
            self._similar.hide_why()
        if paper_id is not None:
            self._timer.start()

    def _describe(self) -> None:
        paper_id = self._similar.paper_id
        if paper_id is None:
            return
        ranking = self._ranking()
        self._generation += 1
        generation = self._generation
        library = self._library

        def work():
            if generation != self._generation:
                return None  # a newer paper was asked for: skip
            found = library.similar(paper_id, SIMILAR)
            why = library.suggestions.why(ranking, paper_id) if ranking is not None else ()
            return found, why

        def done(result) -> None:
            if result is None or generation != self._generation:
                return
            found, why = result
            self._similar.show_similar(paper_id, found)
            if ranking is not None:
                self._similar.show_why(paper_id, why)

        def failed(_error: BaseException) -> None:  # deleted meanwhile, or no features
            if generation == self._generation:
                self._similar.show_similar(paper_id, [])

        self._tasks.suggest(work, done, failed)
