"""The window's widgets that need only building: the search box, the middle
column, the three panes, the status bar's permanent widgets."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStatusBar,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from readinglist.ui.paper_list.search_box import SEARCH_HELP, SearchEdit


def tool_bar(window: QMainWindow, import_action: QAction, search: QWidget) -> QToolBar:
    """The one tool bar: Import, then the search box."""
    bar = window.addToolBar("Main")
    bar.setObjectName("mainToolbar")
    bar.setMovable(False)
    bar.addAction(import_action)
    bar.addSeparator()
    bar.addWidget(search)
    return bar


def search_box() -> SearchEdit:
    edit = SearchEdit()
    edit.setObjectName("searchEdit")
    edit.setPlaceholderText("Search titles, abstracts, notes, tags   (Ctrl+F)")
    edit.setClearButtonEnabled(True)
    edit.setToolTip(SEARCH_HELP)
    edit.setMinimumWidth(300)
    # Only a click or Ctrl+F gives the search box the keys: never the window
    # opening, nor Tab on its way from the sidebar to the list.
    edit.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    return edit


def middle_column(*widgets: QWidget) -> QWidget:
    """The import banner over the list (the last widget takes the height)."""
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    for widget in widgets[:-1]:
        layout.addWidget(widget)
    layout.addWidget(widgets[-1], 1)
    return column


def panes(sidebar: QWidget, middle: QWidget, detail: QWidget) -> QSplitter:
    splitter = QSplitter()
    splitter.setObjectName("mainSplitter")
    for pane in (sidebar, middle, detail):
        splitter.addWidget(pane)
    splitter.setStretchFactor(1, 3)
    splitter.setStretchFactor(2, 2)
    splitter.setChildrenCollapsible(False)
    sidebar.setMinimumWidth(150)
    detail.setMinimumWidth(280)
    return splitter


def status_widgets(status: QStatusBar) -> StatusWidgets:
    """The status bar's permanent widgets, at its right."""
    found = StatusWidgets(QLabel(), QProgressBar(), QPushButton("Cancel"), QLabel(), QLabel(),
                          QPushButton("Cancel"))
    found.count.setObjectName("countLabel")
    found.learning.setObjectName("suggestProgress")
    found.learning.hide()
    found.progress.setObjectName("importProgress")
    found.progress.setMaximumWidth(360)
    found.progress.setTextVisible(True)
    found.cancel_import.setObjectName("importCancel")
    found.lookup.setObjectName("lookupProgress")
    found.cancel_lookup.setObjectName("lookupCancel")
    for widget in (found.learning, found.lookup, found.cancel_lookup, found.progress,
                   found.cancel_import, found.count):
        status.addPermanentWidget(widget)
    return found


@dataclass(frozen=True)
class StatusWidgets:
    count: QLabel  # "12 of 87 unread in 06 Aug 2026"
    progress: QProgressBar  # an import's
    cancel_import: QPushButton
    learning: QLabel  # the suggestions' features, learnt
    lookup: QLabel  # a lookup on arXiv
    cancel_lookup: QPushButton
