"""What the paper list shows: the sidebar's view, the search and the sort.

Kept apart from the window so the rules between them are in one place: a
digest has its own order until a column is clicked, and coming back to it
restores that order; a search ranks by relevance until a column is clicked,
and Esc (or a click on "Relevance") goes back to relevance, then clears it.
"""

from __future__ import annotations

from readinglist.core.library import Filter
from readinglist.ui.search_controller import TableRequest
from readinglist.ui.sidebar import view_filter

DEFAULT_SORT = ("first_seen", True)
DIGEST_ORDER = ("position", False)


class ListState:
    def __init__(self) -> None:
        self.view_key = "all"
        self.query = ""
        self.sort: tuple[str, bool] = DEFAULT_SORT
        self.digest_sort: tuple[str, bool] = DIGEST_ORDER
        self.by_column = False  # a search sorted by a column instead of by relevance
        self.last_batch: int | None = None

    @property
    def in_digest(self) -> bool:
        return self.view_key.startswith("digest:")

    def choose_view(self, key: str) -> None:
        self.view_key = key
        if self.in_digest:
            self.digest_sort = DIGEST_ORDER  # returning to a digest: its own order

    def search(self, query: str) -> bool:
        """Take a new query; False when it is the one already shown."""
        if query == self.query:
            return False
        self.query = query
        self.by_column = False
        return True

    def sort_by(self, key: str, descending: bool) -> None:
        """A click on a column header ("rank" is "Relevance" or the digest's "#")."""
        if key == "rank":
            if self.query:
                self.by_column = False
            elif self.in_digest:
                self.digest_sort = ("position", descending)
        elif self.in_digest and not self.query:
            self.digest_sort = (key, descending)
        else:
            self.sort = (key, descending)
            self.by_column = bool(self.query)

    def back_to_relevance(self) -> bool:
        """Esc's first step in a column-sorted search; False when there is none."""
        if self.query and self.by_column:
            self.by_column = False
            return True
        return False

    def filter(self) -> Filter:
        return view_filter(self.view_key, self.last_batch)

    def request(self) -> TableRequest:
        sort, descending = self.digest_sort if self.in_digest else self.sort
        return TableRequest(self.filter(), self.query, sort, descending, self.by_column)
