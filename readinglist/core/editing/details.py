"""Metadata typed by hand, checked before it is stored: years between 1600 and
next year, DOIs and arXiv ids of their syntax, authors as "Family, Given"."""

from __future__ import annotations

import re
from collections.abc import Sequence

from readinglist.core.errors import InvalidInput
from readinglist.core.sources.references import (
    ENTRY_TYPES,
    METADATA_FIELDS,
    InvalidMetadata,
    Name,
    check_year,
    iso_date,
    normal_doi,
    parse_name,
    split_arxiv_id,
)

FIELD_LABELS = {
    "authors": "Authors", "year": "Year", "month": "Month", "date": "Date",
    "entry_type": "Type", "venue": "Venue", "volume": "Volume", "number": "Number",
    "pages": "Pages", "publisher": "Publisher", "doi": "DOI", "arxiv_id": "arXiv id",
    "arxiv_version": "arXiv version", "arxiv_category": "arXiv category", "url": "URL",
    "pdf_url": "PDF URL",
}
_TEXT_FIELDS = ("venue", "volume", "number", "pages", "publisher", "arxiv_category")


def check_details(values: dict[str, object]) -> dict[str, object]:
    """The values as stored, or InvalidInput naming the field and why. ``arxiv``
    (an id with or without its version) sets the id and the version."""
    checked: dict[str, object] = {}
    for name, value in values.items():
        try:
            checked.update(_check(name, value))
        except InvalidMetadata as exc:
            raise InvalidInput(str(exc)) from None
    return checked


def _check(name: str, value: object) -> dict[str, object]:
    empty = value is None or (isinstance(value, str) and not value.strip()) or value == ()
    if name == "arxiv":
        if empty:
            return {"arxiv_id": None, "arxiv_version": None}
        arxiv_id, version = split_arxiv_id(str(value))
        return {"arxiv_id": arxiv_id, "arxiv_version": version}
    if name not in METADATA_FIELDS:
        raise InvalidMetadata(f"no such detail: {name!r}")
    if empty:
        return {name: () if name == "authors" else None}
    if name == "authors":
        return {name: _authors(value)}
    if name in ("year", "month", "arxiv_version"):
        return {name: _number(name, value)}
    if name == "date":
        year, month, day = iso_date(str(value))
        if day is None:
            raise InvalidMetadata(f"not a date: {value!r} (use YYYY-MM-DD)")
        return {"date": day, "year": year, "month": month}
    if name == "entry_type":
        kind = str(value).strip().lower()
        if kind not in ENTRY_TYPES:
            raise InvalidMetadata(f"unknown type {value!r} (use one of {', '.join(ENTRY_TYPES)})")
        return {name: kind}
    if name == "doi":
        return {name: normal_doi(str(value))}
    if name == "arxiv_id":
        return {name: split_arxiv_id(str(value))[0]}
    if name in ("url", "pdf_url"):
        url = str(value).strip()
        if not url.lower().startswith(("http://", "https://")):
            raise InvalidMetadata(f"not a web address: {url!r} (it starts with https://)")
        return {name: url}
    text = " ".join(str(value).split())
    if name in _TEXT_FIELDS and len(text) > 500:
        raise InvalidMetadata(f"{FIELD_LABELS[name]} is at most 500 characters")
    return {name: text}


def _authors(value: object) -> tuple[Name, ...]:
    """Names as a list, or as text with one a line, or separated by ";" or
    BibTeX's " and "."""
    names = value if isinstance(value, Sequence) and not isinstance(value, str) else \
        [n for n in _NAME_BREAK.split(str(value)) if n.strip()]
    found = []
    for item in names:
        found.append(item if isinstance(item, Name) else parse_name(str(item)))
    return tuple(found)


_NAME_BREAK = re.compile(r"\s*(?:[;\n]|\s+and\s+)\s*")


def _number(name: str, value: object) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise InvalidMetadata(f"{FIELD_LABELS[name]} must be a number, not {value!r}") from None
    if name == "year":
        return check_year(number)
    if name == "month" and not 1 <= number <= 12:
        raise InvalidMetadata(f"month {number} is not between 1 and 12")
    if name == "arxiv_version" and number < 1:
        raise InvalidMetadata("an arXiv version starts at 1")
    return number
