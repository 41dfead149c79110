"""What a person waits for in the window, each measured in an app process of
its own (offscreen): the window's start to its first rows, R until the next
paper is shown and the window idle, and a .bib of the whole library kept up
to date while the window stays responsive."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path


def window_start(folder: Path) -> tuple[float, float, float]:
    """Seconds from process start to the window showing its first rows (offscreen),
    seconds of the first search typed right then (its first page, as the window
    asks for it), and the peak RSS of that app process after a user's first
    minute: a broad search, its full list sorted by title, and an export of
    everything."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "READINGLIST_SETTINGS": str(folder.parent / "settings.ini"),
           "BENCH_STARTED": repr(time.time())}
    probe = ("import os, resource, sys, time\n"
             "from PySide6.QtWidgets import QApplication\n"
             "from PySide6.QtCore import QTimer\n"
             "app = QApplication([])\n"
             "from readinglist.ui.app import create_main_window\n"
             f"window = create_main_window({str(folder)!r}); window.show()\n"
             "def use():\n"
             "    lib = window.library\n"
             "    started = time.perf_counter()\n"
             "    lib.search.ids('language models', None, 100)\n"
             "    print(time.perf_counter() - started, flush=True)\n"
             "    hits = lib.search.ids('language models')\n"
             "    lib.papers.ids(sort='title', within=hits)\n"
             "    model = window.paper_list.model\n"
             "    model.set_ids(lib.papers.ids(sort='title'))\n"
             "    [model.paper_at(r) for r in range(0, model.rowCount(), 97)]\n"
             f"    lib.export.write({str(folder.parent / 'window.bib')!r})\n"
             # VmHWM, not ru_maxrss: Linux carries the parent's peak over exec.
             "    status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
             "    print(int(status.split()[0]) / 1024)\n"
             "    app.quit()\n"
             "def check():\n"
             "    model = window.paper_list.model\n"
             "    if model.rowCount() and model.cached_count():\n"
             "        print(time.time() - float(os.environ['BENCH_STARTED']), flush=True)\n"
             "        QTimer.singleShot(0, use)\n"
             "    else:\n"
             "        QTimer.singleShot(5, check)\n"
             "QTimer.singleShot(0, check); app.exec()\n")
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True,
                          timeout=900)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or len(lines) < 3:
        print(f"window probe failed ({done.returncode}): {done.stderr[-2000:]}", file=sys.stderr)
        nan = float("nan")
        return nan, nan, nan
    return float(lines[-3]), float(lines[-2]), float(lines[-1])


AUTOMATIC_EXPORT = r"""
import json, sys, time
from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication
from readinglist.core.exports.scope import Format, Scope
app = QApplication([])
from readinglist.ui.app import create_main_window
window = create_main_window(sys.argv[1]); window.show()
target = sys.argv[2]
result = {}
clock = QElapsedTimer(); clock.start()
beats = []
def beat():
    beats.append(clock.elapsed())
heart = QTimer(); heart.timeout.connect(beat)
def start():
    if not window.tasks.idle:
        QTimer.singleShot(50, start); return
    started = time.perf_counter()
    window.library.exports.register(target, Scope(), Format())
    result["first_write_s"] = time.perf_counter() - started
    window.auto_exports.registered()
    paper = window.library.papers.ids(sort="id")[0]
    result["writes_before"] = window.auto_exports.writes
    heart.start(5)
    beats.clear()
    result["edited_at"] = clock.elapsed()
    window.commands.save_note(paper, "a note typed while a paper is being written")
    QTimer.singleShot(20, wait)
def wait():
    timer = window.auto_exports
    if timer.writes > result["writes_before"] and not timer.pending:
        heart.stop()
        result["edit_to_written_s"] = (clock.elapsed() - result["edited_at"]) / 1000
        gaps = [b - a for a, b in zip(beats, beats[1:])]
        result["longest_gap_ms"] = max(gaps) if gaps else float("nan")
        result["beats"] = len(beats)
        print(json.dumps(result), flush=True)
        app.quit()
    else:
        QTimer.singleShot(20, wait)
QTimer.singleShot(0, start); app.exec()
"""


def automatic_export(folder: Path) -> dict:
    """A file kept up to date with every paper: the time from an edit in the
    window to the file written again (its 1.5 s pause included), and the
    longest the window's event loop waited meanwhile (a 5 ms heartbeat)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "READINGLIST_SETTINGS": str(folder.parent / "settings.ini"),
           "XDG_STATE_HOME": str(folder.parent / "state")}  # its list of kept files
    target = folder.parent / "kept.bib"
    done = subprocess.run([sys.executable, "-c", AUTOMATIC_EXPORT, str(folder), str(target)],
                          env=env, capture_output=True, text=True, timeout=1800)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        print(f"automatic export probe failed ({done.returncode}): {done.stderr[-2000:]}",
              file=sys.stderr)
        return {}
    return json.loads(lines[-1])


EDIT_ROUND_TRIP = r"""
import json, statistics, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from readinglist.ui.app import create_main_window
window = create_main_window(sys.argv[1]); window.show()
times, indexed = [], []
state = {"view": False}
def idle():
    return window.tasks.idle and not window.auto_exports.pending
def start():
    if not idle() or not window.paper_list.model.rowCount():
        QTimer.singleShot(50, start); return
    if not state["view"]:  # the view asked for, then its first paper selected
        state["view"] = True
        window.sidebar.select_key(sys.argv[2])
        QTimer.singleShot(50, start); return
    window.paper_list.selection.select([window.paper_list.model.id_at(0)])
    QTimer.singleShot(200, press)
def press():
    state["before"] = window.paper_list.selected_ids()
    state["t"] = time.perf_counter()
    window.actions.mark_read.trigger()
    QTimer.singleShot(0, wait)
def wait():
    # shown: the next paper selected and no result the window waits for; the
    # search index follows on an upkeep thread (timed to the end too)
    moved = window.paper_list.selected_ids() != state["before"]
    if moved and not window.tasks.busy and "shown" not in state:
        state["shown"] = time.perf_counter() - state["t"]
    if "shown" in state and window.tasks.idle:
        times.append(state.pop("shown"))
        indexed.append(time.perf_counter() - state["t"])
        if len(times) == 20:
            print(json.dumps({"median_ms": 1000 * statistics.median(times),
                              "p95_ms": 1000 * sorted(times)[18],
                              "indexed_median_ms": 1000 * statistics.median(indexed)}),
                  flush=True)
            app.quit(); return
        QTimer.singleShot(100, press)
    else:
        QTimer.singleShot(1, wait)
QTimer.singleShot(0, start); app.exec()
"""


def edit_round_trip(folder: Path, view: str = "all") -> dict:
    """R pressed twenty times in a view (All papers: the rows stay; Unread: they
    leave): the time from the key until the next paper is selected and no
    result the window waits for is outstanding (the counts moved, the row
    gone), median and p95; and until the search index has the edit too (on an
    upkeep thread, the window free meanwhile)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "READINGLIST_SETTINGS": str(folder.parent / "settings.ini")}
    done = subprocess.run([sys.executable, "-c", EDIT_ROUND_TRIP, str(folder), view], env=env,
                          capture_output=True, text=True, timeout=1800)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        print(f"edit probe failed ({done.returncode}): {done.stderr[-2000:]}", file=sys.stderr)
        return {}
    return json.loads(lines[-1])
