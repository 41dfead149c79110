"""The paper the detail pane shows, and what acts on it alone: its detail read
when the selection changes (one paper: small enough for the GUI thread), the
actions that need a selection enabled or not, Edit Details, Copy Key."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from readinglist.core.library import Library
from readinglist.ui.actions.edits import EditCommands
from readinglist.ui.actions.menus import Actions
from readinglist.ui.detail.pane import DetailPane
from readinglist.ui.dialogs.details import DetailsDialog
from readinglist.ui.paper_list.presenter import PaperList


class ShownPaper:
    def __init__(self, library: Library, papers: PaperList, detail: DetailPane,
                 actions: Actions, commands: EditCommands, *,
                 similar: Callable[[int], None], dialog_parent: QWidget):
        self._library = library
        self._papers = papers
        self._detail = detail
        self._actions = actions
        self._commands = commands
        self._similar = similar  # look up the similar papers of the one shown
        self._parent = dialog_parent

    def selection_changed(self) -> None:
        paper_id = self._papers.current_id()
        if paper_id is None or not self._papers.selection.count():
            self._detail.show_paper(None)
        else:
            self.show(paper_id)
        self.update_actions()

    def show(self, paper_id: int) -> None:
        papers = self._library.papers.get_many([paper_id])
        if not papers:
            self._detail.show_paper(None)
            return
        paper = papers[0]
        query = self._papers.query
        spans = self._library.search.spans(query, paper.abstract) if query else []
        self._detail.show_paper(paper, self._library.papers.appearances(paper_id),
                                max(1, self._papers.selection.count()), spans)
        self._similar(paper_id)

    def update_actions(self) -> None:
        """The actions that need a selected paper, enabled when there is one."""
        has = self._papers.selection.count() > 0
        a = self._actions
        for action in (a.mark_read, a.mark_skimmed, a.mark_unread, a.dismiss, a.delete,
                       a.edit_tags,
                       a.edit_note, a.copy_key, a.open_link, a.open_pdf, a.edit_details,
                       a.lookup):
            action.setEnabled(has)

    def focus_editor(self, widget: QWidget) -> None:
        if self._detail.paper is not None:
            widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def edit_details(self) -> None:
        """Paper ▸ Edit Details… for the paper shown."""
        paper = self._detail.paper
        if paper is None:
            return
        dialog = DetailsDialog(paper, self._parent)
        if dialog.exec():
            self._commands.set_details(paper.id, dialog.typed())
        self._parent.activateWindow()  # the dialog closed: the keys go back to the list
        self._papers.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def copy_citekey(self) -> None:
        """Copy the key of the paper shown; it has left the library: pinned."""
        paper = self._detail.paper
        if paper is not None:
            self._detail.copy_citekey()
            self._commands.pin_keys([paper.id])
