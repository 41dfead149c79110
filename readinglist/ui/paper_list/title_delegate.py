"""The title column while searching: the words that matched, marked.

The spans come from the core (the same analyzer the index uses), for the
rows being painted only. The text is drawn by the style as usual; the marks
are translucent boxes under it, so they read on a selected row too.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

MARK = QColor(255, 200, 0, 110)


class TitleDelegate(QStyledItemDelegate):
    def __init__(self, spans: Callable[[str], list[tuple[int, int]]], parent=None):
        super().__init__(parent)
        self._spans = spans  # title → [(start, end)] for the active search, or []
        self._cache: dict[str, list[tuple[int, int]]] = {}

    def forget(self) -> None:
        """The search changed: spans are computed again."""
        self._cache.clear()

    def spans(self, title: str) -> list[tuple[int, int]]:
        if title not in self._cache:
            if len(self._cache) > 2000:
                self._cache.clear()
            self._cache[title] = self._spans(title)
        return self._cache[title]

    def paint(self, painter, option, index) -> None:
        super().paint(painter, option, index)
        title = index.data()
        if not isinstance(title, str):
            return
        spans = self.spans(title)
        if not spans:
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, opt.widget) + 1
        metrics = opt.fontMetrics
        shown = metrics.elidedText(title, Qt.TextElideMode.ElideRight,
                                   text_rect.width() - 2 * margin)
        visible = len(shown) - (1 if shown != title and shown.endswith("…") else 0)
        painter.save()
        painter.setClipRect(text_rect)
        for start, end in spans:
            if start >= visible:
                continue
            end = min(end, visible)
            left = text_rect.left() + margin + metrics.horizontalAdvance(title[:start])
            width = metrics.horizontalAdvance(title[start:end])
            box = QRect(left, text_rect.top() + 2, width, text_rect.height() - 4)
            painter.fillRect(box, MARK)
        painter.restore()
