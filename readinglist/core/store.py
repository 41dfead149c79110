"""What every service of a library shares: the database engine, the search
index with its keeper, and one lock that serialises writers in this process.

Reads run on their own SQLite connections and never take the lock (WAL lets
them proceed while another thread or process writes).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist.core.errors import LibraryBusy, LibraryError
from readinglist.core.index.errors import IndexBusy
from readinglist.core.storage import connection
from readinglist.core.storage.atomic import write_atomic

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

DB_NAME = "library.sqlite"
READER_CATCH_UP = 1000  # queued papers a reader indexes in one step
READER_BUDGET_S = 1.0  # steps a search takes before it answers (the rest: the next search)
EDIT_WAIT_S = 0.2  # how long an edit may wait for the index's lock before leaving it queued
INDEX_DIR = "index"
LEFTOVER_AGE_S = 600  # a temporary cache file older than this is no other process's work
OWNER_FILE = "owner.json"  # which database file a cache folder was made from
# What earlier versions kept in the library folder: caches, removed (never read).
LEGACY_CACHES = ("index", "features.pickle", "features.joblib", "features.tmp")


class Store:
    def __init__(self, folder: Path, busy_timeout: float):
        self.folder = folder
        self.db_path = folder / DB_NAME
        self.busy_timeout = busy_timeout
        self.lock = threading.RLock()
        # The engine (SQLAlchemy, SQLModel, pydantic: 0.4 s to import) is made
        # on first use: a command that only reads answers through `read_plain`.
        self._engine = None
        self._engine_lock = threading.Lock()  # not the writers' lock: an import holds that
        self.cache_dir: Path | None = None  # set by `locate_caches` once the library is known
        # The index and its keeper are made on first use: a command that never
        # searches nor edits (stats, list, show) does not import Whoosh or NumPy.
        self._index = None
        self._keeper = None
        self.index_error: str | None = None  # why the index could not follow, if it could not
        self.rebuilt = False  # whether a catch-up had to rebuild the index since opening
        # Where an edit's index catch-up runs: None, at once on the editing
        # thread; a window hands it to a thread of its own, so that an edit is
        # shown without waiting for Whoosh (a search catches up first anyway).
        self.schedule_catch_up: Callable[[Callable[[], object]], None] | None = None

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine every write and most reads go through."""
        if self._engine is None:
            from readinglist.core.storage import db

            with self._engine_lock:
                if self._engine is None:
                    self._engine = db.create_library_engine(self.db_path, self.busy_timeout)
        return self._engine

    @property
    def index(self):
        """The Whoosh index (`SearchIndex`), opened when first used."""
        if self._index is None:
            from readinglist.core.index.whoosh_index import SearchIndex

            with self.lock:
                if self._index is None:
                    index = SearchIndex(None)
                    if self.cache_dir is not None:
                        index.directory = self.cache_dir / INDEX_DIR
                    self._index = index
        return self._index

    @property
    def keeper(self):
        """The `IndexKeeper` that brings the index in step with the database."""
        if self._keeper is None:
            from readinglist.core.index.keeper import IndexKeeper

            index = self.index
            with self.lock:
                if self._keeper is None:
                    self._keeper = IndexKeeper(self.engine, index, self.lock)
        return self._keeper

    def locate_caches(self, directory: Path) -> None:
        """Keep the index and the features in ``directory`` (this user's cache
        folder for this library). A cache made from another database file (the
        folder was synced over, or restored) is dropped, and what earlier
        versions kept in the library folder is removed: a library folder
        holds data only, and nothing in it that could run code is ever read."""
        with self.lock:
            if self._index is not None:
                self._index.close()
            directory.mkdir(parents=True, exist_ok=True)
            owner = _owner_of(self.db_path)
            stamp = directory / OWNER_FILE
            try:
                known = json.loads(stamp.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                known = None
            if known != owner:
                for name in (INDEX_DIR, *LEGACY_CACHES[1:], "features.npz"):
                    _remove(directory / name)
                write_atomic(stamp, json.dumps(owner))
            for name in LEGACY_CACHES:
                _remove(self.folder / name)
            now = time.time()
            for leftover in directory.glob(".features-*.tmp"):  # a write a full disk cut
                with suppress(OSError):
                    if now - leftover.stat().st_mtime > LEFTOVER_AGE_S:
                        leftover.unlink()
            self.cache_dir = directory
            if self._index is not None:
                self._index.directory = directory / INDEX_DIR

    def on_connect(self, setup: Callable[[sqlite3.Connection], None]) -> None:
        """Run ``setup`` on every SQLite connection opened from now on (the open
        ones are closed), after the library's own pragmas."""
        from sqlalchemy import event

        event.listen(self.engine, "connect", lambda conn, _record: setup(conn))
        self.engine.dispose()

    def read(self):
        """A read snapshot (``with store.read() as conn``)."""
        from readinglist.core.storage import db

        return db.read_transaction(self.engine)

    @contextmanager
    def read_plain(self) -> Iterator[sqlite3.Connection]:
        """A read snapshot on the driver's connection, for plain SQL (``with
        store.read_plain() as conn``: a `sqlite3.Connection`): one of the
        engine's pooled connections once the engine is made (a window's), a
        connection of its own before (a command that never needs the ORM)."""
        if self._engine is None:
            with connection.read_snapshot(self.db_path, self.busy_timeout) as conn:
                yield conn
            return
        with self.read() as conn:
            try:
                yield conn.connection.dbapi_connection
            except sqlite3.Error as exc:
                raise LibraryError(f"cannot read the library: {exc}") from exc

    def write(self):
        """A write transaction, without the index catching up afterwards."""
        from readinglist.core.storage import db

        return db.write_transaction(self.engine)

    @contextmanager
    def edit(self) -> Iterator[Connection]:
        """A write transaction; once it is committed, the index catches up if it
        can at once. An edit never waits for the index: while another thread or
        process (an import, a rebuild, a compaction) works on the index, the
        change stays queued and the index catches up later; the database has
        it already. Nor does it wait for a long job of this process: only for
        SQLite's write lock, which an import holds for one digest at a time."""
        with self.write() as conn:
            yield conn
        if self.schedule_catch_up is not None:
            self.schedule_catch_up(self.catch_up_now)
        else:
            self.catch_up_now()

    def catch_up_now(self) -> bool:
        """Bring the index up to date unless that means waiting; True if it is."""
        if not self.lock.acquire(timeout=EDIT_WAIT_S):  # an import is indexing
            self.index_error = "the search index is behind: an import or a rebuild is writing it"
            return False
        try:
            return self._catch_up_now()
        finally:
            self.lock.release()

    def _catch_up_now(self) -> bool:
        try:
            self.catch_up(wait=EDIT_WAIT_S)
        except (IndexBusy, LibraryBusy) as exc:
            self.index_error = f"the search index is behind: {exc}"
            return False
        except OSError as exc:
            self.index_error = f"the search index could not be updated: {exc}"
            return False
        if self.keeper.behind():
            self.index_error = "the search index is behind: another process is writing it"
            return False
        self.index_error = None
        return True

    def queue(self, conn: Connection, ids: Sequence[int]) -> None:
        """Queue changed papers for the index, in the caller's transaction."""
        self.keeper.enqueue(conn, ids)

    def catch_up(self, **kwargs) -> bool:
        """`IndexKeeper.catch_up`, remembering whether it had to rebuild."""
        rebuilt = self.keeper.catch_up(**kwargs)
        self.rebuilt |= rebuilt
        return rebuilt

    def catch_up_if_behind(self) -> None:
        """Before a search: apply changes made meanwhile (by this or another
        process) in steps of `READER_CATCH_UP` papers, for at most
        `READER_BUDGET_S`, unless another process is writing the index: a
        search never waits for a writer; it searches the index as it is (and
        `Search` checks the papers it has not seen in the database)."""
        deadline = time.monotonic() + READER_BUDGET_S
        while self.keeper.behind():
            before = self.keeper.indexed
            try:
                if self.catch_up(wait=0, most=READER_CATCH_UP):
                    return  # rebuilt: in step
            except Exception:
                return
            if self.keeper.indexed == before or time.monotonic() > deadline:
                return  # another process holds the index, or enough for one search

    def begin_catch_up_quietly(self) -> Callable[[], None]:
        """`IndexKeeper.begin_catch_up` for an import: returns the step that
        finishes it (to run on this thread before the next); a failure leaves
        the papers queued for the next try."""
        try:
            started = self.keeper.begin_catch_up(merge=False)
        except Exception as exc:  # the database has the papers; the index will follow
            self.index_error = f"the search index could not be updated: {exc}"
            return lambda: None
        if not callable(started):
            self.rebuilt |= started
            return lambda: None

        def finish() -> None:
            try:
                self.rebuilt |= started()
            except Exception as exc:
                self.index_error = f"the search index could not be updated: {exc}"
        return finish

    def catch_up_quietly(self, merge: bool = True) -> None:
        """Index what was stored; a failure leaves it queued for the next try."""
        try:
            self.catch_up(merge=merge)
        except Exception as exc:  # the database has the papers; the index will follow
            self.index_error = f"the search index could not be updated: {exc}"

    def reconnect(self) -> None:
        """Drop every connection and the open index (after the file was replaced)."""
        with self.lock:
            if self._index is not None:
                self._index.close()
            if self._engine is not None:
                self._engine.dispose()
            if self._keeper is not None:
                self._keeper.indexed = None

    def close(self) -> None:
        with self.lock:
            if self._index is not None:
                self._index.close()
            if self._engine is not None:
                self._engine.dispose()


def _owner_of(database: Path) -> dict:
    try:
        status = database.stat()
        return {"database": str(database.resolve()), "inode": status.st_ino,
                "device": status.st_dev}
    except OSError:
        return {"database": str(database)}


def _remove(path: Path) -> None:
    """Remove a file, a link (never what it points at) or a folder."""
    with suppress(OSError):
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
