"""The facade over one library folder: the one entry point of the window,
the command line and the benchmarks.

A `Library` opens the folder and hands out small services, each with one job
(in the way Anki's collection hands out ``col.tags`` or ``col.find``):

- ``library.papers``       reading: ids of a view in any sort, papers, digests, stats
- ``library.edit``         a paper's status, note and citation key; deleting papers
- ``library.tags``         listing, adding, removing, renaming / merging, deleting tags
- ``library.search``       full-text search, snippets and highlights
- ``library.export``       BibTeX of papers, a view, a search, what a document cites
- ``library.exports``      the .bib files kept up to date
- ``library.maintenance``  backups, the integrity check, reindex, restore
- ``library.history``      undo and redo of every edit (also `undo` / `redo` here)
- ``library.importer``     digests and bibliographies into the library (also `import_files`)
- ``library.lookup``       filling papers from arXiv, when a person asks

Each service method opens its own short transaction and returns plain read
models (`readinglist.core.views`). A `Library` may be used from several
threads: writers are serialised by one lock, reads run on their own SQLite
connections. Two processes may share a library: writes take SQLite's write
lock up front and wait for it.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist.core.bibtex.keys import DEFAULT_PATTERN
from readinglist.core.errors import LibraryError
from readinglist.core.storage import connection, rows, schema_check
from readinglist.core.storage.filter import SORT_NAMES, Filter, normalise_tag
from readinglist.core.storage.schema import MAX_NOTE_BYTES
from readinglist.core.store import Store
from readinglist.paths import automatic_exports_file, library_cache_dir

if TYPE_CHECKING:
    from readinglist.core.editing.edits import PaperEdits
    from readinglist.core.editing.history import History, HistoryResult
    from readinglist.core.editing.tags import Tags
    from readinglist.core.exports.automatic import AutomaticExports
    from readinglist.core.exports.writer import Export
    from readinglist.core.importing.importer import Importer
    from readinglist.core.lookup.service import Lookup
    from readinglist.core.maintenance import Maintenance
    from readinglist.core.reading.papers import Papers
    from readinglist.core.reading.search import Search
    from readinglist.core.storage.drafts import NoteDrafts
    from readinglist.core.suggest.suggester import Suggester, Suggestions
    from readinglist.core.suggest.suggestion import Suggestion

__all__ = ["MAX_NOTE_BYTES", "SORT_NAMES", "Filter", "Library", "normalise_tag"]


LIBRARY_DEFAULTS = {"citekey.pattern": DEFAULT_PATTERN}


class LibrarySettings:
    """Settings that belong to one library (its key pattern), kept in its database."""

    def __init__(self, store: Store):
        self._store = store

    def get(self, key: str) -> str:
        with self._store.read_plain() as conn:
            return rows.meta_value(conn, f"config.{key}") or LIBRARY_DEFAULTS[key]

    def put(self, key: str, value: str | None) -> None:
        from sqlalchemy import delete

        from readinglist.core.storage.sql import meta_set, meta_t

        if key not in LIBRARY_DEFAULTS:
            raise KeyError(key)
        with self._store.write() as conn:
            if value is None:
                conn.execute(delete(meta_t).where(meta_t.c.key == f"config.{key}"))
            else:
                meta_set(conn, f"config.{key}", value)


class service:  # lower case: a decorator, as functools.cached_property is
    """A service of a `Library`, made on first use, exactly once whichever
    threads ask for it at the same moment (the window's reader, writer and
    suggestion threads may): an edit service and the history it records into
    must be the one history. Made, it is a plain attribute: no lock after."""

    def __init__(self, make):
        self._make = make
        self.__doc__ = make.__doc__

    def __set_name__(self, owner, name: str) -> None:
        self._name = name

    def __get__(self, library, owner=None):
        if library is None:
            return self
        with library._making:
            if self._name not in library.__dict__:
                library.__dict__[self._name] = self._make(library)
            return library.__dict__[self._name]


class Library:
    """One library folder: ``library.sqlite``, ``backups/`` and ``drafts/``; its
    caches (the search index, the suggestion features) are this user's, kept
    apart (`paths.library_cache_dir`)."""

    def __init__(self, folder: Path, *, busy_timeout: float | None = None):
        self.folder = Path(folder)
        self._store = Store(self.folder, busy_timeout if busy_timeout is not None
                            else connection.default_busy_timeout())
        self.db_path = self._store.db_path
        self.settings = LibrarySettings(self._store)
        self._making = threading.RLock()  # one thread makes a service at a time
        self._library_id = ""
        self._refit_inline = True

    # Every service is made (and its modules imported) when first used: the
    # ORM, Whoosh, NumPy, scikit-learn, lxml and the BibTeX writer cost a
    # command's start 0.1-0.4 s each, and `readinglist stats`, `list`, `show`
    # and `similar` need none of them but NumPy for `similar`.
    @service
    def history(self) -> History:
        from readinglist.core.editing.history import History

        return History(self._store)

    @service
    def papers(self) -> Papers:
        from readinglist.core.reading.papers import Papers

        return Papers(self._store)

    @service
    def edit(self) -> PaperEdits:
        from readinglist.core.editing.edits import PaperEdits

        return PaperEdits(self._store, self.history)

    @service
    def tags(self) -> Tags:
        from readinglist.core.editing.tags import Tags

        return Tags(self._store, lambda: self.history)

    @service
    def maintenance(self) -> Maintenance:
        from readinglist.core.maintenance import Maintenance

        return Maintenance(self._store, lambda: self.search)

    @service
    def drafts(self) -> NoteDrafts:
        from readinglist.core.storage.drafts import NoteDrafts

        return NoteDrafts(self.folder)

    @service
    def search(self) -> Search:
        from readinglist.core.reading.search import Search

        return Search(self._store, self.papers)

    @service
    def export(self) -> Export:
        from readinglist.core.exports.writer import Export

        return Export(self._store, self.papers, self.search)

    @service
    def importer(self) -> Importer:
        from readinglist.core.importing.importer import Importer

        return Importer(self._store)

    @service
    def suggester(self) -> Suggester:
        from readinglist.core.suggest.suggester import Suggester

        suggester = Suggester(self._store, self.papers)
        suggester.refit_inline = self._refit_inline
        return suggester

    def refit_suggestions_inline(self, inline: bool) -> None:
        """Whether a suggestion refits the features itself when the library has
        grown (the command line) or leaves that to the caller (a window refits in
        the background); said before or after the suggester is made."""
        self._refit_inline = inline
        if "suggester" in self.__dict__:
            self.suggester.refit_inline = inline

    @service
    def lookup(self) -> Lookup:
        from readinglist.core.lookup.service import Lookup

        return Lookup(self._store)

    @service
    def exports(self) -> AutomaticExports:
        from readinglist.core.exports.automatic import AutomaticExports

        return AutomaticExports(lambda: self.export,
                                lambda: automatic_exports_file(self.library_id))

    @classmethod
    def open(cls, folder: str | Path, *, busy_timeout: float | None = None,
             backup: bool = True) -> Library:
        """Open the library in ``folder``, creating folder and library if missing.

        ``backup`` makes today's backup now if it is due; the window passes
        False and makes it in the background once it shows.
        """
        folder = Path(folder).expanduser()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(
                f"{folder}: cannot create the library folder ({exc.strerror})"
            ) from exc
        if not folder.is_dir():
            raise LibraryError(f"{folder}: not a folder")
        library = cls(folder, busy_timeout=busy_timeout)
        try:
            if not library._current():
                from readinglist.core.storage import migrations

                migrations.ensure_schema(library._store.engine, library.db_path)
            library._store.locate_caches(library_cache_dir(library.library_id,
                                                           library.db_path))
            if backup:
                library._backup_if_due()
        except BaseException:
            library.close()
            raise
        return library

    def _current(self) -> bool:
        """Whether the file is a library of today's schema, exactly ours: opened
        as it is, without the ORM. Anything else (a new library, an older one,
        a damaged or foreign file) goes through `migrations.ensure_schema`,
        which makes, migrates or says why not."""
        if not self.db_path.is_file():
            return False
        try:
            with self._store.read_plain() as conn:
                return schema_check.current(conn)
        except (LibraryError, sqlite3.Error):
            return False

    def _backup_if_due(self) -> None:
        """Today's backup, by the first open of the day (`Maintenance`, which
        brings the ORM: once a day); the other opens only look."""
        from readinglist.core.storage import backups

        with suppress(OSError):
            backups.remove_leftovers(self.folder)
            if backups.daily_target(self.folder).is_file():
                return  # made by an earlier open today
        self.maintenance.backup_if_due()

    # -- the verbs everybody uses ------------------------------------------------------------
    def import_files(self, paths, progress=None, *, year=None, today=None, refresh=False):
        """Import digest files and folders (see `Importer.import_files`)."""
        return self.importer.import_files(paths, progress, year=year, today=today,
                                          refresh=refresh)

    def recover_notes(self) -> int:
        """Save the notes a killed window had typed but not saved (see
        `drafts`); returns how many differed from the database."""
        recovered = 0
        for paper_id, text in self.drafts.pending().items():
            found = self.papers.get_many([paper_id])
            if found and found[0].note != (text if text.strip() else ""):
                self.edit.set_note(paper_id, text)
                recovered += 1
            self.drafts.discard(paper_id)
        return recovered

    def suggest(self, tag: str | None = None, status: str | None = "unread",
                limit: int | None = 50) -> Suggestions:
        """Papers to read next, best first (see `Suggester.suggest`)."""
        return self.suggester.suggest(tag, status, limit)

    def similar(self, paper_id: int, limit: int = 10) -> list[Suggestion]:
        """The papers most like one, by the cosine of their TF-IDF rows. Read
        from the features file when it is in step with the database (a
        terminal's `similar`: NumPy and plain SQL only); else by the
        suggester, which brings the features in step first."""
        if "suggester" not in self.__dict__:
            from readinglist.core.suggest import nearest

            with self._store.read_plain() as conn:
                found = nearest.from_file(conn, self._store.cache_dir, paper_id, limit)
            if found is not None:
                return found
        return self.suggester.similar(paper_id, limit)

    def undo(self) -> HistoryResult | None:
        """Undo the newest edit, whoever made it; None when there is nothing to undo."""
        return self.history.undo()

    def redo(self) -> HistoryResult | None:
        """Redo the edit undone last; None when there is nothing to redo."""
        return self.history.redo()

    def generation(self) -> int:
        """The library's change counter: every write, by any process, moves it
        (a window compares it with the one it last showed)."""
        from readinglist.core.storage.sql import database_generation

        with self._store.read() as conn:
            return database_generation(conn)

    def catch_up_index_on(self, schedule) -> None:
        """Run the search index's catch-up after each edit through ``schedule``
        (a callable taking the work) instead of on the editing thread."""
        self._store.schedule_catch_up = schedule

    @property
    def index_rebuilt(self) -> bool:
        """Whether the search index had to be rebuilt since the library was
        opened (missing, damaged, out of step: it is only a cache). Opening
        does not touch the index; the first search or edit brings it in step."""
        return self._store.rebuilt

    @property
    def library_id(self) -> str:
        """This library's own id (a copy of the folder has the same one)."""
        if not self._library_id:
            with self._store.read_plain() as conn:
                found = conn.execute("SELECT value FROM meta WHERE key = 'library_id'").fetchone()
            self._library_id = found[0] if found else ""
        return self._library_id

    @property
    def store(self) -> Store:
        """The engine, index and lock the services share: a documented seam for
        maintenance tools and tests (a failing index, a database that cannot grow)."""
        return self._store

    # -- state a window or a command reports -------------------------------------------------
    @property
    def index_error(self) -> str | None:
        """Why the search index could not follow the database, if it could not."""
        return self._store.index_error

    def clear_index_error(self) -> None:
        self._store.index_error = None

    @property
    def backup_error(self) -> str | None:
        """Why today's backup failed, if this process tried and it did."""
        return self.maintenance.backup_error if "maintenance" in self.__dict__ else None

    def last_backup_failure(self) -> str | None:
        """When and why the last daily backup failed, if the last one did
        (whichever process tried)."""
        from readinglist.core.storage.backups import BACKUP_FAILED

        with self._store.read_plain() as conn:
            return rows.meta_value(conn, BACKUP_FAILED)

    def close(self) -> None:
        if "suggester" in self.__dict__:  # made: its features may be newer than the file
            # any paper transformed here is saved: the next command starts from
            # the file without transforming it again (scikit-learn: 1-1.5 s)
            self.suggester.cache.save(at_least=1)
        self._store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
