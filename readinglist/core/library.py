"""The facade over the database and the index: everything a user can do.

The GUI and the CLI call only this. Each public method opens its own short
transaction and returns plain read models (`readinglist.core.views`).
A `Library` may be used from a thread other than the one that opened it:
writes and the index are serialised by a lock, plain reads run on their own
SQLite connections (WAL lets them proceed while another thread writes).
Two processes may share one library: writes take SQLite's write lock up front
(``BEGIN IMMEDIATE``) and wait for it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, bindparam, delete, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from readinglist.core import bibtex, citekeys, db, importer, maintenance
from readinglist.core.errors import InvalidInput, LibraryError, NotFound
from readinglist.core.index import IndexBusy, SearchIndex
from readinglist.core.indexing import IndexKeeper
from readinglist.core.maintenance import CheckReport
from readinglist.core.models import STATUSES
from readinglist.core.queries import (
    DESCENDING_SORTS,
    PAPER_COLUMNS,
    SORTS,
    Filter,
    appearances_t,
    chunks,
    digests_t,
    filter_clauses,
    meta_t,
    normalise_tag,
    now_iso,
    paper_tags_t,
    paper_view,
    papers_t,
    tags_t,
)
from readinglist.core.views import (
    REJECTED,
    AppearanceView,
    DigestView,
    FileResult,
    Hit,
    ImportProgress,
    ImportResult,
    PaperView,
    Stats,
    TagCount,
)

__all__ = ["SORTS", "Filter", "Library", "PapersSnapshot", "normalise_tag"]

ProgressCallback = Callable[[ImportProgress], "bool | None"]


@dataclass(frozen=True)
class PapersSnapshot:
    """Deleted papers, whole: rows, tag names, appearances."""

    papers: tuple[dict, ...]
    tags: tuple[tuple[int, str], ...]
    appearances: tuple[dict, ...]

    def __len__(self) -> int:
        return len(self.papers)

DB_NAME = "library.sqlite"
INDEX_DIR = "index"
INDEX_BATCH = 5000  # papers an import stores before the index catches up
INDEX_LAG_S = 10.0  # … or seconds
RANKED_HITS = 200  # hits of a full search list ordered by relevance; the rest by date
EXPORT_CHUNK = 2000  # papers read at a time while exporting


class Library:
    """One library folder: ``library.sqlite`` and the ``index/`` folder."""

    def __init__(self, folder: Path, *, busy_timeout: float | None = None):
        self.folder = Path(folder)
        self.db_path = self.folder / DB_NAME
        self._lock = threading.RLock()
        self._engine = db.create_library_engine(
            self.db_path, busy_timeout if busy_timeout is not None else db.default_busy_timeout()
        )
        self._index = SearchIndex(self.folder / INDEX_DIR)
        self._keeper = IndexKeeper(self._engine, self._index, self._lock)
        self.index_rebuilt = False  # whether opening had to rebuild the index
        self.index_error: str | None = None
        self.backup_error: str | None = None

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
            db.ensure_schema(library._engine, library.db_path)
            if backup:
                library.backup_if_due()
            try:
                library.index_rebuilt = library._keeper.catch_up()
            except (OSError, IndexBusy) as exc:  # the database is fine; searches lag behind
                library.index_error = f"the search index could not be updated: {exc}"
        except BaseException:
            library.close()
            raise
        return library

    def backup_if_due(self) -> None:
        """Today's rolling backup, made by the first open of the day."""
        try:
            with self._read() as conn:
                if not self._paper_count(conn):
                    return
            maintenance.daily_backup(self.folder)
        except (OSError, sqlite3.Error) as exc:  # never stop a user from opening the library
            self.backup_error = f"today's backup could not be made: {exc}"

    def check(self) -> CheckReport:
        """Integrity checks of the database, its derived columns and the index."""
        report = CheckReport()
        with self._lock, self._read() as conn:
            integrity = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
            if integrity == ["ok"]:
                report.notes.append("database integrity: ok")
            else:
                report.problems += [f"database integrity: {line}" for line in integrity[:20]]
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
            if broken:
                report.problems.append(f"{len(broken)} rows point at missing rows")
            wrong_counts = conn.execute(text(
                "SELECT count(*) FROM paper p WHERE p.times_seen != "
                "(SELECT count(*) FROM appearance a WHERE a.paper_id = p.id)")).scalar_one()
            if wrong_counts:
                report.problems.append(f"{wrong_counts} papers have a wrong 'times seen' count")
            wrong_tag_sort = conn.execute(text(
                f"SELECT count(*) FROM paper WHERE tag_sort IS NOT {db.TAG_SORT_VALUE}"
            )).scalar_one()
            if wrong_tag_sort:
                report.problems.append(f"{wrong_tag_sort} papers have a wrong tags sort key")
            missing_keys = conn.execute(text(
                "SELECT count(*) FROM paper WHERE citekey IS NULL OR citekey = ''")).scalar_one()
            if missing_keys:
                report.problems.append(f"{missing_keys} papers have no citation key")
            papers = self._paper_count(conn)
            report.notes.append(f"{papers} papers, schema version {db.schema_version(conn)}")
        try:
            self._keeper.catch_up()
            if self.index_ids() == set(self.paper_ids()):
                report.notes.append("search index: in step with the database")
            else:
                self._keeper.rebuild()
                report.notes.append("search index: was out of step, rebuilt from the database")
        except (OSError, IndexBusy) as exc:
            report.problems.append(f"search index: cannot be brought up to date ({exc})")
        backups = maintenance.list_backups(self.folder)
        report.notes.append(
            f"backups: {len(backups)}, newest {backups[0].name}" if backups else "backups: none yet"
        )
        return report

    def close(self) -> None:
        with self._lock:
            self._index.close()
            self._engine.dispose()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- transactions and the index ----------------------------------------------
    def _write(self):
        return db.write_transaction(self._engine)

    def _read(self):
        return db.read_transaction(self._engine)

    @staticmethod
    def _meta_get(conn: Connection, key: str) -> str | None:
        return conn.execute(select(meta_t.c.value).where(meta_t.c.key == key)).scalar()

    @staticmethod
    def _meta_set(conn: Connection, key: str, value: str) -> None:
        conn.execute(
            text("INSERT INTO meta (key, value) VALUES (:key, :value) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
            {"key": key, "value": value},
        )

    def _next_batch(self) -> int:
        """A number for a new import batch (kept only if the batch adds papers)."""
        with self._read() as conn:
            last = conn.execute(select(func.max(papers_t.c.import_batch))).scalar()
        return int(last or 0) + 1

    def last_import_batch(self) -> int | None:
        """The most recent import that added papers ("New in last import")."""
        with self._read() as conn:
            value = self._meta_get(conn, "last_import_batch")
        return int(value) if value else None

    @staticmethod
    def _paper_count(conn: Connection) -> int:
        return conn.execute(select(func.count()).select_from(papers_t)).scalar_one()

    def reindex(self) -> int:
        """Rebuild the index from the database. Returns the number of papers indexed."""
        return self._keeper.rebuild()

    @contextmanager
    def _edit(self) -> Iterator[Connection]:
        """A write transaction; once it is committed, the index catches up."""
        with self._lock:
            with self._write() as conn:
                yield conn
            self._keeper.catch_up()

    def _queue_for_index(self, conn: Connection, ids: Sequence[int]) -> None:
        self._keeper.enqueue(conn, ids)

    def _catch_up_if_behind(self) -> None:
        """Before a search: apply changes made meanwhile (by this or another process)."""
        if self._keeper.behind():
            # On failure, search the index as it is; the next write catches up.
            with suppress(Exception):
                self._keeper.catch_up(wait=0.5)

    # -- import -----------------------------------------------------------------
    def import_files(
        self,
        paths: Iterable[str | Path],
        progress: ProgressCallback | None = None,
        *,
        year: int | None = None,
        today: date | None = None,
    ) -> ImportResult:
        """Import digest files and folders; one transaction per file.

        ``progress`` is called before the first file and after each one; if
        it returns ``False`` the import stops before the next file.
        """
        files = importer.expand_paths(paths)
        result = ImportResult()
        papers_done = 0
        batch = self._next_batch()
        pending, caught = 0, time.monotonic()
        for number, path in enumerate(files):
            if progress is not None and progress(
                ImportProgress(number, len(files), papers_done, path)
            ) is False:
                result.cancelled = True
                break
            file_result = self._import_file(
                path, year=year, today=today or date.today(), batch=batch
            )
            result.files.append(file_result)
            papers_done += file_result.new + file_result.seen
            pending += file_result.new + file_result.seen
            # The index catches up every few thousand papers (and every few
            # seconds, so that the window's searches follow a long import);
            # one Whoosh commit per file would cost more than the rest of it.
            if pending >= INDEX_BATCH or (pending and time.monotonic() - caught > INDEX_LAG_S):
                self._catch_up_quietly(merge=False)
                pending, caught = 0, time.monotonic()
        else:
            if progress is not None:
                progress(ImportProgress(len(files), len(files), papers_done, None))
        if pending:
            self._catch_up_quietly()
        return result

    def _catch_up_quietly(self, merge: bool = True) -> None:
        """Index what the import stored; a failure leaves it queued for the next try."""
        try:
            self._keeper.catch_up(merge=merge)
        except Exception as exc:  # the database has the papers; the index will follow
            self.index_error = f"the search index could not be updated: {exc}"

    def _import_file(
        self, path: Path, *, year: int | None, today: date, batch: int
    ) -> FileResult:
        digest = importer.read_digest(path, year=year, today=today)
        if isinstance(digest, FileResult):
            return digest
        try:
            with self._lock, self._write() as conn:
                result, ids = importer.store_digest(conn, path, digest, batch)
                if ids:
                    self._meta_set(conn, "last_import_batch", str(batch))
                    self._queue_for_index(conn, ids)
                return result
        except Exception as exc:  # nothing of this file was kept: say why, go on
            reason = exc.orig if isinstance(exc, DBAPIError) else exc
            return FileResult(path, REJECTED, error=f"not saved: {reason}")

    # -- reading ------------------------------------------------------------------
    def paper_ids(
        self,
        view: Filter | None = None,
        *,
        sort: str = "date",
        descending: bool | None = None,
        within: Sequence[int] | None = None,
    ) -> list[int]:
        """Ids of the papers in a view, sorted in SQL. Cheap even at 100k papers.

        ``within`` restricts the result to these ids (e.g. search hits to sort
        by a column); it is passed as one JSON parameter, not one per id.
        """
        if sort not in SORTS:
            raise InvalidInput(f"unknown sort {sort!r} (use one of {', '.join(SORTS)})")
        if descending is None:
            descending = sort in DESCENDING_SORTS
        column = SORTS[sort]
        clauses = filter_clauses(view or Filter())
        if within is not None:
            clauses.append(
                papers_t.c.id.in_(
                    select(text("value")).select_from(func.json_each(bindparam("within")))
                )
            )
        if clauses:
            # Let the filter pick the rows and sort them afterwards: walking the
            # sort's index and testing each row took 3x longer for broad filters.
            column = UnaryExpression(column, operator=operators.custom_op("+"))
        order = [column.desc() if descending else column.asc()]
        order.append(papers_t.c.id.desc() if descending else papers_t.c.id.asc())
        stmt = select(papers_t.c.id).where(*clauses).order_by(*order)
        params = {"within": json.dumps([int(i) for i in within])} if within is not None else {}
        with self._read() as conn:
            return db.fetch_ids(conn, stmt, params)

    def count(self, view: Filter | None = None) -> int:
        """How many papers a view holds (for the sidebar's counts)."""
        stmt = select(func.count()).select_from(papers_t).where(*filter_clauses(view or Filter()))
        with self._read() as conn:
            return conn.execute(stmt).scalar_one()

    def get_papers(self, ids: Sequence[int]) -> list[PaperView]:
        """The papers with these ids, in the order given (unknown ids are skipped)."""
        with self._read() as conn:
            return self._get_papers(conn, ids)

    @staticmethod
    def _get_papers(conn: Connection, ids: Sequence[int]) -> list[PaperView]:
        ids = list(ids)
        found: dict[int, PaperView] = {}
        for chunk in chunks(ids):
            stmt = text(f"SELECT {PAPER_COLUMNS} FROM paper p WHERE p.id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            )
            for row in conn.execute(stmt, {"ids": list(chunk)}):
                found[row.id] = paper_view(row)
        return [found[i] for i in ids if i in found]

    def paper(self, paper_id: int) -> PaperView:
        papers = self.get_papers([paper_id])
        if not papers:
            raise NotFound(f"no paper with id {paper_id}")
        return papers[0]

    def list_papers(
        self,
        view: Filter | None = None,
        *,
        sort: str = "date",
        descending: bool | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[PaperView]:
        ids = self.paper_ids(view, sort=sort, descending=descending)
        end = None if limit is None else offset + limit
        return self.get_papers(ids[offset:end])

    def appearances(self, paper_id: int) -> list[AppearanceView]:
        stmt = (
            select(
                digests_t.c.id, digests_t.c.digest_date, digests_t.c.file_name,
                appearances_t.c.position,
            )
            .join(appearances_t, appearances_t.c.digest_id == digests_t.c.id)
            .where(appearances_t.c.paper_id == paper_id)
            .order_by(digests_t.c.digest_date, digests_t.c.id)
        )
        with self._read() as conn:
            return [AppearanceView(*row) for row in conn.execute(stmt)]

    def digests(self) -> list[DigestView]:
        stmt = select(
            digests_t.c.id, digests_t.c.file_name, digests_t.c.digest_date,
            digests_t.c.imported_at, digests_t.c.entry_count,
        ).order_by(digests_t.c.digest_date.desc(), digests_t.c.id.desc())
        with self._read() as conn:
            return [DigestView(*row) for row in conn.execute(stmt)]

    def stats(self) -> Stats:
        with self._read() as conn:
            by_status = dict(
                conn.execute(
                    select(papers_t.c.status, func.count()).group_by(papers_t.c.status)
                ).all()
            )

            def count(table) -> int:
                return conn.execute(select(func.count()).select_from(table)).scalar_one()

            notes = conn.execute(
                select(func.count()).select_from(papers_t).where(papers_t.c.note != "")
            ).scalar_one()
            return Stats(
                papers=count(papers_t),
                appearances=count(appearances_t),
                digests=count(digests_t),
                tags=count(tags_t),
                unread=by_status.get("unread", 0),
                skimmed=by_status.get("skimmed", 0),
                read=by_status.get("read", 0),
                notes=notes,
            )

    # -- search -------------------------------------------------------------------
    def search(
        self,
        query: str,
        limit: int | None = 50,
        *,
        status: str | None = None,
        tag: str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        view: Filter | None = None,
        sort: str = "date",
    ) -> list[Hit]:
        """Full-text search, ranked by BM25F; filters narrow it.

        With an empty query the filtered papers are listed, sorted by ``sort``.
        """
        view = view or Filter(status=status, tag=tag, since=since, until=until)
        if not query or not query.strip():
            papers = self.list_papers(view, sort=sort, limit=limit)
            return [Hit(p.id, p.title, 0.0, _lead(p.abstract), p) for p in papers]
        index_filter = view.for_index()
        with self._lock:
            self._catch_up_if_behind()
            cache: dict[int, PaperView] = {}

            def texts(ids: list[int]) -> dict[int, dict[str, str]]:
                for paper in self.get_papers(ids):
                    cache[paper.id] = paper
                return {
                    p.id: {"abstract": p.abstract, "title": p.title, "note": p.note}
                    for p in cache.values()
                }

            raw = self._search_index(query, limit, index_filter, texts)
        return [
            Hit(h.id, cache[h.id].title, h.score, h.snippet or _lead(cache[h.id].abstract),
                cache[h.id])
            for h in raw
            if h.id in cache
        ]

    def search_ids(
        self, query: str, view: Filter | None = None, limit: int | None = None
    ) -> list[int]:
        """Matching ids for the window's table.

        With a ``limit``: the best ``limit`` hits by relevance. Without: every
        hit — the best ``RANKED_HITS`` by relevance, then the rest newest
        first (scoring every hit of a broad query would cost seconds at 100k
        papers, and nobody reads hit 5,000 for its score).
        """
        index_filter = (view or Filter()).for_index()
        with self._lock:
            self._catch_up_if_behind()
            if limit is not None:
                return [h.id for h in self._search_index(query, limit, index_filter)]
            best = [h.id for h in self._search_index(query, RANKED_HITS, index_filter)]
            if len(best) < RANKED_HITS:
                return best
            everything = self._index.matching_ids(query, index_filter)
        chosen = set(best)
        rest = [i for i in everything if i not in chosen]
        return best + self.paper_ids(sort="first_seen", within=rest)

    def _search_index(self, query, limit, index_filter, texts=None):
        try:
            return self._index.search(query, limit, index_filter, texts)
        except Exception:
            pass
        # The index is a cache. First bring it up to date and search the
        # query's plain words, which cannot trip the parser; if that fails
        # too, the index is damaged in a way its state did not show: rebuild.
        for repair in (self._keeper.catch_up, self._keeper.rebuild):
            try:
                repair()
                return self._index.search(query, limit, index_filter, texts, plain=True)
            except LibraryError:
                raise
            except Exception as exc:
                failure = exc
        raise LibraryError(f"search failed: {failure}") from failure

    # -- tags ---------------------------------------------------------------------
    def _require_papers(self, conn: Connection, ids: Sequence[int]) -> list[int]:
        wanted = list(dict.fromkeys(int(i) for i in ids))
        found: set[int] = set()
        for chunk in chunks(wanted):
            found.update(
                conn.execute(select(papers_t.c.id).where(papers_t.c.id.in_(chunk))).scalars()
            )
        missing = [i for i in wanted if i not in found]
        if missing:
            raise NotFound(f"no paper with id {', '.join(map(str, missing[:10]))}")
        return wanted

    def _tag_id(self, conn: Connection, name: str, create: bool) -> int | None:
        name = normalise_tag(name)
        key = name.casefold()
        tag_id = conn.execute(select(tags_t.c.id).where(tags_t.c.name_key == key)).scalar()
        if tag_id is None and create:
            tag_id = conn.execute(
                insert(tags_t).values(name=name, name_key=key)
            ).inserted_primary_key[0]
        return tag_id

    def _touch(self, conn: Connection, ids: Sequence[int]) -> None:
        now = now_iso()
        for chunk in chunks(list(ids)):
            conn.execute(update(papers_t).where(papers_t.c.id.in_(chunk)).values(updated=now))

    @staticmethod
    def _drop_unused_tags(conn: Connection) -> None:
        conn.execute(
            delete(tags_t).where(~tags_t.c.id.in_(select(paper_tags_t.c.tag_id).distinct()))
        )

    def add_tags(self, ids: Sequence[int], names: Iterable[str]) -> None:
        names = [normalise_tag(n) for n in names]
        with self._lock, self._edit() as conn:
            ids = self._require_papers(conn, ids)
            for name in names:
                tag_id = self._tag_id(conn, name, create=True)
                conn.execute(
                    insert(paper_tags_t).prefix_with("OR IGNORE"),
                    [{"paper_id": i, "tag_id": tag_id} for i in ids],
                )
            self._touch(conn, ids)
            self._queue_for_index(conn, ids)

    def remove_tags(self, ids: Sequence[int], names: Iterable[str]) -> None:
        names = [normalise_tag(n) for n in names]
        with self._lock, self._edit() as conn:
            ids = self._require_papers(conn, ids)
            for name in names:
                tag_id = self._tag_id(conn, name, create=False)
                if tag_id is None:
                    continue
                for chunk in chunks(ids):
                    conn.execute(
                        delete(paper_tags_t).where(
                            paper_tags_t.c.tag_id == tag_id,
                            paper_tags_t.c.paper_id.in_(chunk),
                        )
                    )
            self._drop_unused_tags(conn)
            self._touch(conn, ids)
            self._queue_for_index(conn, ids)

    def tags(self) -> list[TagCount]:
        stmt = (
            select(tags_t.c.name, func.count(paper_tags_t.c.paper_id))
            .outerjoin(paper_tags_t, paper_tags_t.c.tag_id == tags_t.c.id)
            .group_by(tags_t.c.id)
            .order_by(tags_t.c.name_key)
        )
        with self._read() as conn:
            return [TagCount(name, count) for name, count in conn.execute(stmt)]

    def rename_tag(self, old: str, new: str) -> None:
        """Rename a tag; renaming onto an existing tag merges the two."""
        new = normalise_tag(new)
        with self._lock, self._edit() as conn:
            old_id = self._tag_id(conn, old, create=False)
            if old_id is None:
                raise NotFound(f"no tag named {normalise_tag(old)!r}")
            target_id = self._tag_id(conn, new, create=False)
            affected = list(
                conn.execute(
                    select(paper_tags_t.c.paper_id).where(paper_tags_t.c.tag_id == old_id)
                ).scalars()
            )
            if target_id is None or target_id == old_id:
                conn.execute(
                    update(tags_t).where(tags_t.c.id == old_id)
                    .values(name=new, name_key=new.casefold())
                )
            else:
                conn.execute(
                    text(
                        "INSERT OR IGNORE INTO paper_tag (paper_id, tag_id) "
                        "SELECT paper_id, :target FROM paper_tag WHERE tag_id = :old"
                    ),
                    {"target": target_id, "old": old_id},
                )
                conn.execute(delete(tags_t).where(tags_t.c.id == old_id))
            self._touch(conn, affected)
            self._queue_for_index(conn, affected)

    def delete_tag(self, name: str) -> None:
        with self._lock, self._edit() as conn:
            tag_id = self._tag_id(conn, name, create=False)
            if tag_id is None:
                raise NotFound(f"no tag named {normalise_tag(name)!r}")
            affected = list(
                conn.execute(
                    select(paper_tags_t.c.paper_id).where(paper_tags_t.c.tag_id == tag_id)
                ).scalars()
            )
            conn.execute(delete(tags_t).where(tags_t.c.id == tag_id))
            self._touch(conn, affected)
            self._queue_for_index(conn, affected)

    # -- notes and status ------------------------------------------------------------
    def set_note(self, paper_id: int, note: str) -> None:
        """Set a paper's note; an empty or blank note clears it."""
        note = note if note.strip() else ""
        with self._lock, self._edit() as conn:
            self._require_papers(conn, [paper_id])
            conn.execute(
                update(papers_t).where(papers_t.c.id == paper_id)
                .values(note=note, updated=now_iso())
            )
            self._queue_for_index(conn, [paper_id])

    def set_status(self, ids: Sequence[int], status: str) -> None:
        if status not in STATUSES:
            raise InvalidInput(f"unknown status {status!r} (use one of {', '.join(STATUSES)})")
        with self._lock, self._edit() as conn:
            ids = self._require_papers(conn, ids)
            now = now_iso()
            for chunk in chunks(ids):
                conn.execute(
                    update(papers_t)
                    .where(papers_t.c.id.in_(chunk), papers_t.c.status != status)
                    .values(status=status, status_changed=now, updated=now)
                )
            self._queue_for_index(conn, ids)

    def delete_papers(self, ids: Sequence[int]) -> PapersSnapshot:
        """Remove papers with their tags and appearances.

        Returns what was removed, for `restore_papers` (the window's undo).
        """
        with self._lock, self._edit() as conn:
            ids = self._require_papers(conn, ids)
            snapshot = self._snapshot(conn, ids)
            citekeys.retire(conn, ids)
            for chunk in chunks(ids):
                conn.execute(delete(papers_t).where(papers_t.c.id.in_(chunk)))
            self._drop_unused_tags(conn)
            self._queue_for_index(conn, ids)
        return snapshot

    @staticmethod
    def _snapshot(conn: Connection, ids: Sequence[int]) -> PapersSnapshot:
        papers, tags, appearances = [], [], []
        for chunk in chunks(list(ids)):
            papers += [
                dict(row._mapping)
                for row in conn.execute(select(papers_t).where(papers_t.c.id.in_(chunk)))
            ]
            tags += [
                (row.paper_id, row.name)
                for row in conn.execute(
                    select(paper_tags_t.c.paper_id, tags_t.c.name)
                    .join(tags_t, tags_t.c.id == paper_tags_t.c.tag_id)
                    .where(paper_tags_t.c.paper_id.in_(chunk))
                )
            ]
            appearances += [
                dict(row._mapping)
                for row in conn.execute(
                    select(appearances_t).where(appearances_t.c.paper_id.in_(chunk))
                )
            ]
        return PapersSnapshot(tuple(papers), tuple(tags), tuple(appearances))

    def restore_papers(self, snapshot: PapersSnapshot) -> None:
        """Put back papers removed by `delete_papers`, with their ids and keys."""
        ids = [paper["id"] for paper in snapshot.papers]
        with self._lock, self._edit() as conn:
            taken = [i for chunk in chunks(ids) for i in conn.execute(
                select(papers_t.c.id).where(papers_t.c.id.in_(chunk))).scalars()]
            if taken:
                raise LibraryError(f"cannot restore: paper {taken[0]} exists again")
            if snapshot.papers:
                conn.execute(insert(papers_t), list(snapshot.papers))
            digests = set(conn.execute(select(digests_t.c.id)).scalars())
            kept = [a for a in snapshot.appearances if a["digest_id"] in digests]
            if kept:
                conn.execute(insert(appearances_t), kept)
            for paper_id, name in snapshot.tags:
                tag_id = self._tag_id(conn, name, create=True)
                conn.execute(insert(paper_tags_t).prefix_with("OR IGNORE").values(
                    paper_id=paper_id, tag_id=tag_id))
            keys = [p["citekey"] for p in snapshot.papers if p.get("citekey")]
            for chunk in chunks(keys):
                conn.execute(
                    text("DELETE FROM citekey_retired WHERE key IN :keys").bindparams(
                        bindparam("keys", expanding=True)), {"keys": list(chunk)})
            self._queue_for_index(conn, ids)

    def match_spans(self, query: str, text_: str) -> list[tuple[int, int]]:
        """Where ``query`` matches ``text_`` (character spans), for highlighting."""
        if not query or not query.strip():
            return []
        # Only the query parser and the analyzer are needed, not the index
        # files: the window calls this on its own thread, and must not wait
        # while an import commits to the index under the library's lock.
        return self._index.match_spans(query, text_)

    # -- citation keys and BibTeX -------------------------------------------------
    def set_citekey(self, paper_id: int, key: str) -> None:
        """Give a paper a key by hand; refused if another paper holds it."""
        key = key.strip()
        if not bibtex.valid_key(key):
            raise InvalidInput(
                f"invalid citation key {key!r}: use letters, digits and _:.+- "
                "(starting with a letter or digit)"
            )
        with self._lock, self._write() as conn:
            self._require_papers(conn, [paper_id])
            holder = citekeys.owner(conn, key)
            if holder is not None and holder != paper_id:
                raise InvalidInput(f"citation key {key!r} is taken by paper {holder}")
            conn.execute(
                update(papers_t).where(papers_t.c.id == paper_id)
                .values(citekey=key, updated=now_iso())
            )

    def export_bibtex(
        self,
        ids: Sequence[int] | None = None,
        *,
        view: Filter | None = None,
        query: str | None = None,
        flavour: str = "bibtex",
    ) -> str:
        """BibTeX of the given papers, or of a view (optionally searched)."""
        return "".join(self.iter_bibtex(ids, view=view, query=query, flavour=flavour))

    def iter_bibtex(
        self,
        ids: Sequence[int] | None = None,
        *,
        view: Filter | None = None,
        query: str | None = None,
        flavour: str = "bibtex",
    ) -> Iterator[str]:
        """The export in pieces, for writing as it is made; arguments are checked at once."""
        return self._bibtex_parts(self._export_ids(ids, view, query, flavour), flavour)

    def write_bibtex(
        self,
        path: str | Path,
        ids: Sequence[int] | None = None,
        *,
        view: Filter | None = None,
        query: str | None = None,
        flavour: str = "bibtex",
    ) -> int:
        """Write the export to ``path`` in one step; returns how many entries it holds.

        The file is written as the papers are read, a few thousand at a time,
        so that exporting a whole library never holds it all in memory.
        """
        ordered = self._export_ids(ids, view, query, flavour)
        written = [0]
        bibtex.write_atomic(path, self._bibtex_parts(ordered, flavour, written))
        return written[0]

    def _export_ids(self, ids, view, query, flavour) -> list[int] | None:
        """The papers to export (None: the whole library), checked up front."""
        if flavour not in bibtex.FLAVOURS:
            raise InvalidInput(f"unknown flavour {flavour!r} (use {' or '.join(bibtex.FLAVOURS)})")
        if ids is not None:
            with self._read() as conn:
                return self._require_papers(conn, ids)
        if query and query.strip():
            return self.search_ids(query, view)
        if view is not None and view != Filter():
            return self.paper_ids(view, sort="id")
        return None

    def _bibtex_parts(self, ids: list[int] | None, flavour: str,
                      written: list[int] | None = None) -> Iterator[str]:
        """The export's text in pieces, entries sorted by key, from one snapshot."""
        order = select(papers_t.c.id).order_by(text("citekey COLLATE NOCASE"))
        params = {}
        if ids is not None:
            order = order.where(papers_t.c.id.in_(
                select(text("value")).select_from(func.json_each(bindparam("ids")))))
            params = {"ids": json.dumps([int(i) for i in ids])}
        yield bibtex.HEADER
        with self._read() as conn:
            for chunk in chunks(db.fetch_ids(conn, order, params), EXPORT_CHUNK):
                papers = self._get_papers(conn, chunk)
                if written is not None:
                    written[0] += len(papers)
                yield "".join("\n" + bibtex.entry(p, p.citekey, flavour) for p in papers)

    # -- checks -------------------------------------------------------------------
    def index_ids(self) -> set[int]:
        """The paper ids the search index holds (for checks and tests)."""
        with self._lock:
            return set(self._index.ids())


def _lead(abstract: str, width: int = 200) -> str:
    if len(abstract) <= width:
        return abstract
    return abstract[:width].rsplit(" ", 1)[0] + " …"
