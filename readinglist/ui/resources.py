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

from PySide6.QtGui import QIcon

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
def app_icon() -> QIcon:
    """The application icon: the drawn PNG sizes, and the SVG for any other size."""
    icon_ = QIcon(str(resource("icons", "readinglist.svg")))
    for png in sorted(resource("icons", "hicolor").glob("*/apps/*.png")):
        icon_.addFile(str(png))
    return icon_


def sample_digest() -> Path:
    return resource("sample", "sample-digest.txt")
