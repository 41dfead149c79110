"""The PyInstaller one-folder app: it builds, and the built app works on its own."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from readinglist import __version__
from tests.packaging.conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    pytest.importorskip("PyInstaller", reason="PyInstaller is in the test extras")
    work = tmp_path_factory.mktemp("pyinstaller")
    result = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"),
         str(ROOT / "packaging" / "readinglist.spec")],
        capture_output=True, text=True, timeout=900, cwd=work,
        # its cache of its own: another test run building beside this one
        env={**os.environ, "PYINSTALLER_CONFIG_DIR": str(work / "config")})
    assert result.returncode == 0, result.stderr[-3000:]
    app = work / "dist" / "readinglist"
    assert (app / "readinglist").is_file()
    return app


def test_the_bundle_starts_imports_and_searches_on_its_own(bundle, tmp_path):
    # Nothing of this checkout or its venv may help the bundle along.
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(QT_QPA_PLATFORM="offscreen", READINGLIST_HOME=str(tmp_path / "lib"),
               PATH="/usr/bin:/bin")
    version = subprocess.run([str(bundle / "readinglist"), "--version"], capture_output=True,
                             text=True, timeout=60, env=env, cwd=tmp_path)
    assert version.stdout.strip() == f"readinglist {__version__}"

    started = time.monotonic()
    smoke = subprocess.run([str(bundle / "readinglist"), "--smoke-test"], capture_output=True,
                           text=True, timeout=300, env=env, cwd=tmp_path)
    seconds = time.monotonic() - started
    assert smoke.returncode == 0, smoke.stderr
    assert smoke.stdout.startswith("smoke test passed: imported 5 papers")
    size = sum(f.stat().st_size for f in bundle.rglob("*")
               if f.is_file() and not f.is_symlink()) / 2**20
    print(f"bundle: {size:.0f} MB, smoke test {seconds:.1f} s")  # shown with -rP
