"""The detail pane's "Similar papers": five papers nearest to the one shown,
and for a paper in a list shown best first, the terms behind its place.

Filled from the suggestions' thread (`SuggestController`); a click, Enter or
double-click on a title goes to that paper.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from readinglist.core.suggest.suggestion import Suggestion


ROWS = 5
WAITING = "Finding similar papers…"
LEARNING = "Similar papers show once the words of the library are learnt…"
NONE_FOUND = "No similar papers in the library yet."


class SimilarList(QWidget):
    paperChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("similarPapers")
        self.why = QLabel()
        self.why.setObjectName("whySuggested")
        self.why.setWordWrap(True)
        self.why.setTextFormat(Qt.TextFormat.PlainText)  # terms come from a digest's words
        self.why.hide()
        self.note = QLabel(WAITING)
        self.note.setObjectName("similarNote")
        self.note.setWordWrap(True)
        self.note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.list = QListWidget()
        self.list.setObjectName("similarList")
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setUniformItemSizes(True)
        self.list.setFrameShape(QListWidget.Shape.NoFrame)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # wheel, keys
        self.list.setCursor(Qt.CursorShape.PointingHandCursor)
        # titles to click, as links are: the palette's link colour, some air
        self.list.setStyleSheet("QListWidget { background: transparent; }"
                                "QListWidget::item { padding: 2px 0px; }")
        self.list.setForegroundRole(QPalette.ColorRole.Link)
        self.list.itemClicked.connect(self._chosen)
        self.list.itemActivated.connect(self._chosen)
        # five rows when the pane has room; down to two (scrolling) when the
        # window is short, so the abstract keeps its lines
        row = self.fontMetrics().height() + 8
        self.list.setMaximumHeight(row * ROWS + 4)
        self.list.setMinimumHeight(row * 2 + 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.note)
        layout.addWidget(self.list)
        self.paper_id: int | None = None
        self.show_waiting(None)

    def show_waiting(self, paper_id: int | None, learning: bool = False) -> None:
        """A new paper is shown: its similar papers are on their way."""
        self.paper_id = paper_id
        self.list.clear()
        self.list.hide()
        self.note.setText(LEARNING if learning else WAITING)
        self.note.show()

    def show_similar(self, paper_id: int, found: Sequence[Suggestion]) -> None:
        if paper_id != self.paper_id:
            return  # an answer for a paper shown before
        self.list.clear()
        for suggestion in found[:ROWS]:
            paper = suggestion.paper
            item = QListWidgetItem(paper.title)  # plain text: never markup
            item.setData(Qt.ItemDataRole.UserRole, paper.id)
            item.setForeground(self.palette().color(QPalette.ColorRole.Link))
            item.setToolTip(f"{paper.title}\nlikeness {suggestion.score:.0%} · {paper.status}"
                            " — click to go to it")
            self.list.addItem(item)
        self.list.setVisible(bool(found))
        self.note.setText(NONE_FOUND)
        self.note.setVisible(not found)

    def show_why(self, paper_id: int, terms: Sequence[str]) -> None:
        if paper_id != self.paper_id:
            return
        self.why.setText("Suggested for: " + ", ".join(terms) if terms else "")
        self.why.setVisible(bool(terms))

    def hide_why(self) -> None:
        self.why.clear()
        self.why.hide()

    def ids(self) -> list[int]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.list.count())]

    def _chosen(self, item: QListWidgetItem) -> None:
        self.paperChosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))
