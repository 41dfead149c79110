"""A view of the library as SQL text: the conditions of a `Filter` and the
order of a sort, for the plain driver (`reading/view_ids.py`). Spelled as
SQLite reads an order from the expression indexes (`schema`): the same
expression, on the table's own name.
"""

from __future__ import annotations

from readinglist.core.storage.filter import Filter
from readinglist.core.storage.schema import STATUS_RANK_SQL

SORT_SQL = {
    "date": "paper.last_seen",
    "last_seen": "paper.last_seen",
    "first_seen": "paper.first_seen",
    "title": "lower(paper.title)",
    "times_seen": "paper.times_seen",
    "status": STATUS_RANK_SQL,
    "tags": "paper.tag_sort",
    "code": "paper.has_code",
    "authors": "paper.author_sort",
    "year": "paper.year",
    "id": "paper.id",
}
# Sorts whose unknown values (NULL) come last, whichever the direction.
NULLS_LAST = frozenset({"authors", "year"})
# Sorts whose natural order is largest first.
DESCENDING_SORTS = frozenset({"date", "last_seen", "first_seen", "times_seen", "code", "year"})


def conditions(view: Filter) -> tuple[list[str], list]:
    """The conditions on ``paper`` a view sets (all must hold), and their
    parameters in order."""
    view = view.normalised()
    found: list[str] = []
    params: list = []
    if view.status:
        found.append("paper.status = ?")
        params.append(view.status)
    if view.tag:
        found.append("paper.id IN (SELECT paper_tag.paper_id FROM paper_tag "
                     "JOIN tag ON tag.id = paper_tag.tag_id WHERE tag.name_key = ?)")
        params.append(view.tag)
    if view.since or view.until or view.digest is not None:
        seen = []
        for test, value in (("digest.digest_date >= ?", view.since),
                            ("digest.digest_date <= ?", view.until),
                            ("digest.id = ?", view.digest)):
            if value is not None:
                seen.append(test)
                params.append(value)
        found.append("paper.id IN (SELECT appearance.paper_id FROM appearance "
                     "JOIN digest ON digest.id = appearance.digest_id "
                     f"WHERE {' AND '.join(seen)})")
    if view.min_seen is not None:
        found.append("paper.times_seen >= ?")
        params.append(view.min_seen)
    if view.batch is not None:
        found.append("paper.import_batch = ?")
        params.append(view.batch)
    if view.dismissed is not None:
        found.append("paper.dismissed IS NOT NULL" if view.dismissed
                     else "paper.dismissed IS NULL")
    return found, params
