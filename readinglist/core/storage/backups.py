"""Rolling backups of a library folder, and putting one back.

Backups are consistent copies made through SQLite's backup API (safe while
another process writes), one a day in ``backups/``, the newest seven kept.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from readinglist.core.errors import DamagedLibrary, InvalidInput, LibraryBusy, LibraryError
from readinglist.core.storage.connection import BUSY_TIMEOUT_S
from readinglist.core.storage.schema import APPLICATION_ID, SCHEMA_VERSION

BACKUP_DIR = "backups"
RESTORE_LOCK = ".restore.lock"
RESTORE_WAIT_S = 120
KEEP_DAILY = 7
_DAILY = re.compile(r"^library-(\d{4}-\d{2}-\d{2})\.sqlite$")


@dataclass(frozen=True)
class Backup:
    path: Path
    made: str  # ISO date or date-time from the name
    size: int

    @property
    def name(self) -> str:
        return self.path.name

    def usable(self) -> bool:
        """A readable Readinglist library with papers in it."""
        try:
            _verify_copy(self.path)
        except LibraryError:
            return False
        return bool(self.paper_count())

    def paper_count(self) -> int | None:
        """How many papers the backup holds (None if it cannot be read)."""
        try:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            try:
                return conn.execute("SELECT count(*) FROM paper").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.Error:
            return None

    def when(self) -> str:
        """"2026-11-22" or "2026-11-22 14:03:07", from the name, else the file's time."""
        made = self.made.replace("T", " ")
        if made:
            return made
        return datetime.fromtimestamp(self.path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")


def _copy_database(source: Path, target: Path) -> None:
    """A consistent copy of ``source`` at ``target``, written beside it then renamed;
    a copy that fails (a full disk) leaves nothing behind."""
    temp = target.with_name(target.name + ".part")
    try:
        _copy_to(source, temp, target)
    except BaseException:
        for leftover in _temp_files(temp):
            leftover.unlink(missing_ok=True)
        raise


def _temp_files(temp: Path) -> list[Path]:
    return [temp, *(temp.with_name(temp.name + end) for end in ("-wal", "-shm", "-journal"))]


LEFTOVER_AGE_S = 600  # a temporary copy older than this is no other process's work


def remove_leftovers(folder: Path) -> int:
    """Temporary copies a killed or failed backup left in ``backups/``."""
    backups = folder / BACKUP_DIR
    removed = 0
    if not backups.is_dir() or backups.is_symlink():
        return 0
    now = time.time()
    for path in backups.iterdir():
        if ".sqlite.part" in path.name:
            try:
                if now - path.lstat().st_mtime > LEFTOVER_AGE_S:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
    return removed


def _copy_to(source: Path, temp: Path, target: Path) -> None:
    temp.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_S)
    try:
        dest = sqlite3.connect(temp)
        try:
            src.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            dest.close()
    finally:
        src.close()
    with open(temp, "rb") as stream:
        os.fsync(stream.fileno())
    os.replace(temp, target)


BACKUP_FAILED = "backup.failed"  # meta: when and why the last daily backup failed


def daily_target(folder: Path, today: date | None = None) -> Path:
    """Where today's backup is (or will be)."""
    return folder / BACKUP_DIR / f"library-{(today or date.today()).isoformat()}.sqlite"


def daily_backup(folder: Path, today: date | None = None) -> Path | None:
    """Make today's backup if there is none yet; prune to the newest seven."""
    database = folder / "library.sqlite"
    if not database.exists():
        return None
    backups = folder / BACKUP_DIR
    if backups.is_symlink():
        raise OSError(f"{BACKUP_DIR} is a link: backups are not written through it")
    target = daily_target(folder, today)
    if target.exists():
        return None
    backups.mkdir(exist_ok=True)
    _copy_database(database, target)
    daily = sorted(p for p in backups.iterdir() if _DAILY.match(p.name))
    for old in daily[:-KEEP_DAILY]:
        old.unlink(missing_ok=True)
    return target


def list_backups(folder: Path) -> list[Backup]:
    """Newest first."""
    backups = folder / BACKUP_DIR
    if not backups.is_dir():
        return []
    found = []
    for path in backups.iterdir():
        if path.is_symlink():  # a received folder's link is never followed
            continue
        if path.suffix == ".sqlite" and path.name.startswith("library-"):
            made = path.stem.removeprefix("library-").removeprefix("before-restore-")
            found.append(Backup(path, made, path.stat().st_size))
    return sorted(found, key=lambda b: b.path.stat().st_mtime, reverse=True)


def damaged(folder: Path, db_name: str, what: str) -> LibraryError:
    """The error for a database that is empty or unreadable: when a backup can
    be read, it says so and how to put it back (a damaged library must never
    pass for a new, empty one)."""
    for backup in list_backups(folder):
        count = backup.paper_count()
        if count and backup.usable():
            return DamagedLibrary(
                f"{db_name} {what}, but the backup {backup.name} holds {count} papers: "
                "put it back with 'readinglist restore latest' (or the window's offer)",
                backup)
    return LibraryError(f"{db_name} {what}")


def find_backup(folder: Path, which: str) -> Backup:
    backups = list_backups(folder)
    if not backups:
        raise InvalidInput(f"no backups in {folder / BACKUP_DIR}")
    if which == "latest":  # the newest that holds a library (not an emptied one)
        return next((b for b in backups if b.usable()), backups[0])
    for backup in backups:
        if which in (backup.name, backup.path.stem, backup.made, str(backup.path)):
            return backup
    path = Path(which)
    if path.is_file():
        return Backup(path, path.stem, path.stat().st_size)
    names = ", ".join(b.name for b in backups[:7])
    raise InvalidInput(f"no backup {which!r} (have: {names})")


def _verify_copy(path: Path) -> None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise LibraryError(f"{path.name} is not a usable backup ({exc})") from exc
    if result != "ok":
        raise LibraryError(f"{path.name} is damaged ({result})")
    if app_id != APPLICATION_ID or not 0 < version <= SCHEMA_VERSION:
        raise LibraryError(f"{path.name} is not a backup of a Readinglist library")


def restore(folder: Path, backup: Backup) -> Path:
    """Put a backup in place of the library's database; the current one is kept.

    Returns where the replaced database was saved. The library must be
    reopened afterwards (the index is rebuilt then, and an older schema is
    migrated).
    """
    _verify_copy(backup.path)
    # Two restores at once would each keep "the library as it was" under one
    # name, the second overwriting the first: one at a time, each its own name.
    try:
        (folder / BACKUP_DIR).mkdir(parents=True, exist_ok=True)
        with FileLock(folder / BACKUP_DIR / RESTORE_LOCK, timeout=RESTORE_WAIT_S):
            return _restore(folder, backup)
    except Timeout as exc:
        raise LibraryBusy(f"another restore of this library has run for over "
                          f"{RESTORE_WAIT_S} s; try again when it has finished") from exc
    except (OSError, sqlite3.OperationalError) as exc:  # a read-only or full disk
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise LibraryError(f"the backup cannot be put back: {reason}; the library is "
                           "unchanged") from exc


def _before_restore_name(folder: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%S")
    saved = folder / BACKUP_DIR / f"library-before-restore-{stamp}.sqlite"
    number = 1
    while saved.exists():
        number += 1
        saved = saved.with_name(f"library-before-restore-{stamp}-{number}.sqlite")
    return saved


def _restore(folder: Path, backup: Backup) -> Path:
    database = folder / "library.sqlite"
    saved = _before_restore_name(folder)
    if database.exists():
        try:
            _copy_database(database, saved)
        except sqlite3.DatabaseError:  # too damaged for SQLite: keep the raw bytes
            shutil.copy2(database, saved)
    # Write the backup into the live file through SQLite, under its locks, so
    # that another process with the library open sees a consistent switch.
    src = sqlite3.connect(backup.path)
    try:
        try:
            dest = sqlite3.connect(database, timeout=BUSY_TIMEOUT_S)
            src.backup(dest)
        except sqlite3.DatabaseError:
            # The live file is not even a database any more: replace it whole.
            dest.close()
            for leftover in ("-wal", "-shm"):
                Path(str(database) + leftover).unlink(missing_ok=True)
            database.unlink(missing_ok=True)
            dest = sqlite3.connect(database)
            src.backup(dest)
        try:
            # A new generation: whatever index exists is known to be stale.
            dest.execute(
                "INSERT INTO meta (key, value) VALUES ('generation', :g) "
                "ON CONFLICT(key) DO UPDATE SET value = :g",
                {"g": str(time.time_ns())},
            )
            dest.commit()
        finally:
            dest.close()
    finally:
        src.close()
    return saved
