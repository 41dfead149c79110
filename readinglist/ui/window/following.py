"""Keeping the window in step with the library, cheaply.

An edit made here hands back its `Effect` (the papers, the counts it moved,
the library's change counter before and after): its rows are painted again,
the sidebar's counts move in place, the tags are read again only when tags
changed, and the list loses the papers that left its view. Nothing that
grows with the library is read or rebuilt after a key press.

The window remembers the change counter it shows. An effect that does not
start there (another process wrote in between) or one that reshaped the
library (papers deleted or brought back, a tag renamed): everything is read
again. An edit that changed nothing (a key pinned) moves only the selection.

A change made elsewhere — a terminal, another window — is found by reading
the counter every few seconds and when the window is activated (one row),
and is shown the same way.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer

from readinglist.core.editing.effects import Effect
from readinglist.core.library import Library
from readinglist.ui.paper_list.presenter import PaperList
from readinglist.ui.sidebar import Sidebar
from readinglist.ui.tasks import TaskRunner
from readinglist.ui.window.refresh import LibraryRefresh

POLL_MS = 3000  # how often the change counter is read for changes made elsewhere
# The index follows an edit this much later: the window answers the key first
# (Whoosh's update is Python that would share the interpreter with it), and
# quick edits in a row are one update.
CATCH_UP_DELAY_S = 0.3


class LibraryFollower(QObject):
    def __init__(self, library: Library, tasks: TaskRunner, refresh: LibraryRefresh,
                 sidebar: Sidebar, papers: PaperList, *,
                 reread: Callable[[], None], tags_changed: Callable[[], None],
                 busy: Callable[[], bool], parent: QObject):
        super().__init__(parent)
        self._library = library
        self._tasks = tasks
        self._refresh = refresh
        self._sidebar = sidebar
        self._papers = papers
        self._reread = reread  # everything read again (the sidebar, the tags, the list)
        self._tags_changed = tags_changed  # after the tags were read again
        self._busy = busy  # this window is writing (an import, a lookup): it refreshes after
        self.generation: int | None = None  # the change counter the window shows
        # before the first reading arrives: the newest change it must include
        self._at_least = 0
        self._writes = 0  # edits started here: a counter read across one is not trusted
        self.rereads = 0  # how many times everything was read again (tests, benchmarks)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        parent.installEventFilter(self)
        # An edit is shown without waiting for Whoosh: the index follows on an
        # upkeep thread (a search catches up first anyway), one catch-up queued
        # for any number of quick edits.
        self._catch_up_queued = threading.Lock()
        library.catch_up_index_on(self._catch_up_later)

    # -- what the window shows ---------------------------------------------------------------
    def seen(self, generation: int) -> bool:
        """Everything was read at ``generation``: False when the window already
        shows a later one (that reading is older: read again)."""
        if generation < max(self.generation or 0, self._at_least):
            return False
        self.generation = generation
        return True

    def writing(self) -> None:
        """An edit of this window was started."""
        self._writes += 1

    def edited(self, effect: Effect) -> bool:
        """An edit of this window was saved: shown in place when it can be (True),
        else everything is read again (False)."""
        if self.generation is None:  # the first reading is on its way: it must show this
            self._at_least = max(self._at_least, effect.generation[1])
            return True
        if effect.reshaped or effect.generation[0] != self.generation:
            self.rereads += 1
            self._reread()
            return False
        self.generation = effect.generation[1]
        self._sidebar.move_counts(effect.counts, effect.digests)
        if effect.tags:
            self._refresh.tags(self._tags_changed)
        self._papers.follow_edit(effect)
        return True

    def _catch_up_later(self, catch_up: Callable[[], object]) -> None:
        """(on the writer thread) Bring the index in step soon, off this thread."""
        if not self._catch_up_queued.acquire(blocking=False):
            return  # one is queued and not started: it will include this edit

        def run() -> None:
            time.sleep(CATCH_UP_DELAY_S)
            self._catch_up_queued.release()
            catch_up()
        self._tasks.upkeep(run)

    # -- changes made elsewhere --------------------------------------------------------------
    def check(self) -> None:
        """Read the change counter; a change made elsewhere is shown."""
        if self._busy() or self.generation is None:
            return
        writes = self._writes

        def compare(generation: int) -> None:
            if (writes == self._writes and not self._busy()
                    and self.generation is not None and generation != self.generation):
                self.rereads += 1
                self._reread()

        self._tasks.read(self._library.generation, compare)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowActivate:
            self.check()  # back from a terminal: its changes at once
        elif event.type() == QEvent.Type.Close:
            self._timer.stop()  # the window is closing: nothing more to follow
        return False
