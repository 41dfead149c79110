"""Tags: listing them, adding and removing them, renaming, merging, deleting.

Each edit is one undoable step (`tag_steps`, through history.py). Reading
them is plain SQL, so that `list --tag` or `suggest --tag` checks the tag
without importing the ORM.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from readinglist.core.errors import NotFound
from readinglist.core.storage.filter import normalise_tag, tag_key
from readinglist.core.store import Store
from readinglist.core.views import TagCount

if TYPE_CHECKING:
    from readinglist.core.editing.history import History


class Tags:
    def __init__(self, store: Store, history: Callable[[], History]):
        self._store = store
        self._history = history  # made when first edited with: reading tags needs no ORM

    def counts(self) -> list[TagCount]:
        """Every tag with how many papers carry it, by name."""
        with self._store.read_plain() as conn:
            return [TagCount(name, count) for name, count in conn.execute(
                "SELECT tag.name, count(paper_tag.paper_id) FROM tag "
                "LEFT OUTER JOIN paper_tag ON paper_tag.tag_id = tag.id "
                "GROUP BY tag.id ORDER BY tag.name_key")]

    def require(self, name: str) -> str:
        """The tag as stored; NotFound (naming the closest tags) if there is none."""
        with self._store.read_plain() as conn:
            if conn.execute("SELECT 1 FROM tag WHERE name_key = ?",
                            (tag_key(name),)).fetchone() is not None:
                return normalise_tag(name)
            names = [found for (found,) in conn.execute("SELECT name FROM tag")]
        close = difflib.get_close_matches(normalise_tag(name), names, n=3, cutoff=0.6)
        hint = f" (did you mean {', '.join(f'“{n}”' for n in close)}?)" if close else ""
        raise NotFound(f"no tag named {normalise_tag(name)!r}{hint}")

    def add(self, ids: Sequence[int], names: Iterable[str]) -> None:
        self._change(ids, names, add=True)

    def remove(self, ids: Sequence[int], names: Iterable[str]) -> None:
        self._change(ids, names, add=False)

    def _change(self, ids: Sequence[int], names: Iterable[str], add: bool) -> None:
        from readinglist.core.editing import tag_steps

        self._history().perform(tag_steps.change(ids, [normalise_tag(n) for n in names], add))

    def rename(self, old: str, new: str) -> None:
        """Rename a tag; renaming onto an existing tag merges the two."""
        from readinglist.core.editing import tag_steps

        self._history().perform(tag_steps.rename(old, normalise_tag(new)))

    def delete(self, name: str) -> None:
        from readinglist.core.editing import tag_steps

        self._history().perform(tag_steps.delete(name))
