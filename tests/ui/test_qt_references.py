"""The Qt binding must not lose references to None, True or False.

PySide6 6.12.0 lost one reference to None per QTimer.singleShot callback and
to a bool per argument-less emit: after a few thousand the process aborted
("Fatal Python error: none_dealloc"), at quit or in the middle of a session.
pyproject.toml keeps that release out; this checks the installed one.
"""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication
app = QApplication([])
ticks = [0]
def tick():
    ticks[0] += 1
    if ticks[0] < 3000:
        QTimer.singleShot(0, tick)
    else:
        app.quit()
counts = lambda: (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
before = counts()
QTimer.singleShot(0, tick)
app.exec()
class Source(QObject):
    plain = Signal()
    value = Signal(object)
source = Source()
source.plain.connect(lambda: None)
source.value.connect(lambda value: None)
for _ in range(3000):
    source.plain.emit()
    source.value.emit(None)
after = counts()
print(*(a - b for a, b in zip(after, before)))
"""


def test_many_timers_and_emits_keep_the_references_of_none_and_the_bools():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          timeout=120, env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    assert done.returncode == 0, done.stderr[-500:]
    none, true, false = map(int, done.stdout.split())
    assert abs(none) < 100 and abs(true) < 100 and abs(false) < 100, done.stdout
