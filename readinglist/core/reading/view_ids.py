"""The ids of a view of the library in any sort, and how many it holds, in
plain SQL (`storage/view_sql.py`) on the driver's connection: `readinglist
list` needs no ORM. Tuned so that SQLite reads an order from its index.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from readinglist.core.errors import InvalidInput
from readinglist.core.storage.filter import Filter
from readinglist.core.storage.view_sql import (
    DESCENDING_SORTS,
    NULLS_LAST,
    SORT_SQL,
    conditions,
)
from readinglist.core.store import Store

LARGE_WITHIN = 10_000  # ids past which `within` filters the view's order in Python
WITHIN_SQL = "paper.id IN (SELECT value FROM json_each(?))"


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
    if within is not None and len(within) > LARGE_WITHIN and sort != "position":
        # Most of the library (a broad search's full list): the view's whole
        # order from the sort's index, then the ids kept, is several times
        # faster than SQLite joining and sorting 100,000 ids from JSON.
        wanted = set(map(int, within))
        return [i for i in ids(store, view, sort=sort, descending=descending) if i in wanted]
    sql, params = query(view, sort=sort, descending=descending, within=within)
    with store.read_plain() as conn:
        return [row[0] for row in conn.execute(sql, params)]


def query(view: Filter | None = None, *, sort: str = "date", descending: bool | None = None,
          within: Sequence[int] | None = None) -> tuple[str, list]:
    """The SQL `ids` runs, and its parameters."""
    if sort == "position":
        return _in_digest_order(view, descending=bool(descending), within=within)
    if sort not in SORT_SQL:
        raise InvalidInput(
            f"unknown sort {sort!r} (use one of {', '.join([*SORT_SQL, 'position'])})")
    if descending is None:
        descending = sort in DESCENDING_SORTS
    column = SORT_SQL[sort]
    where, params = conditions(view or Filter())
    if within is not None:
        where.append(WITHIN_SQL)
        params.append(json.dumps([int(i) for i in within]))
    if where:
        # Let the filter pick the rows and sort them afterwards: walking the
        # sort's index and testing each row took 3x longer for broad filters.
        column = f"+{column}"
    order = f"{column} {'DESC' if descending else 'ASC'}"
    if sort in NULLS_LAST:  # papers with no author or year known come after the others
        order += " NULLS LAST"
    # Ties keep the import order (a digest's own order within one day) both
    # ways: newest day first still reads each day's digest from its top.
    return (f"SELECT paper.id FROM paper{_where(where)} ORDER BY {order}, paper.id ASC",
            params)


def _in_digest_order(view: Filter | None, *, descending: bool,
                     within: Sequence[int] | None) -> tuple[str, list]:
    """A digest's papers in the digest's own order (its "#" column)."""
    if view is None or view.digest is None:
        raise InvalidInput("the sort 'position' needs a digest")
    where, params = conditions(view)
    if within is not None:
        where.append(WITHIN_SQL)
        params.append(json.dumps([int(i) for i in within]))
    return ("SELECT paper.id FROM paper JOIN appearance ON appearance.paper_id = paper.id "
            f"AND appearance.digest_id = ?{_where(where)} "
            f"ORDER BY appearance.position {'DESC' if descending else 'ASC'}",
            [int(view.digest), *params])


def count(store: Store, view: Filter | None = None) -> int:
    """How many papers a view holds (for the sidebar's counts)."""
    where, params = conditions(view or Filter())
    with store.read_plain() as conn:
        return conn.execute(f"SELECT count(*) FROM paper{_where(where)}", params).fetchone()[0]


def _where(conditions: list[str]) -> str:
    return f" WHERE {' AND '.join(conditions)}" if conditions else ""
