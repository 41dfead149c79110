"""Which ids the table shows: a view, a search, a sort; the newest request wins.

Every request goes to the reader thread; an answer that arrives after a newer
request was made is dropped, and work not yet started for an old request is
skipped. A search shows its best hits first, then the complete list. A view
shown best first is ranked on the suggestions' thread (it may wait for the
features to be learnt) and, when the same request comes again after an edit,
kept as it was, without the papers that left it (`Suggester.still`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from readinglist.core.library import Filter, Library
from readinglist.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from readinglist.core.suggest.suggester import Ranking

FIRST_PAGE = 100  # hits shown at once while the full list of a search is gathered


@dataclass(frozen=True)
class TableRequest:
    view: Filter
    query: str = ""
    sort: str = "first_seen"
    descending: bool = True
    by_column: bool = False  # a search sorted by a column instead of by relevance
    # Best first: "interest" (what was read, skimmed, tagged or noted) or
    # "tag:NAME"; the chosen papers themselves shown too or not; which time the
    # view was chosen (a view chosen again is ranked again, an edit is not).
    rank_by: str | None = None
    include_chosen: bool = False
    round: int = 0

    @property
    def rank_tag(self) -> str | None:
        return self.rank_by[4:] if self.rank_by and self.rank_by.startswith("tag:") else None


class ListLoader:
    def __init__(self, library: Library, tasks: TaskRunner,
                 show: Callable[[list[int], Sequence[int], TableRequest], None]):
        self.library = library
        self.tasks = tasks
        self._show = show  # (ids, ids to keep selected, the request they answer)
        self._generation = 0
        self.ranking: Ranking | None = None  # the ranking the table shows, if any
        self.rank_failed: Callable[[BaseException], None] = lambda error: None
        self._ranked: tuple[TableRequest, Ranking] | None = None

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
                self.ranking = None
                self._show(ids, keep, request)

        def first_page_done(ids: list[int] | None) -> None:
            done(ids)
            if ids is not None and len(ids) >= FIRST_PAGE and generation == self._generation:
                self.tasks.read(work, done)  # then every hit

        if request.rank_by and not request.query:
            self._rank(request, keep, generation)
        elif request.query and not request.by_column:
            self.tasks.read(lambda: work(FIRST_PAGE), first_page_done)
        else:
            self.tasks.read(work, done)

    def _rank(self, request: TableRequest, keep: list[int], generation: int) -> None:
        suggestions = self.library.suggester
        earlier = self._ranked[1] if self._ranked and self._ranked[0] == request else None

        def work() -> Ranking | None:
            if generation != self._generation:
                return None
            if earlier is not None:
                ranking = suggestions.still(earlier, request.view, request.rank_tag,
                                            request.include_chosen)
            else:
                ranking = suggestions.rank(request.view, request.rank_tag,
                                           request.include_chosen)
            ranking.score_of  # noqa: B018  (made here, not on the GUI thread)
            return ranking

        def done(ranking: Ranking | None) -> None:
            if ranking is None or generation != self._generation:
                return
            self._ranked = (request, ranking)
            self.ranking = ranking
            self._show(ranking.ids, keep, request)

        def failed(error: BaseException) -> None:  # e.g. the tag was deleted meanwhile
            if generation == self._generation:
                self.ranking = None
                self.rank_failed(error)
                self._show([], keep, request)

        # keeping a ranking needs no features: beside the searches, not behind a fit
        (self.tasks.read if earlier is not None else self.tasks.suggest)(work, done, failed)
