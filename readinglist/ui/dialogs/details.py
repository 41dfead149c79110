"""Paper ▸ Edit Details…: a paper's authors, year, type, venue and identifiers,
typed in. A value typed here is never overwritten by an import or a lookup.

The form is checked by the core's own rules (`core.editing.details`) before
it is saved: a wrong year or DOI is said under the form, and the dialog stays
open with what was typed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from readinglist.core.editing.details import check_details
from readinglist.core.errors import InvalidInput
from readinglist.core.sources.references import ENTRY_TYPES
from readinglist.core.storage.metadata_columns import describe_source
from readinglist.core.views import PaperView

# (field, label, placeholder): the line edits of the form, in order
_LINES = (
    ("year", "&Year", "2015"),
    ("venue", "&Venue", "journal, or the proceedings' title"),
    ("volume", "Vo&lume", ""),
    ("number", "N&umber", ""),
    ("pages", "&Pages", "112–125"),
    ("publisher", "Pu&blisher", ""),
    ("doi", "&DOI", "10.1007/BF00115009"),
    ("arxiv", "ar&Xiv id", "1511.06391v4"),
    ("url", "&URL", "https://…"),
    ("pdf_url", "P&DF URL", "https://…"),
)


def _typed(paper: PaperView, name: str) -> str:
    meta = paper.metadata
    if name == "arxiv":
        if not meta.arxiv_id:
            return ""
        return meta.arxiv_id + (f"v{meta.arxiv_version}" if meta.arxiv_version else "")
    value = getattr(meta, name)
    return "" if value is None else str(value)


class DetailsDialog(QDialog):
    def __init__(self, paper: PaperView, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("detailsDialog")
        self.setWindowTitle("Edit Details")
        self.paper = paper
        self.values: dict[str, object] = {}  # what was checked, once accepted
        title = QLabel(paper.title)
        title.setTextFormat(Qt.TextFormat.PlainText)  # a digest's words are never markup
        title.setWordWrap(True)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        form = QFormLayout()
        self.authors = QPlainTextEdit("\n".join(
            "{" + a.family + "}" if a.literal
            else ", ".join(x for x in (a.family, a.suffix, a.given) if x)
            for a in paper.metadata.authors))
        self.authors.setObjectName("detailsAuthors")
        self.authors.setPlaceholderText("One author a line: Family, Given\n{Group Name} for a "
                                        "group")
        self.authors.setTabChangesFocus(True)
        self.authors.setFixedHeight(self.authors.fontMetrics().lineSpacing() * 5 + 12)
        form.addRow(self._label("&Authors", "authors", self.authors), self.authors)
        self.kind = QComboBox()
        self.kind.setObjectName("detailsType")
        self.kind.addItems(["", *ENTRY_TYPES])
        self.kind.setCurrentText(paper.metadata.entry_type or "")
        form.addRow(self._label("&Type", "entry_type", self.kind), self.kind)
        self.lines: dict[str, QLineEdit] = {}
        for name, label, placeholder in _LINES:
            edit = QLineEdit(_typed(paper, name))
            edit.setObjectName(f"details_{name}")
            edit.setPlaceholderText(placeholder)
            self.lines[name] = edit
            source = "arxiv_id" if name == "arxiv" else name
            form.addRow(self._label(label, source, edit), edit)
        self.problem = QLabel()
        self.problem.setObjectName("detailsProblem")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        palette = self.problem.palette()
        palette.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.red)
        self.problem.setPalette(palette)
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def _label(self, text: str, field: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        source = self.paper.sources.get(field)
        if source:
            label.setToolTip(f"From {describe_source(source)}")
            buddy.setToolTip(f"From {describe_source(source)}")
        return label

    def typed(self) -> dict[str, object]:
        """Every field of the form, as typed (empty ones clear their field)."""
        values: dict[str, object] = {
            "authors": [line for line in self.authors.toPlainText().splitlines()
                        if line.strip()],
            "entry_type": self.kind.currentText() or None,
        }
        values.update({name: edit.text().strip() for name, edit in self.lines.items()})
        return values

    def accept(self) -> None:
        """Saved only when every field is right; else what is wrong is said here."""
        try:
            self.values = check_details(self.typed())
        except InvalidInput as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        super().accept()
