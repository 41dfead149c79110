"""Help ▸ About."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from readinglist import __version__


def show_about(parent: QWidget, folder: Path) -> None:
    QMessageBox.about(
        parent, "About Readinglist",
        f"<h3>Readinglist {__version__}</h3>"
        "<p>Turns daily trending-paper digests into a reading list.</p>"
        f"<p>Library: {html.escape(str(folder))}</p>")
