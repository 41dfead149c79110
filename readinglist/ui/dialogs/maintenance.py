"""Tools ▸ Check Library and Restore from Backup: dialogs over `library.maintenance`."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from readinglist.core.errors import ReadinglistError
from readinglist.core.library import Library
from readinglist.core.maintenance import CheckReport
from readinglist.ui.tasks import TaskRunner


def show_check_report(parent: QWidget, report: CheckReport, backup_error: str | None) -> None:
    lines = [f"✓ {note}" for note in report.notes]
    lines += [f"✗ {problem}" for problem in report.problems]
    if backup_error:
        lines.append(f"✗ {backup_error}")
    box = QMessageBox(parent)
    box.setObjectName("checkReport")
    box.setWindowTitle("Library check")
    box.setIcon(QMessageBox.Icon.Information if report.ok else QMessageBox.Icon.Warning)
    box.setText("The library is in good order." if report.ok else
                "Problems were found. Tools ▸ Restore from Backup… can go back "
                "to an earlier day.")
    box.setInformativeText("\n".join(lines))
    box.open()


def choose_backup(parent: QWidget, library: Library) -> Callable[[], str] | None:
    """Ask which backup to restore; returns the work that restores it (for the
    writer thread, returning the message to show), or None if cancelled."""
    backups = library.maintenance.list_backups()
    if not backups:
        QMessageBox.information(parent, "Restore from backup",
                                "There are no backups yet: one is made each day the "
                                "library is opened.")
        return None

    def label(b) -> str:
        count = b.paper_count()
        papers = "unreadable" if count is None else f"{count:,} paper{'s' if count != 1 else ''}"
        return f"{b.when()} — {papers}  ({b.name})"

    labels = [label(b) for b in backups]
    dialog = QInputDialog(parent)
    dialog.setObjectName("restoreDialog")
    dialog.setWindowTitle("Restore from backup")
    dialog.setLabelText("Put this backup in place of the library?\n"
                        "The library as it is now is kept as a backup too.")
    dialog.setComboBoxItems(labels)
    dialog.setComboBoxEditable(False)
    dialog.setOkButtonText("Restore")
    dialog.setMinimumWidth(520)  # the title and the longest entry in full
    if not dialog.exec():
        return None
    backup = backups[labels.index(dialog.textValue())]

    def work() -> str:
        try:
            saved = library.maintenance.restore(backup)
        except (ReadinglistError, OSError, sqlite3.Error) as exc:  # one line for the user
            return f"Could not restore {backup.name}: {exc}"
        return f"Restored {backup.name}. The previous state is kept as {saved.name}."

    return work


class MaintenanceActions:
    """Tools ▸ Check Library, Restore from Backup, Rebuild Search Index."""

    def __init__(self, parent: QWidget, library: Library, tasks: TaskRunner,
                 message: Callable[..., None], *, before_restore: Callable[[], None],
                 after_restore: Callable[[], None]):
        self._parent = parent
        self.library = library
        self.tasks = tasks
        self._message = message
        self._before_restore = before_restore
        self._after_restore = after_restore

    def check(self) -> None:
        self.tasks.long(self.library.maintenance.check, lambda report: show_check_report(
            self._parent, report, self.library.backup_error))

    def reindex(self) -> None:
        self._message("Rebuilding the search index…")
        self.tasks.long(self.library.maintenance.reindex,
                         lambda n: self._message(f"Search index rebuilt: {n} papers", 5000))

    def restore(self) -> None:
        if self.tasks.long_running:
            self._message("Restore waits until the import or the rebuild has finished.", 6000)
            return
        work = choose_backup(self._parent, self.library)
        if work is None:
            return
        self._before_restore()  # the note typed so far goes in before the switch

        def done(message: str) -> None:
            self._after_restore()
            self._message(message, 10000)

        self.tasks.write(work, done)
