"""BibTeX export from the window: the export dialog asks where and how, then
the file is written on the long-jobs thread (and registered, when it is to be
kept up to date)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QMenu, QWidget

from readinglist.core.exports.scope import Format, Scope
from readinglist.core.library import Filter, Library
from readinglist.ui.dialogs.export_dialog import ExportChoice, ExportDialog
from readinglist.ui.tasks import TaskRunner


class ExportController:
    def __init__(self, parent: QWidget, library: Library, tasks: TaskRunner,
                 settings: QSettings, message: Callable[[str], None],
                 registered: Callable[[], None] = lambda: None):
        self._parent = parent
        self.library = library
        self.tasks = tasks
        self._settings = settings
        self._message = message
        self._registered = registered  # a file is kept up to date from now on

    def export_ids(self, ids: Sequence[int]) -> None:
        ids = list(ids)
        what = f"{len(ids)} selected paper{'s' if len(ids) != 1 else ''}"
        self._export(Scope(ids=tuple(ids)), what, "selection")

    def export_view(self, view: Filter, query: str, label: str) -> None:
        what = f"the view “{label}”" + (f", searched for “{query}”" if query else "")
        self._export(Scope.of(view, query), what, label)

    def export_tag(self, name: str) -> None:
        self._export(Scope(tag=name), f"the papers tagged “{name}”", f"tag-{name}")

    def fill_tag_menu(self, menu: QMenu, names: Sequence[str]) -> None:
        menu.clear()
        for name in names:
            menu.addAction(name).triggered.connect(lambda _=False, n=name: self.export_tag(n))
        menu.setEnabled(bool(names))

    def _export(self, scope: Scope, what: str, label: str) -> None:
        folder = Path(str(self._settings.value("exportDir", Path.home())))
        safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in label).strip("-")
        last = Format(str(self._settings.value("exportFormat", "bibtex")),
                      str(self._settings.value("exportDigestDate", "false")) == "true")
        dialog = ExportDialog(what, str(folder / f"readinglist-{safe or 'export'}.bib"), last,
                              self._parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        choice = dialog.choice()
        self._settings.setValue("exportDir", str(Path(choice.path).parent))
        self._settings.setValue("exportFormat", choice.format.flavour)
        self._settings.setValue("exportDigestDate", choice.format.digest_date)
        self.tasks.long(lambda: self._write(scope, choice, what),
                        lambda n: self._written(n, choice))

    def _write(self, scope: Scope, choice: ExportChoice, what: str) -> int:
        if choice.keep_updated:
            update = self.library.exports.register(choice.path, scope, choice.format,
                                                   label=what)
            return update.entries
        return self.library.export.write_scope(choice.path, scope, choice.format)

    def _written(self, count: int, choice: ExportChoice) -> None:
        kept = "; kept up to date from now on" if choice.keep_updated else ""
        self._message(f"Exported {count} entr{'y' if count == 1 else 'ies'} to "
                      f"{Path(choice.path).name}{kept}")
        if choice.keep_updated:
            self._registered()
