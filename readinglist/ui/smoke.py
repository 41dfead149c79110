"""``readinglist --smoke-test``: is this installation whole?

Opens the real window on a temporary library, imports the bundled sample
digest through the window's importer, searches a word of a title through the
search box, finds its similar papers (scikit-learn and SciPy are whole), and
checks that the icons render. Prints one line and returns 0
when everything worked, 1 (with the reason) when not. Used on the built
bundle in CI and useful after any install.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

TIMEOUT_S = 120.0


class SmokeFailure(Exception):
    pass


def _wait_until(condition: Callable[[], bool], what: str, timeout: float = TIMEOUT_S) -> None:
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SmokeFailure(f"timed out after {timeout:.0f} s waiting for {what}")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)


def seconds_since_start() -> float | None:
    """How long this process has been running (Linux; None elsewhere)."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _run(folder: Path) -> str:
    from readinglist.core.reading.search import as_typed
    from readinglist.ui.app import application, create_main_window
    from readinglist.ui.resources import app_icon, icon, sample_digest

    app = application()
    for name, qicon in (("readinglist.svg", icon("readinglist")), ("app icon", app_icon())):
        if qicon.pixmap(48, 48).isNull():
            raise SmokeFailure(f"the icon {name} does not render (Qt's SVG support missing?)")
    sample = sample_digest()
    if not sample.is_file():
        raise SmokeFailure(f"the sample digest is missing: {sample}")

    window = create_main_window(folder / "library")
    try:
        window.show()
        app.processEvents()
        started = seconds_since_start()
        results = []
        window.importer.finished.connect(results.append)
        window.open_files([sample])
        _wait_until(lambda: results, "the import of the sample digest")
        imported = results[0]
        if imported.new == 0 or imported.rejected:
            raise SmokeFailure(f"the sample digest did not import: {imported.to_json()}")

        paper = window.library.papers.list(limit=1)[0]
        word = max(re.findall(r"[A-Za-z]{4,}", paper.title), key=len)
        window.search_edit.setText(word)
        _wait_until(lambda: window.paper_list.query == as_typed(word) and not window.tasks.busy
                    and window.paper_list.model.row_of(paper.id) is not None,
                    f"the search for {word!r} to show {paper.title!r}")
        shown = window.paper_list.model.rowCount()
        # scikit-learn and SciPy inside a bundle: the detail pane's similar papers
        similar = window.library.similar(paper.id, 5)
        if not similar:
            raise SmokeFailure(f"no similar papers for {paper.title!r} (scikit-learn missing?)")
    finally:
        window.close()
        app.processEvents()
    up = f"; the window was up {started:.1f} s after start" if started is not None else ""
    return (f"smoke test passed: imported {imported.new} papers from {sample.name}, "
            f"searching {word!r} shows {shown}, {len(similar)} similar papers{up}")


def smoke_test() -> int:
    with tempfile.TemporaryDirectory(prefix="readinglist-smoke-") as tmp:
        folder = Path(tmp)
        os.environ["READINGLIST_SETTINGS"] = str(folder / "settings.ini")  # leave the user's alone
        try:
            print(_run(folder))
        except Exception as exc:  # one line, never a traceback
            print(f"readinglist: smoke test failed: {exc}", file=sys.stderr)
            return 1
    return 0
