"""Tries to break the library: killed imports, concurrent writers, a full disk,
damaged files, backups and restore."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from readinglist.core.library import Library
from readinglist.core.storage import backups
from tests.conftest import DIGESTS, index_dir_of
from tests.synthetic import write_digests


def cli(*args: str, library: Path, timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "readinglist", "--library", str(library), *args],
        capture_output=True, text=True, timeout=timeout, **kwargs,
    )


def integrity(folder: Path) -> str:
    conn = sqlite3.connect(folder / "library.sqlite")
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def consistent(library: Library, digest_files: dict[str, tuple[set[str], int]]) -> None:
    """Every imported digest is there whole, and nothing else is."""
    imported = [d.file_name for d in library.papers.digests()]
    assert len(imported) == len(set(imported))
    titles = set()
    appearances = 0
    for name in imported:
        file_titles, count = digest_files[name]
        titles |= file_titles
        appearances += count
    stats = library.papers.stats()
    assert stats.papers == len(titles)
    assert stats.appearances == appearances
    assert {p.title for p in library.papers.list(limit=None)} == titles
    assert library.search.index_ids() == set(library.papers.ids())  # the index agrees
    assert library.maintenance.check().ok


def digest_contents(folder: Path) -> dict[str, tuple[set[str], int]]:
    from readinglist.core.sources.digest import parse

    out = {}
    for path in sorted(folder.glob("*.txt")):
        digest = parse(path.read_bytes())
        out[path.name] = ({e.title for e in digest.entries}, len(digest.entries))
    return out


@pytest.mark.slow
def test_import_killed_at_random_points_loses_and_duplicates_nothing(tmp_path):
    source = tmp_path / "digests"
    distinct, appearances = write_digests(source, files=200, per_file=60)
    contents = digest_contents(source)
    library_dir = tmp_path / "lib"
    kills = 0
    for delay in (0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 2.2):
        proc = subprocess.Popen(
            [sys.executable, "-m", "readinglist", "--library", str(library_dir), "import",
             str(source)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        finished = proc.wait(60) == 0
        if not (library_dir / "library.sqlite").exists():
            continue
        assert integrity(library_dir) == "ok"
        with Library.open(library_dir) as library:
            # Opening leaves a long queue to the next writer (a reader never does
            # an import's indexing); check catches the index up, or rebuilds it.
            assert library.maintenance.check().ok
            consistent(library, contents)
        if finished:
            break
    assert kills >= 3, f"only {kills} imports were killed before the batch was done"
    result = cli("import", str(source), "--json", library=library_dir)
    assert result.returncode == 0, result.stderr
    assert integrity(library_dir) == "ok"
    with Library.open(library_dir) as library:
        stats = library.papers.stats()
        assert (stats.papers, stats.appearances, stats.digests) == (distinct, appearances, 200)
        consistent(library, contents)


@pytest.mark.slow
def test_two_cli_imports_at_once_give_exact_totals(tmp_path):
    source = tmp_path / "digests"
    distinct, appearances = write_digests(source, files=16, per_file=30, seed=11)
    library_dir = tmp_path / "lib"
    files = sorted(source.glob("*.txt"))
    procs = [
        subprocess.Popen([sys.executable, "-m", "readinglist", "--library", str(library_dir),
                          "import", *map(str, batch), "--json"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for batch in (files, list(reversed(files)))
    ]
    outputs = [proc.communicate(timeout=300) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    statuses = [f["status"] for out, _ in outputs for f in json.loads(out)["files"]]
    assert statuses.count("imported") == 16 and statuses.count("already_imported") == 16
    with Library.open(library_dir) as library:
        stats = library.papers.stats()
        assert (stats.papers, stats.appearances, stats.digests) == (distinct, appearances, 16)
        assert library.maintenance.check().ok


def test_a_write_that_cannot_get_the_lock_says_so_and_changes_nothing(tmp_path):
    library_dir = tmp_path / "lib"
    assert cli("import", str(DIGESTS[0]), library=library_dir).returncode == 0
    blocker = sqlite3.connect(library_dir / "library.sqlite", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        env = {**os.environ, "READINGLIST_BUSY_TIMEOUT": "0.5"}
        result = cli("mark", "1", "read", library=library_dir, env=env)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "busy" in result.stderr
    assert "Traceback" not in result.stderr
    with Library.open(library_dir) as library:
        assert library.papers.get(1).status == "unread"


def _fill_limit(library: Library, pages: int) -> None:
    """Make every new connection of this library see a database that cannot grow."""
    with library.store.engine.connect() as conn:
        used = conn.exec_driver_sql("PRAGMA page_count").scalar()

    library.store.on_connect(
        lambda connection: connection.execute(f"PRAGMA max_page_count = {used + pages}"))


def test_a_full_database_rejects_the_file_and_keeps_the_rest(tmp_path):
    source = tmp_path / "digests"
    write_digests(source, files=6, per_file=40, seed=3)
    contents = digest_contents(source)
    with Library.open(tmp_path / "lib") as library:
        library.import_files(sorted(source.glob("*.txt"))[:2])
        before = library.papers.stats()
        _fill_limit(library, pages=3)
        result = library.import_files(sorted(source.glob("*.txt"))[2:])
        assert all(f.status == "rejected" for f in result.files)
        assert "full" in result.files[0].error
        assert library.papers.stats() == before
    assert integrity(tmp_path / "lib") == "ok"
    with Library.open(tmp_path / "lib") as library:
        consistent(library, contents)


@pytest.fixture
def tiny_disk(tmp_path):
    """A 1.5 MB tmpfs; skipped where mounting is not allowed."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1536k", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here; the full-database test covers the write path")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_really_full_disk_keeps_the_library_whole(tiny_disk, tmp_path):
    source = tmp_path / "digests"
    write_digests(source, files=30, per_file=40, seed=5)
    contents = digest_contents(source)
    library_dir = tiny_disk / "lib"
    result = cli("import", str(source), "--json", library=library_dir)
    data = json.loads(result.stdout)
    rejected = [f for f in data["files"] if f["status"] == "rejected"]
    assert rejected, "the disk never filled up"
    assert result.returncode == 1
    assert any("full" in f["error"].lower() or "space" in f["error"].lower() for f in rejected)
    assert "Traceback" not in result.stderr
    assert integrity(library_dir) == "ok"
    imported = {f["path"].rsplit("/", 1)[-1] for f in data["files"] if f["status"] == "imported"}
    with Library.open(library_dir) as library:  # still full: it opens, the data is whole
        assert {d.file_name for d in library.papers.digests()} == imported
        problems = library.maintenance.check().problems  # says what is wrong, does not raise
        assert all(p.startswith("search index") for p in problems)
    # the user makes room; the index catches up and everything agrees
    subprocess.run(["mount", "-o", "remount,size=16m", str(tiny_disk)], check=True)
    with Library.open(library_dir) as library:
        consistent(library, contents)


def test_daily_backups_are_kept_for_seven_days(tmp_path):
    folder = tmp_path / "lib"
    with Library.open(folder) as library:
        library.import_files(DIGESTS)
    start = date(2026, 1, 1)
    for day in range(10):
        backups.daily_backup(folder, start + timedelta(days=day))
    names = sorted(b.name for b in backups.list_backups(folder))
    # the library was empty when opened, so no backup then; of ten days, the newest seven
    assert names == [f"library-2026-01-{day:02d}.sqlite" for day in range(4, 11)]
    assert backups.daily_backup(folder, start + timedelta(days=9)) is None  # once a day
    backup = backups.find_backup(folder, "2026-01-10")
    conn = sqlite3.connect(backup.path)
    assert conn.execute("SELECT count(*) FROM paper").fetchone() == (8,)
    conn.close()


def test_restore_brings_back_a_backup_and_keeps_the_current_state(tmp_path):
    folder = tmp_path / "lib"
    assert cli("import", *map(str, DIGESTS), library=folder).returncode == 0
    assert cli("stats", library=folder).returncode == 0  # the first open of the day backs up
    assert cli("mark", "1", "2", "read", library=folder).returncode == 0
    listing = cli("restore", library=folder)
    assert listing.returncode == 0 and "library-" in listing.stdout
    result = cli("restore", "latest", library=folder)
    assert result.returncode == 0, result.stderr
    assert "restored" in result.stdout and "before-restore" in result.stdout
    with Library.open(folder) as library:
        assert library.papers.get(1).status == "unread"  # as in the morning's backup
        assert [h.id for h in library.search.hits("pruning adapters")]  # index rebuilt
        assert library.maintenance.check().ok
    bad = cli("restore", "1999-01-01", library=folder)
    assert bad.returncode == 2 and "no backup" in bad.stderr


def test_restore_rescues_a_library_too_damaged_to_open(tmp_path):
    folder = tmp_path / "lib"
    assert cli("import", *map(str, DIGESTS), library=folder).returncode == 0
    assert cli("stats", library=folder).returncode == 0
    (folder / "library.sqlite").write_bytes(b"garbage" * 1000)
    for leftover in ("library.sqlite-wal", "library.sqlite-shm"):
        (folder / leftover).unlink(missing_ok=True)
    broken = cli("check", library=folder)
    assert broken.returncode == 1 and broken.stderr.count("\n") == 1
    result = cli("restore", "latest", library=folder)
    assert result.returncode == 0, result.stderr
    assert cli("check", library=folder).returncode == 0
    with Library.open(folder) as library:
        assert library.papers.stats().papers == 8


@pytest.mark.parametrize("damage", ["empty", "missing", "version"])
def test_an_emptied_library_never_passes_for_a_new_one(tmp_path, damage):
    folder = tmp_path / "lib"
    assert cli("import", *map(str, DIGESTS), library=folder).returncode == 0
    assert cli("stats", library=folder).returncode == 0  # today's backup: 8 papers
    db_file = folder / "library.sqlite"
    for leftover in ("library.sqlite-wal", "library.sqlite-shm"):
        (folder / leftover).unlink(missing_ok=True)
    if damage == "empty":
        db_file.write_bytes(b"")
    elif damage == "missing":
        db_file.unlink()
    else:
        conn = sqlite3.connect(db_file)
        conn.execute("PRAGMA user_version = -1")
        conn.close()
    for command in ("list", "check"):
        result = cli(command, library=folder)
        assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
        assert "holds 8 papers" in result.stderr and "restore latest" in result.stderr
        assert "No papers" not in result.stdout and "good order" not in result.stdout
    assert cli("restore", "latest", library=folder).returncode == 0
    with Library.open(folder) as library:
        assert library.papers.stats().papers == 8
    # a second restore still finds the day's backup, not the emptied copy it kept
    assert cli("restore", "latest", library=folder).returncode == 0
    with Library.open(folder) as library:
        assert library.papers.stats().papers == 8


def test_two_restores_at_once_keep_both_states_they_replaced(tmp_path):
    folder = tmp_path / "lib"
    assert cli("import", *map(str, DIGESTS), library=folder).returncode == 0
    assert cli("stats", library=folder).returncode == 0  # the morning's backup
    assert cli("tag", "1", "--add", "after the backup", library=folder).returncode == 0
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    both = [subprocess.Popen([sys.executable, "-m", "readinglist", "--library", str(folder),
                              "restore", "latest"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for process in both:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    kept = [b for b in backups.list_backups(folder) if "before-restore" in b.name]
    assert len(kept) == 2 and len({b.name for b in kept}) == 2
    tagged = []
    for backup in kept:
        conn = sqlite3.connect(backup.path)
        tagged.append(conn.execute("SELECT count(*) FROM tag WHERE name = 'after the backup'")
                      .fetchone()[0])
        conn.close()
    assert sorted(tagged) == [0, 1]  # the tag survives in the first restore's copy


def test_check_reports_problems_and_repairs_the_index(tmp_path):
    folder = tmp_path / "lib"
    with Library.open(folder) as library:
        library.import_files(DIGESTS)
    conn = sqlite3.connect(folder / "library.sqlite")
    conn.execute("UPDATE paper SET times_seen = 9 WHERE id = 1")
    conn.execute("UPDATE paper SET tag_sort = 'zzz' WHERE id IN (2, 3)")  # behind the app's back
    conn.commit()
    conn.close()
    import shutil

    shutil.rmtree(index_dir_of(folder))
    result = cli("check", library=folder)
    assert result.returncode == 1
    assert "PROBLEM  1 papers have a wrong 'times seen' count" in result.stdout
    assert "PROBLEM  2 papers have a wrong tags sort key" in result.stdout
    assert "ok       database integrity: ok" in result.stdout
