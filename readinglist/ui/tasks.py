"""Background work: results always come back on the GUI thread.

Six single-thread executors: edits, reads (searches, lists), long jobs
(imports, rebuilds, exports), suggestions (learning the features, ranking,
similar papers), lookups on arXiv, and the files kept up to date, so that
neither a search nor an edit ever waits behind a long import's queue, a
minute of learning the vocabulary, a lookup at arXiv's pace or a .bib of
100,000 entries being written again.
Never touch a widget from these threads: pass a callback, it runs on the GUI
thread with the result.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot


@dataclass(frozen=True)
class _Outcome:
    """What a task hands back to the GUI thread: one object, never a bare None.

    PySide6 6.12 loses a reference to ``None`` each time it is emitted through
    a signal argument of type object; after a few thousand emits Python's
    ``None`` is freed and the process aborts ("none_dealloc"). One object per
    emit, whose fields may be None, never passes None through Qt itself.
    """

    callback: Callable[[Any], None] | None
    result: Any = None
    error: BaseException | None = None


class TaskRunner(QObject):
    _finished = Signal(object)  # an _Outcome

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rl-writer")
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rl-reader")
        # Imports, rebuilds, checks, exports, backups: minutes at
        # times, so never in front of an edit (a note, a status, a tag).
        self._long = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rl-long")
        self._suggest = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rl-suggest")
        # Lookups on arXiv: minutes at its pace, so apart from the imports too.
        self._network = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rl-network")
        # Automatic exports: behind everything, never in front of an edit or an import.
        self._files = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rl-files")
        self._upkeep_lock = threading.Lock()  # one upkeep task at a time
        self._count_lock = threading.Lock()
        self._upkeep_running = 0  # upkeep threads started and not yet finished
        self._pending = 0
        self._long_pending = 0
        self._closed = False
        self._finished.connect(self._deliver)

    def write(self, work: Callable[[], Any], done: Callable[[Any], None] | None = None,
              failed: Callable[[BaseException], None] | None = None) -> Future | None:
        return self._submit(self._writer, work, done, failed)

    def long(self, work: Callable[[], Any], done: Callable[[Any], None] | None = None,
             failed: Callable[[BaseException], None] | None = None) -> Future | None:
        """A long job: one at a time, beside the edits and the reads."""
        self._long_pending += 1

        def counted(outcome_callback):
            def callback(value):
                self._long_pending -= 1
                if outcome_callback is not None:
                    outcome_callback(value)
            return callback

        failed_or_error = failed if failed is not None else self.error.emit
        return self._submit(self._long, work, counted(done), counted(failed_or_error))

    @property
    def long_running(self) -> bool:
        """A long job is queued or running (the window refuses a restore then)."""
        return self._long_pending > 0

    def read(self, work: Callable[[], Any], done: Callable[[Any], None] | None = None,
             failed: Callable[[BaseException], None] | None = None) -> Future | None:
        return self._submit(self._reader, work, done, failed)

    def suggest(self, work: Callable[[], Any], done: Callable[[Any], None] | None = None,
                failed: Callable[[BaseException], None] | None = None) -> Future | None:
        """Suggestions: rankings, similar papers, learning the features."""
        return self._submit(self._suggest, work, done, failed)

    def network(self, work: Callable[[], Any], done: Callable[[Any], None] | None = None,
                failed: Callable[[BaseException], None] | None = None) -> Future | None:
        """A lookup on a service: one at a time, never in front of anything else."""
        return self._submit(self._network, work, done, failed)

    def files(self, work: Callable[[], Any], done: Callable[[Any], None] | None = None,
              failed: Callable[[BaseException], None] | None = None) -> Future | None:
        """Writing the files kept up to date, one at a time."""
        return self._submit(self._files, work, done, failed)

    def upkeep(self, work: Callable[[], Any]) -> None:
        """Slow upkeep (warming the search cache, compacting the index) on a
        daemon thread of its own: it never queues in front of an edit or a
        search, and never keeps the program from quitting (an unfinished
        compaction is simply redone later). Failures are dropped."""
        if self._closed:
            return

        def run() -> None:
            try:
                with self._upkeep_lock, suppress(Exception):
                    if not self._closed:
                        work()
            finally:
                with self._count_lock:
                    self._upkeep_running -= 1

        with self._count_lock:
            self._upkeep_running += 1
        threading.Thread(target=run, name="rl-upkeep", daemon=True).start()

    def _submit(self, executor, work, done, failed) -> Future | None:
        if self._closed:
            return None  # the window is closing: late follow-up work is dropped
        self._pending += 1

        def run():
            try:
                result = work()
            except BaseException as exc:  # handed to the GUI thread, never lost
                self._finished.emit(_Outcome(failed, error=exc))
                return None
            self._finished.emit(_Outcome(done, result))
            return result

        return executor.submit(run)

    @Slot(object)
    def _deliver(self, outcome: _Outcome) -> None:
        callback, result, error = outcome.callback, outcome.result, outcome.error
        self._pending -= 1
        if self._closed:
            return
        if error is not None:
            if callback is not None:
                callback(error)
            else:
                self.error.emit(error)
        elif callback is not None:
            callback(result)

    error = Signal(object)  # a task failed and had no error callback

    @property
    def busy(self) -> bool:
        """Work handed to a worker whose result has not come back yet."""
        return self._pending > 0 and not self._closed

    @property
    def idle(self) -> bool:
        """Nothing running at all: no task, and no upkeep thread (warming the
        search cache, compacting the index)."""
        with self._count_lock:
            return not self.busy and self._upkeep_running == 0

    def shutdown(self) -> None:
        """Finish the queued work (a last note save among it), then stop."""
        self._closed = True
        for executor in (self._writer, self._reader, self._long, self._files):
            executor.shutdown(wait=True, cancel_futures=False)
        # rankings not started are dropped; a fit stops at its next block
        # (`SuggestController.close` tells it to)
        self._suggest.shutdown(wait=True, cancel_futures=True)
        # a lookup stops at its next request (`LookupController.close` cancels it)
        self._network.shutdown(wait=True, cancel_futures=True)
