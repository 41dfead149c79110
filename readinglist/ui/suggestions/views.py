"""The list's side of suggestions: "Best first", a tag's suggestions where T
adds the tag and goes on to the next one."""

from __future__ import annotations

from collections.abc import Callable

from readinglist.ui.actions.edits import EditCommands
from readinglist.ui.paper_list.presenter import PaperList
from readinglist.ui.sidebar import Sidebar

NOT_RANKABLE = "Best first sorts Unread, a digest, For you and a tag's suggestions."


class RankedViews:
    def __init__(self, papers: PaperList, sidebar: Sidebar, commands: EditCommands, *,
                 open_tag_field: Callable[[], None], tag_used: Callable[[str], None],
                 message: Callable[[str], None]):
        self._papers = papers
        self._sidebar = sidebar
        self._commands = commands
        self._open_tag_field = open_tag_field
        self._tag_used = tag_used
        self._message = message

    def choose_best_first(self, on: bool) -> None:
        """The "Best first" button or Ctrl+B."""
        state = self._papers.state
        if not state.can_rank or state.query:
            self._message(NOT_RANKABLE)
            self._papers.view_bar.show_for(state)  # the button as it was
            return
        state.choose_best_first(on)
        self._papers.reload()

    def toggle_best_first(self) -> None:
        self.choose_best_first(not self._papers.state.ranked)

    def suggest_for_tag(self, name: str) -> None:
        """The tag menu's "Suggest More Papers for This Tag": a view of its own."""
        self._sidebar.show_like(name)  # selecting it sets the view

    def tag_key(self) -> None:
        """T: in a tag's suggestions it adds that tag and goes on; elsewhere it
        opens the tag field."""
        tag = self._papers.state.like_tag
        if tag is None:
            self._open_tag_field()
            return
        ids = self._papers.selected_ids()
        if not ids:
            return
        triage = self._papers.triage
        triage.expect(triage.place_after(ids))  # tagged papers leave the list
        self._commands.change_tags(add=[tag])
        self._tag_used(tag)
        count = f"{len(ids)} papers" if len(ids) > 1 else "1 paper"
        self._message(f"Tagged {count} “{tag}”.")
