"""Keeping the Whoosh index in step with the database.

The database is the source of truth. Every write transaction bumps a
generation counter and queues the ids of the papers it touched
(``index_queue``), in the same transaction. The index records the
generation it reflects; catching up means applying the queued papers newer
than that generation — in one Whoosh commit however many database
transactions they came from. So an import can commit the database per file
and the index per few thousand papers, and a crash between the two loses
nothing: the next catch-up applies what is queued. A missing, damaged or
foreign index (or one *ahead* of the database, after a restore) is rebuilt
from scratch.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from sqlalchemy import Connection, Engine, delete, func, select

from readinglist.core.index.documents import IndexBusy, read_documents
from readinglist.core.index.whoosh_index import SearchIndex
from readinglist.core.storage import db
from readinglist.core.storage.sql import database_generation, papers_t, queue_for_index, queue_t


class IndexKeeper:
    def __init__(self, engine: Engine, index: SearchIndex, lock: threading.RLock):
        self._engine = engine
        self.index = index
        self._lock = lock
        self.indexed: int | None = None  # the generation the index reflects, when known

    # -- inside write transactions -----------------------------------------------------------
    def enqueue(self, conn: Connection, ids: Sequence[int]) -> int:
        """Bump the generation and queue ``ids`` for the index (in the caller's transaction)."""
        # What the index has applied need not stay queued.
        return queue_for_index(conn, ids, applied=self.indexed)

    # -- catching up -------------------------------------------------------------------------
    def behind(self) -> bool:
        with db.read_transaction(self._engine) as conn:
            return self.indexed != database_generation(conn)

    def catch_up(self, wait: float = 30.0, merge: bool = True,
                 most: int | None = None) -> bool:
        """Apply what is queued; rebuild when the index cannot be trusted.

        Returns True if it rebuilt. If another process holds the index's
        write lock for longer than ``wait``, it leaves the work to that
        process (the index is a cache: a search meanwhile sees it slightly
        behind) and returns False. With ``most``, one step of about that many
        papers is applied (whole transactions, at least one): a reader
        catches a killed writer's work up a step at a time, never a long
        import's indexing at once.
        """
        with self._lock:
            finish = self._begin(wait, merge, most, deferred=False)
            return finish() if callable(finish) else finish

    def begin_catch_up(self, merge: bool = False):
        """Start applying what is queued; returns the step that finishes it
        (returning whether it rebuilt) when the index's writer goes on working
        in other processes meanwhile (`writing.writer_options`): an import
        stores its next files while the last batch is indexed. Returns a bool
        (rebuilt) when it is done already. This process's writers' lock is
        held until the step has run: run it on this thread, always."""
        self._lock.acquire()
        try:
            finish = self._begin(30.0, merge, None, deferred=True)
        except BaseException:
            self._lock.release()
            raise
        if not callable(finish):
            self._lock.release()
            return finish

        def finished() -> bool:
            try:
                return finish()
            finally:
                self._lock.release()
        return finished

    def _begin(self, wait: float, merge: bool, most: int | None, deferred: bool):
        """The catch-up up to the index's commit: a bool (rebuilt) when done,
        else the step that commits and checks (``deferred`` and a writer
        working in other processes)."""
        state = self.index.state()
        with db.read_transaction(self._engine) as conn:
            generation = database_generation(conn)
            papers = conn.execute(select(func.count()).select_from(papers_t)).scalar_one()
            if state is None or state[0] > generation:
                ids = None  # missing, damaged, or ahead of the database: rebuild
            elif state[0] == generation:
                self.indexed = generation
                if state[1] == papers:
                    return False
                ids = None  # in step by generation but not by count: rebuild
            else:
                newer = queue_t.c.generation > state[0]
                recorded = conn.execute(
                    select(func.count(queue_t.c.generation.distinct())).where(newer)
                ).scalar_one()
                if recorded == generation - state[0]:
                    target = generation if most is None else _step_end(
                        conn, state[0], generation, most)
                    ids = sorted(conn.execute(select(queue_t.c.paper_id).distinct().where(
                        newer, queue_t.c.generation <= target,
                        queue_t.c.paper_id != 0)).scalars())
                    docs = list(read_documents(conn, ids))
                else:
                    ids = None  # changes the queue does not explain: rebuild
        if ids is None:
            self.rebuild()
            return True
        try:
            commit = self.index.begin_apply(docs, ids, target, wait=wait, merge=merge,
                                            deferred=deferred)
        except IndexBusy:
            return False

        def finish() -> bool:
            if commit is not None:
                commit()
            self.indexed = target
            if target != generation:
                return False  # a step: the rest waits for the next
            state = self.index.state()
            if state is None or state[1] != papers:
                # Queue rows were missing (purged by an index that has since been
                # replaced): only a rebuild can be trusted now.
                self.rebuild()
                return True
            return False
        return finish if commit is not None else finish()

    def unseen(self) -> list[int]:
        """The papers changed since the generation the index reflects: what a
        search cannot answer for yet (their filters are checked in the database)."""
        if self.indexed is None:
            state = self.index.state()
            if state is None:
                return []
            self.indexed = state[0]
        with db.read_transaction(self._engine) as conn:
            return list(conn.execute(select(queue_t.c.paper_id).distinct().where(
                queue_t.c.generation > self.indexed, queue_t.c.paper_id != 0)).scalars())

    def rebuild(self) -> int:
        """Rebuild the index from a snapshot of the database.

        Neither readers nor writers wait meanwhile: the documents come from one
        read snapshot (generation G), searches use the old index until the
        fresh one is swapped in, and changes committed meanwhile stay queued
        (generation > G) for the next catch-up.
        """
        with self._lock:
            with db.read_transaction(self._engine) as conn:
                generation = database_generation(conn)
                papers = conn.execute(select(func.count()).select_from(papers_t)).scalar_one()
                count = self.index.rebuild(read_documents(conn), generation, papers)
            with db.write_transaction(self._engine) as conn:
                conn.execute(delete(queue_t).where(queue_t.c.generation <= generation))
            self.indexed = generation
            return count

    def queued(self) -> int:
        """How many queue rows wait for the index (for checks and tests)."""
        with db.read_transaction(self._engine) as conn:
            return conn.execute(select(func.count()).select_from(queue_t)).scalar_one()


def _step_end(conn: Connection, applied: int, generation: int, most: int) -> int:
    """The last generation of a step of about ``most`` papers after ``applied``
    (at least one whole transaction: the index records generations)."""
    counts = conn.execute(
        select(queue_t.c.generation, func.count(queue_t.c.paper_id.distinct()))
        .where(queue_t.c.generation > applied).group_by(queue_t.c.generation)
        .order_by(queue_t.c.generation)).all()
    total = 0
    for number, count in counts:
        total += count
        if total >= most:
            return number
    return generation


__all__ = ["IndexKeeper"]
