"""The quiet row over the list: a line about the list (a query not searched
as typed, how a ranking was made), and on the right the "Best first" sort of
the Unread, digest and suggestion views, and in a tag's suggestions the button
that adds the tag (T)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from readinglist.ui.paper_list.state import ListState
from readinglist.ui.resources import icon


class ViewBar(QWidget):
    bestFirstToggled = Signal(bool)
    addTagRequested = Signal()
    searchAllRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("viewBar")
        self.notice = QLabel()
        self.notice.setObjectName("searchNotice")
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setWordWrap(True)
        font = self.notice.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        self.notice.setFont(font)
        self.notice.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.notice.hide()
        self.add_tag = QToolButton()
        self.add_tag.setObjectName("addSuggestedTag")
        self.add_tag.setIcon(icon("tag"))
        self.add_tag.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.add_tag.clicked.connect(self.addTagRequested)
        # Not in the Tab chain between the sidebar and the list (as tool bar
        # buttons are not): their keys are T and Ctrl+B.
        self.add_tag.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.add_tag.hide()
        self.best_first = QToolButton()
        self.best_first.setObjectName("bestFirst")
        self.best_first.setText("Best first")
        self.best_first.setIcon(icon("for-you"))
        self.best_first.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.best_first.setCheckable(True)
        self.best_first.setToolTip("Sort the list by likeness to the papers you read, skimmed, "
                                   "tagged or wrote a note on (Ctrl+B)")
        self.best_first.toggled.connect(self._toggled)
        self.best_first.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.best_first.hide()
        # A search looks in the view shown: the line says so, as a mail reader
        # offers "search all folders" (a click, or Ctrl+Shift+F).
        self.scope = QLabel()
        self.scope.setObjectName("searchScope")
        self.scope.setTextFormat(Qt.TextFormat.PlainText)
        self.scope.hide()
        self.search_all = QToolButton()
        self.search_all.setObjectName("searchAll")
        self.search_all.setText("Search all papers")
        self.search_all.setToolTip("Search the whole library instead (Ctrl+Shift+F)")
        self.search_all.setAutoRaise(True)
        self.search_all.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.search_all.clicked.connect(self.searchAllRequested)
        self.search_all.hide()
        self.label_for: Callable[[str], str] = lambda key: key  # a view's name (the sidebar's)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 2, 0)
        layout.setSpacing(6)
        layout.addWidget(self.scope)
        layout.addWidget(self.search_all)
        layout.addWidget(self.notice, 1)
        layout.addStretch(0)
        layout.addWidget(self.add_tag)
        layout.addWidget(self.best_first)
        self._silent = False
        self.hide()

    def show_for(self, state: ListState) -> None:
        """The buttons this list has, in their state."""
        self._silent = True
        try:
            self.best_first.setVisible(state.can_rank and not state.query)
            self.best_first.setChecked(state.ranked)
        finally:
            self._silent = False
        scoped = bool(state.query) and state.view_key != "all"
        if scoped:
            self.scope.setText(f"In {self.label_for(state.view_key)} —")
        self.scope.setVisible(scoped)
        self.search_all.setVisible(scoped)
        tag = state.like_tag
        self.add_tag.setVisible(tag is not None)
        if tag is not None:
            self.add_tag.setText(f"Add “{tag}”")
            self.add_tag.setToolTip(f"Tag the selected papers “{tag}” and go on to the next (T)")
        self._fit()

    def set_notice(self, text: str | None) -> None:
        self.notice.setText(text or "")
        self.notice.setVisible(bool(text))
        self._fit()

    def _toggled(self, on: bool) -> None:
        if not self._silent:
            self.bestFirstToggled.emit(on)

    def _fit(self) -> None:
        self.setVisible(any(not w.isHidden() for w in (self.notice, self.add_tag,
                                                        self.best_first, self.search_all)))
