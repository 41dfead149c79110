"""The paper table's look: rows, selection, columns, their widths and the header's menu.

Title takes the free width. When the window is narrow the other columns give
way first (down to a floor each), so the title keeps about 40% of the table;
the rest is the person's choice: the header's context menu hides columns.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView

from readinglist.ui.paper_list.model import (
    COL_CODE,
    COL_FIRST_SEEN,
    COL_RANK,
    COL_STATUS,
    COL_TAGS,
    COL_TIMES_SEEN,
    COL_TITLE,
    HEADERS,
    PaperTableModel,
)

# (preferred width, floor) of every column but the title
# (floors: the header's own word still reads)
WIDTHS = {COL_FIRST_SEEN: (100, 100), COL_TIMES_SEEN: (46, 44), COL_TAGS: (110, 48),
          COL_STATUS: (40, 34), COL_CODE: (40, 34), COL_RANK: (48, 40)}
TITLE_SHARE = 0.4


def paper_table(model: PaperTableModel) -> QTableView:
    table = QTableView()
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
    reset_columns(table)
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    header.customContextMenuRequested.connect(lambda pos: header_menu(table, pos))
    table._fitter = _ColumnFitter(table)
    return table


def reset_columns(table: QTableView) -> None:
    """Every column back to its width; all shown but "#" (shown by digests and searches)."""
    header = table.horizontalHeader()
    for column, (width, _floor) in WIDTHS.items():
        header.resizeSection(column, width)
        header.setSectionHidden(column, False)
    header.setSectionHidden(COL_RANK, True)
    header.setSortIndicator(COL_FIRST_SEEN, Qt.SortOrder.DescendingOrder)


def header_menu(table: QTableView, position=None) -> QMenu:
    """Right click on the header: the columns with check marks. Title always
    stays; "#" comes and goes by itself (digest views and searches show it)."""
    header = table.horizontalHeader()
    menu = QMenu(header)
    menu.setObjectName("columnMenu")
    for column in range(len(HEADERS)):
        if column in (COL_TITLE, COL_RANK):
            continue
        action = QAction(HEADERS[column], menu)
        action.setCheckable(True)
        action.setChecked(not header.isSectionHidden(column))
        action.toggled.connect(lambda on, c=column: _show_column(table, c, on))
        menu.addAction(action)
    if position is not None:
        menu.popup(header.mapToGlobal(position))
    return menu


def _show_column(table: QTableView, column: int, shown: bool) -> None:
    header = table.horizontalHeader()
    header.setSectionHidden(column, not shown)
    if shown and header.sectionSize(column) < WIDTHS[column][1]:
        header.resizeSection(column, WIDTHS[column][0])
    table._fitter.fit()


class _ColumnFitter(QObject):
    """On every resize: shrink the other columns (never below their floor) until
    the title has its share of the width."""

    def __init__(self, table: QTableView):
        super().__init__(table)
        self.table = table
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        header = self.table.horizontalHeader()
        width = self.table.viewport().width()
        shown = [c for c in WIDTHS if not header.isSectionHidden(c)]
        fixed = [c for c in shown if c == COL_RANK]  # sized to its header word, kept
        others = sum(header.sectionSize(c) for c in shown)
        budget = int(width * (1 - TITLE_SHARE))
        if others <= budget:
            return
        for column in sorted((c for c in shown if c not in fixed),
                             key=lambda c: WIDTHS[c][0] - WIDTHS[c][1], reverse=True):
            floor = WIDTHS[column][1]
            spare = header.sectionSize(column) - floor
            cut = min(spare, others - budget)
            if cut > 0:
                header.resizeSection(column, header.sectionSize(column) - cut)
                others -= cut
            if others <= budget:
                return
