"""The search box: the syntax it understands, and Esc to give the keys back to the list."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit

SEARCH_HELP = """<b>Search</b> titles, abstracts, your notes and tags:<br>
<code>diffusion policy</code> — all the words (any word form)<br>
<code>"instruction tuning"</code> — the exact phrase<br>
<code>grasping OR calibration</code> — either word<br>
<code>pruning -adapters</code> — without a word (also <code>NOT</code>)<br>
<code>title:survey</code>, <code>abstract:</code>, <code>note:</code>, <code>tag:robots</code>
 — one field<br>
<code>rob*</code> — words starting with “rob”<br>
Esc goes back to the list with the matches; Esc in the list clears the search."""


class SearchEdit(QLineEdit):
    released = Signal()  # Esc: the keys go back to the list, the search stays

    def keyPressEvent(self, event):
        if event.key() == Qt.Key.Key_Escape:
            self.released.emit()
            return
        super().keyPressEvent(event)
