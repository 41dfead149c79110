"""Looking after a library: today's backup, the integrity check, rebuilding
the index, and putting a backup in place of the library."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import DBAPIError

from readinglist.core.errors import LibraryBusy, LibraryError
from readinglist.core.index.errors import IndexBusy
from readinglist.core.storage import backups, migrations, rows, schema_check
from readinglist.core.storage.backups import BACKUP_FAILED
from readinglist.core.storage.schema import TAG_SORT_VALUE
from readinglist.core.storage.sql import meta_set, meta_t, papers_t
from readinglist.core.store import Store

if TYPE_CHECKING:
    from readinglist.core.reading.search import Search



@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# (SQL counting the papers with the problem, what to call them)
_ROW_CHECKS = (
    ("SELECT count(*) FROM paper p WHERE p.times_seen != "
     "(SELECT count(*) FROM appearance a WHERE a.paper_id = p.id)",
     "papers have a wrong 'times seen' count"),
    (f"SELECT count(*) FROM paper WHERE tag_sort IS NOT {TAG_SORT_VALUE}",
     "papers have a wrong tags sort key"),
    ("SELECT count(*) FROM paper WHERE citekey IS NULL OR citekey = ''",
     "papers have no citation key"),
)


COMPACT_SHARE = 0.2  # deleted copies in the index beyond this share are merged away


class Maintenance:
    def __init__(self, store: Store, search: Callable[[], Search]):
        self._store = store
        self._search = search
        self.backup_error: str | None = None  # why today's backup failed, if it did

    def backup_if_due(self) -> None:
        """Today's rolling backup, made by the first open of the day; what a
        failed one left is cleared, and its failure kept for `stats` to say."""
        try:
            backups.remove_leftovers(self._store.folder)
            with self._store.read() as conn:
                if not conn.execute(select(func.count()).select_from(papers_t)).scalar_one():
                    return
            made = backups.daily_backup(self._store.folder)
        except (OSError, sqlite3.Error) as exc:  # never stop a user from opening the library
            self.backup_error = f"today's backup could not be made: {exc}"
            self._remember_failure(f"{date.today().isoformat()}: {exc}")
            return
        if made is not None:
            self._remember_failure(None)

    def _remember_failure(self, why: str | None) -> None:
        """Best effort: a full disk may refuse this too (then the next open says it)."""
        with suppress(OSError, sqlite3.Error, DBAPIError, LibraryError), \
                self._store.write() as conn:
            if why is None:
                conn.execute(delete(meta_t).where(meta_t.c.key == BACKUP_FAILED))
            else:
                meta_set(conn, BACKUP_FAILED, why)

    def last_backup_failure(self) -> str | None:
        """When and why the last daily backup failed, if the last one did."""
        with self._store.read_plain() as conn:
            return rows.meta_value(conn, BACKUP_FAILED)

    def list_backups(self) -> list[backups.Backup]:
        return backups.list_backups(self._store.folder)

    def check(self) -> CheckReport:
        """Integrity checks of the database, its derived columns and the index."""
        report = CheckReport()
        with self._store.lock, self._store.read() as conn:
            integrity = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
            if integrity == ["ok"]:
                report.notes.append("database integrity: ok")
            else:
                report.problems += [f"database integrity: {line}" for line in integrity[:20]]
            unexpected = schema_check.unexpected(conn.connection.dbapi_connection,
                                                  migrations.expected_schema())
            if unexpected:
                report.problems.append(f"the database {unexpected}")
            else:
                report.notes.append("schema: exactly Readinglist's")
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
            if broken:
                report.problems.append(f"{len(broken)} rows point at missing rows")
            for sql, what in _ROW_CHECKS:
                wrong = conn.execute(text(sql)).scalar_one()
                if wrong:
                    report.problems.append(f"{wrong} {what}")
            papers = conn.execute(select(func.count()).select_from(papers_t)).scalar_one()
            version = conn.exec_driver_sql("PRAGMA user_version").scalar()
            report.notes.append(f"{papers} papers, schema version {version}")
            ids = set(conn.execute(select(papers_t.c.id)).scalars())
        held = ("search index: behind the database (another process holds its lock); "
                "searches miss the newest changes until it is done")
        failed = False
        try:
            self._store.keeper.catch_up(wait=0)  # leaves the work to a lock's holder
            if self._store.keeper.behind():
                failed = True
                report.problems.append(held)
            elif self._search().index_ids() == ids:
                report.notes.append("search index: in step with the database")
            else:
                self._store.keeper.rebuild()
                report.notes.append("search index: was out of step, rebuilt from the database")
        except IndexBusy:
            failed = True
            report.problems.append(held)
        except OSError as exc:
            failed = True
            report.problems.append(f"search index: cannot be brought up to date "
                                   f"({exc.strerror or exc}); searches miss the newest changes")
        report.notes.append(self.index_report())
        if not failed and self._store.keeper.behind():
            report.problems.append("search index: behind the database; searches miss the "
                                   "newest changes")
        found = self.list_backups()
        report.notes.append(
            f"backups: {len(found)}, newest {found[0].name}" if found else "backups: none yet"
        )
        return report

    def index_needs_building(self) -> bool:
        """Whether this user has no usable index of the library yet (a library
        opened from a new place, a cache cleared): the window builds it in the
        background at start rather than in front of the first search."""
        return self._store.index.state() is None

    def build_index(self) -> int:
        """Bring the index up to date, rebuilding it if it cannot be trusted;
        the number of papers it holds. Waits for another process's writer."""
        self._store.catch_up()
        state = self._store.index.state()
        return state[1] if state else 0

    def index_report(self) -> str:
        """How many index documents are deleted copies, for `check`."""
        share = self._store.index.deleted_share()
        return f"search index: {share:.0%} of its documents are deleted copies" + (
            " (merged away soon, or by 'readinglist reindex')" if share > COMPACT_SHARE else "")

    def compact_index_if_needed(self) -> bool:
        """Merge the index's deleted copies away when they are over ~20% of it.

        Slow on a large index (minutes at 100,000 papers): run it on a thread of
        its own. It holds only the index's lock: searches go on, and edits save
        to the database at once and reach the index when it is done.
        """
        index = self._store.index
        if index.deleted_share() <= COMPACT_SHARE:
            return False
        try:
            index.compact()
        except (IndexBusy, OSError):
            return False  # another process is at it, or the disk is full: next time
        self._store.catch_up_now()
        return True

    def reindex(self) -> int:
        """Rebuild the index from the database. Returns the number of papers indexed."""
        try:
            return self._store.keeper.rebuild()
        except IndexBusy as exc:
            raise LibraryBusy(f"the search index is being written by another process ({exc}); "
                              "try again when it is done") from exc
        except OSError as exc:  # a read-only or full disk, a folder that cannot move
            where = exc.filename or self._store.folder
            raise LibraryError(f"the search index cannot be rebuilt: {exc.strerror or exc} "
                               f"({where}); the database is unchanged") from exc

    def restore(self, backup: backups.Backup):
        """Put ``backup`` in place of the library, which stays open and usable.

        Returns where the replaced database was kept. The index is rebuilt and
        an older schema migrated, as when a library is opened.
        """
        store = self._store
        with store.lock:
            store.reconnect()
            try:
                saved = backups.restore(store.folder, backup)
            finally:  # restored or not, the library is usable again at once
                migrations.ensure_schema(store.engine, store.db_path)
                store.keeper.catch_up()
        return saved
