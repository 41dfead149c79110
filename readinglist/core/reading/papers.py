"""Reading the library: paper ids of a view in any sort, papers, digests, counts.

Every method runs on its own read snapshot and never waits for a writer.
The ids of a view in a sort are built with SQLAlchemy (`view_ids`); the rest
is plain SQL on the driver's connection (`Store.read_plain`), so that a
command that shows a paper or the counts (`show`, `stats`) never imports
the ORM.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from readinglist.core.errors import NotFound
from readinglist.core.storage import rows
from readinglist.core.storage.filter import Filter
from readinglist.core.store import Store
from readinglist.core.views import (
    AppearanceView,
    DigestView,
    PaperView,
    SelectionSummary,
    Stats,
)


class Papers:
    def __init__(self, store: Store):
        self._store = store

    def ids(
        self,
        view: Filter | None = None,
        *,
        sort: str = "date",
        descending: bool | None = None,
        within: Sequence[int] | None = None,
    ) -> list[int]:
        """Ids of the papers in a view, in a sort (``within``: among these);
        `view_ids.ids`."""
        from readinglist.core.reading import view_ids

        return view_ids.ids(self._store, view, sort=sort, descending=descending, within=within)

    def count(self, view: Filter | None = None) -> int:
        """How many papers a view holds (for the sidebar's counts)."""
        from readinglist.core.reading import view_ids

        return view_ids.count(self._store, view)

    def positions(self, digest_id: int) -> dict[int, int]:
        """{paper id: its 1-based place in the digest}."""
        with self._store.read_plain() as conn:
            return dict(conn.execute(
                "SELECT paper_id, position FROM appearance WHERE digest_id = ?", (digest_id,)))

    def first_with_status(self, ids: Sequence[int], status: str) -> int | None:
        """The first of ``ids`` (in the order given) whose status is ``status``:
        "next unread" walks the table's ids a chunk at a time, not all of them."""
        with self._store.read_plain() as conn:
            for part in rows.chunks(rows.storable(ids)):
                marks = ", ".join("?" * len(part))
                found = {pid for (pid,) in conn.execute(
                    f"SELECT id FROM paper WHERE status = ? AND id IN ({marks})",
                    (status, *part))}
                for paper_id in part:
                    if paper_id in found:
                        return paper_id
        return None

    def summary(self, ids: Sequence[int]) -> SelectionSummary:
        """Tags and code links of a selection, however large, in two queries."""
        chosen = json.dumps([int(i) for i in ids])
        with self._store.read_plain() as conn:
            count, with_code = conn.execute(
                "SELECT count(*), total(has_code) FROM paper "
                "WHERE id IN (SELECT value FROM json_each(?))", (chosen,)).fetchone()
            tags = dict(conn.execute(
                "SELECT t.name, count(*) FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id "
                "WHERE pt.paper_id IN (SELECT value FROM json_each(?)) "
                "GROUP BY t.id ORDER BY t.name_key", (chosen,)))
        return SelectionSummary(count, tags, int(with_code))

    def only_in_digest(self, digest_id: int) -> list[int]:
        """Papers no other digest lists (what removing the digest deletes)."""
        with self._store.read_plain() as conn:
            return [pid for (pid,) in conn.execute(
                "SELECT paper_id FROM appearance WHERE digest_id = ? AND paper_id NOT IN "
                "(SELECT paper_id FROM appearance WHERE digest_id != ?) ORDER BY position",
                (digest_id, digest_id))]

    def get_many(self, ids: Sequence[int]) -> list[PaperView]:
        """The papers with these ids, in the order given (unknown ids are skipped)."""
        with self._store.read_plain() as conn:
            return rows.get_papers(conn, ids)

    def by_citekey(self, key: str) -> PaperView:
        """The paper cited as ``key`` (case-insensitively, as keys are unique), or
        that was cited so before it got another key."""
        with self._store.read_plain() as conn:
            found = rows.key_owner(conn, key.strip())
            if found is None:  # a key it gave up still finds it
                found = rows.former_key_owner(conn, key.strip())
        if found is None:
            raise NotFound(f"no paper cited as {key.strip()!r}")
        return self.get(found)

    def get(self, paper_id: int) -> PaperView:
        papers = self.get_many([paper_id])
        if not papers:
            raise NotFound(f"no paper with id {paper_id}")
        return papers[0]

    def list(
        self,
        view: Filter | None = None,
        *,
        sort: str = "date",
        descending: bool | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[PaperView]:
        ids = self.ids(view, sort=sort, descending=descending)
        end = None if limit is None else offset + limit
        return self.get_many(ids[offset:end])

    def appearances(self, paper_id: int) -> list[AppearanceView]:
        with self._store.read_plain() as conn:
            return [AppearanceView(*row) for row in conn.execute(
                "SELECT d.id, d.digest_date, d.file_name, a.position "
                "FROM digest d JOIN appearance a ON a.digest_id = d.id "
                "WHERE a.paper_id = ? ORDER BY d.digest_date, d.id", (paper_id,))]

    def digests(self) -> list[DigestView]:
        """Every digest, newest first, with how many of its papers are still in
        the library and how many of those are unread."""
        with self._store.read_plain() as conn:
            return [DigestView(*row) for row in conn.execute(
                "SELECT d.id, d.file_name, d.digest_date, d.imported_at, d.entry_count, "
                "coalesce(live.papers, 0), coalesce(live.unread, 0) FROM digest d "
                "LEFT OUTER JOIN (SELECT a.digest_id AS digest_id, count(*) AS papers, "
                "sum(CASE WHEN p.status = 'unread' THEN 1 ELSE 0 END) AS unread "
                "FROM appearance a JOIN paper p ON p.id = a.paper_id "
                "GROUP BY a.digest_id) AS live ON live.digest_id = d.id "
                "ORDER BY d.digest_date DESC, d.id DESC")]

    def last_import_batch(self) -> int | None:
        """The most recent import that added papers ("Newly imported")."""
        with self._store.read_plain() as conn:
            value = rows.meta_value(conn, "last_import_batch")
        return int(value) if value else None

    def stats(self) -> Stats:
        with self._store.read_plain() as conn:
            by_status = dict(conn.execute("SELECT status, count(*) FROM paper GROUP BY status"))

            def count(table: str) -> int:
                return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

            notes = conn.execute("SELECT count(*) FROM paper WHERE note != ''").fetchone()[0]
            return Stats(
                papers=count("paper"),
                appearances=count("appearance"),
                digests=count("digest"),
                tags=count("tag"),
                unread=by_status.get("unread", 0),
                skimmed=by_status.get("skimmed", 0),
                read=by_status.get("read", 0),
                notes=notes,
            )
