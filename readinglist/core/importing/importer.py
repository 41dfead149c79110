"""Importing digest files: one transaction per file, set-based SQL, the
index catching up every few thousand papers.

`store_digest` writes the rows of one digest inside a given transaction;
`Importer` drives files, transactions, the index and progress.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, delete, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from readinglist.core.errors import InvalidInput
from readinglist.core.importing.references import store_references
from readinglist.core.sources.digest import Digest
from readinglist.core.sources.files import MAILBOX, SUFFIXES, SourceError, read_source
from readinglist.core.sources.links import has_code
from readinglist.core.sources.references import match_key
from readinglist.core.storage import citekeys
from readinglist.core.storage.sql import (
    appearances_t,
    chunks,
    digests_t,
    meta_set,
    now_iso,
    papers_t,
)
from readinglist.core.store import Store
from readinglist.core.views import (
    ALREADY_IMPORTED,
    IMPORTED,
    REJECTED,
    FileResult,
    ImportProgress,
    ImportResult,
)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders as their digest files (``*.txt``, ``*.eml``,
    ``*.mbox``, ``*.html``, ``*.htm``), recursively, sorted."""
    files: list[Path] = []
    for raw in paths:
        if not str(raw).strip():  # Path("") is the current folder: never meant
            raise InvalidInput("an empty path names no file")
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*")
                                if p.suffix.lower() in SUFFIXES and p.is_file()))
        else:
            files.append(path)
    return files


def display_name(path: Path) -> str:
    """The file's name as text: bytes that are not UTF-8 (a name from another
    system) become U+FFFD instead of failing to be stored."""
    return path.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def ids_by_key(conn: Connection, keys: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in chunks(list(keys)):
        rows = conn.execute(
            select(papers_t.c.title_key, papers_t.c.id).where(papers_t.c.title_key.in_(chunk))
        )
        found.update({key: paper_id for key, paper_id in rows})
    return found


def store_digest(
    conn: Connection, path: Path, digest: Digest, batch: int
) -> tuple[FileResult, list[int]]:
    """Write one digest's rows; returns the result and the ids of the papers
    the search index must see again."""
    warnings = list(digest.warnings)
    digest_date = digest.date.isoformat()
    entries = _unique_entries(digest, warnings)
    keys = list(entries)
    previous = conn.execute(
        select(digests_t.c.id).where(digests_t.c.fingerprint == digest.fingerprint)
    ).first()
    if previous is not None:  # the same papers again: an abstract cut short before?
        longer = _keep_longer_abstracts(conn, entries, ids_by_key(conn, keys))
        return FileResult(path, ALREADY_IMPORTED, warnings=warnings,
                          digest_date=digest_date), longer
    now = now_iso()
    row = {"file_name": display_name(path), "fingerprint": digest.fingerprint,
           "digest_date": digest_date, "entry_count": len(digest.entries)}
    extended = _digest_it_completes(conn, digest_date, keys)
    if extended is not None:
        # A digest cut off (a truncated download, a mail cut short), now whole:
        # one digest, each paper seen once in it, its longer abstracts kept.
        digest_id, before = extended
        conn.execute(update(digests_t).where(digests_t.c.id == digest_id).values(row))
        conn.execute(delete(appearances_t).where(appearances_t.c.digest_id == digest_id))
        warnings.insert(0, f"completes the digest of {digest_date} imported before "
                           f"({before} of its {len(keys)} papers)")
    else:
        digest_id = conn.execute(
            insert(digests_t).values(imported_at=now, **row)).inserted_primary_key[0]

    known = ids_by_key(conn, keys)
    longer = _keep_longer_abstracts(conn, entries, known)
    new_rows = _new_rows(entries, known, digest_date, now, batch)
    if new_rows:
        conn.execute(insert(papers_t), new_rows)
    new_ids = ids_by_key(conn, [row["title_key"] for row in new_rows])
    citekeys.assign_keys(conn, list(new_ids.values()))
    ids = {**known, **new_ids}
    _record_appearances(conn, digest_id, [ids[key] for key in keys], now)
    result = FileResult(
        path, IMPORTED, new=len(new_rows), seen=len(known), warnings=warnings,
        digest_date=digest_date,
    )
    return result, list(dict.fromkeys([*ids.values(), *longer]))


def _digest_it_completes(conn: Connection, digest_date: str,
                         keys: list[str]) -> tuple[int, int] | None:
    """An earlier digest of the same day whose papers are the first ones of
    this one, in the same order, and fewer: (its id, how many it had).

    Only digests of that day that list this digest's first paper first, and
    fewer papers, can be one: found from that paper through the indexes, the
    longest few compared in full. A mailbox of a thousand digests of one day
    costs a thousand small lookups, not a thousand times a thousand."""
    if not keys:
        return None
    candidates = conn.execute(
        select(digests_t.c.id, digests_t.c.entry_count)
        .join(appearances_t, appearances_t.c.digest_id == digests_t.c.id)
        .join(papers_t, papers_t.c.id == appearances_t.c.paper_id)
        .where(papers_t.c.title_key == keys[0], appearances_t.c.position == 1,
               digests_t.c.digest_date == digest_date,
               digests_t.c.entry_count < len(keys))
        .order_by(digests_t.c.entry_count.desc()).limit(COMPLETION_CANDIDATES)).all()
    for digest_id, _count in candidates:
        before = conn.execute(
            select(papers_t.c.title_key)
            .join(appearances_t, appearances_t.c.paper_id == papers_t.c.id)
            .where(appearances_t.c.digest_id == digest_id)
            .order_by(appearances_t.c.position)).scalars().all()
        if 0 < len(before) < len(keys) and keys[: len(before)] == before:
            return digest_id, len(before)
    return None


def _keep_longer_abstracts(conn: Connection, entries: dict, known: dict[str, int]) -> list[int]:
    """Where a known paper's abstract is the start of this digest's (it was cut
    short), the whole one replaces it. Returns the ids changed."""
    changed = []
    by_id = {paper_id: key for key, paper_id in known.items()}
    for chunk in chunks(list(by_id)):
        rows = conn.execute(select(papers_t.c.id, papers_t.c.abstract)
                            .where(papers_t.c.id.in_(chunk))).all()
        for paper_id, abstract in rows:
            entry = entries[by_id[paper_id]]
            stored = abstract or ""
            if len(entry.abstract) > len(stored) and entry.abstract.startswith(stored.rstrip()):
                conn.execute(update(papers_t).where(papers_t.c.id == paper_id).values(
                    abstract=entry.abstract, links=json.dumps(list(entry.links)),
                    has_code=int(has_code(entry.links)), updated=now_iso()))
                changed.append(paper_id)
    return changed


def _unique_entries(digest: Digest, warnings: list[str]) -> dict:
    """The digest's entries by title key, the first of any repeat kept."""
    entries = {}
    for entry in digest.entries:
        first = entries.setdefault(entry.key, entry)
        if first is not entry:
            warnings.append(
                f"line {entry.line}: {entry.title[:60]!r} repeats line {first.line}; kept once"
            )
    return entries


def _new_rows(entries: dict, known: dict, digest_date: str, now: str, batch: int) -> list[dict]:
    return [
        {
            "title": entry.title,
            "title_key": key,
            "title_match": match_key(entry.title),
            "abstract": entry.abstract,
            "links": json.dumps(list(entry.links)),
            "has_code": int(has_code(entry.links)),
            "first_seen": digest_date,
            "last_seen": digest_date,
            "times_seen": 0,
            "status": "unread",
            "note": "",
            "created": now,
            "updated": now,
            "import_batch": batch,
        }
        for key, entry in entries.items()
        if key not in known
    ]


def _record_appearances(conn: Connection, digest_id: int, paper_ids: list[int],
                        now: str) -> None:
    """The digest's papers in their order; then each paper's counts and dates."""
    conn.execute(
        insert(appearances_t),
        [{"paper_id": paper_id, "digest_id": digest_id, "position": position}
         for position, paper_id in enumerate(paper_ids, start=1)],
    )
    # first/last seen and the count follow from the appearances, whatever
    # order the digests arrive in.
    conn.execute(
        text(
            """
            UPDATE paper SET
              times_seen = (SELECT count(*) FROM appearance a WHERE a.paper_id = paper.id),
              first_seen = (SELECT min(d.digest_date) FROM appearance a
                            JOIN digest d ON d.id = a.digest_id WHERE a.paper_id = paper.id),
              last_seen = (SELECT max(d.digest_date) FROM appearance a
                           JOIN digest d ON d.id = a.digest_id WHERE a.paper_id = paper.id),
              updated = :now
            WHERE id IN (SELECT paper_id FROM appearance WHERE digest_id = :digest)
            """
        ),
        {"now": now, "digest": digest_id},
    )


ProgressCallback = Callable[[ImportProgress], "bool | None"]
INDEX_BATCH = 5000  # papers an import stores before the index catches up
INDEX_LAG_S = 10.0  # … or seconds
COMPLETION_CANDIDATES = 5  # earlier digests of a day compared in full, at most


class Importer:
    def __init__(self, store: Store):
        self._store = store

    def import_files(
        self,
        paths: Iterable[str | Path],
        progress: ProgressCallback | None = None,
        *,
        year: int | None = None,
        today: date | None = None,
        refresh: bool = False,
    ) -> ImportResult:
        """Import digest files and folders; one transaction per file.
        ``refresh``: a bibliography's values replace what other sources said
        (never a value typed by hand).

        ``progress`` is called before the first file and after each one; if
        it returns ``False`` the import stops before the next file.
        """
        files = expand_paths(paths)
        result = ImportResult()
        papers_done = 0
        batch = self._next_batch()
        pending, caught = 0, time.monotonic()
        finish_indexing = None  # the last batch's commit, while its processes index it
        try:
            for number, path in enumerate(files):
                if progress is not None and progress(
                    ImportProgress(number, len(files), papers_done, path)
                ) is False:
                    result.cancelled = True
                    break
                file_result = self._import_file(
                    path, year=year, today=today or date.today(), batch=batch, refresh=refresh
                )
                result.files.append(file_result)
                papers_done += file_result.new + file_result.seen
                pending += file_result.new + file_result.seen
                # The index catches up every few thousand papers (and every few
                # seconds, so that the window's searches follow a long import);
                # one Whoosh commit per file would cost more than the rest of
                # it. A large batch is indexed by other processes while the
                # next files are stored; its commit comes before the next.
                if pending >= INDEX_BATCH or (pending and time.monotonic() - caught > INDEX_LAG_S):
                    if finish_indexing is not None:
                        finish_indexing()
                    finish_indexing = self._store.begin_catch_up_quietly()
                    pending, caught = 0, time.monotonic()
            else:
                if progress is not None:
                    progress(ImportProgress(len(files), len(files), papers_done, None))
        finally:
            if finish_indexing is not None:
                finish_indexing()
        if pending:
            self._store.catch_up_quietly()
        return result

    def _next_batch(self) -> int:
        """A number for a new import batch (kept only if the batch adds papers)."""
        with self._store.read() as conn:
            last = conn.execute(select(func.max(papers_t.c.import_batch))).scalar()
        return int(last or 0) + 1

    def _import_file(self, path: Path, *, year: int | None, today: date, refresh: bool,
                     batch: int) -> FileResult:
        """Every digest of one file, each in its own transaction."""
        try:
            kind, parts = read_source(path, year=year, today=today)
        except SourceError as exc:
            return FileResult(path, REJECTED, error=str(exc))
        result = FileResult(path, REJECTED, kind=kind)
        statuses = []
        for part in parts:
            if part.references is not None:
                return self._store_references(path, kind, part.references, batch, today,
                                              refresh)
            if part.digest is None:
                if kind != MAILBOX:
                    result.error = part.error
                    return result
                result.skipped.append(f"{part.label}: {part.error}" if part.label
                                      else str(part.error))
                continue
            stored = self._store_one(path, part.digest, batch)
            if stored.status == REJECTED:
                result.skipped.append(f"{part.label}: {stored.error}" if part.label
                                      else str(stored.error))
                if kind != MAILBOX:
                    result.error = stored.error
                    return result
                continue
            statuses.append(stored.status)
            result.digests += 1
            result.new += stored.new
            result.seen += stored.seen
            result.digest_date = stored.digest_date
            result.warnings += [f"{part.label}: {w}" if part.label else w
                                for w in stored.warnings]
        if IMPORTED in statuses:
            result.status = IMPORTED
        elif statuses:
            result.status = ALREADY_IMPORTED
        else:
            result.error = (f"no digest in the mailbox ({len(result.skipped)} "
                            f"message{'s' if len(result.skipped) != 1 else ''} skipped)")
        return result

    def _store_references(self, path: Path, kind: str, references, batch: int,
                          today: date, refresh: bool) -> FileResult:
        """A bibliography: every entry in one transaction, or none of them."""
        return self._store_file(path, kind, batch, lambda conn: store_references(
            conn, path, kind, references, batch, today, refresh))

    def _store_one(self, path: Path, digest: Digest, batch: int) -> FileResult:
        return self._store_file(path, "text", batch,
                                lambda conn: store_digest(conn, path, digest, batch))

    def _store_file(self, path: Path, kind: str, batch: int, store) -> FileResult:
        """``store(conn)`` in one write transaction, its papers queued for the
        index; a failure keeps nothing of it and says why."""
        try:
            with self._store.lock, self._store.write() as conn:
                result, ids = store(conn)
                if result.new:
                    meta_set(conn, "last_import_batch", str(batch))
                if ids:
                    self._store.queue(conn, ids)
                return result
        except Exception as exc:  # nothing of this file was kept: say why, go on
            reason = exc.orig if isinstance(exc, DBAPIError) else exc
            return FileResult(path, REJECTED, kind=kind, error=f"not saved: {reason}")
