"""The window's edits: each one core call on the writer thread.

The core records every edit for undo (core/history.py); this module only
triggers the calls, and afterwards hands the window what the edit changed
(its `Effect`, as the core reports it) and what the Edit menu's Undo / Redo
now say. It holds no rule of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from textwrap import shorten

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from readinglist.core.editing.effects import Effect, combined
from readinglist.core.library import Library
from readinglist.ui.tasks import TaskRunner

BUSY_AFTER_MS = 200  # an edit taking longer shows a busy cursor and "Saving…"


def confirm_delete(parent: QWidget, title: str, text: str) -> bool:
    """Delete / Cancel, with Cancel the default: Enter never deletes by accident."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    box.setObjectName("deleteConfirmation")
    delete = box.addButton("&Delete", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is delete


class EditCommands:
    def __init__(self, library: Library, tasks: TaskRunner, parent: QWidget, *,
                 selection: Callable[[], list[int]],
                 changed: Callable[[Effect | None], None],
                 history_changed: Callable[[str | None, str | None], None],
                 message: Callable[[str], None],
                 moving_on: Callable[[Sequence[int]], None] = lambda ids: None,
                 writing: Callable[[], None] = lambda: None):
        self.library = library
        self.tasks = tasks
        self._parent = parent
        self._selection = selection
        self._changed = changed  # what an edit changed (None: nothing said; read all again)
        self._writing = writing  # an edit is about to be written
        self._history_changed = history_changed
        self._message = message
        self._moving_on = moving_on  # papers about to be marked or deleted: keep the place
        self._pending = 0
        self._busy_timer = QTimer(parent)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_AFTER_MS)
        self._busy_timer.timeout.connect(self._show_busy)
        self._busy_shown = False

    def _show_busy(self) -> None:
        if self._pending and not self._busy_shown:
            self._busy_shown = True
            QGuiApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
            self._message("Saving…")

    def _one_done(self) -> None:
        self._pending -= 1
        if self._pending == 0:
            self._busy_timer.stop()
            if self._busy_shown:
                self._busy_shown = False
                QGuiApplication.restoreOverrideCursor()
                self._message("")  # "Saving…" goes when the saving is done

    @property
    def pending(self) -> bool:
        """Edits handed to the writer whose result has not come back."""
        return self._pending > 0

    def _write(self, work: Callable[[], object],
               done: Callable[[object], None] | None = None) -> None:
        library = self.library

        def work_and_labels():
            with library.history.effects.collecting() as effects:
                value = work()
            effect = combined(effects)
            if effect is None:  # nothing recorded (a key pinned, no note to recover)
                now = library.generation()
                effect = Effect(generation=(now, now))
            return value, effect, library.history.labels()

        def finished(result) -> None:
            self._one_done()
            value, effect, labels = result
            self._changed(effect)
            self._history_changed(*labels)
            if done is not None:
                done(value)

        self._pending += 1
        self._writing()
        self._busy_timer.start()

        def failed(error: BaseException) -> None:
            self._one_done()
            self.tasks.error.emit(error)  # the window says what went wrong

        self.tasks.write(work_and_labels, finished, failed)

    def refresh_history(self) -> None:
        """Read the Undo / Redo labels again (another window or the CLI may have edited)."""
        self.tasks.read(self.library.history.labels,
                        lambda labels: self._history_changed(*labels))

    # -- papers ------------------------------------------------------------------------------
    def set_status(self, status: str, ids: Sequence[int] | None = None) -> None:
        """The selection's status (then the list moves on), or that of ``ids``
        (a digest's "Mark All Read": the selection stays where it is)."""
        chosen = list(ids) if ids is not None else self._selection()
        if chosen:
            edit = self.library.edit
            said = None
            if ids is None:
                self._moving_on(chosen)
                said = self._status_said(status, chosen)
            self._write(lambda: edit.set_status(chosen, status), said)

    def _status_said(self, status: str, ids: Sequence[int]) -> Callable[[object], None]:
        """R, S, U say what they did: the row moves on, so the person may not
        have seen the paper change."""
        library = self.library

        def said(_result: object) -> None:
            if len(ids) == 1:
                what = f"“{shorten(library.papers.get(ids[0]).title, 60)}”"
            else:
                what = f"{len(ids)} papers"
            self._message(f"Marked {status}: {what} — Ctrl+Z undoes", 5000)
        return said

    def toggle_dismissed(self) -> None:
        """X: the core decides (all already "not interested" → back in)."""
        ids = self._selection()
        if ids:
            edit = self.library.edit
            self._moving_on(ids)

            def said(dismissed: object) -> None:
                count = f"{len(ids)} paper{'s' if len(ids) != 1 else ''}"
                self._message(f"Not interested: {count} (Ctrl+Z to undo)" if dismissed
                              else f"Back in your suggestions: {count}", 4000)
            self._write(lambda: edit.toggle_dismissed(ids), said)

    def change_tags(self, add: Sequence[str] = (), remove: Sequence[str] = ()) -> None:
        ids = self._selection()
        if not ids:
            return
        tags = self.library.tags

        def work() -> None:
            if add:
                tags.add(ids, add)
            if remove:
                tags.remove(ids, remove)

        self._write(work)

    def save_note(self, paper_id: int, text: str) -> None:
        library = self.library

        def work() -> None:
            library.edit.set_note(paper_id, text)
            library.drafts.saved(paper_id, text)  # the database has it now

        self._write(work)

    def set_details(self, paper_id: int, values: dict) -> None:
        """Details typed in Edit Details (checked there already; the core checks too)."""
        edit = self.library.edit

        def done(changed) -> None:
            if not changed:
                self._message("Nothing changed: the paper had those details already.")

        self._write(lambda: edit.set_details(paper_id, values), done)

    def pin_keys(self, ids: Sequence[int]) -> None:
        """The keys were copied out of the library: they never change from now on."""
        export = self.library.export
        wanted = list(ids)
        self._write(lambda: export.pin(wanted))

    def keep_draft(self, paper_id: int, text: str) -> None:
        """The note as typed, on disk at once: a killed window loses none of it."""
        try:
            self.library.drafts.put(paper_id, text)
        except OSError as exc:  # a read-only folder: the save a moment later still runs
            self._message(f"The note's draft cannot be kept: {exc.strerror or exc}")

    def recover_notes(self) -> None:
        """Notes a killed window had not saved yet: saved now, and said so."""
        def done(count: int) -> None:
            said = []
            if count:
                said.append(f"Recovered {count} note{'s' if count != 1 else ''} typed "
                            "before Readinglist last closed")
            skipped = self.library.drafts.skipped
            if skipped:
                said.append(f"Left {len(skipped)} draft{'s' if len(skipped) != 1 else ''} "
                            f"alone: {skipped[0]}")
            if said:
                self._message("; ".join(said))

        self._write(self.library.recover_notes, done)

    def delete_selected(self) -> None:
        ids = self._selection()
        if not ids:
            return
        what = "this paper" if len(ids) == 1 else f"these {len(ids)} papers"
        if confirm_delete(self._parent, "Delete papers",
                          f"Remove {what} from the library, with tags and notes?\n"
                          "You can undo this with Ctrl+Z."):
            self.delete(ids)

    def delete(self, ids: Sequence[int]) -> None:
        edit = self.library.edit
        self._moving_on(ids)
        self._write(lambda: edit.delete(ids))

    # -- tags of the sidebar -------------------------------------------------------------------
    def rename_tag(self, old: str, new: str) -> None:
        tags = self.library.tags
        self._write(lambda: tags.rename(old, new))

    def delete_tag(self, name: str) -> None:
        tags = self.library.tags
        self._write(lambda: tags.delete(name))

    # -- history -------------------------------------------------------------------------------
    def undo(self) -> None:
        self._write(self.library.undo, self._report("Nothing to undo"))

    def redo(self) -> None:
        self._write(self.library.redo, self._report("Nothing to redo"))

    def _report(self, nothing: str) -> Callable[[object], None]:
        def done(result) -> None:
            self._message(result.message if result is not None else nothing)

        return done
