"""Importing from the window: drops, the progress bar, cancel, the summary."""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from readinglist.core.library import Library
from readinglist.core.views import REJECTED, ImportProgress, ImportResult
from readinglist.ui.tasks import TaskRunner


class ImportController(QObject):
    """Runs imports on the writer thread, one batch at a time, queueing the rest."""

    finished = Signal(object)  # ImportResult
    _progressed = Signal(object)  # ImportProgress, from the worker thread

    def __init__(self, library: Library, tasks: TaskRunner, progress: QProgressBar,
                 cancel: QPushButton, summary: ImportSummary, parent: QWidget):
        super().__init__(parent)
        self.summary = summary
        self._library = library
        self._tasks = tasks
        self._bar = progress
        self._cancel_button = cancel
        self._cancel = threading.Event()
        self._queue: list[list[Path]] = []
        self.running = False
        self._progressed.connect(self._show_progress)
        cancel.clicked.connect(self.cancel)
        self._idle()

    def choose(self, parent: QWidget) -> None:
        """File ▸ Import: pick digest files, then import them."""
        paths, _ = QFileDialog.getOpenFileNames(
            parent, "Import digests", str(Path.home()),
            "Digests (*.txt *.eml *.mbox *.html *.htm);;Text digests (*.txt);;"
            "E-mail (*.eml *.mbox);;Web pages (*.html *.htm);;All files (*)")
        if paths:
            self.start(paths)

    def start(self, paths: Sequence[str | Path]) -> None:
        paths = [Path(p) for p in paths]
        if not paths:
            return
        if self.running:
            self._queue.append(paths)
            return
        self.running = True
        self._cancel.clear()
        self._bar.setRange(0, 0)  # busy until the first file is counted
        self._bar.setFormat("Importing…")
        self.summary.hide()
        self._bar.show()
        self._cancel_button.show()
        self._cancel_button.setEnabled(True)

        def work() -> ImportResult:
            def progress(state: ImportProgress) -> bool:
                self._progressed.emit(state)
                return not self._cancel.is_set()

            return self._library.import_files(paths, progress)

        self._tasks.long(work, self._done, self._failed)

    def cancel(self) -> None:
        self._cancel.set()
        self._cancel_button.setEnabled(False)
        self._bar.setFormat("Cancelling after this file…")

    def _show_progress(self, state: ImportProgress) -> None:
        self._bar.setRange(0, max(1, state.files_total))
        self._bar.setValue(state.files_done)
        name = state.current.name if state.current else "done"
        self._bar.setFormat(f"%v / %m files · {state.papers_done} papers · {name}")

    def _done(self, result: ImportResult) -> None:
        self._idle()
        self.running = False
        self._show_summary(result)
        self.finished.emit(result)
        if self._queue:
            self.start(self._queue.pop(0))

    def _failed(self, error: BaseException) -> None:
        self._idle()
        self.running = False
        parent = self.parent()
        QMessageBox.warning(parent, "Import failed", f"The import stopped: {error}")
        self.finished.emit(ImportResult())

    def _idle(self) -> None:
        self._bar.hide()
        self._cancel_button.hide()

    def _show_summary(self, result: ImportResult) -> None:
        counts = result.to_json()
        if (counts["imported"] == 0 and counts["already_imported"] and not result.rejected
                and not result.cancelled):
            names = [f.path.name for f in result.files][:3]
            self.summary.show_result(
                "Already imported, nothing new: " + ", ".join(names)
                + (" …" if len(result.files) > 3 else ""), [], False, 0)
            return
        lines = [
            f"{counts['new']} new paper{'s' if counts['new'] != 1 else ''}, "
            f"{counts['seen']} seen before. "
            # "file": a bibliography or a mailbox is imported as a digest is
            f"{counts['imported']} file{'s' if counts['imported'] != 1 else ''} imported"
            + (f", {counts['already_imported']} already imported" if counts["already_imported"]
               else "") + "."
        ]
        if result.cancelled:
            lines.append("Cancelled: the remaining files were not imported.")
        lines += [f"• {f.path.name} ({f.describe_kind})" for f in result.files
                  if f.describe_kind and f.status != REJECTED]
        rejected = result.rejected
        if rejected:
            lines.append(f"Rejected ({len(rejected)}):")
            lines += [f"• {f.path.name}: {f.error}" for f in rejected]
        warnings = [f"{f.path.name}: skipped {s}" for f in result.files for s in f.skipped]
        warnings += [f"{f.path.name}: {w}" for f in result.files for w in f.warnings]
        self.summary.show_result("\n".join(lines), warnings, bool(rejected), counts["new"])


class ImportSummary(QFrame):
    """A banner over the table after an import: what came in, what was rejected.

    Not a dialog: it never takes the keyboard from the table, and stays until
    closed or the next import.
    """

    showNewRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("importSummary")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self._icon = QLabel()
        self._label = QLabel()
        self._label.setObjectName("importSummaryText")
        self._label.setWordWrap(True)
        self._label.setTextFormat(Qt.TextFormat.PlainText)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._details = QPlainTextEdit()
        self._details.setReadOnly(True)
        self._details.setMaximumHeight(110)
        self._details.hide()
        self._toggle = QToolButton()
        self._toggle.setText("Warnings")
        self._toggle.setCheckable(True)
        self._toggle.toggled.connect(self._details.setVisible)
        self.show_new = QToolButton()
        self.show_new.setObjectName("showNewPapers")
        self.show_new.setText("Show new papers")
        self.show_new.setToolTip("Switch to “Newly imported”")
        self.show_new.clicked.connect(self.showNewRequested)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Close")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        for button in (self._toggle, self.show_new, close):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        row = QHBoxLayout()
        row.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self._label, 1)
        row.addWidget(self.show_new, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self._toggle, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addLayout(row)
        layout.addWidget(self._details)
        self.hide()

    def show_result(self, text: str, warnings: list[str], problem: bool,
                    new_papers: int = 0) -> None:
        style = self.style()
        kind = (QStyle.StandardPixmap.SP_MessageBoxWarning if problem
                else QStyle.StandardPixmap.SP_MessageBoxInformation)
        self._icon.setPixmap(style.standardIcon(kind).pixmap(22, 22))
        self._label.setText(text)
        self._details.setPlainText("\n".join(warnings))
        self._toggle.setVisible(bool(warnings))
        self._toggle.setText(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}")
        self._toggle.setChecked(False)
        self.show_new.setVisible(new_papers > 0)
        self.show()

    def text(self) -> str:
        return self._label.text()


class DropOverlay(QLabel):
    """"Drop digests to import", over the window while files are dragged in."""

    def __init__(self, parent: QWidget):
        super().__init__("Drop digests to import", parent)
        self.setObjectName("dropOverlay")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.setFont(font)
        self.setStyleSheet(
            "QLabel#dropOverlay { background-color: rgba(59, 130, 246, 60);"
            " border: 3px dashed palette(highlight); border-radius: 12px;"
            " color: palette(text); }"
        )
        self.hide()

    def cover(self) -> None:
        self.setGeometry(self.parentWidget().rect().adjusted(8, 8, -8, -8))
        self.raise_()
        self.show()


MESSAGE_MIME = "message/rfc822"


class DropTarget(QObject):
    """Files dropped anywhere on ``window`` are imported; the overlay shows
    while they are dragged over it. (An event filter, so the window's own
    class needs no drag handlers.)"""

    def __init__(self, window: QWidget, overlay: DropOverlay,
                 start: Callable[[Sequence[str]], None]):
        super().__init__(window)
        self._overlay = overlay
        self._start = start
        self._message_file: Path | None = None
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def _local_paths(self, mime) -> list[str]:
        """The files dropped; a message a mail client offers only as data
        (``message/rfc822``) is saved to a file first."""
        paths = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
        if not paths and mime.hasFormat(MESSAGE_MIME):
            if self._message_file is None:
                handle, name = tempfile.mkstemp(prefix="dropped-", suffix=".eml")
                os.close(handle)
                self._message_file = Path(name)
            self._message_file.write_bytes(bytes(mime.data(MESSAGE_MIME)))
            paths = [str(self._message_file)]
        return paths

    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            mime = event.mimeData()
            if any(url.isLocalFile() for url in mime.urls()) or mime.hasFormat(MESSAGE_MIME):
                event.acceptProposedAction()
                if kind == QEvent.Type.DragEnter:
                    self._overlay.cover()
            else:
                event.ignore()
            return True
        if kind == QEvent.Type.DragLeave:
            self._overlay.hide()
            return False
        if kind == QEvent.Type.Drop:
            self._overlay.hide()
            paths = self._local_paths(event.mimeData())
            if paths:
                event.acceptProposedAction()
                self._start(paths)
            return True
        return False
