"""The window's state between sessions: geometry, panes, columns, view and sort.

Kept in QSettings apart from the library, which holds only the user's data.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter, QTableView

from readinglist.ui.paper_model import SORT_KEYS


def restore(s: QSettings, window: QMainWindow, splitter: QSplitter,
            table: QTableView) -> tuple[str, bool] | None:
    """Put the saved state back; returns the saved sort, if any."""
    if s.value("geometry"):
        window.restoreGeometry(QByteArray(s.value("geometry")))
    else:
        window.resize(1360, 820)
    if s.value("windowState"):
        window.restoreState(QByteArray(s.value("windowState")))
    if s.value("splitter"):
        splitter.restoreState(QByteArray(s.value("splitter")))
    if s.value("header"):
        table.horizontalHeader().restoreState(QByteArray(s.value("header")))
    key, descending = s.value("sortKey"), s.value("sortDescending")
    if key in SORT_KEYS.values():
        return str(key), str(descending).lower() in ("true", "1")
    return None


def save(s: QSettings, window: QMainWindow, splitter: QSplitter, table: QTableView,
         view: str, sort: tuple[str, bool]) -> None:
    s.setValue("geometry", window.saveGeometry())
    s.setValue("windowState", window.saveState())
    s.setValue("splitter", splitter.saveState())
    s.setValue("header", table.horizontalHeader().saveState())
    s.setValue("view", view)
    s.setValue("sortKey", sort[0])
    s.setValue("sortDescending", sort[1])
    s.sync()
