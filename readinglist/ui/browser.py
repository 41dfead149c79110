"""Opening an address in the system browser: http(s) only, never another scheme
(a digest's text decides what a link says, not what it may run)."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices


def open_link(url: QUrl) -> bool:
    """Open http(s) links in the system browser; refuse every other scheme."""
    if url.scheme().lower() not in ("http", "https"):
        return False
    return QDesktopServices.openUrl(url)
