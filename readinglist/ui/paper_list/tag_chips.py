"""The Tags column: each tag a small rounded chip, as many as fit, then "+N";
a chip is cut with "…" rather than run into the next column, and the cell
keeps a margin on both sides (the Seen count and the tags never touch)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate

MARGIN = 4  # from the cell's edges
GAP = 3  # between chips
PAD = 5  # inside a chip, either side of its text


class TagChipDelegate(QStyledItemDelegate):
    def paint(self, painter, option, index) -> None:
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        self.initStyleOption(option, index)
        option.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:  # the row's background and selection, no text
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        tags = [t for t in text.split(", ") if t]
        if not tags:
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        fill = palette.color(QPalette.ColorRole.Highlight if not selected
                             else QPalette.ColorRole.HighlightedText)
        fill.setAlpha(40 if not selected else 60)
        ink = palette.color(QPalette.ColorRole.HighlightedText if selected
                            else QPalette.ColorRole.Text)
        metrics = option.fontMetrics
        rect = option.rect.adjusted(MARGIN, 3, -MARGIN, -3)
        painter.save()
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        painter.setClipRect(option.rect)
        x, right = rect.left(), rect.right()

        def advance(text: str) -> int:
            return metrics.horizontalAdvance(text)

        def count(n: int) -> None:
            painter.setPen(ink)
            painter.drawText(QRectF(x, rect.top(), max(right - x, 0), rect.height()),
                             Qt.AlignmentFlag.AlignVCenter, f"+{n}")

        for number, tag in enumerate(tags):
            rest = len(tags) - number - 1
            reserve = advance(f"+{rest}") + GAP if rest else 0
            width = advance(tag) + 2 * PAD
            if x + width <= right - reserve:
                self._chip(painter, x, rect, tag, width, fill, ink)
                x += width + GAP
                continue
            room = right - x - reserve
            if room >= advance("…") + 2 * PAD + 4:  # the tag cut, then how many more
                shown = metrics.elidedText(tag, Qt.TextElideMode.ElideRight, room - 2 * PAD)
                self._chip(painter, x, rect, shown, room, fill, ink)
                x += room + GAP
                if rest:
                    count(rest)
            else:
                count(rest + 1)
            break
        painter.restore()

    @staticmethod
    def _chip(painter, x, rect, text, width, fill, ink) -> None:
        box = QRectF(x, rect.top(), width, rect.height())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(box, 6, 6)
        painter.setPen(ink)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
