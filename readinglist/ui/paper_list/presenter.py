"""The paper list: which papers it shows (a view, a search, a sort), in which
order, where the selection is, and the line over it.

It owns the list's parts (the model, the table and its selection, the
delegates, the empty-list note, the view bar, the loader and the triage
keys) and hands them out; the window places them and wires them to the rest.
It never reaches back into the window: what it needs from outside comes as
callables (a status-bar message, paging the abstract, leaving an editor).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal

from readinglist.core.editing.effects import Effect
from readinglist.core.library import Filter, Library
from readinglist.ui.paper_list.empty_note import EmptyListNote
from readinglist.ui.paper_list.loader import ListLoader, TableRequest
from readinglist.ui.paper_list.model import COL_RANK, COL_TAGS, COL_TITLE, PaperTableModel
from readinglist.ui.paper_list.order import show_order
from readinglist.ui.paper_list.relevance_bar import RelevanceDelegate
from readinglist.ui.paper_list.selection import TableSelection
from readinglist.ui.paper_list.state import ListState
from readinglist.ui.paper_list.table import paper_table
from readinglist.ui.paper_list.tag_chips import TagChipDelegate
from readinglist.ui.paper_list.title_delegate import TitleDelegate
from readinglist.ui.paper_list.triage import Triage
from readinglist.ui.paper_list.view_bar import ViewBar
from readinglist.ui.resources import table_icon
from readinglist.ui.tasks import TaskRunner

ICONS = ("status-unread", "status-skimmed", "status-read", "code", "for-you")


class PaperList(QObject):
    selectionChanged = Signal()  # the selection or the current paper changed
    shown = Signal()  # a list was shown (a new one, or the same one refreshed)

    def __init__(self, library: Library, tasks: TaskRunner, *,
                 message: Callable[[str], None],
                 page_abstract: Callable[[], bool],
                 leave_editor: Callable[[], None],
                 waiting_note: Callable[[], str | None] = lambda: None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.library = library
        self._tasks = tasks
        self.state = ListState()
        self.model = PaperTableModel(library.papers.get_many,
                                     {name: table_icon(name) for name in ICONS}, self)
        self.table = paper_table(self.model)
        self.selection = TableSelection(self.table, self.model)
        self.title_delegate = TitleDelegate(self._title_spans, self.table)
        self.table.setItemDelegateForColumn(COL_TITLE, self.title_delegate)
        self.relevance_delegate = RelevanceDelegate(self.table)
        self.table.setItemDelegateForColumn(COL_RANK, self.relevance_delegate)
        self.tag_delegate = TagChipDelegate(self.table)
        self.table.setItemDelegateForColumn(COL_TAGS, self.tag_delegate)
        self.empty_note = EmptyListNote(self.table)
        self.view_bar = ViewBar()
        self.loader = ListLoader(library, tasks, self._show_ids)
        self.loader.rank_failed = lambda error: self.view_bar.set_notice(str(error))
        self.triage = Triage(library, tasks, self.table, self.model, self.selection,
                             page_abstract=page_abstract, leave_editor=leave_editor,
                             message=message)
        self._waiting_note = waiting_note  # why a ranked view cannot be shown yet, if so
        self._shown_request: TableRequest | None = None
        self.typed = ""  # the search box's text as typed (the query is rewritten for typing)
        # Where each view was left (its selected paper), to come back to it;
        # a view not seen yet opens at its top.
        self._places: dict[str, list[int]] = {}
        self._opening = False  # the next list shown is a view just chosen
        self.model.sortRequested.connect(self.sort_by)
        self._quiet = False  # rows moving under an edit: one selectionChanged at the end
        self.table.selectionModel().selectionChanged.connect(self._selection_moved)
        self.table.selectionModel().currentRowChanged.connect(self._selection_moved)

    # -- what the list shows ------------------------------------------------------------------
    @property
    def query(self) -> str:
        """The search shown (as typed: the last word may be a prefix)."""
        return self.state.query

    @property
    def shown_request(self) -> TableRequest | None:
        return self._shown_request

    def current_filter(self) -> Filter:
        return self.state.filter()

    def choose_view(self, key: str) -> None:
        """Show another view: where it was left, or at its top (a digest at its
        first unread paper; a ranked view at its best), never at the row the
        view it leaves had selected."""
        if self.model.rowCount():
            self._places[self.state.view_key] = self.selected_ids()[:1]
        self.state.choose_view(key)
        self._opening = True
        self.reload(select=self._places.get(key, []))

    def search(self, typed: str) -> bool:
        """Search what was typed ("lang" finds language while typing); False when
        that search is already shown."""
        self.typed = typed
        from readinglist.core.index.query import as_typed  # Whoosh: not before a search

        if not self.state.search(as_typed(typed)):
            return False
        self.title_delegate.forget()
        self.reload()
        return True

    def sort_by(self, key: str, descending: bool) -> None:
        self.state.sort_by(key, descending)
        self.reload()

    def back_to_relevance(self) -> bool:
        """Esc's first step in a search sorted by a column; False when there is none."""
        if self.state.back_to_relevance():
            self.reload()
            return True
        return False

    def reload(self, select: Sequence[int] | None = None) -> None:
        """Show the current view, search and sort (the newest request wins)."""
        request = self.state.request()
        keep = list(select) if select is not None else self.selected_ids()
        self.view_bar.show_for(self.state)
        if request != self._shown_request and self._wait_for_ranking(request):
            self._shown_request = None
        self.loader.request(request, keep)

    def follow_edit(self, effect: Effect) -> None:
        """An edit was saved: its rows are painted again and the papers that left
        this view leave the list, which otherwise stays as it is (its ids are
        not read again). A ranked list, a search whose text the edit changed, or
        a paper that came into the view (its place needs the whole list): read
        again, as after any change."""
        request = self._shown_request
        self.model.refresh(effect.papers)
        if (request is None or request.rank_by or (request.query and effect.text)
                or request != self.state.request()):
            self.reload()
            return
        papers = self.library.papers
        changed = sorted(effect.papers)
        if not changed:  # e.g. R on a paper read already: the list still moves on
            self._moved_on(request)
            return

        def still_in_view() -> set[int]:
            return set(papers.ids(request.view, within=changed))

        def show(still: set[int]) -> None:
            if request != self._shown_request:
                return  # another list is shown now: it was read after the edit
            if not request.query and any(self.model.row_of(i) is None for i in still):
                self.reload()  # e.g. an undo brought a paper back into this view
                return
            self._quiet = True
            try:
                self.model.remove([i for i in changed if i not in still])
            finally:
                self._quiet = False
            self._moved_on(request)

        self._tasks.read(still_in_view, show)

    def _moved_on(self, request: TableRequest) -> None:
        """After an edit shown in place: the selection where the keys left it."""
        place = self.triage.take_place()
        if place is not None:
            self._quiet = True
            try:
                self.triage.go_to(place, self.selected_ids())
            finally:
                self._quiet = False
        self.empty_note.show_for(request, self.model.rowCount(), self.typed)
        self.selectionChanged.emit()
        self.shown.emit()

    def _wait_for_ranking(self, request: TableRequest) -> bool:
        """A ranked view asked for while the features are first learnt: the list
        says so instead of showing the view it leaves."""
        note = self._waiting_note() if request.rank_by and not request.query else None
        if note is None:
            return False
        self.model.set_ids([])
        self.selectionChanged.emit()  # the detail pane shows no paper of the list it left
        self.empty_note.show_text(note)
        return True

    def _show_ids(self, ids: list[int], keep: Sequence[int], request: TableRequest) -> None:
        same_list = request == self._shown_request
        self._shown_request = request
        place = self.triage.take_place()
        opening, self._opening = self._opening, False
        shown = self.selected_ids() if self.model.rowCount() and not opening else keep
        scroll = self.table.verticalScrollBar().value()
        self.model.set_ids(ids)
        show_order(self.table, self.model, self.library, request, ids, self.loader.ranking)
        self.empty_note.show_for(request, len(ids), self.typed)
        if not request.query:
            self.view_bar.set_notice(self._ranking_notice(request))
        if place is not None:
            self.triage.go_to(place, shown)
        elif same_list:  # the list was refreshed, not changed: it stays where it was
            self.table.verticalScrollBar().setValue(scroll)
            if self.selection.select(shown, scroll=False):
                self.selection.ensure_visible()
        else:
            if opening and not [i for i in shown if self.model.row_of(i) is not None]:
                shown = self._top_of(ids, request)
            self.selection.select(shown)
        self.selectionChanged.emit()
        self.shown.emit()

    def _top_of(self, ids: list[int], request: TableRequest) -> list[int]:
        """Where a view opens: a digest in its own order at its first unread
        paper (one query over the digest's ids), any other at its first row."""
        if not ids:
            return []
        if request.view.digest is not None and not request.query and not request.rank_by:
            first = self.library.papers.first_with_status(ids, "unread")
            if first is not None:
                return [first]
        return ids[:1]

    def _ranking_notice(self, request: TableRequest) -> str | None:
        """The line over a ranked list: how it was ranked, when that matters."""
        ranking = self.loader.ranking
        if not request.rank_by or ranking is None:
            return None
        from readinglist.core.suggest.suggester import explain  # loaded by the ranking

        text = explain(ranking.method, ranking.positives)
        return text[0].upper() + text[1:] + "." if text else None

    def show_notice(self, text: str | None) -> None:
        self.view_bar.set_notice(text)

    def refit_columns(self) -> None:
        """After the columns were reset: the order's column as the list needs it."""
        if self._shown_request is not None:
            show_order(self.table, self.model, self.library, self._shown_request,
                       self.model.ids())

    def _selection_moved(self, *_args) -> None:
        if not self._quiet:
            self.selectionChanged.emit()

    # -- the selection -----------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        return self.selection.ids()

    def current_id(self) -> int | None:
        return self.selection.current_id()

    def go_to(self, paper_id: int) -> bool:
        """Select a paper of this list; False when the list does not hold it."""
        if self.model.row_of(paper_id) is None:
            return False
        self.selection.select([paper_id])
        return True

    def _title_spans(self, title: str) -> list[tuple[int, int]]:
        query = self.state.query
        return self.library.search.spans(query, title) if query else []
