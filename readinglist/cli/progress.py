"""A progress line on standard error for work that takes over a second, on a
terminal only (never in a pipe or a log): "readinglist: exporting… 12,000 papers"."""

from __future__ import annotations

import sys
import threading
import time

SHOW_AFTER_S = 1.0
EVERY_S = 0.25


class Progress:
    """``with Progress("exporting") as progress: … progress.count = n``."""

    def __init__(self, label: str, unit: str = "papers"):
        self.label = label
        self.unit = unit
        self.count: int | None = None  # what is done so far, if the work counts
        self._stop = threading.Event()
        self._shown = False
        self._thread: threading.Thread | None = None
        self._started = 0.0

    def __enter__(self) -> Progress:
        stream = getattr(sys.stderr, "raw", sys.stderr)
        if stream.isatty():
            self._stream = stream
            self._started = time.monotonic()
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._shown:
            self._stream.write("\r\033[K")
            self._stream.flush()

    def _run(self) -> None:
        if self._stop.wait(SHOW_AFTER_S):
            return
        while not self._stop.is_set():
            done = f" {self.count:,} {self.unit}" if self.count is not None else ""
            seconds = int(time.monotonic() - self._started)
            self._stream.write(f"\r\033[Kreadinglist: {self.label}…{done} ({seconds} s)")
            self._stream.flush()
            self._shown = True
            self._stop.wait(EVERY_S)
