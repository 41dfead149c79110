"""Going through a list with the keyboard, as in a mail reader.

After R, S, U or Delete the selection moves on to the next paper — the one
after the last acted-on row, or in a view the papers leave, the one that took
their place — and the list keeps its scroll position, so the next key acts on
the paper the person is looking at. Space pages through the abstract and then
moves to the next unread paper; ] and [ jump to the next / previous unread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from readinglist.core.library import Library
from readinglist.ui.paper_list.model import PaperTableModel
from readinglist.ui.paper_list.selection import TableSelection
from readinglist.ui.tasks import TaskRunner

NONE_LEFT = "No more unread papers in this list."
WRAPPED_TOP = "Reached the end: on from the top of the list."
WRAPPED_BOTTOM = "Reached the top: on from the end of the list."


@dataclass(frozen=True)
class Place:
    """Where to go once an edit is shown: a paper and the list's scroll position."""

    paper_id: int | None
    scroll: int


class Triage:
    def __init__(self, library: Library, tasks: TaskRunner, table: QTableView,
                 model: PaperTableModel, selection: TableSelection, *,
                 page_abstract: Callable[[], bool],
                 leave_editor: Callable[[], None], message: Callable[[str], None]):
        self.library = library
        self._tasks = tasks
        self.table = table
        self.model = model
        self.selection = selection
        self._page_abstract = page_abstract  # False when the abstract is at its end
        self._leave_editor = leave_editor  # the note is saved before the keys leave it
        self._message = message
        self.pending: Place | None = None

    # -- keeping the place ------------------------------------------------------------------
    def place_after(self, acted: Sequence[int]) -> Place:
        """The paper to select once ``acted`` is done: the first one below the last
        acted-on row that was not acted on, else the nearest one above."""
        acted_set = set(acted)
        rows = [r for r in (self.model.row_of(i) for i in acted) if r is not None]
        scroll = self.table.verticalScrollBar().value()
        if not rows:
            return Place(None, scroll)
        ids = self.model.ids()
        below = next((ids[r] for r in range(max(rows) + 1, len(ids))
                      if ids[r] not in acted_set), None)
        if below is None:
            below = next((ids[r] for r in range(min(rows) - 1, -1, -1)
                          if ids[r] not in acted_set), None)
        return Place(below, scroll)

    def expect(self, place: Place) -> None:
        """Go to ``place`` when the list is next refreshed (after the edit is saved)."""
        self.pending = place

    def take_place(self) -> Place | None:
        place, self.pending = self.pending, None
        return place

    def go_to(self, place: Place, fallback: Sequence[int]) -> bool:
        """Select the place's paper (or ``fallback``) and scroll back to where the list was."""
        target = [place.paper_id] if place.paper_id is not None else list(fallback)
        self.table.verticalScrollBar().setValue(place.scroll)
        if not self.selection.select(target, scroll=False):
            return False
        self.selection.ensure_visible()
        return True

    # -- unread papers ----------------------------------------------------------------------
    def next_unread(self, step: int = 1, none_left: Callable[[], None] | None = None) -> None:
        """Select the next (step 1) or previous (step -1) unread paper of the list;
        past the end it wraps round to the other end, as a mail reader does, and
        says so. The list is searched on the reader thread (it may hold the whole
        library); ``none_left`` is called when it has no unread paper."""
        none_left = none_left or (lambda: self._message(NONE_LEFT))
        ids = self.model.snapshot()
        if not ids:
            none_left()
            return
        current = self.selection.current_id()
        row = self.model.row_of(current) if current is not None else None
        papers = self.library.papers

        def work() -> tuple[int, bool] | None:
            ahead, behind = _around(ids, row, step)
            found = papers.first_with_status(ahead, "unread")
            if found is not None:
                return found, False
            found = papers.first_with_status(behind, "unread")
            return (found, True) if found is not None else None

        def done(found: tuple[int, bool] | None) -> None:
            if self.model.snapshot() is not ids:
                return  # the list changed meanwhile: the answer is for another list
            if found is None:
                none_left()
                return
            paper_id, wrapped = found
            if wrapped:
                self._message(WRAPPED_TOP if step > 0 else WRAPPED_BOTTOM)
            self.selection.select([paper_id])
            self.table.setFocus()

        self._tasks.read(work, done)

    def unread_step(self, step: int) -> None:
        """] and [: the next / previous unread paper, or say there is none."""
        self.next_unread(step)

    def space(self) -> None:
        """Space: a page of the abstract, or at its end the next unread paper."""
        if not self._page_abstract():
            self.next_unread(1)

    def focus_list(self) -> None:
        """Esc from an editor: the keys go back to the list (the note is saved first)."""
        self._leave_editor()
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.selection.ids() and self.model.rowCount():
            self.selection.select([])


def _around(ids: Sequence[int], row: int | None, step: int) -> tuple[Sequence[int], Sequence[int]]:
    """(the ids ahead of ``row`` in the direction of ``step``, the ones behind it
    in the same direction): where to look first, and after wrapping round."""
    if row is None:
        return (ids if step > 0 else ids[::-1]), ()
    if step > 0:
        return ids[row + 1:], ids[:row]
    return ids[:row][::-1], ids[row + 1:][::-1]
