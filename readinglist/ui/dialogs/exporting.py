"""BibTeX export from the window: ask where, then write on the writer thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from readinglist.core.library import Filter, Library
from readinglist.ui.tasks import TaskRunner


class ExportController:
    def __init__(self, parent: QWidget, library: Library, tasks: TaskRunner,
                 settings: QSettings, message: Callable[[str], None]):
        self._parent = parent
        self.library = library
        self.tasks = tasks
        self._settings = settings
        self._message = message

    def export_ids(self, ids: Sequence[int]) -> None:
        ids = list(ids)
        self._export(lambda path: self.library.export.write(path, ids), "selection")

    def export_view(self, view: Filter, query: str, label: str) -> None:
        self._export(lambda path: self.library.export.write(path, view=view,
                                                           query=query or None),
                     label.replace(":", "-"))

    def export_tag(self, name: str) -> None:
        self._export(lambda path: self.library.export.write(path, view=Filter(tag=name)),
                     f"tag-{name}")

    def fill_tag_menu(self, menu: QMenu, names: Sequence[str]) -> None:
        menu.clear()
        for name in names:
            menu.addAction(name).triggered.connect(lambda _=False, n=name: self.export_tag(n))
        menu.setEnabled(bool(names))

    def _export(self, write: Callable[[str], int], label: str) -> None:
        suggested = str(Path(str(self._settings.value("exportDir", Path.home())))
                        / f"readinglist-{label}.bib")
        path, _ = QFileDialog.getSaveFileName(self._parent, "Export BibTeX", suggested,
                                              "BibTeX (*.bib);;All files (*)")
        if not path:
            return
        self._settings.setValue("exportDir", str(Path(path).parent))
        self.tasks.long(lambda: write(path), lambda n: self._message(
            f"Exported {n} entr{'y' if n == 1 else 'ies'} to {path}"))
