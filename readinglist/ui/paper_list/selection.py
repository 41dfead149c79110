"""The paper table's selection in paper ids: read it, set it, step through it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QTableView

from readinglist.ui.paper_list.model import PaperTableModel

# Rows kept in sight above and below the current one when the list scrolls, so
# the next paper is always visible before you move to it (as in a mail reader).
CONTEXT_ROWS = 2


class TableSelection:
    def __init__(self, table: QTableView, model: PaperTableModel):
        self.table = table
        self.model = model

    def spans(self) -> list[tuple[int, int]]:
        """The selected rows as (first, last) spans, in order, merged: as many as
        the person made, however many rows they hold (Ctrl+A is one span)."""
        ranges = sorted((r.top(), r.bottom()) for r in self.table.selectionModel().selection())
        merged: list[tuple[int, int]] = []
        for top, bottom in ranges:
            if merged and top <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], bottom))
            else:
                merged.append((top, bottom))
        return merged

    def count(self) -> int:
        """How many papers are selected, without listing them."""
        return sum(bottom - top + 1 for top, bottom in self.spans())

    def ids(self) -> list[int]:
        """The selected papers, in table order."""
        shown = self.model.snapshot()
        return [paper_id for top, bottom in self.spans() for paper_id in shown[top:bottom + 1]]

    def current_id(self) -> int | None:
        """The paper the detail pane shows: the one selected, else the current row."""
        spans = self.spans()
        shown = self.model.snapshot()
        if len(spans) == 1 and spans[0][0] == spans[0][1] and spans[0][0] < len(shown):
            return shown[spans[0][0]]  # the current index can lag behind a selection
        index = self.table.selectionModel().currentIndex()  # made in code (selectRow)
        if index.isValid() and index.row() < len(shown):
            return shown[index.row()]
        return shown[spans[0][0]] if spans and spans[0][0] < len(shown) else None

    def select(self, ids: Sequence[int], scroll: bool = True) -> bool:
        """Select these papers (or the first row if none is shown); False if
        the table is empty. ``scroll``: bring the first of them into view."""
        selection = self.table.selectionModel()
        rows = [r for r in (self.model.row_of(i) for i in ids) if r is not None]
        if not rows and self.model.rowCount() > 0:
            rows = [0]
        if not rows:
            return False
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in rows:
            selection.select(self.model.index(row, 0), flags)
        selection.setCurrentIndex(self.model.index(rows[0], 0),
                                  QItemSelectionModel.SelectionFlag.NoUpdate)
        if scroll:
            self.table.scrollTo(self.model.index(rows[0], 0))
            self.reveal(rows[0])
        return True

    def reveal(self, row: int) -> None:
        """Bring ``row`` into sight with CONTEXT_ROWS on either side, scrolling
        as little as that needs (not at all if they are in sight already)."""
        last = self.model.rowCount() - 1
        if row < 0 or row > last:
            return
        hint = QTableView.ScrollHint.EnsureVisible
        for near in (min(last, row + CONTEXT_ROWS), max(0, row - CONTEXT_ROWS), row):
            self.table.scrollTo(self.model.index(near, 0), hint)

    def ensure_visible(self) -> None:
        """Scroll only if the current row is out of sight (the list stays put otherwise)."""
        index = self.table.selectionModel().currentIndex()
        if index.isValid():
            self.reveal(index.row())

    def step(self, step: int) -> None:
        """Move the current row by ``step`` (J / K), selecting only it."""
        rows = self.model.rowCount()
        if not rows:
            return
        index = self.table.selectionModel().currentIndex()
        row = min(rows - 1, max(0, (index.row() if index.isValid() else -1) + step))
        self.table.selectRow(row)
        self.reveal(row)
        self.table.setFocus()
