"""Shared fixtures. Every test gets its own library folder and its own settings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from readinglist.core.library import Library

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_DIGESTS = Path(__file__).resolve().parents[2] / "shared" / "digests"

# The three digests of the project's own fixtures: 8 distinct papers, 11 appearances.
DIGESTS = [FIXTURES / name for name in ("digest_apr02.txt", "digest_apr03.txt", "digest_apr05.txt")]


ISOLATED = ("READINGLIST_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
            "XDG_STATE_HOME")


@pytest.fixture(autouse=True, scope="session")
def _isolated_session_home(tmp_path_factory):
    """Libraries made by fixtures wider than a test (a module's topic library)
    keep their caches out of the real user's folders too."""
    home = tmp_path_factory.mktemp("session-home")
    with pytest.MonkeyPatch.context() as patch:
        for name in ISOLATED:
            patch.setenv(name, str(home / name.lower()))
        yield


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """No test reads or writes the real user's library."""
    monkeypatch.setenv("READINGLIST_HOME", str(tmp_path / "home-library"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.delenv("READINGLIST_CONFIG", raising=False)


@pytest.fixture
def fixture_copy(tmp_path):
    """Copy fixture files into a scratch folder (tests may touch their mtimes)."""

    def copy(*names: str) -> list[Path]:
        folder = tmp_path / "digests"
        folder.mkdir(exist_ok=True)
        return [Path(shutil.copy(FIXTURES / name, folder / name)) for name in names]

    return copy


@pytest.fixture
def library(tmp_path):
    lib = Library.open(tmp_path / "library")
    yield lib
    lib.close()


@pytest.fixture
def filled(library):
    """A library with the three fixture digests imported."""
    library.import_files(DIGESTS)
    return library


@pytest.fixture
def shared_digests():
    if not SHARED_DIGESTS.is_dir() or not list(SHARED_DIGESTS.glob("*.txt")):
        pytest.skip("the real digests of ../shared/digests are not present")
    return SHARED_DIGESTS


def cache_dir_of(folder: Path) -> Path:
    """Where this user's caches of the library in ``folder`` are (its search
    index, its features): outside the folder, by the library's id and place."""
    import sqlite3

    from readinglist.paths import library_cache_dir

    conn = sqlite3.connect(folder / "library.sqlite")
    try:
        [library_id] = conn.execute("SELECT value FROM meta WHERE key = 'library_id'").fetchone()
    finally:
        conn.close()
    return library_cache_dir(library_id, folder / "library.sqlite")


def index_dir_of(folder: Path) -> Path:
    return cache_dir_of(folder) / "index"
