"""Which menu action does what in the main window: one table to read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from readinglist.ui.about import show_about
from readinglist.ui.resources import sample_digest
from readinglist.ui.search_box import SEARCH_HELP

if TYPE_CHECKING:
    from readinglist.ui.main_window import MainWindow


def connect_actions(window: MainWindow) -> None:
    a, c = window.actions, window.commands
    a.import_.triggered.connect(lambda: window.importer.choose(window))
    a.import_sample.triggered.connect(lambda: window.importer.start([sample_digest()]))
    a.export.triggered.connect(window.export_selection)
    a.export_view.triggered.connect(window.export_view)
    a.export_tag_menu.aboutToShow.connect(window.fill_export_tags)
    a.quit.triggered.connect(window.close)
    a.undo.triggered.connect(c.undo)
    a.redo.triggered.connect(c.redo)
    a.delete.triggered.connect(c.delete_selected)
    a.find.triggered.connect(window.focus_search)
    a.copy_key.triggered.connect(window.detail.copy_citekey)
    a.mark_read.triggered.connect(lambda: c.toggle_status("read"))
    a.mark_skimmed.triggered.connect(lambda: c.toggle_status("skimmed"))
    a.mark_unread.triggered.connect(lambda: c.set_status("unread"))
    a.edit_tags.triggered.connect(lambda: window.suggest_views.tag_key())
    a.edit_note.triggered.connect(lambda: window.focus_editor(window.detail.note_edit))
    a.next.triggered.connect(lambda: window.selection.step(1))
    a.previous.triggered.connect(lambda: window.selection.step(-1))
    a.next_unread.triggered.connect(lambda: window.triage.unread_step(1))
    a.previous_unread.triggered.connect(lambda: window.triage.unread_step(-1))
    a.space.triggered.connect(window.triage.space)
    a.show_sidebar.toggled.connect(window.sidebar.setVisible)
    a.show_details.toggled.connect(window.detail.setVisible)
    a.reset_layout.triggered.connect(window.reset_layout)
    a.syntax.triggered.connect(
        lambda: QMessageBox.information(window, "Search syntax", SEARCH_HELP))
    a.about.triggered.connect(lambda: show_about(window, window.library.folder))


def connect_detail_pane(window: MainWindow) -> None:
    """The detail pane's buttons and editors run the same commands as the keys."""
    c, detail = window.commands, window.detail
    detail.released.connect(window.triage.focus_list)
    detail.statusChosen.connect(c.set_status)
    detail.tagAdded.connect(lambda name: c.change_tags(add=[name]))
    detail.tagAdded.connect(window.tag_used)
    detail.tagRemoved.connect(lambda name: c.change_tags(remove=[name]))
    detail.noteEdited.connect(c.save_note)
    detail.noteTyped.connect(c.keep_draft)
