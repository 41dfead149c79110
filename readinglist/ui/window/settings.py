"""The window's state between sessions: geometry, panes, columns, view and sort.

Kept in QSettings apart from the library, which holds only the user's data.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

from readinglist.ui.paper_list.model import HEADERS, SORT_KEYS
from readinglist.ui.paper_list.table import PaperTable, reset_columns

PANE_SHARES = (0.18, 0.51, 0.31)  # sidebar, list, detail pane: of the window's width
# The columns' widths and order; a version's own key, so that the state of a
# table with other columns is never put on this one.
HEADER_STATE = "header/9-columns"


def view_key(folder: Path) -> str:
    """The setting that keeps the last view of one library (views are per library:
    "tag:robots" of one library means nothing in another)."""
    digest = hashlib.sha1(str(Path(folder).resolve()).encode()).hexdigest()[:16]
    return f"views/{digest}"


def reset_panes(window: QMainWindow, splitter: QSplitter) -> None:
    """The panes' widths as at first, both side panes shown."""
    for i in range(splitter.count()):
        splitter.widget(i).show()
    width = max(window.width(), 800)
    splitter.setSizes([int(width * share) for share in PANE_SHARES])


def reset_layout(window: QMainWindow, splitter: QSplitter, table: PaperTable) -> None:
    reset_panes(window, splitter)
    reset_columns(table)


def restore(s: QSettings, window: QMainWindow, splitter: QSplitter,
            table: PaperTable) -> tuple[str, bool] | None:
    """Put the saved state back; returns the saved sort, if any."""
    if s.value("geometry"):
        window.restoreGeometry(QByteArray(s.value("geometry")))
    else:  # at most what the screen has room for (a 1024x768 laptop, say)
        screen = window.screen().availableGeometry() if window.screen() else None
        width, height = 1360, 820
        if screen is not None:
            width, height = min(width, screen.width()), min(height, screen.height())
        window.resize(width, height)
    if s.value("windowState"):
        window.restoreState(QByteArray(s.value("windowState")))
    if s.value("splitter"):
        splitter.restoreState(QByteArray(s.value("splitter")))
    else:
        reset_panes(window, splitter)
    for i, key in ((0, "sidebarVisible"), (2, "detailVisible")):
        splitter.widget(i).setVisible(str(s.value(key, "true")).lower() in ("true", "1"))
    if s.value(HEADER_STATE):
        table.horizontalHeader().restoreState(QByteArray(s.value(HEADER_STATE)))
    _restore_columns(s, table)
    key, descending = s.value("sortKey"), s.value("sortDescending")
    if key in SORT_KEYS.values():
        return str(key), str(descending).lower() in ("true", "1")
    return None


def _restore_columns(s: QSettings, table: PaperTable) -> None:
    """The columns the person hid and the widths they chose (the columns the
    window hid for want of room are not theirs, and come back by themselves)."""
    try:
        saved = json.loads(str(s.value("columns", "{}")))
    except ValueError:
        return
    by_name = {name: column for column, name in enumerate(HEADERS)}
    columns = table.columns
    columns.user_hidden = {by_name[n] for n in saved.get("hidden", []) if n in by_name}
    for name, width in (saved.get("widths") or {}).items():
        column = by_name.get(name)
        if column in columns.widths and isinstance(width, int) and width > 0:
            columns.widths[column] = width
    columns.fit()


def save(s: QSettings, window: QMainWindow, splitter: QSplitter, table: PaperTable,
         sort: tuple[str, bool]) -> None:
    s.setValue("geometry", window.saveGeometry())
    s.setValue("windowState", window.saveState())
    s.setValue("splitter", splitter.saveState())
    s.setValue(HEADER_STATE, table.horizontalHeader().saveState())
    s.setValue("columns", json.dumps({
        "hidden": [HEADERS[c] for c in sorted(table.columns.user_hidden)],
        "widths": {HEADERS[c]: w for c, w in table.columns.widths.items()}}))
    s.setValue("sidebarVisible", not splitter.widget(0).isHidden())
    s.setValue("detailVisible", not splitter.widget(2).isHidden())
    s.setValue("sortKey", sort[0])
    s.setValue("sortDescending", sort[1])
    s.sync()


def restore_window(window) -> None:
    """A `MainWindow`'s geometry, panes, columns and sort as last left."""
    sort = restore(window.settings, window, window.splitter, window.paper_list.table)
    if sort is not None:
        window.paper_list.state.sort = sort
    window.actions.show_sidebar.setChecked(not window.sidebar.isHidden())
    window.actions.show_details.setChecked(not window.detail.isHidden())


def save_window(window) -> None:
    """What `restore_window` reads, and the view the library was left in."""
    save(window.settings, window, window.splitter, window.paper_list.table,
         window.paper_list.state.sort)
    window.settings.setValue(view_key(window.library.folder), window.paper_list.state.view_key)
