"""The paper table's columns: which are shown and how wide, so that the title
always keeps half of the table.

When the table is narrow (a 1024 px screen, a wide detail pane) the other
columns shrink towards their floor, the ones with most room to give first;
if that is not enough they hide, one by one, in `HIDE_ORDER` (the icon
columns last: they are narrow and say much), and come back when there is room
again. The person's own choices are kept apart from that: the columns they
hid with the header's menu, and the widths they dragged.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QTableView

from readinglist.ui.paper_list.model import (
    COL_AUTHORS,
    COL_CODE,
    COL_FIRST_SEEN,
    COL_RANK,
    COL_STATUS,
    COL_TAGS,
    COL_TIMES_SEEN,
    COL_YEAR,
)

# (preferred width, floor) of every column but the title (floors: the header's
# own word, or a few characters of the value, still read)
WIDTHS = {COL_FIRST_SEEN: (100, 92), COL_TIMES_SEEN: (46, 40), COL_TAGS: (120, 64),
          COL_STATUS: (34, 30), COL_CODE: (34, 30), COL_AUTHORS: (130, 80), COL_YEAR: (50, 44),
          COL_RANK: (48, 40)}
TITLE_SHARE = 0.5
HIDE_ORDER = (COL_FIRST_SEEN, COL_TIMES_SEEN, COL_YEAR, COL_TAGS, COL_AUTHORS, COL_CODE,
              COL_STATUS)


class Columns(QObject):
    def __init__(self, table: QTableView):
        super().__init__(table)
        self.table = table
        self.user_hidden: set[int] = set()  # hidden with the header's menu
        self.auto_hidden: set[int] = set()  # hidden for want of room, back when there is
        self.widths = {c: w for c, (w, _floor) in WIDTHS.items() if c != COL_RANK}
        self._fitting = False
        table.horizontalHeader().sectionResized.connect(self._resized)
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _resized(self, column: int, _old: int, new: int) -> None:
        if not self._fitting and column in self.widths:  # the person dragged it
            self.widths[column] = max(new, WIDTHS[column][1])

    def shown(self, column: int) -> bool:
        """Whether the person wants the column (it may be hidden for want of room)."""
        return column not in self.user_hidden

    def set_shown(self, column: int, shown: bool) -> None:
        (self.user_hidden.discard if shown else self.user_hidden.add)(column)
        self.fit()

    def reset(self) -> None:
        self.user_hidden.clear()
        self.widths = {c: w for c, (w, _floor) in WIDTHS.items() if c != COL_RANK}
        self.fit()

    def fit(self) -> None:
        """Give the title its share: shrink the other columns, hide some if need be."""
        header = self.table.horizontalHeader()
        rank = 0 if header.isSectionHidden(COL_RANK) else header.sectionSize(COL_RANK)
        budget = int(self.table.viewport().width() * (1 - TITLE_SHARE)) - rank
        wanted = [c for c in self.widths if c not in self.user_hidden]
        shown = list(wanted)
        for column in HIDE_ORDER:
            if sum(WIDTHS[c][1] for c in shown) <= budget:
                break
            if column in shown:
                shown.remove(column)
        sizes = {c: self.widths[c] for c in shown}
        over = sum(sizes.values()) - budget
        for column in sorted(shown, key=lambda c: sizes[c] - WIDTHS[c][1], reverse=True):
            if over <= 0:
                break
            cut = min(sizes[column] - WIDTHS[column][1], over)
            sizes[column] -= cut
            over -= cut
        self._fitting = True
        try:
            for column in self.widths:
                header.setSectionHidden(column, column not in shown)
            for column, size in sizes.items():
                if header.sectionSize(column) != size:
                    header.resizeSection(column, size)
        finally:
            self._fitting = False
        self.auto_hidden = set(wanted) - set(shown)
