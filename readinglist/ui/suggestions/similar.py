"""The detail pane's similar papers, and the terms behind a paper's place in a
list shown best first, looked up on the suggestions' thread.

A paper shown while the features are being learnt gets its similar papers
when they are ready; only the last paper asked for is looked up (J held down
looks up the paper it stops on, not each one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from readinglist.core.library import Library
from readinglist.ui.detail.similar_list import SimilarList
from readinglist.ui.suggestions.learning import FeatureLearning
from readinglist.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from readinglist.core.suggest.suggester import Ranking

SIMILAR = 5
DESCRIBE_DELAY_MS = 120


class SimilarPapers(QObject):
    def __init__(self, library: Library, tasks: TaskRunner, similar: SimilarList,
                 learning: FeatureLearning, ranking: Callable[[], Ranking | None],
                 parent: QObject | None = None):
        super().__init__(parent)
        self._library = library
        self._tasks = tasks
        self._similar = similar
        self._learning = learning
        self._ranking = ranking  # the ranking the list shows, if any
        self._asked: tuple[int | None, int] = (None, 0)
        self._generation = 0
        self.timer = QTimer(self)  # public: a test waits until the lookup has started
        self.timer.setSingleShot(True)
        self.timer.setInterval(DESCRIBE_DELAY_MS)
        self.timer.timeout.connect(self._describe)
        learning.ready.connect(self._features_ready)
        learning.fitting_started.connect(self._learning_started)

    def show_paper(self, paper_id: int | None) -> None:
        """The detail pane shows this paper: find its similar papers (and the
        terms behind its place when the list is shown best first)."""
        ranking = self._ranking()
        asked = (paper_id, id(ranking) if ranking is not None else 0)
        if asked == self._asked and paper_id is not None:
            return  # the same paper in the same list: what is shown stands
        self._asked = asked
        self._similar.show_waiting(paper_id, learning=self._learning.fitting)
        if ranking is None:
            self._similar.hide_why()
        if paper_id is not None:
            self.timer.start()

    def close(self) -> None:
        self.timer.stop()

    def _learning_started(self) -> None:
        """The words are being learnt (after the paper shown asked): it says so."""
        paper_id = self._similar.paper_id
        if paper_id is not None and self._similar.list.isHidden():
            self._similar.show_waiting(paper_id, learning=True)

    def _features_ready(self) -> None:
        if self._asked[0] is not None:  # asked for while learning: look it up now
            self._asked = (None, 0)
            self.timer.start()

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
            why = library.suggester.why(ranking, paper_id) if ranking is not None else ()
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
