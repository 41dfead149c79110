"""What the window shows instead of the table while the library is empty."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from readinglist.ui.resources import icon


def empty_state(import_action: QAction, sample_action: QAction) -> QWidget:
    page = QWidget()
    page.setObjectName("emptyState")
    layout = QVBoxLayout(page)
    layout.addStretch(2)
    art = QLabel()
    art.setPixmap(icon("readinglist").pixmap(96, 96))
    art.setAlignment(Qt.AlignmentFlag.AlignCenter)
    title = QLabel("Your reading list is empty")
    font = title.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    title.setFont(font)
    title.setAlignment(Qt.AlignmentFlag.AlignCenter)
    hint = QLabel("Drop digest files here or use File ▸ Import…")
    hint.setObjectName("emptyHint")
    hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
    buttons = QHBoxLayout()
    buttons.addStretch(1)
    choose = QPushButton("Import Digests…")
    choose.clicked.connect(import_action.trigger)
    sample = QPushButton("Try a Sample Digest")
    sample.setObjectName("importSampleButton")
    sample.setDefault(True)
    sample.clicked.connect(sample_action.trigger)
    buttons.addWidget(choose)
    buttons.addWidget(sample)
    buttons.addStretch(1)
    for widget in (art, title, hint):
        layout.addWidget(widget)
    layout.addSpacing(12)
    layout.addLayout(buttons)
    layout.addStretch(3)
    return page
