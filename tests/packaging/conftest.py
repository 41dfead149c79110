"""Packaging checks need Debian tools; under CI they must be there, elsewhere a
missing tool skips its test with the package to install."""

from __future__ import annotations

import os
import shutil

import pytest

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
APP_ID = "org.readinglist.Readinglist"


def need(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is missing (Debian package {package})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path
