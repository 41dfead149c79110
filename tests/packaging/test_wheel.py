"""`pip install .` gives a working `readinglist` that carries its icons and sample digest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from readinglist import __version__
from tests.packaging.conftest import ROOT

pytestmark = pytest.mark.slow


def run(*args, **kwargs):
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True,
                            timeout=600, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # --no-build-isolation: the test extras hold the setuptools the build needs,
    # so this works offline too.
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
        "--quiet", "-w", out, ROOT, cwd=out)
    (built,) = out.glob("readinglist-*.whl")
    return built


def test_the_wheel_carries_the_resources(wheel):
    assert wheel.name.startswith(f"readinglist-{__version__}-")
    names = set(zipfile.ZipFile(wheel).namelist())
    for resource in (ROOT / "resources").rglob("*"):
        if resource.is_file():
            relative = resource.relative_to(ROOT / "resources").as_posix()
            assert f"readinglist/resources/{relative}" in names, relative
    assert not any(name.startswith(("tests/", "packaging/")) for name in names)


def test_installed_in_a_fresh_venv_readinglist_works(wheel, tmp_path):
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--quiet", wheel)
    # The libraries it needs (Qt, SQLAlchemy, Whoosh…) come from the test
    # environment, as a plain path: its own .pth files (and with them the
    # editable install of this checkout) are not read.
    site = Path(run(python, "-c", "import site; print(site.getsitepackages()[0])").stdout.strip())
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "READINGLIST_HOME": str(tmp_path / "lib")}
    env.pop("PYTHONPATH", None)
    where = run(python, "-c", "import readinglist, sys; print(readinglist.__file__)",
                cwd=tmp_path, env=env).stdout
    assert where.startswith(str(venv)), where  # the installed copy, not this checkout

    program = venv / "bin" / "readinglist"
    assert run(program, "--version", cwd=tmp_path, env=env).stdout.strip() == \
        f"readinglist {__version__}"
    sample = site / "readinglist" / "resources" / "sample" / "sample-digest.txt"
    imported = run(program, "import", sample, cwd=tmp_path, env=env)
    assert "5 new" in imported.stdout + imported.stderr
    run(program, "mark", "1", "read", cwd=tmp_path, env=env)
    suggested = run(program, "suggest", "--json", cwd=tmp_path, env=env)  # every subpackage
    assert len(json.loads(suggested.stdout)) == 4
    smoke = run(program, "--smoke-test", cwd=tmp_path, env=env)
    assert smoke.stdout.startswith("smoke test passed")
