"""The core never imports Qt: the window and the CLI are thin layers over it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import readinglist.core

CORE = Path(readinglist.core.__file__).parent
QT_PACKAGES = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "qtpy")


def test_no_module_of_the_core_imports_qt_in_its_source():
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in QT_PACKAGES]
    assert offenders == []


def test_importing_the_core_and_the_cli_loads_no_qt():
    code = (
        "import sys, readinglist.core.library, readinglist.core.sources.digest, readinglist.cli\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {QT_PACKAGES!r}]\n"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
