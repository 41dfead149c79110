"""Reading the library: paper ids of a view in any sort, papers, digests, counts.

Every method runs on its own read snapshot and never waits for a writer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import bindparam, case, func, select, text
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from readinglist.core.errors import InvalidInput, NotFound
from readinglist.core.storage import citekeys, db
from readinglist.core.storage.sql import (
    DESCENDING_SORTS,
    NULLS_LAST,
    SORTS,
    Filter,
    appearances_t,
    chunks,
    digests_t,
    filter_clauses,
    get_papers,
    meta_get,
    papers_t,
    tags_t,
)
from readinglist.core.store import Store
from readinglist.core.views import (
    AppearanceView,
    DigestView,
    PaperView,
    SelectionSummary,
    Stats,
)

LARGE_WITHIN = 10_000  # ids past which `within` filters the view's order in Python


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
        """Ids of the papers in a view, sorted in SQL. Cheap even at 100k papers.

        ``within`` restricts the result to these ids (e.g. search hits to sort
        by a column); it is passed as one JSON parameter, not one per id.
        """
        if sort == "position":
            return self._in_digest_order(view, descending=bool(descending), within=within)
        if within is not None and len(within) > LARGE_WITHIN:
            # Most of the library (a broad search's full list): the view's whole
            # order from the sort's index, then the ids kept, is several times
            # faster than SQLite joining and sorting 100,000 ids from JSON.
            wanted = set(map(int, within))
            return [i for i in self.ids(view, sort=sort, descending=descending) if i in wanted]
        if sort not in SORTS:
            raise InvalidInput(
                f"unknown sort {sort!r} (use one of {', '.join([*SORTS, 'position'])})")
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
        if sort in NULLS_LAST:  # papers with no author or year known come after the others
            order = [order[0].nulls_last()]
        # Ties keep the import order (a digest's own order within one day) both
        # ways: newest day first still reads each day's digest from its top.
        order.append(papers_t.c.id.asc())
        stmt = select(papers_t.c.id).where(*clauses).order_by(*order)
        params = {"within": json.dumps([int(i) for i in within])} if within is not None else {}
        with self._store.read() as conn:
            return db.fetch_ids(conn, stmt, params)

    def _in_digest_order(self, view: Filter | None, *, descending: bool,
                         within: Sequence[int] | None) -> list[int]:
        """A digest's papers in the digest's own order (its "#" column)."""
        if view is None or view.digest is None:
            raise InvalidInput("the sort 'position' needs a digest")
        place = appearances_t.c.position
        stmt = (select(papers_t.c.id)
                .join(appearances_t, (appearances_t.c.paper_id == papers_t.c.id)
                      & (appearances_t.c.digest_id == view.digest))
                .where(*filter_clauses(view))
                .order_by(place.desc() if descending else place.asc()))
        if within is not None:
            stmt = stmt.where(papers_t.c.id.in_(
                select(text("value")).select_from(func.json_each(bindparam("within")))))
        params = {"within": json.dumps([int(i) for i in within])} if within is not None else {}
        with self._store.read() as conn:
            return db.fetch_ids(conn, stmt, params)

    def positions(self, digest_id: int) -> dict[int, int]:
        """{paper id: its 1-based place in the digest}."""
        stmt = select(appearances_t.c.paper_id, appearances_t.c.position).where(
            appearances_t.c.digest_id == digest_id)
        with self._store.read() as conn:
            return dict(conn.execute(stmt).all())

    def first_with_status(self, ids: Sequence[int], status: str) -> int | None:
        """The first of ``ids`` (in the order given) whose status is ``status``:
        "next unread" walks the table's ids a chunk at a time, not all of them."""
        with self._store.read() as conn:
            for part in chunks(ids):
                found = set(conn.execute(select(papers_t.c.id).where(
                    papers_t.c.id.in_(part), papers_t.c.status == status)).scalars())
                for paper_id in part:
                    if paper_id in found:
                        return paper_id
        return None

    def summary(self, ids: Sequence[int]) -> SelectionSummary:
        """Tags and code links of a selection, however large, in two queries."""
        chosen = "SELECT value FROM json_each(:ids)"
        params = {"ids": json.dumps([int(i) for i in ids])}
        with self._store.read() as conn:
            count, with_code = conn.execute(text(
                f"SELECT count(*), total(has_code) FROM paper WHERE id IN ({chosen})"),
                params).one()
            tags = dict(conn.execute(text(
                "SELECT t.name, count(*) FROM paper_tag pt JOIN tag t ON t.id = pt.tag_id "
                f"WHERE pt.paper_id IN ({chosen}) GROUP BY t.id ORDER BY t.name_key"),
                params).all())
        return SelectionSummary(count, tags, int(with_code))

    def only_in_digest(self, digest_id: int) -> list[int]:
        """Papers no other digest lists (what removing the digest deletes)."""
        others = select(appearances_t.c.paper_id).where(appearances_t.c.digest_id != digest_id)
        stmt = (select(appearances_t.c.paper_id)
                .where(appearances_t.c.digest_id == digest_id,
                       appearances_t.c.paper_id.not_in(others))
                .order_by(appearances_t.c.position))
        with self._store.read() as conn:
            return list(conn.execute(stmt).scalars())

    def count(self, view: Filter | None = None) -> int:
        """How many papers a view holds (for the sidebar's counts)."""
        stmt = select(func.count()).select_from(papers_t).where(*filter_clauses(view or Filter()))
        with self._store.read() as conn:
            return conn.execute(stmt).scalar_one()

    def get_many(self, ids: Sequence[int]) -> list[PaperView]:
        """The papers with these ids, in the order given (unknown ids are skipped)."""
        with self._store.read() as conn:
            return get_papers(conn, ids)

    def by_citekey(self, key: str) -> PaperView:
        """The paper cited as ``key`` (case-insensitively, as keys are unique), or
        that was cited so before it got another key."""
        with self._store.read() as conn:
            found = citekeys.owner(conn, key.strip())
            if found is None:  # a key it gave up still finds it
                found = citekeys.former_owner(conn, key.strip())
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
        stmt = (
            select(
                digests_t.c.id, digests_t.c.digest_date, digests_t.c.file_name,
                appearances_t.c.position,
            )
            .join(appearances_t, appearances_t.c.digest_id == digests_t.c.id)
            .where(appearances_t.c.paper_id == paper_id)
            .order_by(digests_t.c.digest_date, digests_t.c.id)
        )
        with self._store.read() as conn:
            return [AppearanceView(*row) for row in conn.execute(stmt)]

    def digests(self) -> list[DigestView]:
        """Every digest, newest first, with how many of its papers are still in
        the library and how many of those are unread."""
        live = (select(appearances_t.c.digest_id,
                       func.count().label("papers"),
                       func.sum(case((papers_t.c.status == "unread", 1), else_=0))
                       .label("unread"))
                .join(papers_t, papers_t.c.id == appearances_t.c.paper_id)
                .group_by(appearances_t.c.digest_id).subquery())
        stmt = select(
            digests_t.c.id, digests_t.c.file_name, digests_t.c.digest_date,
            digests_t.c.imported_at, digests_t.c.entry_count,
            func.coalesce(live.c.papers, 0), func.coalesce(live.c.unread, 0),
        ).outerjoin(live, live.c.digest_id == digests_t.c.id).order_by(
            digests_t.c.digest_date.desc(), digests_t.c.id.desc())
        with self._store.read() as conn:
            return [DigestView(*row) for row in conn.execute(stmt)]

    def last_import_batch(self) -> int | None:
        """The most recent import that added papers ("Newly imported")."""
        with self._store.read() as conn:
            value = meta_get(conn, "last_import_batch")
        return int(value) if value else None

    def stats(self) -> Stats:
        with self._store.read() as conn:
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
