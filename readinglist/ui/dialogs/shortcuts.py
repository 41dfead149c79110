"""Help ▸ Keyboard Shortcuts (F1, ?): every key of the window on one sheet.

The rows are read from the window's actions themselves (their text, their
shortcuts, their tips), so the sheet cannot go stale when a key changes;
only the keys that belong to a widget rather than to an action (the arrows,
Esc, Enter, Home / End, Shift+F10, Tab) are listed by hand under them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

WIDGET_KEYS = (
    ("↑ ↓", "The previous / next paper (Shift: extend the selection)"),
    ("Home, End (Ctrl too)", "The first / last paper of the list"),
    ("Page Up, Page Down", "A screen of papers up / down"),
    ("Enter, double-click", "Open the paper's page in the browser"),
    ("Esc", "From the tag field, the note or the search box: back to the list; in the "
            "list: back to relevance, then clear the search"),
    ("Shift+F10, Menu key", "The paper's menu"),
    ("Tab, Shift+Tab", "Between the sidebar, the list and the detail pane; in the tag "
                       "field: complete the highlighted tag without adding it"),
)


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """(keys, what they do) for every action with a shortcut, in menu order."""
    rows = []
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()
                if not k.isEmpty()]
        if not keys:
            continue
        name = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        tip = action.toolTip()
        what = name if not tip or tip == name else f"{name}: {tip}"
        rows.append((", ".join(keys), what))
    return rows


class ShortcutSheet(QDialog):
    def __init__(self, actions: list[QAction], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("shortcutSheet")
        self.setWindowTitle("Keyboard Shortcuts")
        rows = shortcut_rows(actions) + list(WIDGET_KEYS)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setHorizontalHeaderLabels(["Keys", "Does"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        for row, (keys, what) in enumerate(rows):
            for column, text in enumerate((keys, what)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(760, 560)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def keys(self) -> list[str]:
        return [self.table.item(r, 0).text() for r in range(self.table.rowCount())]


def show_shortcuts(parent: QWidget, actions: list[QAction]) -> None:
    ShortcutSheet(actions, parent).exec()
