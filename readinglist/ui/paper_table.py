"""The paper table's look: rows, selection, columns and their widths."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from readinglist.ui.paper_model import COL_TITLE, HEADERS, PaperTableModel


def paper_table(model: PaperTableModel) -> QTableView:
    table = QTableView()
    table.setObjectName("paperTable")
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setSortingEnabled(True)
    table.setWordWrap(False)
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(
        table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
    header.setHighlightSections(False)
    for column, width in zip(range(1, len(HEADERS)), (100, 48, 110, 86, 48), strict=True):
        header.resizeSection(column, width)
    header.setSortIndicator(1, Qt.SortOrder.DescendingOrder)
    return table
