"""What every service of a library shares: the database engine, the search
index with its keeper, and one lock that serialises writers in this process.

Reads run on their own SQLite connections and never take the lock (WAL lets
them proceed while another thread or process writes).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from sqlalchemy import Connection, event

from readinglist.core.errors import LibraryBusy
from readinglist.core.index.documents import IndexBusy
from readinglist.core.index.keeper import IndexKeeper
from readinglist.core.index.whoosh_index import SearchIndex
from readinglist.core.storage import db

DB_NAME = "library.sqlite"
READER_CATCH_UP = 1000  # queued papers a reader indexes itself; more is the writer's job
EDIT_WAIT_S = 0.2  # how long an edit may wait for the index's lock before leaving it queued
INDEX_DIR = "index"


class Store:
    def __init__(self, folder: Path, busy_timeout: float):
        self.folder = folder
        self.db_path = folder / DB_NAME
        self.busy_timeout = busy_timeout
        self.lock = threading.RLock()
        self.engine = db.create_library_engine(self.db_path, busy_timeout)
        self.index = SearchIndex(folder / INDEX_DIR)
        self.keeper = IndexKeeper(self.engine, self.index, self.lock)
        self.index_error: str | None = None  # why the index could not follow, if it could not

    def on_connect(self, setup: Callable[[sqlite3.Connection], None]) -> None:
        """Run ``setup`` on every SQLite connection opened from now on (the open
        ones are closed), after the library's own pragmas."""
        event.listen(self.engine, "connect", lambda conn, _record: setup(conn))
        self.engine.dispose()

    def read(self):
        """A read snapshot (``with store.read() as conn``)."""
        return db.read_transaction(self.engine)

    def write(self):
        """A write transaction, without the index catching up afterwards."""
        return db.write_transaction(self.engine)

    @contextmanager
    def edit(self) -> Iterator[Connection]:
        """A write transaction; once it is committed, the index catches up if it
        can at once. An edit never waits for the index: while another thread or
        process (an import, a rebuild, a compaction) works on the index, the
        change stays queued and the index catches up later; the database has
        it already. Nor does it wait for a long job of this process: only for
        SQLite's write lock, which an import holds for one digest at a time."""
        with db.write_transaction(self.engine) as conn:
            yield conn
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
            self.keeper.catch_up(wait=EDIT_WAIT_S)
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

    def catch_up_if_behind(self) -> None:
        """Before a search: apply changes made meanwhile (by this or another
        process), unless another process is writing the index: a search never
        waits for a writer; it searches the index as it is."""
        if self.keeper.behind():
            with suppress(Exception):
                self.keeper.catch_up(wait=0, most=READER_CATCH_UP)

    def catch_up_quietly(self, merge: bool = True) -> None:
        """Index what was stored; a failure leaves it queued for the next try."""
        try:
            self.keeper.catch_up(merge=merge)
        except Exception as exc:  # the database has the papers; the index will follow
            self.index_error = f"the search index could not be updated: {exc}"

    def reconnect(self) -> None:
        """Drop every connection and the open index (after the file was replaced)."""
        with self.lock:
            self.index.close()
            self.engine.dispose()
            self.keeper.indexed = None

    def close(self) -> None:
        with self.lock:
            self.index.close()
            self.engine.dispose()
