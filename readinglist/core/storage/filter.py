"""What a view of the library shows (`Filter`) and the rules of a tag's
name: plain Python, shared by the SQL layer, the window and the command
line (which reads them before any database library is imported)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from readinglist.core.errors import InvalidInput
from readinglist.core.storage.schema import STATUSES

# The orders a list can be sorted in (`sql.SORTS` says how).
SORT_NAMES = ("date", "last_seen", "first_seen", "title", "times_seen", "status", "tags",
              "code", "authors", "year", "id")


@dataclass(frozen=True)
class Filter:
    """What a view of the library shows. All fields combine with AND."""

    status: str | None = None
    tag: str | None = None
    since: date | str | None = None  # seen in a digest dated on or after
    until: date | str | None = None  # … on or before
    digest: int | None = None  # in this digest
    min_seen: int | None = None  # seen in at least this many digests
    batch: int | None = None  # new in this import batch
    dismissed: bool | None = None  # only those marked "not interested" (True), or none (False)

    def normalised(self) -> Filter:
        if self.status is not None and self.status not in STATUSES:
            raise InvalidInput(
                f"unknown status {self.status!r} (use one of {', '.join(STATUSES)})"
            )
        return Filter(
            status=self.status,
            tag=tag_key(self.tag) if self.tag is not None else None,
            since=iso_date(self.since),
            until=iso_date(self.until),
            digest=self.digest,
            min_seen=self.min_seen,
            batch=self.batch,
            dismissed=self.dismissed,
        )


def iso_date(value: date | str | None) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise InvalidInput(f"{value!r} is not a date (use YYYY-MM-DD)") from exc


# Control characters and the invisible ones that only hide a tag's likeness to
# another (zero-width space, word joiner, byte-order mark, bidi controls).
_INVISIBLE_IN_TAG = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u200b\u2060\ufeff"
                               "\u202a-\u202e\u2066-\u2069]")


def normalise_tag(name: str) -> str:
    """A tag as stored: NFC, trimmed, inner whitespace folded. Raises if invalid."""
    cleaned = " ".join(_INVISIBLE_IN_TAG.sub("", unicodedata.normalize("NFC", name)).split())
    if not cleaned:
        raise InvalidInput("a tag cannot be empty")
    if not any(unicodedata.category(ch)[0] not in "CZ" for ch in cleaned):
        raise InvalidInput(f"a tag needs a visible character: {name!r}")
    if "," in cleaned:
        raise InvalidInput(f"a tag cannot contain a comma: {name!r}")
    if len(cleaned) > 100:
        raise InvalidInput(f"a tag is at most 100 characters: {cleaned[:30]!r}…")
    return cleaned


def tag_key(name: str) -> str:
    return normalise_tag(name).casefold()
