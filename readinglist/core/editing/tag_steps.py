"""The undoable steps of a tag edit (`Tags`): tagging and untagging papers,
renaming or merging a tag, deleting one. Each returns the ``build`` that
`History.perform` runs in its write transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Connection, select

from readinglist.core.editing import changes
from readinglist.core.editing.history import Step
from readinglist.core.errors import NotFound
from readinglist.core.storage.sql import normalise_tag, require_papers, tag_id, tagged, tags_t

Build = Callable[[Connection], Step]


def quoted(names: Sequence[str]) -> str:
    return ", ".join(f"“{n}”" for n in names)


def change(ids: Sequence[int], names: Sequence[str], add: bool) -> Build:
    def build(conn: Connection) -> Step:
        wanted = require_papers(conn, ids)
        return Step(f"{'Tag' if add else 'Untag'} {quoted(names)}",
                    [changes.tag_change(conn, wanted, name, add=add) for name in names])
    return build


def rename(old: str, new: str) -> Build:
    """Rename a tag; renaming onto an existing tag merges the two."""
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
    return build


def delete(name: str) -> Build:
    def build(conn: Connection) -> Step:
        found = tag_id(conn, name, create=False)
        if found is None:
            raise NotFound(f"no tag named {normalise_tag(name)!r}")
        exact = conn.execute(select(tags_t.c.name).where(tags_t.c.id == found)).scalar()
        return Step(f"Delete Tag “{exact}”",
                    [changes.tag_change(conn, tagged(conn, found), exact, add=False)])
    return build
