"""Writing an index folder from scratch beside the one in use, and giving up a
writer cleanly whatever state it is in."""

from __future__ import annotations

import os
import secrets
import shutil
import time
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import Schema

from readinglist.core.index.documents import INDEX_VERSION, META_ID, WRITER_MB


def build_beside(directory: Path, schema: Schema, documents: Iterable[dict],
                 generation: int) -> tuple[Path, Path, int]:
    """A fresh index of ``documents`` in a new folder beside ``directory``;
    returns (that folder, the name the old one moves to, documents written)."""
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
    writer = ix.writer(limitmb=WRITER_MB, compound=False)
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
