"""The paper table's look: rows, selection, columns, their widths and the header's menu.

Title takes the free width. When the window is narrow the other columns give
way first (down to a floor each), so the title keeps about 40% of the table;
the rest is the person's choice: the header's context menu hides columns.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView

from readinglist.ui.paper_list.columns import WIDTHS, Columns
from readinglist.ui.paper_list.model import (
    COL_AUTHORS,
    COL_FIRST_SEEN,
    COL_RANK,
    COL_TITLE,
    COL_YEAR,
    HEADERS,
    PaperTableModel,
)


class PaperTable(QTableView):
    """The list of papers; ``columns`` keeps the title's share of its width."""

    def __init__(self) -> None:
        super().__init__()
        self.columns = Columns(self)


def paper_table(model: PaperTableModel) -> PaperTable:
    table = PaperTable()
    table.setObjectName("paperTable")
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setSortingEnabled(True)
    table.setWordWrap(False)
    table.setShowGrid(False)
    # Rows are picked whole: Tab leaves the list for the next pane instead of
    # walking its cells, so the keyboard is never trapped in the table.
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setMinimumSectionSize(28)
    header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
    header.moveSection(header.visualIndex(COL_RANK), 0)
    for offset, column in enumerate((COL_AUTHORS, COL_YEAR), start=2):  # after the title
        header.moveSection(header.visualIndex(column), offset)
    reset_columns(table)
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    header.customContextMenuRequested.connect(lambda pos: header_menu(table, pos))
    return table


def reset_columns(table: PaperTable) -> None:
    """Every column back to its width; all shown but "#" (shown by digests and searches)."""
    header = table.horizontalHeader()
    header.setSectionHidden(COL_RANK, True)
    header.resizeSection(COL_RANK, WIDTHS[COL_RANK][0])
    header.setSortIndicator(COL_FIRST_SEEN, Qt.SortOrder.DescendingOrder)
    table.columns.reset()


def header_menu(table: PaperTable, position=None) -> QMenu:
    """Right click on the header: the columns with check marks. Title always
    stays; "#" comes and goes by itself (digest views and searches show it); a
    column hidden for want of room says so."""
    header = table.horizontalHeader()
    menu = QMenu(header)
    menu.setObjectName("columnMenu")
    menu.setToolTipsVisible(True)
    for column in range(len(HEADERS)):
        if column in (COL_TITLE, COL_RANK):
            continue
        action = QAction(HEADERS[column], menu)
        action.setCheckable(True)
        action.setChecked(table.columns.shown(column))
        if column in table.columns.auto_hidden:
            action.setToolTip("Hidden for want of room: it comes back in a wider window")
        action.toggled.connect(lambda on, c=column: table.columns.set_shown(c, on))
        menu.addAction(action)
    if position is not None:
        menu.popup(header.mapToGlobal(position))
    return menu
