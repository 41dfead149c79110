"""The paper table's model: an id list, rows fetched on demand with a cache.

The core sorts and filters in SQL / Whoosh and hands over ids only; the model
builds a row when the view asks for it, in blocks, and keeps a bounded cache.
At 100,000 papers the table holds 100,000 ints, not 100,000 papers.
"""

from __future__ import annotations

import math
from bisect import bisect_left, insort
from collections import OrderedDict
from collections.abc import Callable, Sequence
from enum import Enum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from readinglist.core.sources.links import code_link as first_code_link
from readinglist.core.views import PaperView
from readinglist.ui.formats import short_date

(COL_TITLE, COL_FIRST_SEEN, COL_TIMES_SEEN, COL_TAGS, COL_STATUS, COL_CODE, COL_AUTHORS,
 COL_YEAR, COL_RANK) = range(9)
# COL_RANK is last in the model (tests and code read the title at column 0) and
# shown first: a digest's "#" (the place in the e-mail), or a search's rank.
# Authors and Year are shown right after the title (paper_list/table.py).
HEADERS = ("Title", "First seen", "Seen", "Tags", "Status", "Code", "Authors", "Year", "#")
TOOLTIPS = (
    "Paper title",
    "Date of the first digest that listed the paper",
    "In how many digests the paper appeared",
    "Your tags",
    "Unread, skimmed or read",
    "A link to code (GitHub, GitLab, Hugging Face …) is in the abstract",
    "The first author (from a bibliography file, arXiv, or typed in)",
    "The year of publication, when known",
    "The paper's place in the digest",
)
# Columns whose header is an icon (its word in the tooltip), as a mail reader's
# read and attachment columns are: at 1024 px every pixel goes to the title.
HEADER_ICONS = {COL_STATUS: "status-skimmed", COL_CODE: "code"}



def bar_length(share_below: float) -> float:
    """A relevance bar's length from the share of the library below a paper:
    on a log scale of its "top x%" (top 0.1% full, 1% two thirds, 10% a third,
    the whole library empty), so the first screen of a list shown best first
    is not forty full bars."""
    top = min(max(100.0 - share_below, 0.1), 100.0)
    return min(max(1.0 - math.log10(top / 0.1) / 3.0, 0.02), 1.0)

class RankMode(Enum):
    """What the "#" column shows, and so how the list is ordered when it is shown."""

    DIGEST = "digest"  # the paper's place in the digest
    RELEVANCE = "relevance"  # a search's rank
    SUGGEST = "suggest"  # a suggestion's score, as a bar


RANK_HEADERS = {
    RankMode.DIGEST: ("#", "The paper's place in the digest (its own order)"),
    RankMode.RELEVANCE: ("Relevance", "Best match first: click to sort the hits so again"),
    RankMode.SUGGEST: ("Relevance", "How much each paper looks like the ones chosen "
                                    "(the bar: against the best of the list)"),
}
# The core's sort key for each column.
SORT_KEYS = {
    COL_TITLE: "title",
    COL_FIRST_SEEN: "first_seen",
    COL_TIMES_SEEN: "times_seen",
    COL_TAGS: "tags",
    COL_STATUS: "status",
    COL_CODE: "code",
    COL_AUTHORS: "authors",
    COL_YEAR: "year",
    COL_RANK: "rank",  # the digest's order, or a search's relevance
}
PaperIdRole = Qt.ItemDataRole.UserRole + 1
PaperRole = Qt.ItemDataRole.UserRole + 2
FitRole = Qt.ItemDataRole.UserRole + 3  # a suggestion's score as 0..1 of the list's best

BLOCK = 200  # rows fetched at once around the one asked for
CACHE_SIZE = 4000


def code_link(paper: PaperView) -> str | None:
    return first_code_link(paper.links)


class PaperTableModel(QAbstractTableModel):
    sortRequested = Signal(str, bool)  # core sort key, descending

    def __init__(self, fetch: Callable[[Sequence[int]], list[PaperView]],
                 icons: dict | None = None, parent=None):
        super().__init__(parent)
        self._fetch = fetch
        self._icons = icons or {}
        self._ids: tuple[int, ...] = ()
        # Each id's row, made when first asked for; rows removed since (`remove`)
        # are counted off with a bisection, so removing a row never rebuilds it.
        self._rows: dict[int, int] = {}
        self._gone: list[int] = []  # rows of `_rows` removed since it was made, sorted
        self._gone_ids: set[int] = set()
        self._cache: OrderedDict[int, PaperView] = OrderedDict()
        self.rank_mode: RankMode | None = None  # None: the column is hidden
        self._positions: dict[int, int] = {}
        self._relevance: dict[int, int] = {}
        self._fit: dict[int, float] = {}  # a ranked list's scores
        self.fetches = 0  # how many block fetches ran (for tests and benchmarks)

    # -- contents ---------------------------------------------------------------------
    def set_ids(self, ids: Sequence[int]) -> None:
        self.beginResetModel()
        self._ids = tuple(ids)
        self._forget_rows()
        self._cache.clear()
        self.endResetModel()

    def _forget_rows(self) -> None:
        self._rows = {}
        self._gone = []
        self._gone_ids = set()

    def remove(self, ids: Sequence[int]) -> None:
        """Take these papers' rows out (papers that left the view after an edit):
        the rows around them stay as they are, loaded and selected."""
        rows = sorted({r for r in (self.row_of(i) for i in ids) if r is not None},
                      reverse=True)
        while rows:
            last = first = rows.pop(0)
            while rows and rows[0] == first - 1:
                first = rows.pop(0)
            self.beginRemoveRows(QModelIndex(), first, last)
            for paper_id in self._ids[first:last + 1]:
                insort(self._gone, self._rows[paper_id])
                self._gone_ids.add(paper_id)
                self._cache.pop(paper_id, None)
            self._ids = self._ids[:first] + self._ids[last + 1:]  # a new tuple (see snapshot)
            self.endRemoveRows()

    def set_rank(self, mode: RankMode | None, positions: dict[int, int] | None = None,
                 relevance: Sequence[int] = (), scores: dict[int, float] | None = None) -> None:
        """What the "#" column shows: the digest's positions, the search's ranks
        (``relevance``: the hits best first), or a suggestion's score as a bar
        (``scores``: ids to scores, higher is better)."""
        self.rank_mode = mode
        self._positions = dict(positions or {})
        self._relevance = {pid: rank for rank, pid in enumerate(relevance, 1)}
        self._fit = scores or {}  # a row's bar is worked out when it is painted
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, COL_RANK, COL_RANK)
        if self._ids:
            self.dataChanged.emit(self.index(0, COL_RANK),
                                  self.index(len(self._ids) - 1, COL_RANK))

    def rank_of(self, paper_id: int) -> int | None:
        if self.rank_mode is RankMode.DIGEST:
            return self._positions.get(paper_id)
        if self.rank_mode is RankMode.RELEVANCE:
            return self._relevance.get(paper_id)
        return None

    def ids(self) -> list[int]:
        return list(self._ids)

    def snapshot(self) -> tuple[int, ...]:
        """The ids as shown now, not copied: a worker may read them while the list
        changes (a new list is a new tuple)."""
        return self._ids

    def id_at(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, paper_id: int) -> int | None:
        if not self._rows and self._ids:
            self._forget_rows()
            self._rows = dict(zip(self._ids, range(len(self._ids)), strict=True))
        row = self._rows.get(paper_id)
        if row is None or paper_id in self._gone_ids:
            return None
        return row - bisect_left(self._gone, row) if self._gone else row

    def paper_at(self, row: int) -> PaperView | None:
        if not 0 <= row < len(self._ids):
            return None
        paper_id = self._ids[row]
        paper = self._cache.get(paper_id)
        if paper is None:
            self._load_block(row)
            paper = self._cache.get(paper_id)
        else:
            self._cache.move_to_end(paper_id)
        return paper

    def _load_block(self, row: int) -> None:
        start = max(0, row - BLOCK // 4)
        wanted = [pid for pid in self._ids[start : start + BLOCK] if pid not in self._cache]
        self.fetches += 1
        for paper in self._fetch(wanted):
            self._cache[paper.id] = paper
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)

    def refresh(self, ids: Sequence[int]) -> None:
        """Drop cached rows of these papers and repaint them."""
        for paper_id in ids:
            self._cache.pop(paper_id, None)
            row = self.row_of(paper_id)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def cached_count(self) -> int:
        return len(self._cache)

    # -- Qt model interface ---------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if section == COL_RANK and self.rank_mode in RANK_HEADERS:
            header, tooltip = RANK_HEADERS[self.rank_mode]
        else:
            header, tooltip = HEADERS[section], TOOLTIPS[section]
        icon = self._icons.get(HEADER_ICONS.get(section, ""))
        if section == COL_RANK and self.rank_mode is RankMode.SUGGEST:  # a bar needs no words
            icon = self._icons.get("for-you")
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if icon is not None else header
        if role == Qt.ItemDataRole.DecorationRole:
            return icon
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{header}: {tooltip}" if icon is not None else tooltip
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return header
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == PaperIdRole:
            return self._ids[index.row()]
        if index.column() == COL_RANK:
            if self.rank_mode is RankMode.SUGGEST:
                return self._fit_data(self._ids[index.row()], role)
            if role == Qt.ItemDataRole.DisplayRole:
                return self.rank_of(self._ids[index.row()])
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        paper = self.paper_at(index.row())
        if paper is None:
            return None
        column = index.column()
        if role == PaperRole:
            return paper
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(paper, column)
        if role == Qt.ItemDataRole.FontRole and paper.status == "unread":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.DecorationRole:
            if column == COL_STATUS:
                return self._icons.get(f"status-{paper.status}")
            if column == COL_CODE and code_link(paper):
                return self._icons.get("code")
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_TITLE:
                return paper.title
            if column == COL_CODE:
                return code_link(paper)
            if column == COL_TAGS and paper.tags:
                return ", ".join(paper.tags)
            if column == COL_AUTHORS and paper.metadata.authors:
                return "\n".join(a.display() for a in paper.metadata.authors[:20])
            if column == COL_STATUS:
                return paper.status.capitalize()
        if role == Qt.ItemDataRole.AccessibleTextRole and column == COL_STATUS:
            return paper.status.capitalize()
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_TIMES_SEEN, COL_STATUS,
                                                                    COL_YEAR):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _fit_data(self, paper_id: int, role):
        score = self._fit.get(paper_id)
        fit = None if score is None else bar_length(score)
        if role == FitRole:
            return fit
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            if fit is None:
                return "Just imported: not ranked yet"
            top = max(100 - score, 0.1)
            return (f"In the top {top:.1f}% of your library for this ranking "
                    f"(above {score:.1f}% of its papers)").replace(".0%", "%")
        return None

    @staticmethod
    def _display(paper: PaperView, column: int):
        if column == COL_TITLE:
            return paper.title
        if column == COL_FIRST_SEEN:
            return short_date(paper.first_seen)
        if column == COL_TIMES_SEEN:
            return paper.times_seen
        if column == COL_TAGS:
            return ", ".join(paper.tags)
        if column == COL_AUTHORS:
            return paper.authors_short
        if column == COL_YEAR:
            return paper.metadata.year
        return None  # status and code: an icon, the word in the tooltip

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is the core's job: ask for it, the window re-queries."""
        key = SORT_KEYS.get(column)
        if key is not None:
            self.sortRequested.emit(key, order == Qt.SortOrder.DescendingOrder)
