"""After an import or an edit: the sidebar's counts, digests and tags, the
known tags, the export menu, and then the list, brought up to date."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from readinglist.ui import window_state

if TYPE_CHECKING:
    from readinglist.ui.main_window import MainWindow


def show_library_state(window: MainWindow, result, initial: bool,
                       select: Sequence[int] | None) -> None:
    """``result``: what `read_sidebar` read on the reader thread."""
    last, counts, digests, tags = result
    window.list.last_batch = last
    window._paper_count = counts.all
    window.sidebar.populate(counts, digests, tags)
    if initial:  # the last view of this library; a new library starts in All papers
        saved = str(window.settings.value(window_state.view_key(window.library.folder), "all"))
        window.sidebar.select_key(saved if window.sidebar.item_for(saved) else "all",
                                  emit=False)
    window.list.view_key = window.sidebar.current_key() or "all"
    window.detail.tags.set_known_tags([t.name for t in tags])
    used = [t.name for t in sorted(tags, key=lambda t: -t.count)]
    window.recent_tags = [n for n in window.recent_tags if n in used] + [
        n for n in used if n not in window.recent_tags]
    window._update_count()
    window.fill_export_tags([t.name for t in tags])  # no second query for them
    window.stack.setCurrentWidget(window.empty if counts.all == 0 else window.table)
    if initial and counts.all:  # J, K, R… work at once, not typed into the search
        window.table.setFocus(Qt.FocusReason.OtherFocusReason)
    window.reload(select)
