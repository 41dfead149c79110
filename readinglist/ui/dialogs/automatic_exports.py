"""Tools ▸ Automatic Exports: the files kept up to date, what each holds and
when it was written; Overwrite for a file paused because someone changed it,
Remove to stop keeping one (the file stays)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from readinglist.core.library import Library
from readinglist.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from readinglist.core.exports.automatic import AutoExport

COLUMNS = ("File", "What", "Format", "Written", "Entries")


def state_text(export: AutoExport) -> str:
    if export.paused:
        return "paused"
    return export.written[:16].replace("T", " ") if export.written else "not yet"


class AutomaticExportsDialog(QDialog):
    def __init__(self, library: Library, tasks: TaskRunner, changed: Callable[[], None],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("automaticExportsDialog")
        self.setWindowTitle("Automatic Exports")
        self._library = library
        self._tasks = tasks
        self._changed = changed  # the list changed: the window's timer reads it again
        self.exports: list[AutoExport] = []
        intro = QLabel("These files are written again whenever their papers change. "
                       "Export with “Keep this file up to date” to add one.")
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("automaticExportsTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.problem = QLabel()
        self.problem.setObjectName("automaticExportsProblem")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.overwrite = self._button(buttons, "&Overwrite", self._overwrite,
                                      "Write the file again over the changes made to it")
        self.remove = self._button(buttons, "&Remove", self._remove,
                                   "Stop keeping this file up to date (the file stays)")
        self.show_folder = self._button(buttons, "Show &Folder", self._show_folder, "")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(760, 320)
        self.reload()

    def _button(self, buttons: QDialogButtonBox, text: str, slot, tip: str) -> QPushButton:
        button = buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setAutoDefault(False)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    def reload(self) -> None:
        chosen = self.chosen()
        self.exports = self._library.exports.list()
        self.table.setRowCount(len(self.exports))
        for row, export in enumerate(self.exports):
            values = (Path(export.path).name, export.what, export.format.flavour,
                      state_text(export), str(export.entries))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(export.path if column == 0 else (export.paused or value))
                self.table.setItem(row, column, item)
        paths = [e.path for e in self.exports]
        if self.exports:
            self.table.selectRow(paths.index(chosen.path) if chosen and chosen.path in paths
                                 else 0)
        self._selection_changed()

    def chosen(self) -> AutoExport | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.exports[rows[0].row()] if rows and rows[0].row() < len(self.exports) \
            else None

    def _selection_changed(self) -> None:
        export = self.chosen()
        self.overwrite.setEnabled(bool(export and export.paused))
        self.remove.setEnabled(export is not None)
        self.show_folder.setEnabled(export is not None)
        self.problem.setText(export.paused if export and export.paused else "")

    def _overwrite(self) -> None:
        export = self.chosen()
        if export is not None:
            self._run(lambda: self._library.exports.update(force=export.path))

    def _remove(self) -> None:
        export = self.chosen()
        if export is not None:
            self._run(lambda: self._library.exports.remove(export.path))

    def _run(self, work) -> None:
        self.setEnabled(False)  # one change at a time; the list is read again after

        def done(_result=None) -> None:
            self.setEnabled(True)
            self.reload()
            self._changed()

        def failed(error: BaseException) -> None:
            self.problem.setText(str(error))
            done()

        self._tasks.files(work, done, failed)

    def _show_folder(self) -> None:
        export = self.chosen()
        if export is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(export.path).parent)))
