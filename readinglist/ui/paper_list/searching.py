"""The search box and the list: what is typed is searched a moment after the
typing stops, Esc gives the keys back to the list, and the line over the list
says when a query is not searched as typed."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer

from readinglist.core.library import Library
from readinglist.ui.paper_list.presenter import PaperList
from readinglist.ui.paper_list.search_box import SearchEdit
from readinglist.ui.tasks import TaskRunner

SEARCH_DELAY_MS = 250


class SearchControl(QObject):
    def __init__(self, edit: SearchEdit, papers: PaperList, library: Library, tasks: TaskRunner,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.edit = edit
        self._papers = papers
        self._library = library
        self._tasks = tasks
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        edit.textChanged.connect(lambda _text: self._timer.start())
        self._timer.timeout.connect(self.apply)
        edit.released.connect(self._released)

    def apply(self) -> None:
        """Search what the box holds now (the list shows its hits)."""
        typed = self.edit.text()
        if self._papers.search(typed):
            search = self._library.search
            self._tasks.read(lambda: (search.notice(typed) or search.behind()) if typed.strip()
                             else None, lambda text: self._show_notice(typed, text))

    def clear(self) -> None:
        """Back to the whole view, at once."""
        self.edit.clear()
        self._timer.stop()
        self.apply()

    def focus(self) -> None:
        """Ctrl+F: the keys to the search box, its text selected."""
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def escape_in_list(self) -> None:
        """Esc in the list: a search sorted by a column goes back to relevance, then
        the search is cleared."""
        if not self._papers.back_to_relevance() and self.edit.text():
            self.clear()

    def _show_notice(self, typed: str, text: str | None) -> None:
        if typed == self.edit.text():  # not an answer for what was typed before
            self._papers.show_notice(text)

    def _released(self) -> None:
        if self._timer.isActive():  # what was typed is searched now
            self._timer.stop()
            self.apply()
        self._papers.triage.focus_list()
