"""The "Relevance" column of a list shown best first: a bar per paper.

The bar's length is the paper's score against the best and the worst of the
list (the scores of a classifier have no meaning of their own to a reader);
a paper imported since the ranking was made has no bar. Other lists (a
digest's "#", a search's rank) are painted as usual.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate

from readinglist.ui.paper_list.model import FitRole

SMALLEST = 0.06  # the last paper of a list still shows a sliver


class RelevanceDelegate(QStyledItemDelegate):
    def paint(self, painter, option, index) -> None:
        fit = index.data(FitRole)
        if fit is None:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget is not None else None
        if style is not None:  # the row's background and selection, no text
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter,
                                option.widget)
        rect = QRectF(option.rect).adjusted(6, option.rect.height() * 0.32, -6,
                                            -option.rect.height() * 0.32)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Active
        track = option.palette.color(group, QPalette.ColorRole.Mid)
        track.setAlpha(70)
        bar = option.palette.color(group, QPalette.ColorRole.HighlightedText if selected
                                   else QPalette.ColorRole.Highlight)
        painter.save()
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(track)
        painter.drawRoundedRect(rect, 2, 2)
        painter.setBrush(bar)
        filled = QRectF(rect)
        filled.setWidth(rect.width() * max(SMALLEST, min(1.0, float(fit))))
        painter.drawRoundedRect(filled, 2, 2)
        painter.restore()
