"""A library new to this user (a folder received from someone else, opened
from another place, or its cache cleared) has no search index this user
trusts: it is built in the background at start, said in the status bar while
it lasts, instead of in front of the first search."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QStatusBar

from readinglist.core.library import Library
from readinglist.ui.tasks import TaskRunner

BUILDING = "Building the search index for this library…"


def build_index_if_needed(library: Library, tasks: TaskRunner, bar: QStatusBar,
                          say: Callable[[str, int], None]) -> None:
    def needed(missing: bool) -> None:
        if not missing:
            return
        say(BUILDING, 0)

        def built(count: int) -> None:
            if bar.currentMessage() == BUILDING:  # nothing said since
                say(f"Search index built: {count} papers", 5000)
        tasks.long(library.maintenance.build_index, built)

    tasks.read(library.maintenance.index_needs_building, needed)
