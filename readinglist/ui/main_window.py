"""The main window: layout and wiring. The work happens in the core Library."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from readinglist.core.library import Filter, Library
from readinglist.core.search import as_typed
from readinglist.ui import window_layout, window_state
from readinglist.ui.actions import Actions
from readinglist.ui.commands import EditCommands
from readinglist.ui.detail_pane import DetailPane
from readinglist.ui.digest_actions import DigestActions
from readinglist.ui.empty_list import EmptyListNote
from readinglist.ui.empty_state import empty_state
from readinglist.ui.exporting import ExportController
from readinglist.ui.importing import DropOverlay, DropTarget, ImportController, ImportSummary
from readinglist.ui.list_order import count_text, show_order
from readinglist.ui.list_state import ListState
from readinglist.ui.maintenance_dialogs import MaintenanceActions
from readinglist.ui.paper_model import COL_RANK, COL_TITLE, PaperTableModel
from readinglist.ui.paper_table import paper_table
from readinglist.ui.relevance_bar import RelevanceDelegate
from readinglist.ui.resources import app_icon, table_icon
from readinglist.ui.search_controller import SearchController, TableRequest
from readinglist.ui.sidebar import Sidebar, read_sidebar
from readinglist.ui.suggest_controller import SuggestController
from readinglist.ui.suggest_views import SuggestionViews
from readinglist.ui.table_events import PaperInteractions
from readinglist.ui.table_selection import TableSelection
from readinglist.ui.tasks import TaskRunner
from readinglist.ui.title_delegate import TitleDelegate
from readinglist.ui.triage import Triage
from readinglist.ui.view_bar import ViewBar
from readinglist.ui.window_refresh import show_library_state
from readinglist.ui.window_wiring import connect_actions, connect_detail_pane

SEARCH_DELAY_MS = 250
COMPACT_AFTER = 200  # an edit of more papers may leave the index worth compacting

class MainWindow(QMainWindow):
    def __init__(self, library: Library, settings: QSettings):
        super().__init__()
        self.library = library
        self.settings = settings
        self.tasks = TaskRunner(self)
        self.tasks.error.connect(self._show_error)
        self.owns_library = False
        self.list = ListState()
        self._shown_request: TableRequest | None = None
        self.recent_tags: list[str] = []
        self._paper_count = 0
        self.setWindowTitle(f"Readinglist — {library.folder.name}")
        self.setWindowIcon(app_icon())
        self.actions = Actions(self)
        self.commands = EditCommands(
            library, self.tasks, self, selection=self.selected_ids, changed=self._edited,
            history_changed=self.actions.show_history,
            message=lambda text: self.statusBar().showMessage(text, 6000),
            moving_on=lambda ids: self.triage.expect(self.triage.place_after(ids)))
        self.loader = SearchController(library, self.tasks, self._show_ids)
        self.exporter = ExportController(self, library, self.tasks, settings,
                                         lambda text: self.statusBar().showMessage(text, 6000))
        self._build()
        self.suggestions = SuggestController(
            library, self.tasks, self.detail.similar, self.learning_label,
            lambda: self.loader.ranking, lambda text: self.statusBar().showMessage(text, 8000),
            self)
        self.suggest_views = SuggestionViews(self)
        self._connect()
        self._restore_settings()
        self.refresh(initial=True)
        self.commands.recover_notes()
        # today's backup, off the start-up path; the search cache warmed meanwhile
        self.tasks.long(self.library.maintenance.backup_if_due)
        self.tasks.upkeep(self.library.search.warm)
        self.suggestions.prepare()  # the features, read or learnt, on their own thread

    # -- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.actions.import_)
        toolbar.addSeparator()
        self.search_edit = window_layout.search_box()
        toolbar.addWidget(self.search_edit)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)

        self.sidebar = Sidebar()
        self.model = PaperTableModel(self.library.papers.get_many, {
            name: table_icon(name)
            for name in ("status-unread", "status-skimmed", "status-read", "code", "for-you")
        }, self)
        self.table = paper_table(self.model)
        self.selection = TableSelection(self.table, self.model)
        self.title_delegate = TitleDelegate(self._title_spans, self.table)
        self.empty_note = EmptyListNote(self.table)
        self.table.setItemDelegateForColumn(COL_TITLE, self.title_delegate)
        self.relevance_delegate = RelevanceDelegate(self.table)
        self.table.setItemDelegateForColumn(COL_RANK, self.relevance_delegate)

        self.empty = empty_state(self.actions.import_, self.actions.import_sample)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.summary = ImportSummary()
        self.view_bar = ViewBar()
        self.search_notice = self.view_bar.notice

        self.detail = DetailPane()
        self.triage = Triage(self.library, self.table, self.model, self.selection, self.detail,
                             lambda text: self.statusBar().showMessage(text, 4000))
        self.splitter = window_layout.panes(
            self.sidebar, window_layout.middle_column(self.summary, self.view_bar,
                                                      self.stack), self.detail)
        self.setCentralWidget(self.splitter)

        self._build_status_bar()

    def _build_status_bar(self) -> None:
        (self.count_label, self.progress, self.cancel_import,
         self.learning_label) = window_layout.status_widgets(self.statusBar())
        self.importer = ImportController(
            self.library, self.tasks, self.progress, self.cancel_import, self.summary, self)
        self.overlay = DropOverlay(self)
        self.drops = DropTarget(self, self.overlay, self.importer.start)

    def _connect(self) -> None:
        a = self.actions
        c = self.commands
        connect_actions(self)
        connect_detail_pane(self)
        self.interactions = PaperInteractions(
            self.table, self.selection, self.library, a, c,
            recent_tags=lambda: self.recent_tags, escape=self._escape_in_list,
            message=lambda text: self.statusBar().showMessage(text, 6000))
        # kept on the window: a signal holds only a weak reference to a bound method
        self.tools = MaintenanceActions(
            self, self.library, self.tasks, self.statusBar().showMessage,
            before_restore=self.detail.flush_note, after_restore=self._restored)
        a.reindex.triggered.connect(self.tools.reindex)
        a.check.triggered.connect(self.tools.check)
        a.restore.triggered.connect(self.tools.restore)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self._search_timer.timeout.connect(self._apply_search)
        self.sidebar.viewChosen.connect(self.set_view)
        views = self.suggest_views
        self.sidebar.suggestForTagRequested.connect(views.suggest_for_tag)
        self.view_bar.bestFirstToggled.connect(views.choose_best_first)
        self.view_bar.addTagRequested.connect(views.tag_key)
        a.best_first.triggered.connect(views.toggle_best_first)
        self.detail.similar.paperChosen.connect(views.go_to_paper)
        self.loader.rank_failed = lambda error: self.view_bar.set_notice(str(error))
        self.sidebar.renameTagRequested.connect(self.rename_tag)
        self.sidebar.deleteTagRequested.connect(c.delete_tag)
        self.digest_actions = DigestActions(
            self, self.library, self.sidebar, c, self.exporter,
            lambda text: self.statusBar().showMessage(text, 6000))
        self.search_edit.released.connect(self._search_released)
        self.summary.showNewRequested.connect(lambda: self.sidebar.select_key("new"))
        self.model.sortRequested.connect(self._sort_requested)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.selectionModel().currentRowChanged.connect(self._selection_changed)
        self.importer.finished.connect(self._import_finished)
        self._update_actions()
        c.refresh_history()
        a.edit_menu.aboutToShow.connect(c.refresh_history)  # a terminal may have edited

    # -- views, search, sorting -----------------------------------------------------------
    def set_view(self, key: str) -> None:
        self.list.choose_view(key)
        # saved at once, not only on quit: a crash or a kill still reopens here
        self.settings.setValue(window_state.view_key(self.library.folder), key)
        self.reload()

    def _apply_search(self) -> None:
        # "lang" finds language while typing
        typed = self.search_edit.text()
        if self.list.search(as_typed(typed)):
            self.title_delegate.forget()
            self.reload()
            search = self.library.search
            self.tasks.read(lambda: (search.notice(typed) or search.behind()) if typed.strip()
                            else None, lambda text: self._show_notice(typed, text))

    def _show_notice(self, typed: str, text: str | None) -> None:
        if typed != self.search_edit.text():
            return  # an answer for what was typed before
        self.view_bar.set_notice(text)

    def _sort_requested(self, key: str, descending: bool) -> None:
        self.list.sort_by(key, descending)
        self.reload()

    @property
    def query(self) -> str:
        """The search the table shows (as typed: the last word may be a prefix)."""
        return self.list.query

    def current_filter(self) -> Filter:
        return self.list.filter()

    def reload(self, select: Sequence[int] | None = None) -> None:
        """Show the current view, search and sort (the newest request wins)."""
        request = self.list.request()
        keep = list(select) if select is not None else self.selected_ids()
        self.view_bar.show_for(self.list)
        if request != self._shown_request and self.suggest_views.waiting(request):
            self._shown_request = None
        self.loader.request(request, keep)

    def _show_ids(self, ids: list[int], keep: Sequence[int], request: TableRequest) -> None:
        same_list = request == self._shown_request
        self._shown_request = request
        place = self.triage.take_place()
        shown = self.selected_ids() if self.model.rowCount() else keep
        scroll = self.table.verticalScrollBar().value()
        self.model.set_ids(ids)
        show_order(self.table, self.model, self.library, request, ids, self.loader.ranking)
        self.empty_note.show_for(request, len(ids), self.search_edit.text())
        if not request.query:
            self.view_bar.set_notice(self.suggest_views.notice(request))
        if place is not None:
            if self.triage.go_to(place, shown):
                self._selection_changed()
            else:
                self.detail.show_paper(None)
        elif same_list:  # the list was refreshed, not changed: it stays where it was
            self.table.verticalScrollBar().setValue(scroll)
            if self.selection.select(shown, scroll=False):
                self.selection.ensure_visible()
                self._selection_changed()
            else:
                self.detail.show_paper(None)
        else:
            self._select_ids(shown)
        self._update_count()

    def _select_ids(self, ids: Sequence[int]) -> None:
        if self.selection.select(ids):
            self._selection_changed()
        else:
            self.detail.show_paper(None)

    def refresh(self, initial: bool = False, select: Sequence[int] | None = None) -> None:
        """Reload the sidebar's counts and the table (after imports and edits)."""
        library = self.library
        self.tasks.read(lambda: read_sidebar(library),
                        lambda result: show_library_state(self, result, initial, select))

    def _update_count(self) -> None:
        self.count_label.setText(count_text(
            self.model.rowCount(), len(self.selected_ids()), bool(self.list.query),
            self.sidebar.digests.get(self.current_filter().digest)))

    # -- selection and detail --------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        return self.selection.ids()

    def current_id(self) -> int | None:
        return self.selection.current_id()

    def _selection_changed(self, *_args) -> None:
        paper_id = self.current_id()
        if paper_id is None or not self.selected_ids():
            self.detail.show_paper(None)
        else:
            self.show_detail(paper_id)
        self._update_actions()
        self._update_count()

    def show_detail(self, paper_id: int) -> None:
        papers = self.library.papers.get_many([paper_id])
        if not papers:
            self.detail.show_paper(None)
            return
        paper = papers[0]
        query = self.list.query
        spans = self.library.search.spans(query, paper.abstract) if query else []
        self.detail.show_paper(paper, self.library.papers.appearances(paper_id),
                               max(1, len(self.selected_ids())), spans)
        self.suggestions.show_paper(paper_id)

    def _update_actions(self) -> None:
        has = bool(self.selected_ids())
        for action in (self.actions.mark_read, self.actions.mark_skimmed,
                       self.actions.mark_unread, self.actions.delete, self.actions.edit_tags,
                       self.actions.edit_note, self.actions.copy_key, self.actions.open_link):
            action.setEnabled(has)

    def focus_editor(self, widget: QWidget) -> None:
        if self.detail.paper is not None:
            widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _search_released(self) -> None:
        if self._search_timer.isActive():  # what was typed is searched now
            self._search_timer.stop()
            self._apply_search()
        self.triage.focus_list()

    def _escape_in_list(self) -> None:
        """Esc in the list: a search sorted by a column goes back to relevance, then
        the search is cleared."""
        if self.list.back_to_relevance():
            self.reload()
        elif self.search_edit.text():
            self.search_edit.clear()
            self._apply_search()

    def _title_spans(self, title: str) -> list[tuple[int, int]]:
        query = self.list.query
        return self.library.search.spans(query, title) if query else []

    def tag_used(self, name: str) -> None:
        self.recent_tags = [name] + [n for n in self.recent_tags if n != name]

    def reset_layout(self) -> None:
        window_state.reset_layout(self, self.splitter, self.table)
        self.actions.show_sidebar.setChecked(True)
        self.actions.show_details.setChecked(True)
        if self._shown_request is not None:
            show_order(self.table, self.model, self.library, self._shown_request,
                       self.model.ids())

    # -- after edits ------------------------------------------------------------------------
    def _edited(self, changed: Sequence[int] | None) -> None:
        """An edit was saved: repaint its rows (or everything) and the counts."""
        if changed is not None:
            self.model.refresh(changed)
        self.refresh()
        self._update_actions()
        if changed is None or len(changed) > COMPACT_AFTER:
            self.tasks.upkeep(self.library.maintenance.compact_index_if_needed)

    def rename_tag(self, old: str, new: str) -> None:
        if self.list.view_key == f"tag:{old}":
            self.list.view_key = f"tag:{new}"
            self.sidebar.select_key(f"tag:{new}", emit=False)
        self.commands.rename_tag(old, new)

    def _import_finished(self, _result) -> None:
        if self.library.index_error:  # the papers are saved; search will catch up
            self.statusBar().showMessage(self.library.index_error, 10000)
            self.library.clear_index_error()
        self.refresh()
        self.tasks.upkeep(self.library.maintenance.compact_index_if_needed)
        self.suggestions.prepare()  # the new papers' features; learnt again if grown a quarter

    def _restored(self) -> None:
        self.model.set_ids([])
        self.refresh()
        self.commands.refresh_history()

    # -- import and export ------------------------------------------------------------------
    def open_files(self, paths: Sequence[str | Path]) -> None:
        """Files opened with Readinglist (a launcher, the command line, a later
        launch): come to the front and import them."""
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()
        if paths:
            self.importer.start([Path(p) for p in paths])

    def export_selection(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.exporter.export_ids(ids)
        else:
            self.export_view()

    def export_view(self) -> None:
        self.exporter.export_view(self.current_filter(), self.list.query, self.list.view_key)

    def fill_export_tags(self, names: Sequence[str] | None = None) -> None:
        if names is None:
            names = [t.name for t in self.library.tags.counts()]
        self.exporter.fill_tag_menu(self.actions.export_tag_menu, names)

    # -- misc -----------------------------------------------------------------------------
    def _show_error(self, error: BaseException) -> None:
        QMessageBox.warning(self, "Readinglist", str(error))
        self.refresh()

    def _restore_settings(self) -> None:
        sort = window_state.restore(self.settings, self, self.splitter, self.table)
        if sort is not None:
            self.list.sort = sort
        self.actions.show_sidebar.setChecked(not self.sidebar.isHidden())
        self.actions.show_details.setChecked(not self.detail.isHidden())

    def save_settings(self) -> None:
        window_state.save(self.settings, self, self.splitter, self.table, self.list.sort)
        self.settings.setValue(window_state.view_key(self.library.folder), self.list.view_key)

    def hold_lock(self, lock) -> None:
        """Keep the library's window lock until the window closes."""
        self._window_lock = lock

    def closeEvent(self, event: QCloseEvent):
        self.detail.flush_note()  # nothing typed is ever lost
        self.save_settings()
        if self.importer.running:
            self.importer.cancel()
        self.suggestions.close()
        self.tasks.shutdown()
        if self.owns_library:
            self.library.close()
        lock = getattr(self, "_window_lock", None)
        if lock is not None:
            lock.unlock()
            self._window_lock = None
        super().closeEvent(event)
