"""Tags: listing them, adding and removing them, renaming, merging, deleting.

Each edit is one undoable step (history.py).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, func, select

from readinglist.core.editing import changes
from readinglist.core.editing.history import History, Step
from readinglist.core.errors import NotFound
from readinglist.core.storage.sql import (
    normalise_tag,
    paper_tags_t,
    require_papers,
    tag_id,
    tagged,
    tags_t,
)
from readinglist.core.store import Store
from readinglist.core.views import TagCount


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(f"“{n}”" for n in names)


class Tags:
    def __init__(self, store: Store, history: History):
        self._store = store
        self._history = history

    def counts(self) -> list[TagCount]:
        """Every tag with how many papers carry it, by name."""
        stmt = (
            select(tags_t.c.name, func.count(paper_tags_t.c.paper_id))
            .outerjoin(paper_tags_t, paper_tags_t.c.tag_id == tags_t.c.id)
            .group_by(tags_t.c.id)
            .order_by(tags_t.c.name_key)
        )
        with self._store.read() as conn:
            return [TagCount(name, count) for name, count in conn.execute(stmt)]

    def require(self, name: str) -> str:
        """The tag as stored; NotFound (naming the closest tags) if there is none."""
        with self._store.read() as conn:
            if tag_id(conn, name, create=False) is not None:
                return normalise_tag(name)
            names = list(conn.execute(select(tags_t.c.name)).scalars())
        close = difflib.get_close_matches(normalise_tag(name), names, n=3, cutoff=0.6)
        hint = f" (did you mean {_quoted(close)}?)" if close else ""
        raise NotFound(f"no tag named {normalise_tag(name)!r}{hint}")

    def add(self, ids: Sequence[int], names: Iterable[str]) -> None:
        self._change(ids, names, add=True)

    def remove(self, ids: Sequence[int], names: Iterable[str]) -> None:
        self._change(ids, names, add=False)

    def _change(self, ids: Sequence[int], names: Iterable[str], add: bool) -> None:
        names = [normalise_tag(n) for n in names]

        def build(conn: Connection) -> Step:
            wanted = require_papers(conn, ids)
            return Step(f"{'Tag' if add else 'Untag'} {_quoted(names)}",
                        [changes.tag_change(conn, wanted, name, add=add) for name in names])

        self._history.perform(build)

    def rename(self, old: str, new: str) -> None:
        """Rename a tag; renaming onto an existing tag merges the two."""
        new = normalise_tag(new)

        def build(conn: Connection) -> Step:
            source = tag_id(conn, old, create=False)
            if source is None:
                raise NotFound(f"no tag named {normalise_tag(old)!r}")
            old_name = conn.execute(select(tags_t.c.name).where(tags_t.c.id == source)).scalar()
            target = tag_id(conn, new, create=False)
            if target is None or target == source:
                return Step(f"Rename Tag “{old_name}” to “{new}”",
                            [{"kind": "rename_tag", "from": old_name, "to": new}])
            target_name = conn.execute(
                select(tags_t.c.name).where(tags_t.c.id == target)).scalar()
            papers = tagged(conn, source)
            return Step(f"Merge Tag “{old_name}” into “{target_name}”",
                        [changes.tag_change(conn, papers, target_name, add=True),
                         changes.tag_change(conn, papers, old_name, add=False)])

        self._history.perform(build)

    def delete(self, name: str) -> None:
        def build(conn: Connection) -> Step:
            found = tag_id(conn, name, create=False)
            if found is None:
                raise NotFound(f"no tag named {normalise_tag(name)!r}")
            exact = conn.execute(select(tags_t.c.name).where(tags_t.c.id == found)).scalar()
            return Step(f"Delete Tag “{exact}”",
                        [changes.tag_change(conn, tagged(conn, found), exact, add=False)])

        self._history.perform(build)
