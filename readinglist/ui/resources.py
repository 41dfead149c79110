"""Icons and the sample digest, from the top-level ``resources/`` folder.

Where that folder is depends on how Readinglist runs: beside the package in
a source checkout (and an editable install), inside the package as
``readinglist/resources`` in a wheel, and under the bundle's own folder in
the PyInstaller app (``packaging/readinglist.spec`` puts it at that same
place inside the package).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

_PACKAGE = Path(__file__).resolve().parents[1]


@cache
def resource_root() -> Path:
    for candidate in (_PACKAGE / "resources", _PACKAGE.parent / "resources"):
        if (candidate / "icons" / "readinglist.svg").is_file():
            return candidate
    raise FileNotFoundError(f"the resources folder is missing beside {_PACKAGE}")


def resource(*parts: str) -> Path:
    return resource_root().joinpath(*parts)


@cache
def icon(name: str) -> QIcon:
    """An SVG icon of ``resources/icons`` (QtSvg renders it at any size)."""
    return QIcon(str(resource("icons", f"{name}.svg")))


@cache
def table_icon(name: str) -> QIcon:
    """An icon for a table cell: on a selected row it sits on a light disc, so a
    blue dot stays readable on a blue selection, in light and dark palettes."""
    plain = icon(name)
    result = QIcon()
    for size in (16, 20, 24, 32):
        normal = plain.pixmap(size, size)
        result.addPixmap(normal, QIcon.Mode.Normal)
        selected = QPixmap(size, size)
        selected.fill(Qt.GlobalColor.transparent)
        painter = QPainter(selected)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 235))
        painter.drawEllipse(QRectF(0.5, 0.5, size - 1, size - 1))
        painter.drawPixmap(0, 0, normal)
        painter.end()
        result.addPixmap(selected, QIcon.Mode.Selected)
    return result


@cache
def app_icon() -> QIcon:
    """The application icon: the drawn PNG sizes, and the SVG for any other size."""
    icon_ = QIcon(str(resource("icons", "readinglist.svg")))
    for png in sorted(resource("icons", "hicolor").glob("*/apps/*.png")):
        icon_.addFile(str(png))
    return icon_


def sample_digest() -> Path:
    return resource("sample", "sample-digest.txt")
