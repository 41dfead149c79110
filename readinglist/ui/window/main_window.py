"""The main window: it builds its parts, places them and wires them together.

The parts hold the work: `PaperList` the list (views, search, sort,
selection, the keys that go through it), `DetailPane` one paper, `Sidebar`
the views, `EditCommands` the edits, `FeatureLearning`, `SimilarPapers` and
`RankedViews` the suggestions, the controllers of `dialogs` the imports,
exports and tools. None of them knows the window; each gets the few objects
and callables it needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QStackedWidget,
)

from readinglist.core.editing.effects import Effect
from readinglist.core.library import Library
from readinglist.ui.actions.edits import EditCommands
from readinglist.ui.actions.menus import Actions
from readinglist.ui.detail.pane import DetailPane
from readinglist.ui.dialogs.about import show_about
from readinglist.ui.dialogs.automatic_exports import AutomaticExportsDialog
from readinglist.ui.dialogs.exporting import ExportController
from readinglist.ui.dialogs.importing import (
    DropOverlay,
    DropTarget,
    ImportController,
    ImportSummary,
)
from readinglist.ui.dialogs.lookup import LookupController
from readinglist.ui.dialogs.maintenance import MaintenanceActions
from readinglist.ui.dialogs.shortcuts import show_shortcuts
from readinglist.ui.paper_list.events import PaperInteractions
from readinglist.ui.paper_list.order import count_text
from readinglist.ui.paper_list.presenter import PaperList
from readinglist.ui.paper_list.search_box import SEARCH_HELP
from readinglist.ui.paper_list.searching import SearchControl
from readinglist.ui.resources import app_icon, sample_digest
from readinglist.ui.sidebar import Sidebar
from readinglist.ui.suggestions.learning import FeatureLearning
from readinglist.ui.suggestions.similar import SimilarPapers
from readinglist.ui.suggestions.views import RankedViews
from readinglist.ui.tasks import TaskRunner
from readinglist.ui.window import layout, settings
from readinglist.ui.window.auto_export import AutoExportTimer
from readinglist.ui.window.digest_actions import DigestActions
from readinglist.ui.window.empty_state import empty_state
from readinglist.ui.window.following import LibraryFollower
from readinglist.ui.window.index_build import build_index_if_needed
from readinglist.ui.window.refresh import LibraryRefresh, RecentTags
from readinglist.ui.window.shown_paper import ShownPaper

COMPACT_AFTER = 200  # an edit of more papers may leave the index worth compacting


class MainWindow(QMainWindow):
    def __init__(self, library: Library, window_settings: QSettings):
        super().__init__()
        self.library = library
        self.settings = window_settings
        self.tasks = TaskRunner(self)
        self.tasks.error.connect(self._show_error)
        self.owns_library = False
        self.recent_tags = RecentTags()
        self.setWindowTitle(f"Readinglist — {library.folder.name}")
        self.setWindowIcon(app_icon())
        self.actions = Actions(self)
        self._build()
        self._connect()
        settings.restore_window(self)
        self.refresh(initial=True)  # the list first, the sidebar after (refresh.py)

    def _start_background(self) -> None:
        """Once the window shows its list and sidebar: what can wait a second."""
        self.commands.recover_notes()
        self.tasks.long(self.library.maintenance.backup_if_due)  # today's backup
        build_index_if_needed(self.library, self.tasks, self.statusBar(), self.say)
        self.tasks.upkeep(self.library.search.warm)
        self.learning.prepare()  # the features, read or learnt, on their own thread

    # -- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        library, tasks = self.library, self.tasks
        self.search_edit = layout.search_box()
        layout.tool_bar(self, self.actions.import_, self.search_edit)
        self.status = status = layout.status_widgets(self.statusBar())
        self.detail = DetailPane()
        self.learning = FeatureLearning(library, tasks, self.status.learning, self.say, self)
        self.paper_list = PaperList(
            library, tasks, message=self.say, page_abstract=self.detail.page_down,
            leave_editor=self.detail.flush_note, waiting_note=self.learning.waiting_note,
            parent=self)
        self.searching = SearchControl(self.search_edit, self.paper_list, library, tasks, self)
        self.commands = EditCommands(
            library, tasks, self, selection=self.paper_list.selected_ids, changed=self._edited,
            history_changed=self.actions.show_history, message=self.say,
            moving_on=self._moving_on, writing=lambda: self.follower.writing())
        self.sidebar = Sidebar()
        self.similar_papers = SimilarPapers(library, tasks, self.detail.similar, self.learning,
                                            lambda: self.paper_list.loader.ranking, self)
        self.shown = ShownPaper(library, self.paper_list, self.detail, self.actions,
                                self.commands, similar=self.similar_papers.show_paper,
                                dialog_parent=self)
        self.ranked_views = RankedViews(
            self.paper_list, self.sidebar, self.commands,
            open_tag_field=lambda: self.shown.focus_editor(self.detail.tag_edit),
            tag_used=self.recent_tags.used, message=self.say)
        self.auto_exports = AutoExportTimer(library, tasks, lambda text: self.say(text, 15000),
                                            self)
        self.exporter = ExportController(self, library, tasks, self.settings, self.say,
                                         registered=self.auto_exports.registered)
        self.empty = empty_state(self.actions.import_, self.actions.import_sample)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.paper_list.table)
        self.stack.addWidget(self.empty)
        self.summary = ImportSummary()
        self.splitter = layout.panes(
            self.sidebar, layout.middle_column(self.summary, self.paper_list.view_bar,
                                               self.stack), self.detail)
        self.setCentralWidget(self.splitter)
        self.importer = ImportController(library, tasks, status.progress, status.cancel_import,
                                         self.summary, self)
        self.lookups = LookupController(library, tasks, status.lookup, status.cancel_lookup,
                                        lambda text: self.say(text, 12000), self)
        self.overlay = DropOverlay(self)
        self.drops = DropTarget(self, self.overlay, self.importer.start)
        self.tools = MaintenanceActions(
            self, library, tasks, self.statusBar().showMessage,
            before_restore=self.detail.flush_note, after_restore=self._restored)
        self.library_refresh = LibraryRefresh(
            library, tasks, self.sidebar, self.paper_list, self.detail.tags, self.recent_tags,
            on_counts=self._show_counts,
            saved_view=lambda: str(self.settings.value(settings.view_key(library.folder),
                                                       "all")),
            seen=lambda generation: self.follower.seen(generation))
        self.follower = LibraryFollower(
            library, tasks, self.library_refresh, self.sidebar, self.paper_list,
            reread=self.refresh, tags_changed=self.fill_export_tags,
            busy=lambda: (self.commands.pending or self.importer.running
                          or self.lookups.running), parent=self)

    def _connect(self) -> None:
        a, c, papers = self.actions, self.commands, self.paper_list
        for action, handler in self._action_table().items():
            action.triggered.connect(handler)
        a.show_sidebar.toggled.connect(self.sidebar.setVisible)
        a.show_details.toggled.connect(self.detail.setVisible)
        self._connect_detail_pane()
        # kept on the window: a signal holds only a weak reference to a bound method
        self.interactions = PaperInteractions(
            papers.table, papers.selection, self.library, self.tasks, a, c,
            recent_tags=self.recent_tags.names, escape=self.searching.escape_in_list,
            message=self.say)
        a.export_tag_menu.aboutToShow.connect(self.fill_export_tags)
        self.sidebar.viewChosen.connect(self.set_view)
        self.sidebar.tagExportRequested.connect(self.exporter.export_tag)
        # a view clicked: the keys go to its list (arrowing the sidebar keeps them there)
        self.sidebar.itemClicked.connect(lambda *_: self.give_list_the_keys())
        self.sidebar.suggestForTagRequested.connect(self.ranked_views.suggest_for_tag)
        self.sidebar.renameTagRequested.connect(self.rename_tag)
        self.sidebar.deleteTagRequested.connect(c.delete_tag)
        papers.view_bar.bestFirstToggled.connect(self.ranked_views.choose_best_first)
        papers.view_bar.addTagRequested.connect(self.ranked_views.tag_key)
        papers.view_bar.searchAllRequested.connect(self.search_all_papers)
        papers.view_bar.label_for = self.sidebar.label_for
        papers.selectionChanged.connect(self.shown.selection_changed)
        papers.selectionChanged.connect(self._update_count)
        papers.shown.connect(self._update_count)
        self.detail.similar.paperChosen.connect(self.go_to_paper)
        self.digest_actions = DigestActions(self, self.library, self.sidebar, c, self.exporter,
                                            self.say)
        self.summary.showNewRequested.connect(lambda: self.sidebar.select_key("new"))
        self.importer.finished.connect(self._import_finished)
        self.lookups.finished.connect(self._looked_up)
        self.shown.update_actions()
        c.refresh_history()
        a.edit_menu.aboutToShow.connect(c.refresh_history)  # a terminal may have edited

    def _action_table(self) -> dict:
        """Which menu action does what: one table to read."""
        a, c, papers, views = self.actions, self.commands, self.paper_list, self.ranked_views
        return {
            a.import_: lambda: self.importer.choose(self),
            a.import_sample: lambda: self.importer.start([sample_digest()]),
            a.export: self.export_selection, a.export_view: self.export_view,
            a.quit: self.close, a.undo: c.undo, a.redo: c.redo, a.delete: c.delete_selected,
            a.find: self.searching.focus, a.search_all: self.search_all_papers,
            a.copy_key: self.shown.copy_citekey,
            a.edit_details: self.shown.edit_details,
            a.lookup: lambda: self.lookups.look_up(papers.selected_ids()),
            a.lookup_missing: self.lookups.look_up_missing,
            a.mark_read: lambda: c.set_status("read"),
            a.mark_skimmed: lambda: c.set_status("skimmed"),
            a.mark_unread: lambda: c.set_status("unread"),
            a.dismiss: c.toggle_dismissed,
            a.edit_tags: views.tag_key,
            a.edit_note: lambda: self.shown.focus_editor(self.detail.note_edit),
            a.next: lambda: papers.selection.step(1),
            a.previous: lambda: papers.selection.step(-1),
            a.next_unread: lambda: papers.triage.unread_step(1),
            a.previous_unread: lambda: papers.triage.unread_step(-1),
            a.space: papers.triage.space, a.best_first: views.toggle_best_first,
            a.reset_layout: self.reset_layout,
            a.automatic_exports: self.show_automatic_exports,
            a.reindex: self.tools.reindex, a.check: self.tools.check,
            a.restore: self.tools.restore,
            a.syntax: lambda: QMessageBox.information(self, "Search syntax", SEARCH_HELP),
            a.shortcuts: lambda: show_shortcuts(self, self.actions.in_menus()),
            a.about: lambda: show_about(self, self.library.folder),
        }

    def _connect_detail_pane(self) -> None:
        """The detail pane's buttons and editors run the same commands as the keys."""
        c, detail = self.commands, self.detail
        detail.released.connect(self.paper_list.triage.focus_list)
        detail.statusChosen.connect(c.set_status)
        detail.tagAdded.connect(lambda name: c.change_tags(add=[name]))
        detail.tagAdded.connect(self.recent_tags.used)
        detail.tagRemoved.connect(lambda name: c.change_tags(remove=[name]))
        detail.noteEdited.connect(c.save_note)
        detail.noteTyped.connect(c.keep_draft)
        detail.editDetailsRequested.connect(self.shown.edit_details)

    # -- views, search, the list ------------------------------------------------------------
    def search_all_papers(self) -> None:
        """The search shown, over the whole library (All papers)."""
        self.sidebar.select_key("all")
        if not self.search_edit.text():
            self.searching.focus()

    def say(self, text: str, timeout: int = 6000) -> None:
        """A line in the status bar."""
        self.statusBar().showMessage(text, timeout)

    def set_view(self, key: str) -> None:
        # saved at once, not only on quit: a crash or a kill still reopens here
        self.settings.setValue(settings.view_key(self.library.folder), key)
        self.paper_list.choose_view(key)

    def go_to_paper(self, paper_id: int) -> None:
        """A similar paper was chosen: select it here, or in All papers."""
        if not self.paper_list.go_to(paper_id):
            self.searching.clear()
            self.sidebar.select_key("all", emit=False)
            self.paper_list.state.choose_view("all")
            self.paper_list.reload(select=[paper_id])
        self.paper_list.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def refresh(self, initial: bool = False, select: Sequence[int] | None = None) -> None:
        """Read the sidebar's counts again, then the list (after imports and edits);
        the files kept up to date follow."""
        self.library_refresh.run(initial, select)
        if not initial:
            self.auto_exports.changed()

    def _show_counts(self, papers: int, initial: bool) -> None:
        if initial:
            self._start_background()
        self.fill_export_tags()
        empty_before = self.stack.currentWidget() is self.empty
        self.stack.setCurrentWidget(self.empty if papers == 0 else self.paper_list.table)
        if papers and (initial or empty_before):  # J, K, R… work at once
            self.give_list_the_keys()
        self._update_count()

    def give_list_the_keys(self) -> None:
        """The list has the keys (at start, after an import, a view chosen with
        the mouse), unless the person is typing a note or a tag; the search box
        keeps them only while it is asked for (a click in it, Ctrl+F)."""
        typing = self.focusWidget()
        if (typing is None or typing is self.search_edit
                or not isinstance(typing, QLineEdit | QPlainTextEdit)):
            self.paper_list.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_count(self) -> None:
        papers = self.paper_list
        self.status.count.setText(count_text(
            papers.model.rowCount(), papers.selection.count(), bool(papers.query),
            self.sidebar.digests.get(papers.current_filter().digest)))

    def reset_layout(self) -> None:
        settings.reset_layout(self, self.splitter, self.paper_list.table)
        self.actions.show_sidebar.setChecked(True)
        self.actions.show_details.setChecked(True)
        self.paper_list.refit_columns()

    # -- after edits ---------------------------------------------------------------------------
    def _moving_on(self, ids: Sequence[int]) -> None:
        """Papers are about to be marked or deleted: the list keeps its place."""
        triage = self.paper_list.triage
        triage.expect(triage.place_after(ids))

    def _edited(self, effect: Effect) -> None:
        """An edit was saved: shown in place, or everything read again (following.py)."""
        if self.follower.edited(effect):
            self.auto_exports.changed()
        self.shown.update_actions()
        if effect.reshaped or len(effect.papers) > COMPACT_AFTER:
            self.tasks.upkeep(self.library.maintenance.compact_index_if_needed)

    def rename_tag(self, old: str, new: str) -> None:
        state = self.paper_list.state
        if state.view_key == f"tag:{old}":
            state.view_key = f"tag:{new}"
            self.sidebar.select_key(f"tag:{new}", emit=False)
        self.commands.rename_tag(old, new)

    def _import_finished(self, _result) -> None:
        if self.library.index_error:  # the papers are saved; search will catch up
            self.say(self.library.index_error, 10000)
            self.library.clear_index_error()
        self.give_list_the_keys()
        self.refresh()
        self.tasks.upkeep(self.library.maintenance.compact_index_if_needed)
        self.learning.prepare()  # the new papers' features; learnt again if grown a quarter

    def _looked_up(self, result) -> None:
        if result.filled:
            self.paper_list.model.refresh(result.filled)
            self.refresh()

    def _restored(self) -> None:
        self.paper_list.model.set_ids([])
        self.refresh()
        self.commands.refresh_history()

    # -- import and export ---------------------------------------------------------------------
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
        ids = self.paper_list.selected_ids()
        if ids:
            self.exporter.export_ids(ids)
        else:
            self.export_view()

    def export_view(self) -> None:
        papers = self.paper_list
        self.exporter.export_view(papers.current_filter(), papers.query,
                                  self.sidebar.label_for(papers.state.view_key))

    def show_automatic_exports(self) -> None:
        AutomaticExportsDialog(self.library, self.tasks, self.auto_exports.forget, self).exec()

    def fill_export_tags(self) -> None:
        self.exporter.fill_tag_menu(self.actions.export_tag_menu, self.sidebar.tag_names())

    # -- the window itself ---------------------------------------------------------------------
    def _show_error(self, error: BaseException) -> None:
        QMessageBox.warning(self, "Readinglist", str(error))
        self.refresh()

    def save_settings(self) -> None:
        settings.save_window(self)

    def hold_lock(self, lock) -> None:
        """Keep the library's window lock until the window closes."""
        self._window_lock = lock

    def closeEvent(self, event: QCloseEvent):
        self.detail.flush_note()  # nothing typed is ever lost
        self.save_settings()
        if self.importer.running:
            self.importer.cancel()
        self.learning.close()
        self.lookups.close()
        self.similar_papers.close()
        self.auto_exports.flush()  # a change not yet in its files is written before quitting
        self.tasks.shutdown()
        if self.owns_library:
            self.library.close()
        lock = getattr(self, "_window_lock", None)
        if lock is not None:
            lock.unlock()
            self._window_lock = None
        super().closeEvent(event)
