"""A paper's metadata as its columns hold it: names as JSON, the Authors sort
key, the sources of the fields. Pure: the SQL layer reads rows with it."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from readinglist.core.sources.references import METADATA_FIELDS, Metadata, Name

if TYPE_CHECKING:
    from sqlalchemy import Table

DIGEST, ARXIV, HAND = "digest", "arxiv", "hand"
# A field's column, where its name differs.
COLUMNS = {name: name for name in METADATA_FIELDS} | {"date": "pub_date"}
COLUMN_NAMES = (*(COLUMNS[name] for name in METADATA_FIELDS), "meta_sources")


def read_columns(table: Table) -> list:
    return [table.c[name] for name in COLUMN_NAMES]


def file_source(name: str) -> str:
    return f"file:{name}"


def describe_source(source: str | None) -> str:
    """"your edit", "refs.bib", "arXiv", "the digest"."""
    if not source:
        return "unknown"
    if source.startswith("file:"):
        return source[5:]
    return {HAND: "your edit", ARXIV: "arXiv", DIGEST: "the digest"}.get(source, source)


def metadata_of(row: Mapping) -> tuple[Metadata, dict[str, str]]:
    """The metadata and its sources from a paper row (any mapping with the columns)."""
    values = {}
    for name in METADATA_FIELDS:
        value = row.get(COLUMNS[name])
        if name == "authors":
            value = tuple(Name.from_json(n) for n in json.loads(value or "[]"))
        values[name] = value
    return Metadata(**values), json.loads(row.get("meta_sources") or "{}")


def to_columns(values: Mapping[str, object]) -> dict[str, object]:
    """Field values as the columns hold them (authors as JSON, and their sort key)."""
    columns: dict[str, object] = {}
    for name, value in values.items():
        if name == "authors":
            authors = tuple(value or ())
            columns["authors"] = json.dumps([a.to_json() for a in authors], ensure_ascii=False)
            columns["author_sort"] = author_sort(authors)
        else:
            columns[COLUMNS[name]] = value if value not in ("", ()) else None
    return columns


def author_sort(authors: Sequence[Name]) -> str | None:
    """"vinyals oriol" for the Authors column's sort (first author first)."""
    if not authors:
        return None
    first = authors[0]
    return " ".join(f"{first.family} {first.given}".casefold().split())


def json_value(name: str, value: object) -> object:
    """A field value as the history stores it (JSON)."""
    if name == "authors":
        return [a.to_json() for a in value or ()]
    return value


def from_json_value(name: str, value: object) -> object:
    if name == "authors":
        return tuple(Name.from_json(n) for n in value or ())
    return value
