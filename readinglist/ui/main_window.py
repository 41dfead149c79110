"""The main window: layout and wiring. The work happens in the core Library."""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QItemSelectionModel, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from readinglist import __version__
from readinglist.core import maintenance
from readinglist.core.errors import ReadinglistError
from readinglist.core.library import Filter, Library
from readinglist.ui.actions import Actions
from readinglist.ui.detail_pane import DetailPane
from readinglist.ui.importing import DropOverlay, ImportController, ImportSummary
from readinglist.ui.paper_model import COL_TITLE, HEADERS, SORT_KEYS, PaperTableModel
from readinglist.ui.resources import app_icon, icon, sample_digest
from readinglist.ui.sidebar import LibraryCounts, Sidebar, view_filter
from readinglist.ui.tasks import TaskRunner

SEARCH_DELAY_MS = 250
FIRST_PAGE = 100  # hits shown at once while the full list of a search is gathered
SEARCH_HELP = """<b>Search</b> titles, abstracts, your notes and tags:<br>
<code>diffusion policy</code> — all the words (any word form)<br>
<code>"instruction tuning"</code> — the exact phrase<br>
<code>grasping OR calibration</code> — either word<br>
<code>pruning -adapters</code> — without a word (also <code>NOT</code>)<br>
<code>title:survey</code>, <code>abstract:</code>, <code>note:</code>, <code>tag:robots</code>
 — one field<br>
<code>rob*</code> — words starting with “rob”<br>
Esc clears the search."""


@dataclass
class UndoStep:
    label: str
    undo: Callable[[], object]


class SearchEdit(QLineEdit):
    def keyPressEvent(self, event):
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class MainWindow(QMainWindow):
    def __init__(self, library: Library, settings: QSettings):
        super().__init__()
        self.library = library
        self.settings = settings
        self.tasks = TaskRunner(self)
        self.tasks.error.connect(self._show_error)
        self.undo_steps: list[UndoStep] = []
        self.owns_library = False
        self._view_key = "all"
        self._query = ""
        self._sort = ("first_seen", True)
        self._column_sort_with_query = False
        self._generation = 0
        self._last_batch: int | None = None
        self._paper_count = 0
        self.setWindowTitle(f"Readinglist — {library.folder.name}")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.actions = Actions(self)
        self._build()
        self._connect()
        self._restore_settings()
        self.refresh(initial=True)
        self.tasks.write(self.library.backup_if_due)  # today's backup, off the start-up path

    # -- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.actions.import_)
        toolbar.addSeparator()
        self.search_edit = SearchEdit()
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setPlaceholderText("Search titles, abstracts, notes, tags   (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setToolTip(SEARCH_HELP)
        self.search_edit.setMinimumWidth(360)
        toolbar.addWidget(self.search_edit)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)

        self.sidebar = Sidebar()
        self.model = PaperTableModel(self.library.get_papers, {
            name: icon(name) for name in ("status-unread", "status-skimmed", "status-read", "code")
        }, self)
        self.table = QTableView()
        self.table.setObjectName("paperTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        for column, width in zip(range(1, len(HEADERS)), (100, 48, 110, 86, 48), strict=True):
            header.resizeSection(column, width)
        header.setSortIndicator(1, Qt.SortOrder.DescendingOrder)

        self.empty = self._empty_state()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.summary = ImportSummary()
        center = QWidget()
        center_layout = QVBoxLayout(center)
        center_layout.setContentsMargins(0, 0, 0, 0)
        center_layout.setSpacing(4)
        center_layout.addWidget(self.summary)
        center_layout.addWidget(self.stack, 1)

        self.detail = DetailPane()
        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(center)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([210, 760, 430])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.progress.setMaximumWidth(360)
        self.progress.setTextVisible(True)
        self.cancel_import = QPushButton("Cancel")
        self.cancel_import.setObjectName("importCancel")
        status = self.statusBar()
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.cancel_import)
        status.addPermanentWidget(self.count_label)
        self.importer = ImportController(
            self.library, self.tasks, self.progress, self.cancel_import, self.summary, self)
        self.overlay = DropOverlay(self)

    def _empty_state(self) -> QWidget:
        page = QWidget()
        page.setObjectName("emptyState")
        layout = QVBoxLayout(page)
        layout.addStretch(2)
        art = QLabel()
        art.setPixmap(icon("readinglist").pixmap(96, 96))
        art.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("Your reading list is empty")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = QLabel("Drop digest files here or use File ▸ Import…")
        hint.setObjectName("emptyHint")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        choose = QPushButton("Import Digests…")
        choose.clicked.connect(self.actions.import_.trigger)
        sample = QPushButton("Try a Sample Digest")
        sample.setObjectName("importSampleButton")
        sample.setDefault(True)
        sample.clicked.connect(self.actions.import_sample.trigger)
        buttons.addWidget(choose)
        buttons.addWidget(sample)
        buttons.addStretch(1)
        for widget in (art, title, hint):
            layout.addWidget(widget)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(3)
        return page

    def _connect(self) -> None:
        a = self.actions
        a.import_.triggered.connect(self.choose_import)
        a.import_sample.triggered.connect(lambda: self.importer.start([sample_digest()]))
        a.export.triggered.connect(self.export_selection)
        a.export_view.triggered.connect(self.export_view)
        a.export_tag_menu.aboutToShow.connect(self._fill_export_tags)
        a.quit.triggered.connect(self.close)
        a.undo.triggered.connect(self.undo)
        a.delete.triggered.connect(self.delete_selected)
        a.find.triggered.connect(self._focus_search)
        a.copy_key.triggered.connect(self.detail.copy_citekey)
        a.mark_read.triggered.connect(lambda: self.toggle_status("read"))
        a.mark_skimmed.triggered.connect(lambda: self.toggle_status("skimmed"))
        a.mark_unread.triggered.connect(lambda: self.set_status("unread"))
        a.edit_tags.triggered.connect(lambda: self._focus(self.detail.tag_edit))
        a.edit_note.triggered.connect(lambda: self._focus(self.detail.note_edit))
        a.next.triggered.connect(lambda: self.move_current(1))
        a.previous.triggered.connect(lambda: self.move_current(-1))
        a.reindex.triggered.connect(self.reindex)
        a.check.triggered.connect(self.check_library)
        a.restore.triggered.connect(self.restore_backup)
        a.syntax.triggered.connect(
            lambda: QMessageBox.information(self, "Search syntax", SEARCH_HELP))
        a.about.triggered.connect(self.about)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self._search_timer.timeout.connect(self._apply_search)
        self.sidebar.viewChosen.connect(self.set_view)
        self.sidebar.renameTagRequested.connect(self.rename_tag)
        self.sidebar.deleteTagRequested.connect(self.delete_tag)
        self.model.sortRequested.connect(self._sort_requested)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.selectionModel().currentRowChanged.connect(self._selection_changed)
        self.detail.statusChosen.connect(self.set_status)
        self.detail.tagAdded.connect(lambda name: self.change_tags(add=[name]))
        self.detail.tagRemoved.connect(lambda name: self.change_tags(remove=[name]))
        self.detail.noteEdited.connect(self.save_note)
        self.importer.finished.connect(self._import_finished)
        self._update_actions()

    # -- views, search, sorting -----------------------------------------------------------
    def set_view(self, key: str) -> None:
        self._view_key = key
        self.reload()

    def _apply_search(self) -> None:
        query = self.search_edit.text().strip()
        if query == self._query:
            return
        self._query = query
        self._column_sort_with_query = False
        header = self.table.horizontalHeader()
        if query:
            header.setSortIndicatorShown(False)
        else:
            header.setSortIndicatorShown(True)
        self.reload()

    def _sort_requested(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)
        self._column_sort_with_query = bool(self._query)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.reload()

    def current_filter(self) -> Filter:
        return view_filter(self._view_key, self._last_batch)

    def reload(self, select: Sequence[int] | None = None) -> None:
        """Ask the core for the view's ids (off the GUI thread); newest request wins."""
        self._generation += 1
        generation = self._generation
        view, query = self.current_filter(), self._query
        sort, descending = self._sort
        by_column = self._column_sort_with_query
        keep = list(select) if select is not None else self.selected_ids()
        library = self.library

        def work(limit=None):
            if generation != self._generation:
                return None  # a newer request is queued: skip the work
            if query:
                if by_column:
                    ids = library.search_ids(query, view)
                    return library.paper_ids(view, sort=sort, descending=descending, within=ids)
                return library.search_ids(query, view, limit)
            return library.paper_ids(view, sort=sort, descending=descending)

        def done(ids) -> None:
            if ids is None or generation != self._generation:
                return
            shown = self.selected_ids() if self.model.rowCount() else keep
            self.model.set_ids(ids)
            self._select_ids(shown)
            self._update_count()

        def first_page_done(ids) -> None:
            done(ids)
            if ids is not None and len(ids) >= FIRST_PAGE and generation == self._generation:
                self.tasks.read(work, done)  # then every hit

        if query and not by_column:
            # The best hits first, fast; the complete list follows.
            self.tasks.read(lambda: work(FIRST_PAGE), first_page_done)
            return
        self.tasks.read(work, done)

    def _select_ids(self, ids: Sequence[int]) -> None:
        selection = self.table.selectionModel()
        rows = [r for r in (self.model.row_of(i) for i in ids) if r is not None]
        if not rows and self.model.rowCount() > 0:
            rows = [0]
        if not rows:
            self.detail.show_paper(None)
            return
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in rows:
            selection.select(self.model.index(row, 0), flags)
        selection.setCurrentIndex(self.model.index(rows[0], 0),
                                  QItemSelectionModel.SelectionFlag.NoUpdate)
        self.table.scrollTo(self.model.index(rows[0], 0))
        self._selection_changed()

    def refresh(self, initial: bool = False, select: Sequence[int] | None = None) -> None:
        """Reload the sidebar's counts and the table (after imports and edits)."""
        library = self.library

        def work():
            last = library.last_import_batch()
            stats = library.stats()
            counts = LibraryCounts(
                all=stats.papers, unread=stats.unread, skimmed=stats.skimmed, read=stats.read,
                new=library.count(Filter(batch=last)) if last is not None else 0,
                trending=library.count(Filter(min_seen=2)),
            )
            return last, counts, library.digests(), library.tags()

        def done(result) -> None:
            last, counts, digests, tags = result
            self._last_batch = last
            self._paper_count = counts.all
            self.sidebar.populate(counts, digests, tags)
            if initial:
                saved = str(self.settings.value("view", "all"))
                self.sidebar.select_key(saved if self.sidebar.item_for(saved) else "all",
                                        emit=False)
            self._view_key = self.sidebar.current_key() or "all"
            self.detail.tags.set_known_tags([t.name for t in tags])
            self._fill_export_tags([t.name for t in tags])  # no second query for them
            self.stack.setCurrentWidget(self.empty if counts.all == 0 else self.table)
            self.reload(select)

        self.tasks.read(work, done)

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        what = "match" if self._query else "paper"
        plural = "es" if what == "match" else "s"
        self.count_label.setText(f"{shown} {what}{plural if shown != 1 else ''}")

    # -- selection and detail --------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.id_at(row) for row in rows if row < self.model.rowCount()]

    def current_id(self) -> int | None:
        index = self.table.selectionModel().currentIndex()
        if index.isValid() and index.row() < self.model.rowCount():
            return self.model.id_at(index.row())
        ids = self.selected_ids()
        return ids[0] if ids else None

    def _selection_changed(self, *_args) -> None:
        paper_id = self.current_id()
        if paper_id is None or not self.selected_ids():
            self.detail.show_paper(None)
        else:
            self.show_detail(paper_id)
        self._update_actions()

    def show_detail(self, paper_id: int) -> None:
        papers = self.library.get_papers([paper_id])
        if not papers:
            self.detail.show_paper(None)
            return
        paper = papers[0]
        spans = self.library.match_spans(self._query, paper.abstract) if self._query else []
        self.detail.show_paper(paper, self.library.appearances(paper_id),
                               max(1, len(self.selected_ids())), spans)

    def move_current(self, step: int) -> None:
        rows = self.model.rowCount()
        if not rows:
            return
        index = self.table.selectionModel().currentIndex()
        row = min(rows - 1, max(0, (index.row() if index.isValid() else -1) + step))
        self.table.selectRow(row)
        self.table.setFocus()

    def _update_actions(self) -> None:
        has = bool(self.selected_ids())
        for action in (self.actions.mark_read, self.actions.mark_skimmed,
                       self.actions.mark_unread, self.actions.delete, self.actions.edit_tags,
                       self.actions.edit_note, self.actions.copy_key):
            action.setEnabled(has)
        self.actions.undo.setEnabled(bool(self.undo_steps))
        self.actions.undo.setText(
            f"&Undo {self.undo_steps[-1].label}" if self.undo_steps else "&Undo")

    def _focus(self, widget: QWidget) -> None:
        if self.detail.paper is not None:
            widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # -- edits (all through the writer thread) --------------------------------------------
    def _write(self, work: Callable[[], object], changed: Sequence[int] | None = None,
               undo: UndoStep | None = None, full: bool = False) -> None:
        def done(_result) -> None:
            if undo is not None:
                self.undo_steps.append(undo)
                del self.undo_steps[:-50]
            if full:
                self.refresh()
            else:
                self.model.refresh(changed or [])
                self.refresh()
            self._update_actions()

        self.tasks.write(work, done)

    def set_status(self, status: str, ids: Sequence[int] | None = None) -> None:
        ids = list(ids) if ids is not None else self.selected_ids()
        if not ids:
            return
        before: dict[str, list[int]] = {}
        for paper in self.library.get_papers(ids):
            before.setdefault(paper.status, []).append(paper.id)
        library = self.library

        def undo() -> None:
            for old, old_ids in before.items():
                library.set_status(old_ids, old)

        label = f"Mark as {status.capitalize()}"
        self._write(lambda: library.set_status(ids, status), ids, UndoStep(label, undo))

    def toggle_status(self, status: str) -> None:
        ids = self.selected_ids()
        papers = self.library.get_papers(ids)
        if papers and all(p.status == status for p in papers):
            self.set_status("unread", ids)
        else:
            self.set_status(status, ids)

    def change_tags(self, add: Sequence[str] = (), remove: Sequence[str] = ()) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        papers = self.library.get_papers(ids)
        library = self.library
        had = {name.casefold(): [p.id for p in papers
                                 if name.casefold() in {t.casefold() for t in p.tags}]
               for name in [*add, *remove]}

        def work() -> None:
            if add:
                library.add_tags(ids, add)
            if remove:
                library.remove_tags(ids, remove)

        def undo() -> None:
            for name in add:
                newly = [i for i in ids if i not in had[name.casefold()]]
                if newly:
                    library.remove_tags(newly, [name])
            for name in remove:
                if had[name.casefold()]:
                    library.add_tags(had[name.casefold()], [name])

        label = f"Tag “{add[0]}”" if add else f"Untag “{remove[0]}”"
        self._write(work, ids, UndoStep(label, undo))

    def save_note(self, paper_id: int, text: str) -> None:
        library = self.library
        self._write(lambda: library.set_note(paper_id, text), [paper_id])

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        what = "this paper" if len(ids) == 1 else f"these {len(ids)} papers"
        answer = QMessageBox.question(
            self, "Delete papers",
            f"Remove {what} from the library, with tags and notes?\n"
            "You can undo this with Ctrl+Z.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        library = self.library
        snapshot = {}

        def work() -> None:
            snapshot["papers"] = library.delete_papers(ids)

        label = f"Delete {len(ids)} Paper{'s' if len(ids) != 1 else ''}"
        self._write(work, ids, UndoStep(label, lambda: library.restore_papers(snapshot["papers"])),
                    full=True)

    def undo(self) -> None:
        if not self.undo_steps:
            return
        step = self.undo_steps.pop()
        self.statusBar().showMessage(f"Undone: {step.label}", 4000)
        self._write(step.undo, full=True)

    def rename_tag(self, old: str, new: str) -> None:
        library = self.library
        if self._view_key == f"tag:{old}":
            self._view_key = f"tag:{new}"
            self.sidebar.select_key(f"tag:{new}", emit=False)
        self._write(lambda: library.rename_tag(old, new), full=True)

    def delete_tag(self, name: str) -> None:
        library = self.library
        self._write(lambda: library.delete_tag(name), full=True)

    def reindex(self) -> None:
        self.statusBar().showMessage("Rebuilding the search index…")
        self.tasks.write(self.library.reindex, lambda n: self.statusBar().showMessage(
            f"Search index rebuilt: {n} papers", 5000))

    def _import_finished(self, _result) -> None:
        if self.library.index_error:  # the papers are saved; search will catch up
            self.statusBar().showMessage(self.library.index_error, 10000)
            self.library.index_error = None
        self.refresh()

    def check_library(self) -> None:
        def done(report) -> None:
            lines = [f"✓ {note}" for note in report.notes]
            lines += [f"✗ {problem}" for problem in report.problems]
            if self.library.backup_error:
                lines.append(f"✗ {self.library.backup_error}")
            box = QMessageBox(self)
            box.setObjectName("checkReport")
            box.setWindowTitle("Library check")
            box.setIcon(QMessageBox.Icon.Information if report.ok
                        else QMessageBox.Icon.Warning)
            box.setText("The library is in good order." if report.ok else
                        "Problems were found. Tools ▸ Restore from Backup… can go back "
                        "to an earlier day.")
            box.setInformativeText("\n".join(lines))
            box.open()

        self.tasks.write(self.library.check, done)

    def restore_backup(self) -> None:
        backups = maintenance.list_backups(self.library.folder)
        if not backups:
            QMessageBox.information(self, "Restore from backup",
                                    "There are no backups yet: one is made each day the "
                                    "library is opened.")
            return
        labels = [f"{b.name}  ({b.size / 1048576:.1f} MB)" for b in backups]
        choice, ok = QInputDialog.getItem(
            self, "Restore from backup",
            "Put this backup in place of the library?\n"
            "The library as it is now is kept as a backup too.", labels, 0, False)
        if not ok:
            return
        backup = backups[labels.index(choice)]
        self.detail.flush_note()
        self.tasks.shutdown()  # finish every queued write first
        folder = self.library.folder
        self.library.close()
        try:
            saved = maintenance.restore(folder, backup)
            message = f"Restored {backup.name}. The previous state is kept as {saved.name}."
        except (ReadinglistError, OSError, sqlite3.Error) as exc:
            message = f"Could not restore {backup.name}: {exc}"
        self._reopen(folder)
        self.undo_steps.clear()
        self.statusBar().showMessage(message, 10000)

    def _reopen(self, folder: Path) -> None:
        """Open the library again (after a restore) and show it."""
        self.library = Library.open(folder)
        self.tasks = TaskRunner(self)
        self.tasks.error.connect(self._show_error)
        self.model._fetch = self.library.get_papers
        self.importer.rebind(self.library, self.tasks)
        self.refresh()

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

    def choose_import(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Import digests", str(Path.home()), "Digests (*.txt);;All files (*)")
        if paths:
            self.importer.start(paths)

    def export_selection(self) -> None:
        ids = self.selected_ids()
        if ids:
            self._export(lambda path: self.library.write_bibtex(path, ids), "selection")
        else:
            self.export_view()

    def export_view(self) -> None:
        view, query = self.current_filter(), self._query
        self._export(lambda path: self.library.write_bibtex(path, view=view, query=query or None),
                     self._view_key.replace(":", "-"))

    def export_tag(self, name: str) -> None:
        self._export(lambda path: self.library.write_bibtex(path, view=Filter(tag=name)),
                     f"tag-{name}")

    def _fill_export_tags(self, names: Sequence[str] | None = None) -> None:
        menu = self.actions.export_tag_menu
        menu.clear()
        if names is None:
            names = [t.name for t in self.library.tags()]
        for name in names:
            menu.addAction(name).triggered.connect(lambda _=False, n=name: self.export_tag(n))
        menu.setEnabled(bool(names))

    def _export(self, write: Callable[[str], int], label: str) -> None:
        suggested = str(Path(str(self.settings.value("exportDir", Path.home())))
                        / f"readinglist-{label}.bib")
        path, _ = QFileDialog.getSaveFileName(self, "Export BibTeX", suggested,
                                              "BibTeX (*.bib);;All files (*)")
        if not path:
            return
        self.settings.setValue("exportDir", str(Path(path).parent))

        self.tasks.write(lambda: write(path), lambda n: self.statusBar().showMessage(
            f"Exported {n} entr{'y' if n == 1 else 'ies'} to {path}", 6000))

    # -- drag and drop ---------------------------------------------------------------------
    @staticmethod
    def _local_paths(mime) -> list[str]:
        return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event):
        if self._local_paths(event.mimeData()):
            event.acceptProposedAction()
            self.overlay.cover()
        else:
            event.ignore()

    def dragMoveEvent(self, event):
        if self._local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dragLeaveEvent(self, event):
        self.overlay.hide()
        super().dragLeaveEvent(event)

    def dropEvent(self, event):
        self.overlay.hide()
        paths = self._local_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.importer.start(paths)

    # -- misc -----------------------------------------------------------------------------
    def about(self) -> None:
        QMessageBox.about(
            self, "About Readinglist",
            f"<h3>Readinglist {__version__}</h3>"
            "<p>Turns daily trending-paper digests into a reading list.</p>"
            f"<p>Library: {html.escape(str(self.library.folder))}</p>")

    def _show_error(self, error: BaseException) -> None:
        QMessageBox.warning(self, "Readinglist", str(error))
        self.refresh()

    def _restore_settings(self) -> None:
        s = self.settings
        if s.value("geometry"):
            self.restoreGeometry(QByteArray(s.value("geometry")))
        else:
            self.resize(1360, 820)
        if s.value("windowState"):
            self.restoreState(QByteArray(s.value("windowState")))
        if s.value("splitter"):
            self.splitter.restoreState(QByteArray(s.value("splitter")))
        if s.value("header"):
            self.table.horizontalHeader().restoreState(QByteArray(s.value("header")))
        key, descending = s.value("sortKey"), s.value("sortDescending")
        if key in SORT_KEYS.values():
            self._sort = (str(key), str(descending).lower() in ("true", "1"))

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("geometry", self.saveGeometry())
        s.setValue("windowState", self.saveState())
        s.setValue("splitter", self.splitter.saveState())
        s.setValue("header", self.table.horizontalHeader().saveState())
        s.setValue("view", self._view_key)
        s.setValue("sortKey", self._sort[0])
        s.setValue("sortDescending", self._sort[1])
        s.sync()

    def hold_lock(self, lock) -> None:
        """Keep the library's window lock until the window closes."""
        self._window_lock = lock

    def closeEvent(self, event: QCloseEvent):
        self.detail.flush_note()  # nothing typed is ever lost
        self.save_settings()
        if self.importer.running:
            self.importer.cancel()
        self.tasks.shutdown()
        if self.owns_library:
            self.library.close()
        lock = getattr(self, "_window_lock", None)
        if lock is not None:
            lock.unlock()
            self._window_lock = None
        super().closeEvent(event)
