"""How the list is ordered (in its header) and counted (in the status bar).

The "#" column carries the first two: a search's rank under "Relevance", a
digest's own place under "#"; it is hidden in other views.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from readinglist.core.library import Library
from readinglist.core.views import DigestView
from readinglist.ui.formats import short_date
from readinglist.ui.paper_list.loader import TableRequest
from readinglist.ui.paper_list.model import COL_RANK, SORT_KEYS, PaperTableModel, RankMode

if TYPE_CHECKING:
    from readinglist.core.suggest.suggester import Ranking

RELEVANCE_BAR_WIDTH = 64


def count_text(shown: int, selected: int, searching: bool, digest: DigestView | None) -> str:
    """The status bar's count: "2 of 5 selected", "12 of 87 unread in 06 Aug 2026",
    "8 matches", "333 papers"."""
    if selected > 1:
        return f"{selected} of {shown} selected"
    if digest is not None and not searching:
        return f"{digest.unread} of {digest.papers} unread in {short_date(digest.digest_date)}"
    what = "match" if searching else "paper"
    plural = "es" if searching else "s"
    return f"{shown} {what}{plural if shown != 1 else ''}"


def _order(descending: bool) -> Qt.SortOrder:
    return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder


def show_order(table: QTableView, model: PaperTableModel, library: Library,
               request: TableRequest, ids: list[int], ranking: Ranking | None = None) -> None:
    header = table.horizontalHeader()
    header.blockSignals(True)  # showing the state is not asking for a sort
    try:
        if request.rank_by and not request.query:
            model.set_rank(RankMode.SUGGEST, scores=ranking.score_of if ranking else {})
            header.setSortIndicator(COL_RANK, Qt.SortOrder.AscendingOrder)
        elif request.query and not request.by_column:
            model.set_rank(RankMode.RELEVANCE, relevance=ids)
            header.setSortIndicator(COL_RANK, Qt.SortOrder.AscendingOrder)
        elif request.view.digest is not None and not request.query:
            model.set_rank(RankMode.DIGEST, library.papers.positions(request.view.digest))
            if request.sort == "position":
                header.setSortIndicator(COL_RANK, _order(request.descending))
        else:
            model.set_rank(None)
        by_rank = (model.rank_mode is RankMode.SUGGEST
                   or (request.query and not request.by_column)
                   or (model.rank_mode is RankMode.DIGEST and request.sort == "position"))
        if not by_rank:
            column = next((c for c, key in SORT_KEYS.items() if key == request.sort), None)
            if column is not None:
                header.setSortIndicator(column, _order(request.descending))
        header.setSectionHidden(COL_RANK, model.rank_mode is None)
        if model.rank_mode is RankMode.SUGGEST:  # an icon over bars: every other pixel to the title
            header.resizeSection(COL_RANK, RELEVANCE_BAR_WIDTH)
        elif model.rank_mode is not None:  # "Relevance" or "#" in full
            label = str(model.headerData(COL_RANK, Qt.Orientation.Horizontal))
            header.resizeSection(COL_RANK, header.fontMetrics().horizontalAdvance(label) + 28)
    finally:
        header.blockSignals(False)
    columns = getattr(table, "columns", None)
    if columns is not None:  # "#" came or went: the title keeps its share
        columns.fit()
    header.viewport().update()
