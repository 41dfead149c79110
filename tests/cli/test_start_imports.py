"""A command line that starts at once: what each command imports, not how long
it takes (a test of time would fail on a busy machine). `--version` imports
nothing of the library; `stats`, `list` and `show` neither the ORM nor the
search engine nor the suggestion stack nor the HTML parser: plain SQL; nor
does `similar` with the features file in step (NumPy)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from readinglist.core.library import Library
from tests.conftest import DIGESTS

HEAVY = ("whoosh", "numpy", "sklearn", "scipy", "lxml", "feedparser", "bibtexparser",
         "PySide6", "sqlalchemy", "sqlmodel", "pydantic")
PROBE = """
import json, sys
from readinglist.cli import main
code = main(sys.argv[1:])
print(json.dumps([code, sorted(m for m in {heavy!r} if m in sys.modules)]), file=sys.stderr)
"""


def imported(*args: str) -> tuple[int, list[str], str]:
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
                          capture_output=True, text=True, timeout=120)
    code, modules = json.loads(done.stderr.strip().splitlines()[-1])
    return code, modules, done.stdout


@pytest.fixture
def library_folder(tmp_path):
    # per test: the caches live in this test's own user cache folder
    folder = tmp_path / "lib"
    with Library.open(folder) as library:
        library.import_files(DIGESTS)
        library.search.ids("models")  # the index and the features exist, as in daily use
        library.similar(1)
    Library.open(folder).close()  # and today's backup was made by the first open of the day
    return str(folder)


def test_version_imports_nothing_of_the_library():
    code, modules, out = imported("--version")
    assert code == 0 and out.startswith("readinglist ") and modules == []
    probe = ("import sys; from readinglist.cli import main; main(['--version']); "
             "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'sqlmodel', "
             "'readinglist.core'))))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("command", [
    ["stats"], ["show", "1"], ["show", "loradrop"], ["list", "--limit", "5"],
    ["list", "--status", "unread", "--sort", "title", "--since", "2026-01-01"]])
def test_reading_commands_import_no_orm_no_search_engine_nor_suggestions(library_folder,
                                                                         command):
    code, modules, out = imported("--library", library_folder, *command)
    assert code in (0, 1) and (out or code == 1)
    assert modules == []


def test_search_and_similar_import_what_they_need_and_no_more(library_folder):
    code, modules, _ = imported("--library", library_folder, "search", "models")
    assert code == 0 and "whoosh" in modules and "sklearn" not in modules
    code, modules, out = imported("--library", library_folder, "similar", "1")
    # the features file in step answers: read with NumPy, the papers with plain SQL
    assert code == 0 and modules == ["numpy"] and "alike" in out
    with Library.open(library_folder) as library:  # something to learn from
        library.edit.set_status([1, 2, 3], "read")
        library.tags.add([1, 2, 3], ["robots"])
    for command in (["suggest", "--limit", "3"], ["suggest", "--tag", "Robots", "--limit", "3"]):
        code, modules, out = imported("--library", library_folder, *command)
        # the SVM on the stored features (SciPy's sparse rows), the rest plain SQL
        assert code == 0 and modules == ["numpy", "scipy"] and "top" in out, command
    code, modules, out = imported("--library", library_folder, "list", "--tag", "robots")
    assert code == 0 and modules == [] and out.count("\n") >= 3
    code, modules, _ = imported("--library", library_folder, "list", "--tag", "robot")
    assert code == 2 and modules == []  # "no tag named 'robot' (did you mean “robots”?)"


def test_papers_transformed_once_are_saved_so_the_next_command_imports_no_scikit_learn(
        tmp_path):
    """A day's digest imported after the features were made (the library grew
    by less than a quarter: no new vocabulary): the first `similar` transforms
    its papers with scikit-learn and keeps them; the next reads them from the
    file, as every command after it."""
    from tests.synthetic import write_digests

    folder = tmp_path / "lib"
    write_digests(tmp_path / "before", files=2, per_file=40, seed=4)
    with Library.open(folder) as library:
        library.import_files(sorted((tmp_path / "before").glob("*.txt")))
        library.similar(1)  # the features made and saved
    write_digests(tmp_path / "today", files=1, per_file=6, seed=5)
    code, _modules, _ = imported("--library", str(folder), "import",
                                 *map(str, sorted((tmp_path / "today").glob("*.txt"))))
    assert code == 0
    code, modules, _ = imported("--library", str(folder), "similar", "1")
    assert code == 0 and "sklearn" in modules  # today's papers transformed
    for command in (["similar", "1"], ["suggest", "--limit", "3"]):
        code, modules, _ = imported("--library", str(folder), *command)
        assert code == 0 and "sklearn" not in modules, command


def test_a_window_bringing_the_features_in_step_after_an_import_saves_them(tmp_path):
    """What the window does after an import (in the background): the file is
    in step before the window closes, so a terminal's `similar` meanwhile
    transforms nothing."""
    from tests.synthetic import write_digests

    folder = tmp_path / "lib"
    write_digests(tmp_path / "before", files=2, per_file=40, seed=4)
    write_digests(tmp_path / "today", files=1, per_file=6, seed=5)
    with Library.open(folder) as window_library:
        window_library.import_files(sorted((tmp_path / "before").glob("*.txt")))
        window_library.similar(1)
        window_library.import_files(sorted((tmp_path / "today").glob("*.txt")))
        window_library.suggester.prepare()  # as FeatureLearning.prepare after an import
        code, modules, _ = imported("--library", str(folder), "similar", "1")
        assert code == 0 and "sklearn" not in modules
