"""What the paper list does with a right click, the Menu key, Shift+F10,
Home / End, Enter and Esc.

The context menu appears for a right click on a row (the row joins the
selection, as in a mail reader) and for Shift+F10 / the Menu key (at the
current row). Enter and double-click open the paper's page.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QUrl
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import QMenu, QTableView

from readinglist.core.library import Library
from readinglist.core.sources.links import code_link
from readinglist.core.views import PaperView
from readinglist.ui.actions.edits import EditCommands
from readinglist.ui.actions.menus import Actions
from readinglist.ui.browser import open_link, paper_page, pdf_link, searches
from readinglist.ui.paper_list.menu import MenuCalls, paper_menu
from readinglist.ui.paper_list.selection import TableSelection
from readinglist.ui.tasks import TaskRunner


class PaperInteractions(QObject):
    def __init__(self, table: QTableView, selection: TableSelection, library: Library,
                 tasks: TaskRunner, actions: Actions, commands: EditCommands, *,
                 recent_tags: Callable[[], list[str]], escape: Callable[[], None],
                 message: Callable[[str], None]):
        super().__init__(table)
        self.table, self.selection, self.library, self.tasks = table, selection, library, tasks
        self.actions, self.commands = actions, commands
        self._recent_tags, self._escape, self._message = recent_tags, escape, message
        self.menu: QMenu | None = None  # the one shown last (tests look at it)
        table.installEventFilter(self)
        table.viewport().installEventFilter(self)
        table.activated.connect(lambda _index: self.open_link())
        actions.open_link.triggered.connect(self.open_link)
        actions.open_pdf.triggered.connect(self.open_pdf)

    def eventFilter(self, watched, event):
        kind = event.type()
        if kind == QEvent.Type.ContextMenu and watched in (self.table, self.table.viewport()):
            self._context_menu(event, watched is self.table.viewport())
            return True
        if kind == QEvent.Type.KeyPress and watched is self.table:
            return self._key(event)
        return False

    def _key(self, event) -> bool:
        key, shift = event.key(), event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        if key == Qt.Key.Key_Escape:
            self._escape()
            return True
        if key == Qt.Key.Key_F10 and shift:  # Qt sends no context menu event for it
            self._menu_at_current()
            return True
        if key in (Qt.Key.Key_Home, Qt.Key.Key_End) and not shift:
            # as in a mail reader: the first or the last paper, with or without
            # Ctrl (a table's own Home goes to the first column of the row)
            rows = self.table.model().rowCount()
            if rows:
                row = 0 if key == Qt.Key.Key_Home else rows - 1
                self.selection.select([self.table.model().id_at(row)])
            return True
        return False

    # -- the context menu --------------------------------------------------------------------
    def _context_menu(self, event: QContextMenuEvent, on_viewport: bool) -> None:
        viewport = self.table.viewport()
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            position = event.pos() if on_viewport else viewport.mapFromGlobal(event.globalPos())
            index = self.table.indexAt(position)
            if not index.isValid():
                return
            if index.row() not in {i.row() for i in self.table.selectionModel().selectedRows()}:
                self.table.selectRow(index.row())
        else:  # the Menu key
            self._menu_at_current()
            return
        self.show_menu(viewport.mapToGlobal(position))

    def _menu_at_current(self) -> None:
        """Shift+F10 and the Menu key: the menu at the current row."""
        current = self.table.currentIndex()
        if not current.isValid():
            return
        rect = self.table.visualRect(current)
        self.show_menu(self.table.viewport().mapToGlobal(QPoint(rect.left() + 24,
                                                                rect.bottom())))

    def show_menu(self, global_position: QPoint) -> None:
        """The menu of the selection, once its tags are read (on the reader
        thread: a selection can be the whole library)."""
        ids = self.selection.ids()
        if ids:
            papers = self.library.papers
            self.tasks.read(lambda: papers.summary(ids),
                            lambda summary: self._popup(summary, global_position))

    def _popup(self, summary, global_position: QPoint) -> None:
        calls = MenuCalls(
            add_tag=lambda name: self.commands.change_tags(add=[name]),
            remove_tag=lambda name: self.commands.change_tags(remove=[name]),
            open_code=self.open_code, copy_bibtex=self.copy_bibtex)
        if self.menu is not None:
            self.menu.deleteLater()
        self.menu = paper_menu(self.table, self.actions, summary, self._recent_tags(), calls)
        self.menu.popup(global_position)

    # -- links and copies ----------------------------------------------------------------------
    def _current(self) -> PaperView | None:
        paper_id = self.selection.current_id()
        papers = self.library.papers.get_many([paper_id]) if paper_id is not None else []
        return papers[0] if papers else None

    def open_link(self) -> None:
        """Enter, double-click, Paper ▸ Open Link: the paper's arXiv page when its
        id is known, else its own page; with none, searches to choose from."""
        paper = self._current()
        if paper is None:
            return
        url = paper_page(paper)
        if url is None:
            self.show_searches(paper)
        elif not open_link(QUrl(url)):
            self._message(f"Could not open {url}")

    def open_pdf(self) -> None:
        """Paper ▸ Open PDF: its PDF address, else arXiv's PDF of its id."""
        paper = self._current()
        if paper is None:
            return
        url = pdf_link(paper)
        if url is None:
            self._message("No PDF is known for this paper: Paper ▸ Look Up on arXiv may "
                          "find one.")
        elif not open_link(QUrl(url)):
            self._message(f"Could not open {url}")

    def show_searches(self, paper: PaperView) -> QMenu:
        """A paper with no link: searches for its title, opened in the browser
        (nothing is fetched by Readinglist)."""
        menu = QMenu(self.table)
        menu.setObjectName("searchesMenu")
        for text, url in searches(paper.title):
            menu.addAction(text).triggered.connect(lambda _=False, u=url: open_link(QUrl(u)))
        current = self.table.currentIndex()
        rect = self.table.visualRect(current) if current.isValid() else self.table.rect()
        if self.menu is not None:
            self.menu.deleteLater()
        self.menu = menu
        menu.popup(self.table.viewport().mapToGlobal(QPoint(rect.left() + 24, rect.bottom())))
        self._message("This paper has no link of its own: search for its title?")
        return menu

    def open_code(self) -> None:
        paper = self._current()
        url = code_link(paper.links) if paper is not None else None
        if url is not None and not open_link(QUrl(url)):
            self._message(f"Could not open {url}")

    def copy_bibtex(self) -> None:
        ids = self.selection.ids()
        if ids:
            export = self.library.export
            self.tasks.long(lambda: export.bibtex(ids), self._copied(len(ids)))

    def _copied(self, count: int):
        def done(text: str) -> None:
            QGuiApplication.clipboard().setText(text)
            self._message(f"Copied {count} BibTeX entr{'y' if count == 1 else 'ies'}.")
        return done
