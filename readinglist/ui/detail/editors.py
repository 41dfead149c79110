"""The detail pane's editors: tags as chips with a field, and the note.

Esc in either gives the keys back to the paper list (``released``): the
single-letter shortcuts (R, S, J …) must never type into an editor the
person has finished with.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QRect, QSize, QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QWidget,
)


class FlowLayout(QLayout):
    """Lays chips out left to right, wrapping like words."""

    def __init__(self, parent=None, spacing: int = 4):
        super().__init__(parent)
        self._items = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item):
        self._items.append(item)

    def count(self):
        return len(self._items)

    def itemAt(self, index):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def hasHeightForWidth(self):
        return True

    def heightForWidth(self, width):
        return self._layout(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect):
        super().setGeometry(rect)
        self._layout(rect, apply=True)

    def sizeHint(self):
        return self.minimumSize()

    def minimumSize(self):
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _layout(self, rect, apply: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() and line > 0:
                x, y, line = rect.x(), y + line + self._spacing, 0
            if apply:
                item.setGeometry(QRect(x, y, hint.width(), hint.height()))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y()


class TagField(QLineEdit):
    """The tag field. Its completion list closes as soon as the field is empty
    or left: an open popup would swallow the next click on the table. Tab
    completes the highlighted tag without adding it (the keys stay here)."""

    released = Signal()

    def __init__(self):
        super().__init__()
        self.textEdited.connect(self._close_popup_when_empty)
        self._completer: QCompleter | None = None

    def set_tag_completer(self, completer: QCompleter) -> None:
        """Completion driven by the tag editor, not by QLineEdit.setCompleter:
        the line edit's own wiring writes a highlighted completion into the
        field, and the next letter typed lands after it ("sca" became
        "scalingca")."""
        self._completer = completer
        completer.setWidget(self)

    def completer(self) -> QCompleter | None:
        return self._completer

    def event(self, event):
        if (event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Tab
                and self.text().strip()):
            completion = self.highlighted_completion()
            if completion:
                self.setText(completion)
            popup = self._popup()
            if popup is not None:
                popup.hide()
            return True  # not to the next widget: the tag is not added yet
        return super().event(event)

    def highlighted_completion(self) -> str | None:
        """The completion highlighted in the open popup, if any."""
        popup = self._popup()
        if popup is None or not popup.isVisible():
            return None
        index = popup.currentIndex()
        return index.data() if index.isValid() else None

    def _popup(self):
        completer = self.completer()
        return completer.popup() if completer is not None else None

    def _close_popup_when_empty(self, text: str) -> None:
        popup = self._popup()
        if not text.strip() and popup is not None:
            popup.hide()

    def keyPressEvent(self, event):
        if event.key() == Qt.Key.Key_Escape:
            popup = self._popup()
            if popup is not None:
                popup.hide()
            self.clear()
            self.released.emit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event):
        popup = self._popup()
        if popup is not None and popup.isVisible() and not popup.underMouse():
            popup.hide()
        super().focusOutEvent(event)


class TagEditor(QWidget):
    """Tags as removable chips, and a field: type a tag and press Enter."""

    tagAdded = Signal(str)
    tagRemoved = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._flow = FlowLayout(self)
        self.edit = TagField()
        self.edit.setObjectName("tagEdit")
        self.edit.setPlaceholderText("Add a tag… (T)")
        self.edit.setAcceptDrops(False)
        self.edit.setMinimumWidth(140)
        self._names = QStringListModel(self)
        self._known: list[str] = []
        completer = QCompleter(self._names, self.edit)  # dies with its field
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.edit.set_tag_completer(completer)
        completer.activated[str].connect(self._clicked)
        # Enter is ours, before the completer's own handling: the highlighted
        # completion is the tag (a typo "rob" is never made while "robots" shows)
        completer.popup().installEventFilter(self)
        self.edit.installEventFilter(self)
        self.edit.textEdited.connect(self._typed)
        self.new_hint = QLabel("new tag")
        self.new_hint.setObjectName("newTagHint")
        self.new_hint.setEnabled(False)  # drawn greyed: a hint, not a control
        self.new_hint.hide()
        self._chips: list[QWidget] = []
        self._flow.addWidget(self.edit)
        self._flow.addWidget(self.new_hint)

    def eventFilter(self, watched, event):
        if (event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self._add()
            return True
        return super().eventFilter(watched, event)

    def _typed(self, text: str) -> None:
        """The completions of what is typed, the first one highlighted (as
        Zotero does), and "new tag" said when Enter would make one."""
        completer = self.edit.completer()
        popup = completer.popup()
        if text.strip():
            completer.setCompletionPrefix(text.strip())
            if completer.completionCount():
                completer.complete(self.edit.rect())
                popup.setCurrentIndex(completer.completionModel().index(0, 0))
            else:
                popup.hide()
        else:
            popup.hide()
        self._show_hint()

    def _clicked(self, name: str) -> None:
        """A completion clicked in the popup: that tag."""
        self.edit.setText(name)
        self._add()

    def _show_hint(self) -> None:
        text = self.edit.text().strip()
        known = {n.casefold() for n in self._known}
        self.new_hint.setVisible(bool(text) and self.edit.highlighted_completion() is None
                                 and text.casefold() not in known)

    def set_known_tags(self, names: Sequence[str]) -> None:
        self._known = list(names)
        self._offer()

    def _offer(self) -> None:
        """The completions: the known tags this paper does not have yet."""
        have = {name.casefold() for name in self.chip_names()}
        self._names.setStringList([n for n in self._known if n.casefold() not in have])

    def set_tags(self, tags: Sequence[str]) -> None:
        for chip in self._chips:
            self._flow.removeWidget(chip)
            chip.hide()  # out of sight now, freed by deleteLater
            chip.deleteLater()
        self._chips = []
        self._flow.removeWidget(self.edit)
        self._flow.removeWidget(self.new_hint)
        for name in tags:
            chip = QToolButton()
            chip.setObjectName("tagChip")
            chip.setText(f"{name}  ✕")
            chip.setToolTip(f"Remove the tag “{name}”")
            chip.setAutoRaise(False)
            chip.clicked.connect(lambda _=False, n=name: self.tagRemoved.emit(n))
            self._flow.addWidget(chip)
            self._chips.append(chip)
        self._flow.addWidget(self.edit)
        self._flow.addWidget(self.new_hint)
        self._offer()
        self.updateGeometry()

    def chips(self) -> list[QToolButton]:
        """The chips shown now, one per tag (a click removes its tag)."""
        return list(self._chips)

    def chip_names(self) -> list[str]:
        return [chip.text().rsplit("  ✕", 1)[0] for chip in self._chips]

    def _add(self) -> None:
        """Enter: the highlighted completion, else the text as typed (a new tag);
        then the keys go back to the list (T again adds another)."""
        name = self.edit.highlighted_completion() or self.edit.text().strip()
        popup = self.edit.completer().popup()
        popup.hide()
        self.edit.clear()
        self.new_hint.hide()
        if name:
            self.tagAdded.emit(name)
            self.edit.released.emit()


class NoteEdit(QPlainTextEdit):
    """The note editor: saved a moment after typing stops, and on leaving it."""

    focusLost = Signal()
    released = Signal()  # Esc: saved, and the keys go back to the list

    def focusOutEvent(self, event):
        super().focusOutEvent(event)
        self.focusLost.emit()

    def keyPressEvent(self, event):
        if event.key() == Qt.Key.Key_Escape:
            self.focusLost.emit()  # saved first
            self.released.emit()
            return
        super().keyPressEvent(event)
