"""The list's side of suggestions: "Best first", a tag's suggestions where T
adds the tag, going to a similar paper, and the wait for the first features.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from readinglist.core.suggestions import explain
from readinglist.ui.search_controller import TableRequest

if TYPE_CHECKING:
    from readinglist.ui.main_window import MainWindow

LEARNING = ("Learning the words of your library for suggestions…\n"
            "The first time takes a moment; the list follows when it is done.")
RANKING = "Ranking the papers…"


class SuggestionViews:
    def __init__(self, window: MainWindow):
        self.window = window

    def choose_best_first(self, on: bool) -> None:
        """The "Best first" button or Ctrl+B."""
        window = self.window
        if not window.list.can_rank or window.list.query:
            window.statusBar().showMessage(
                "Best first sorts Unread, a digest, For you and a tag's suggestions.", 6000)
            window.view_bar.show_for(window.list)
            return
        window.list.choose_best_first(on)
        window.reload()

    def toggle_best_first(self) -> None:
        self.choose_best_first(not self.window.list.ranked)

    def suggest_for_tag(self, name: str) -> None:
        """The tag menu's "Suggest More Papers for This Tag": a view of its own."""
        self.window.sidebar.show_like(name)  # selecting it sets the view

    def tag_key(self) -> None:
        """T: in a tag's suggestions it adds that tag and goes on; elsewhere it
        opens the tag field."""
        window = self.window
        tag = window.list.like_tag
        if tag is None:
            window.focus_editor(window.detail.tag_edit)
            return
        ids = window.selected_ids()
        if not ids:
            return
        window.triage.expect(window.triage.place_after(ids))  # tagged papers leave the list
        window.commands.change_tags(add=[tag])
        window.tag_used(tag)
        count = f"{len(ids)} papers" if len(ids) > 1 else "1 paper"
        window.statusBar().showMessage(f"Tagged {count} “{tag}”.", 4000)

    def go_to_paper(self, paper_id: int) -> None:
        """A similar paper was chosen: select it here, or in All papers."""
        window = self.window
        if window.model.row_of(paper_id) is not None:
            window.selection.select([paper_id])
        else:
            window.search_edit.clear()
            window.list.search("")
            window.sidebar.select_key("all", emit=False)
            window.list.choose_view("all")
            window.reload(select=[paper_id])
        window.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def notice(self, request: TableRequest) -> str | None:
        """The line over a ranked list: how it was ranked, when that matters."""
        ranking = self.window.loader.ranking
        if not request.rank_by or request.query or ranking is None:
            return None
        text = explain(ranking.method, ranking.positives)
        return text[0].upper() + text[1:] + "." if text else None

    def waiting(self, request: TableRequest) -> bool:
        """A ranked view asked for while the features are first learnt: the list
        says so instead of showing the view it leaves."""
        window = self.window
        if not (request.rank_by and not request.query and window.suggestions.learning):
            return False
        window.model.set_ids([])
        window.detail.show_paper(None)  # not a paper of the list it left
        window.empty_note.show_text(LEARNING if window.suggestions.fitting else RANKING)
        return True
