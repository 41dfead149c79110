"""A paper's metadata in the database, each field with where it came from.

The rule every source follows: a value typed by hand is never overwritten by
a file or a lookup; other sources fill only what is missing, unless asked to
refresh (which still leaves hand values alone). What a source said that the
library already had otherwise is a conflict, reported, not applied.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import Connection, select, update

from readinglist.core.sources.references import Metadata
from readinglist.core.storage.metadata_columns import (
    HAND,
    describe_source,
    metadata_of,
    read_columns,
    to_columns,
)
from readinglist.core.storage.sql import now_iso, papers_t


@dataclass
class Filled:
    """What one reference did to one paper."""

    fields: list[str] = field(default_factory=list)  # the fields it set
    conflicts: list[str] = field(default_factory=list)  # what it said and was not applied


def read(conn: Connection, paper_id: int) -> tuple[Metadata, dict[str, str]] | None:
    row = conn.execute(select(*read_columns(papers_t)).where(papers_t.c.id == paper_id)).first()
    return metadata_of(row._mapping) if row is not None else None


def fill(conn: Connection, paper_id: int, metadata: Metadata, source: str, *,
         refresh: bool = False) -> Filled:
    """Give a paper what ``metadata`` knows and it does not (all of it but hand
    values with ``refresh``), in the caller's transaction."""
    found = read(conn, paper_id)
    if found is None:
        return Filled()
    current, sources = found
    result, values = Filled(), {}
    for name, new in metadata.known().items():
        old = getattr(current, name)
        if old == new:
            continue
        if old in (None, ()) or (name == "arxiv_version" and new > (old or 0)):
            values[name] = new
        elif sources.get(name) == HAND:
            result.conflicts.append(f"{name}: kept your own {_shown(name, old)}, "
                                    f"{describe_source(source)} says {_shown(name, new)}")
        elif refresh:
            values[name] = new
        else:
            result.conflicts.append(f"{name}: left {_shown(name, old)} (from "
                                    f"{describe_source(sources.get(name))}), "
                                    f"{describe_source(source)} says {_shown(name, new)}")
    if values:
        write(conn, paper_id, values, {name: source for name in values}, sources)
        result.fields = sorted(values)
    return result


def write(conn: Connection, paper_id: int, values: Mapping[str, object],
          new_sources: Mapping[str, str | None], sources: Mapping[str, str]) -> None:
    """Set fields and their sources (a source of None: the field has none now)."""
    merged = dict(sources)
    for name, source in new_sources.items():
        if source is None or values.get(name) in (None, "", ()):
            merged.pop(name, None)
        else:
            merged[name] = source
    columns = to_columns(values)
    columns["meta_sources"] = json.dumps(merged, sort_keys=True)
    columns["updated"] = now_iso()
    conn.execute(update(papers_t).where(papers_t.c.id == paper_id).values(columns))


def _shown(name: str, value: object) -> str:
    if name == "authors":
        names = [a.display() for a in value or ()]
        return "“" + (", ".join(names[:3]) + (" …" if len(names) > 3 else "")) + "”"
    return f"“{value}”"
