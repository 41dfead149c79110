"""Writing the index: the writer's options (one process or two), a batch of
papers replaced in the index in use, an index folder from scratch beside it,
and giving up a writer cleanly whatever state it is in."""

from __future__ import annotations

import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import Schema
from whoosh.index import Index, LockError

from readinglist.core.index.documents import INDEX_VERSION, META_ID, WRITER_MB
from readinglist.core.index.errors import IndexBusy

# A batch of at least this many papers is analysed and written by two
# processes (Whoosh's own MpWriter, each writing a segment of its own) where
# the machine has two cores: 20,000 papers 35 s -> 17.5 s. Smaller batches
# (a day's digest, an edit) keep the one writer: starting processes costs more.
PROCESSES_FROM = 2000


def writer_options(documents: int) -> dict:
    """Whoosh writer options for a batch of ``documents``."""
    options = {"limitmb": WRITER_MB, "compound": False}
    procs = min(2, os.cpu_count() or 1)
    if documents >= PROCESSES_FROM and procs > 1 and _forks():
        # At most 4 jobs a process (the size of MpWriter's job queue): adding
        # the documents never waits for the processes, so a caller can go on
        # while they work (`SearchIndex.begin_apply`).
        options.update(procs=procs, multisegment=True,
                       batchsize=max(100, -(-documents // (4 * procs))))
    return options


def _forks() -> bool:
    """Whether new processes start as forks of this one: the sub-writers then
    have this process's Whoosh, fused analysis included. (A spawned one would
    start a fresh interpreter: slower, and without it.)"""
    import multiprocessing

    chosen = (multiprocessing.get_start_method(allow_none=True)
              or multiprocessing.get_all_start_methods()[0])
    return chosen == "fork"


def begin_update(ix: Index, documents: Sequence[dict], remove_ids: Sequence[int],
                 generation: int, wait: float, merge: bool,
                 deferred: bool) -> Callable[[], None] | None:
    """Replace the papers ``remove_ids`` by ``documents`` in ``ix`` and record
    ``generation``, in one commit; the commit is returned instead of made when
    ``deferred`` and the documents went to a writer's processes (they analyse
    and write meanwhile). None when it is committed."""
    try:
        writer = ix.writer(timeout=wait, **writer_options(len(documents)))
    except LockError as exc:
        raise IndexBusy("another process is writing the search index") from exc
    try:
        # One searcher finds every old version to delete; update_document()
        # would open a new searcher per document.
        with writer.searcher() as searcher:
            for pid in [*(str(i) for i in remove_ids), META_ID]:
                for docnum in searcher.document_numbers(pid=pid):
                    writer.delete_document(docnum)
        for document in documents:
            writer.add_document(**document)
        writer.add_document(pid=META_ID, generation=generation, version=INDEX_VERSION)
    except BaseException:
        abandon(writer)
        raise

    def commit() -> None:
        # Merging segments is what costs an import its time and memory: during
        # a batch the commits only add segments, and the merge runs once at
        # its end.
        try:
            writer.commit(merge=merge)
        except BaseException:
            abandon(writer)
            raise
    if deferred and getattr(writer, "procs", 1) > 1:
        return commit
    commit()
    return None


def build_beside(directory: Path, schema: Schema, documents: Iterable[dict],
                 generation: int, expected: int = 0) -> tuple[Path, Path, int]:
    """A fresh index of ``documents`` (about ``expected`` of them) in a new
    folder beside ``directory``; returns (that folder, the name the old one
    moves to, documents written)."""
    parent = directory.parent
    # Names of this rebuild's own: two processes opening a new library at
    # once both rebuild, and must not write into each other's folder.
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    fresh = parent / f"{directory.name}.new-{token}"
    old = parent / f"{directory.name}.old-{token}"
    remove_stale_leftovers(parent, directory.name)
    fresh.mkdir(parents=True)
    ix = whoosh_index.create_in(str(fresh), schema)
    count = 0
    writer = ix.writer(**writer_options(expected))
    try:
        for document in documents:
            writer.add_document(**document)
            count += 1
        writer.add_document(pid=META_ID, generation=generation, version=INDEX_VERSION)
        writer.commit(optimize=True)
    except BaseException:
        abandon(writer)
        ix.close()
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    ix.close()
    return fresh, old, count


STALE_AFTER_S = 3600  # a rebuild's folders older than this were left by a crash


def remove_stale_leftovers(parent: Path, name: str) -> None:
    for leftover in [*parent.glob(f"{name}.new*"), *parent.glob(f"{name}.old*")]:
        with suppress(OSError):
            if time.time() - leftover.stat().st_mtime > STALE_AFTER_S or leftover.name in (
                    f"{name}.new", f"{name}.old"):  # the fixed names of earlier versions
                shutil.rmtree(leftover, ignore_errors=True)


def abandon(writer) -> None:
    """Cancel a failed writer and free the index's write lock whatever state it is in.

    Whoosh's cancel() itself fails when the commit failed half-way (a full
    disk), which would leave the lock held and every later write waiting.
    """
    with suppress(Exception):
        writer.cancel()
    lock = getattr(writer, "writelock", None)
    if lock is not None:
        with suppress(Exception):
            lock.release()
