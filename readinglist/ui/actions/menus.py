"""The window's actions and menus, in one place so the shortcuts are easy to read."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow


def _action(window: QMainWindow, name: str, text: str, shortcut=None, tip: str = "") -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    window.addAction(action)  # shortcuts work wherever the focus is in the window
    return action


class Actions:
    def __init__(self, window: QMainWindow):
        self._create(window)
        self._build_menus(window)

    def _create(self, window: QMainWindow) -> None:
        a = _action
        self.import_ = a(window, "actionImport", "&Import Digests…", QKeySequence.StandardKey.Open,
                         "Import digest files or folders")
        self.import_sample = a(window, "actionImportSample", "Import &Sample Digest",
                               tip="Import a small digest shipped with Readinglist")
        self.export = a(window, "actionExportBibtex", "Export &Selection as BibTeX…", "Ctrl+E",
                        "Export the selected papers (or the whole view if none) as BibTeX")
        self.export_view = a(window, "actionExportView", "Export Current &View as BibTeX…",
                             "Ctrl+Shift+E", "Export every paper of the current view")
        self.quit = a(window, "actionQuit", "&Quit", QKeySequence.StandardKey.Quit)
        self.undo = a(window, "actionUndo", "&Undo", QKeySequence.StandardKey.Undo)
        self.redo = a(window, "actionRedo", "&Redo", "Ctrl+Shift+Z")
        self.delete = a(window, "actionDelete", "&Delete Papers…", QKeySequence.StandardKey.Delete,
                        "Remove the selected papers from the library")
        self.find = a(window, "actionFind", "&Find", QKeySequence.StandardKey.Find,
                      "Search titles, abstracts, notes and tags")
        self.search_all = a(window, "actionSearchAll", "Search &All Papers", "Ctrl+Shift+F",
                            "Search the whole library, not only the view shown")
        self.copy_key = a(window, "actionCopyCitekey", "&Copy Citation Key", "Ctrl+Shift+C")
        self._create_paper_actions(window)
        self._create_view_actions(window)

    def _create_paper_actions(self, window: QMainWindow) -> None:
        a = _action
        self.mark_read = a(window, "actionMarkRead", "Mark as &Read", "R",
                           "Mark the selected papers read (whatever they were)")
        self.mark_skimmed = a(window, "actionMarkSkimmed", "Mark as S&kimmed", "S",
                              "Mark the selected papers skimmed (whatever they were)")
        self.mark_unread = a(window, "actionMarkUnread", "Mark as &Unread", "U",
                             "Mark the selected papers unread")
        self.dismiss = a(window, "actionNotInterested", "Not &Interested", "X",
                         "Take the selected papers out of For you and every tag's suggestions, "
                         "and learn from it (X again: back in)")
        self.edit_tags = a(window, "actionEditTags", "Add &Tag…", "T", "Focus the tag field")
        self.edit_note = a(window, "actionEditNote", "Edit &Note", "N", "Focus the note")
        self.next = a(window, "actionNext", "&Next Paper", "J")
        self.previous = a(window, "actionPrevious", "&Previous Paper", "K")
        self.next_unread = a(window, "actionNextUnread", "Next &Unread Paper", "]",
                             "Jump to the next unread paper of the list")
        self.previous_unread = a(window, "actionPreviousUnread", "Previous Unrea&d Paper", "[",
                                 "Jump to the previous unread paper of the list")
        self.space = a(window, "actionPageOrNextUnread", "Scroll Abstract, then Next Unread",
                       "Space", "Space pages through the abstract, then moves to the next unread")
        self.open_link = a(window, "actionOpenLink", "&Open Link", "Ctrl+L",
                           "Open the paper's page in the browser (Enter, double-click): its "
                           "arXiv page when it has an arXiv id")
        self.open_pdf = a(window, "actionOpenPdf", "Open &PDF", "Ctrl+Shift+L",
                          "Open the paper's PDF in the browser")
        self.edit_details = a(window, "actionEditDetails", "Edit &Details…", "Ctrl+I",
                              "Authors, year, venue and identifiers, typed in")
        self.lookup = a(window, "actionLookUp", "&Look Up on arXiv",
                        tip="Fill the selected papers' authors, dates and identifiers from "
                            "arXiv (uses the network)")
        self.lookup_missing = a(window, "actionLookUpMissing",
                                "Look Up All Papers &Without Authors",
                                tip="Every paper no source has given an author yet, on arXiv")

    def _create_view_actions(self, window: QMainWindow) -> None:
        a = _action
        self.show_sidebar = a(window, "actionShowSidebar", "Show &Sidebar", "F9")
        self.show_details = a(window, "actionShowDetails", "Show &Detail Pane", "F8")
        for toggle in (self.show_sidebar, self.show_details):
            toggle.setCheckable(True)
            toggle.setChecked(True)
        self.best_first = a(window, "actionBestFirst", "Sort &Best First", "Ctrl+B",
                            "Unread, a digest or suggestions: the papers most like the ones "
                            "you read, skimmed, tagged or noted first")
        self.automatic_exports = a(window, "actionAutomaticExports", "&Automatic Exports…",
                                   tip="The .bib files kept up to date, and what each holds")
        self.reset_layout = a(window, "actionResetLayout", "&Reset Layout",
                              tip="Panes, columns and their widths as they were at first")
        self.reindex = a(window, "actionReindex", "&Rebuild Search Index")
        self.check = a(window, "actionCheck", "&Check Library…",
                       tip="Run the integrity checks and show the report")
        self.restore = a(window, "actionRestore", "Restore from &Backup…",
                         tip="Put one of the daily backups back in place of the library")
        self.syntax = a(window, "actionSearchHelp", "&Search Syntax")
        self.shortcuts = a(window, "actionShortcuts", "&Keyboard Shortcuts", "F1",
                           "Every key of the window on one sheet")
        self.shortcuts.setShortcuts([QKeySequence("F1"), QKeySequence("?")])
        self.about = a(window, "actionAbout", "&About Readinglist")

    def in_menus(self) -> list[QAction]:
        """Every action of the window, in the order of its menus (those in no
        menu after them): what the shortcut sheet lists."""
        found: list[QAction] = []

        def walk(actions) -> None:
            for action in actions:
                if action.menu() is not None:
                    walk(action.menu().actions())
                elif not action.isSeparator() and action not in found:
                    found.append(action)
        walk(self._window.menuBar().actions())
        walk(QMainWindow.actions(self._window))  # the window names its own "actions"
        return found

    def _build_menus(self, window: QMainWindow) -> None:
        self._window = window
        bar = window.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.import_, self.import_sample])
        file_menu.addSeparator()
        file_menu.addActions([self.export, self.export_view])
        self.export_tag_menu = file_menu.addMenu("Export &Tag as BibTeX")
        self.export_tag_menu.setObjectName("exportTagMenu")
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        edit_menu = self.edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([self.undo, self.redo, self.delete])
        edit_menu.addSeparator()
        edit_menu.addActions([self.find, self.search_all, self.copy_key])
        paper_menu = bar.addMenu("&Paper")
        paper_menu.addActions([self.mark_read, self.mark_skimmed, self.mark_unread,
                               self.dismiss])
        paper_menu.addSeparator()
        paper_menu.addActions([self.edit_tags, self.edit_note, self.edit_details])
        paper_menu.addSeparator()
        paper_menu.addActions([self.open_link, self.open_pdf, self.lookup])
        paper_menu.addSeparator()
        paper_menu.addActions([self.next, self.previous, self.next_unread,
                               self.previous_unread, self.space])
        view_menu = bar.addMenu("&View")
        view_menu.addActions([self.show_sidebar, self.show_details])
        view_menu.addSeparator()
        view_menu.addAction(self.best_first)
        view_menu.addSeparator()
        view_menu.addAction(self.reset_layout)
        tools = bar.addMenu("&Tools")
        tools.addAction(self.lookup_missing)
        tools.addAction(self.automatic_exports)
        tools.addSeparator()
        tools.addActions([self.check, self.restore])
        tools.addSeparator()
        tools.addAction(self.reindex)
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.shortcuts, self.syntax, self.about])

    def show_history(self, undo: str | None, redo: str | None) -> None:
        """Edit ▸ Undo / Redo name the step they would take (from the core's history)."""
        self.undo.setEnabled(undo is not None)
        self.undo.setText(f"&Undo {undo}" if undo else "&Undo")
        self.redo.setEnabled(redo is not None)
        self.redo.setText(f"&Redo {redo}" if redo else "&Redo")
