"""A line in the middle of an empty list, so an empty table is never a puzzle:
"No papers match “robto”", "Nothing unread: you are all caught up"."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QTableView

from readinglist.ui.paper_list.loader import TableRequest

_BY_STATUS = {
    "unread": "Nothing unread: you are all caught up",
    "skimmed": "No skimmed papers",
    "read": "No papers marked read yet",
}


def empty_text(request: TableRequest, typed: str) -> str:
    """``typed``: the search box's text (the request's query is rewritten for
    typing: "robo" is searched as "(robo OR robo*)")."""
    if request.query:
        typed = " ".join(typed.split()) or request.query
        shown = typed if len(typed) <= 60 else typed[:59] + "…"
        return f"No papers match “{shown}”\nEsc clears the search"
    view = request.view
    if view.status in _BY_STATUS:
        return _BY_STATUS[view.status]
    if view.min_seen:
        return "No paper has been in two digests yet"
    if view.batch is not None:
        return "The last import added no new papers"
    return "No papers in this view"


class EmptyListNote(QObject):
    def __init__(self, table: QTableView):
        super().__init__(table)
        self.table = table
        self.label = QLabel(table.viewport())
        self.label.setObjectName("emptyListNote")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # a query is never markup
        self.label.setEnabled(False)  # the palette's quiet, disabled text colour
        self.label.hide()
        table.viewport().installEventFilter(self)

    def show_for(self, request: TableRequest, rows: int, typed: str) -> None:
        if rows:
            self.label.hide()
            return
        self.label.setText(empty_text(request, typed))
        self._fit()
        self.label.show()

    def show_text(self, text: str) -> None:
        self.label.setText(text)
        self._fit()
        self.label.show()

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def _fit(self) -> None:
        self.label.setGeometry(self.table.viewport().rect())
