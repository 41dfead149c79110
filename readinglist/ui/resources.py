"""Icons and the sample digest shipped in the top-level ``resources/`` folder."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

_ROOT = Path(__file__).resolve().parents[2] / "resources"


def resource(*parts: str) -> Path:
    return _ROOT.joinpath(*parts)


@cache
def icon(name: str) -> QIcon:
    """An SVG icon of ``resources/icons`` (QtSvg renders it at any size)."""
    return QIcon(str(resource("icons", f"{name}.svg")))


def sample_digest() -> Path:
    return resource("sample", "sample-digest.txt")
