"""The ids of a view of the library in any sort, and how many it holds:
queries built with SQLAlchemy from a `Filter` and a sort (`storage/sql.py`),
tuned so that SQLite reads an order from its index. `Papers.ids` and
`Papers.count` call these; the rest of `Papers` reads with plain SQL.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from readinglist.core.errors import InvalidInput
from readinglist.core.storage import db
from readinglist.core.storage.sql import (
    DESCENDING_SORTS,
    NULLS_LAST,
    SORTS,
    Filter,
    appearances_t,
    filter_clauses,
    papers_t,
)
from readinglist.core.store import Store

LARGE_WITHIN = 10_000  # ids past which `within` filters the view's order in Python


def ids(
    store: Store,
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
        return _in_digest_order(store, view, descending=bool(descending), within=within)
    if within is not None and len(within) > LARGE_WITHIN:
        # Most of the library (a broad search's full list): the view's whole
        # order from the sort's index, then the ids kept, is several times
        # faster than SQLite joining and sorting 100,000 ids from JSON.
        wanted = set(map(int, within))
        return [i for i in ids(store, view, sort=sort, descending=descending) if i in wanted]
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
    with store.read() as conn:
        return db.fetch_ids(conn, stmt, params)

def _in_digest_order(store: Store, view: Filter | None, *, descending: bool,
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
    with store.read() as conn:
        return db.fetch_ids(conn, stmt, params)


def count(store: Store, view: Filter | None = None) -> int:
    """How many papers a view holds (for the sidebar's counts)."""
    stmt = select(func.count()).select_from(papers_t).where(*filter_clauses(view or Filter()))
    with store.read() as conn:
        return conn.execute(stmt).scalar_one()
