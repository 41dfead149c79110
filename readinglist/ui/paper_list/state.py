"""What the paper list shows: the sidebar's view, the search and the sort.

Kept apart from the window so the rules between them are in one place: a
digest has its own order until a column is clicked, and coming back to it
restores that order; a search ranks by relevance until a column is clicked,
and Esc (or a click on "Relevance") goes back to relevance, then clears it.
"For you" and a tag's suggestions ("like:NAME") are shown best first until a
column is clicked; Unread and a digest can be shown best first ("Best first",
which a click on another column turns off).
"""

from __future__ import annotations

from readinglist.core.library import Filter
from readinglist.ui.paper_list.loader import TableRequest

DEFAULT_SORT = ("first_seen", True)
DIGEST_ORDER = ("position", False)
FOR_YOU = "foryou"
LIKE = "like:"


def view_filter(key: str, last_batch: int | None) -> Filter:
    """The core filter behind a sidebar key ("all", "tag:robots", "digest:3", …)."""
    kind, _, value = key.partition(":")
    if kind == "status":
        return Filter(status=value)
    if kind == "tag":
        return Filter(tag=value)
    if kind == "digest":
        return Filter(digest=int(value))
    if kind == "new":
        return Filter(batch=last_batch if last_batch is not None else -1)
    if kind == "trending":
        return Filter(min_seen=2)
    if kind == "foryou":  # unread papers, best first (the positives are left out)
        return Filter(status="unread", dismissed=False)
    if kind == "like":  # papers without the tag, best first; "not interested" ones left out
        return Filter(dismissed=False)
    if kind == "dismissed":
        return Filter(dismissed=True)
    return Filter()  # all papers


class ListState:
    def __init__(self) -> None:
        self.view_key = "all"
        self.query = ""
        self.sort: tuple[str, bool] = DEFAULT_SORT
        self.digest_sort: tuple[str, bool] = DIGEST_ORDER
        self.by_column = False  # a search sorted by a column instead of by relevance
        self.last_batch: int | None = None
        self.best_first = False  # Unread and digests, best first (the person's choice)
        self.suggested_by_column = False  # For you / a tag's suggestions sorted by a column
        self.round = 0  # how many times a view was chosen: each one is ranked afresh

    @property
    def in_digest(self) -> bool:
        return self.view_key.startswith("digest:")

    @property
    def suggested(self) -> bool:
        """For you, or a tag's suggestions: views that are a ranking."""
        return self.view_key == FOR_YOU or self.view_key.startswith(LIKE)

    @property
    def like_tag(self) -> str | None:
        """The tag whose suggestions are shown (T adds it)."""
        return self.view_key[len(LIKE):] if self.view_key.startswith(LIKE) else None

    @property
    def can_rank(self) -> bool:
        """Whether "Best first" applies to this view."""
        return self.suggested or self.in_digest or self.view_key == "status:unread"

    @property
    def ranked(self) -> bool:
        """Whether the list is shown best first now."""
        if self.query:
            return False
        if self.suggested:
            return not self.suggested_by_column
        return self.can_rank and self.best_first

    def choose_view(self, key: str) -> None:
        self.view_key = key
        self.round += 1
        self.suggested_by_column = False
        if self.in_digest:
            self.digest_sort = DIGEST_ORDER  # returning to a digest: its own order

    def choose_best_first(self, on: bool) -> None:
        """The "Best first" button (a fresh ranking each time it is turned on)."""
        self.round += 1
        if self.suggested:
            self.suggested_by_column = not on
        else:
            self.best_first = on

    def search(self, query: str) -> bool:
        """Take a new query; False when it is the one already shown."""
        if query == self.query:
            return False
        self.query = query
        self.by_column = False
        return True

    def sort_by(self, key: str, descending: bool) -> None:
        """A click on a column header ("rank" is "Relevance" or the digest's "#")."""
        if key == "rank" and self.ranked:
            return  # already best first
        if key != "rank" and not self.query:
            self.best_first = False  # a column chosen instead
            self.suggested_by_column = self.suggested
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
        rank_by = None
        if self.ranked:
            tag = self.like_tag
            rank_by = f"tag:{tag}" if tag is not None else "interest"
        return TableRequest(self.filter(), self.query, sort, descending, self.by_column,
                            rank_by=rank_by, include_chosen=not self.suggested,
                            round=self.round if rank_by else 0)
