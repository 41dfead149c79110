"""Which ids the table shows: a view, a search, a sort; the newest request wins.

Every request goes to the reader thread; an answer that arrives after a newer
request was made is dropped, and work not yet started for an old request is
skipped. A search shows its best hits first, then the complete list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from readinglist.core.library import Filter, Library
from readinglist.ui.tasks import TaskRunner

FIRST_PAGE = 100  # hits shown at once while the full list of a search is gathered


@dataclass(frozen=True)
class TableRequest:
    view: Filter
    query: str = ""
    sort: str = "first_seen"
    descending: bool = True
    by_column: bool = False  # a search sorted by a column instead of by relevance


class SearchController:
    def __init__(self, library: Library, tasks: TaskRunner,
                 show: Callable[[list[int], Sequence[int], TableRequest], None]):
        self.library = library
        self.tasks = tasks
        self._show = show  # (ids, ids to keep selected, the request they answer)
        self._generation = 0

    def request(self, request: TableRequest, keep: Sequence[int]) -> None:
        """Ask the core for the ids of ``request`` (off the GUI thread)."""
        self._generation += 1
        generation = self._generation
        library = self.library
        keep = list(keep)

        def work(limit: int | None = None) -> list[int] | None:
            if generation != self._generation:
                return None  # a newer request is queued: skip the work
            r = request
            if r.query:
                if r.by_column:
                    ids = library.search.ids(r.query, r.view)
                    return library.papers.ids(r.view, sort=r.sort, descending=r.descending,
                                              within=ids)
                return library.search.ids(r.query, r.view, limit)
            return library.papers.ids(r.view, sort=r.sort, descending=r.descending)

        def done(ids: list[int] | None) -> None:
            if ids is not None and generation == self._generation:
                self._show(ids, keep, request)

        def first_page_done(ids: list[int] | None) -> None:
            done(ids)
            if ids is not None and len(ids) >= FIRST_PAGE and generation == self._generation:
                self.tasks.read(work, done)  # then every hit

        if request.query and not request.by_column:
            self.tasks.read(lambda: work(FIRST_PAGE), first_page_done)
        else:
            self.tasks.read(work, done)
