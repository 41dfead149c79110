"""The export dialog: where to write, BibTeX or BibLaTeX, the digest's date in
a note or not, and whether the file is kept up to date from now on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from readinglist.core.exports.scope import Format

FORMATS = (  # (flavour, what the menu says)
    ("bibtex", "BibTeX (bibtex, natbib)"),
    ("biblatex", "BibLaTeX (biber)"),
)


@dataclass(frozen=True)
class ExportChoice:
    path: str
    format: Format
    keep_updated: bool


class ExportDialog(QDialog):
    def __init__(self, what: str, suggested: str, fmt: Format,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export BibTeX")
        heading = QLabel(f"Export {what}")
        heading.setTextFormat(Qt.TextFormat.PlainText)  # a tag's or a digest's words, as text
        heading.setWordWrap(True)
        self.path = QLineEdit(suggested)
        self.path.setObjectName("exportPath")
        choose = QPushButton("C&hoose…")
        choose.setObjectName("exportChoose")
        choose.setAutoDefault(False)  # Enter exports; it never opens the file chooser
        choose.clicked.connect(self._choose)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(choose)
        self.format = QComboBox()
        self.format.setObjectName("exportFormat")
        for flavour, label in FORMATS:
            self.format.addItem(label, flavour)
        self.format.setCurrentIndex(max(0, self.format.findData(fmt.flavour)))
        self.digest_date = QCheckBox("Add the date of the first &digest that listed each paper")
        self.digest_date.setObjectName("exportDigestDate")
        self.digest_date.setChecked(fmt.digest_date)
        self.keep = QCheckBox("&Keep this file up to date")
        self.keep.setObjectName("exportKeep")
        self.keep.setToolTip("Written again in the background whenever these papers change "
                             "(Tools ▸ Automatic Exports lists them)")
        form = QFormLayout()
        file_label = QLabel("&File")
        file_label.setBuddy(self.path)
        format_label = QLabel("F&ormat")
        format_label.setBuddy(self.format)
        form.addRow(file_label, where)
        form.addRow(format_label, self.format)
        form.addRow("", self.digest_date)
        form.addRow("", self.keep)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.path.textChanged.connect(
            lambda text: self.export_button.setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.export_button.setDefault(True)  # once in the dialog: Enter exports
        self.setMinimumWidth(560)

    def _choose(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export BibTeX", self.path.text(),
                                              "BibTeX (*.bib);;All files (*)")
        if path:
            self.path.setText(path)

    def choice(self) -> ExportChoice:
        path = str(Path(self.path.text().strip()).expanduser())
        if not Path(path).suffix:
            path += ".bib"
        return ExportChoice(path, Format(str(self.format.currentData()),
                                         self.digest_date.isChecked()),
                            self.keep.isChecked())
