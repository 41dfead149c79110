"""Parse a trending-papers digest: bytes in, `Digest` or `DigestError` out.

A digest is plain text: a few boilerplate header lines, a date line
(``Mar 18``), then blocks separated by blank lines — a title, then its
abstract, repeated. Titles and abstracts are told apart by their shape, not by
their order, so one missing abstract does not shift every pair after it.

This module is pure: it never touches the file system or the clock.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from readinglist.core.sources.links import extract_links

__all__ = [
    "Digest",
    "DigestError",
    "Entry",
    "infer_year",
    "parse",
    "title_key",
]

# Real digests are ~160 kB; anything far larger is not one, and parsing it
# would only cost memory.
MAX_BYTES = 8 * 1024 * 1024
MAX_ENTRIES = 5000  # a daily digest lists about a hundred
# A title is one line of at most ~150 characters in real digests; leave room
# for long ones. A block longer than this is an abstract whatever its shape.
TITLE_MAX = 300
# A block this long that reads as prose (ends like a sentence) and follows a
# title is taken as a short abstract rather than a second title.
SHORT_ABSTRACT_MIN = 150

_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_abbr[number], calendar.month_name[number])
}
_MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
# "Mar 18", "March 18", "Mar. 18, 2025", "Mar 18 2025"
_MONTH_DAY = re.compile(
    rf"^(?P<month>{_MONTH_RE})\.?\s+(?P<day>\d{{1,2}})(?:(?:,\s*|\s+)(?P<year>\d{{4}}))?$",
    re.IGNORECASE,
)
# "18 March 2025", "18 Mar"
_DAY_MONTH = re.compile(
    rf"^(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH_RE})\.?(?:,?\s+(?P<year>\d{{4}}))?$",
    re.IGNORECASE,
)
_ISO = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$")

_HYPHEN_WRAP = re.compile(r"\w-$")


class DigestError(ValueError):
    """The input is not a digest we can read. The message says why."""


@dataclass(frozen=True)
class Entry:
    """One paper of a digest."""

    title: str
    abstract: str
    line: int  # 1-based line of the title in the file
    links: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return title_key(self.title)


@dataclass(frozen=True)
class Digest:
    date: date
    entries: tuple[Entry, ...]
    warnings: tuple[str, ...] = ()
    encoding: str = "utf-8"
    year_inferred: bool = False
    fingerprint: str = field(default="", compare=False)


def title_key(title: str) -> str:
    """The normalised form two titles share when they name the same paper.

    NFKC, casefold, punctuation and symbols folded to spaces, runs of
    whitespace folded to one space.
    """
    text = unicodedata.normalize("NFKC", title).casefold()
    folded = "".join(
        " " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text
    )
    return " ".join(folded.split())


def infer_year(month: int, day: int, reference: date) -> date:
    """The most recent ``month``/``day`` not after ``reference``."""
    for year in range(reference.year, reference.year - 9, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue  # 29 February in a common year
        if candidate <= reference:
            return candidate
    raise DigestError(f"{calendar.month_abbr[month]} {day} is not a valid date")


def decode_text(data: bytes) -> str:
    """Bytes of unknown encoding as text, the way a digest file is read."""
    return _decode(data)[0]


# A well-formed UTF-8 sequence of two to four bytes.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}"
    rb"|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}")


def _decode(data: bytes) -> tuple[str, str, list[str]]:
    """The text, its encoding, and a note when some bytes could not be read."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        try:
            return data.decode("utf-8"), "utf-8-sig", []
        except UnicodeDecodeError as exc:
            raise DigestError("starts like UTF-8 but is not valid UTF-8") from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError as exc:
            raise DigestError("starts like UTF-16 but is not valid UTF-16") from exc
    if b"\x00" in data:
        raise DigestError("binary file (contains NUL bytes), not a text digest")
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    if len(_UTF8_MULTIBYTE.findall(data)) > bad:
        # UTF-8 with a few damaged bytes (a cut, a bad copy): reading it all as
        # cp1252 would turn every accent into two letters ("Ãœber").
        return text, "utf-8", [f"{bad} byte{'s' if bad != 1 else ''} not valid UTF-8: "
                               "shown as \ufffd"]
    # Not UTF-8: an old mail client's cp1252, with latin-1 for the five bytes
    # cp1252 leaves undefined.
    return data.decode("latin-1").translate(_CP1252_FIX), "cp1252", []


# latin-1 maps 0x80-0x9f to C1 controls; cp1252 puts printable characters there.
_CP1252_FIX = {
    byte: bytes([byte]).decode("cp1252")
    for byte in range(0x80, 0xA0)
    if byte not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    return len(_CONTROL.findall(sample)) > max(8, len(sample) // 100)


def _parse_date_line(line: str) -> tuple[int, int, int | None] | None:
    text = line.strip()
    if len(text) > 40:
        return None
    for pattern in (_MONTH_DAY, _DAY_MONTH, _ISO):
        match = pattern.match(text)
        if not match:
            continue
        month_text = match.group("month")
        month = int(month_text) if month_text.isdigit() else _MONTHS[month_text.lower()]
        year = match.group("year")
        return month, int(match.group("day")), int(year) if year else None
    return None


@dataclass
class _Block:
    line: int  # 1-based line of the block's first line
    lines: list[str]

    @cached_property
    def text(self) -> str:
        """The block's lines joined in one pass (a paragraph of 60,000 lines once
        took minutes: the joined text was rebuilt and searched per line)."""
        parts: list[str] = []
        previous = ""
        for part in (line.strip() for line in self.lines):
            # A wrap after a hyphen inside a word ("LoRA-" / "Drop") keeps
            # the hyphen and no space; any other wrap was a space.
            if parts:
                parts.append("" if _HYPHEN_WRAP.search(previous) and part[:1].isalnum()
                             else " ")
            parts.append(part)
            previous = part
        return "".join(parts)


def _blocks(lines: list[str], start: int) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    for number in range(start, len(lines)):
        line = lines[number].rstrip()
        if line.strip():
            if current is None:
                current = _Block(number + 1, [])
                blocks.append(current)
            current.lines.append(line)
        else:
            current = None
    return blocks


def _is_prose(text: str) -> bool:
    # Titles almost never end with a full stop; abstracts nearly always do.
    if not text.endswith((".", ".)", '."')):
        return False
    return len(text) >= SHORT_ABSTRACT_MIN or ". " in text


def _is_title(block: _Block, after_title: bool) -> bool:
    text = block.text
    if len(text) > TITLE_MAX:
        return False
    # Right after a title, a short paragraph that reads like a sentence is a
    # (short) abstract, not a second title.
    return not (after_title and _is_prose(text))


def parse(
    data: bytes,
    *,
    reference: date | None = None,
    year: int | None = None,
    fallback_date: date | None = None,
) -> Digest:
    """Parse digest bytes.

    ``year`` forces the year of a date line that has none. Otherwise the
    year is the one that makes the date the most recent not after
    ``reference`` (the file's modification time, or today, by the caller).
    ``fallback_date`` is the digest's date when the text has no date line
    (an e-mail's ``Date:``); the header lines before the first paper with an
    abstract are then left out.
    """
    lines, encoding, notes = _lines_of(data)

    found = _find_date_line(lines)
    if found is None:
        if fallback_date is None:
            raise DigestError("no date line (such as 'Mar 18') before the first paper")
        return _without_date_line(lines, fallback_date, encoding, notes)
    date_index, (month, day, written_year) = found
    inferred = written_year is None and year is None
    try:
        if written_year is not None or year is not None:
            digest_date = date(written_year or year, month, day)
        else:
            digest_date = infer_year(month, day, reference or date.today())
    except ValueError as exc:
        raise DigestError(
            f"line {date_index + 1}: {lines[date_index].strip()!r} is not a valid date"
        ) from exc

    entries, warnings = _pair(_blocks(lines, date_index + 1))
    if not entries:
        raise DigestError("no papers found after the date line")
    _check_count(entries)
    warnings = [*notes, *warnings]

    return Digest(
        date=digest_date,
        entries=tuple(entries),
        warnings=tuple(warnings),
        encoding=encoding,
        year_inferred=inferred,
        fingerprint=_fingerprint(month, day, entries),
    )


def _lines_of(data: bytes) -> tuple[list[str], str, list[str]]:
    """The text's lines, its encoding and notes on it; DigestError when it is no text."""
    if len(data) > MAX_BYTES:
        raise DigestError(
            f"too large for a digest ({len(data) / 1048576:.0f} MB; "
            f"the limit is {MAX_BYTES // 1048576} MB)"
        )
    if not data.strip():
        raise DigestError("the file is empty")
    text, encoding, notes = _decode(data)
    if _looks_binary(text):
        raise DigestError("binary file (control characters), not a text digest")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), encoding, notes


def _find_date_line(lines: list[str]) -> tuple[int, tuple[int, int, int | None]] | None:
    """(its line number, (month, day, year or None)) of the first date line."""
    for number, raw_line in enumerate(lines):
        line = raw_line.rstrip()
        if len(line) > TITLE_MAX:
            return None  # an abstract: the date line would have come before it
        parsed = _parse_date_line(line)
        if parsed:
            return number, parsed
    return None


def _check_count(entries: list[Entry]) -> None:
    if len(entries) > MAX_ENTRIES:  # 8 MB of one-word lines is not 900,000 papers
        raise DigestError(f"{len(entries):,} papers in one digest: more than {MAX_ENTRIES:,}, "
                          "so not a digest")


def _fingerprint(month: int, day: int, entries: list[Entry]) -> str:
    """The same papers on the same day: the same digest, whatever file it came in."""
    keys = [entry.key for entry in entries]
    return hashlib.sha256("\n".join([f"{month:02d}-{day:02d}", *keys]).encode("utf-8")
                          ).hexdigest()


def _without_date_line(lines: list[str], digest_date: date, encoding: str,
                       notes: list[str]) -> Digest:
    entries, warnings = _pair(_blocks(lines, 0))
    first = next((n for n, entry in enumerate(entries) if entry.abstract), None)
    if first is None:
        raise DigestError("no date line and no paper with an abstract")
    entries = entries[first:]  # the header's lines read as titles without abstracts
    header_lines = {entry.line for entry in entries}
    warnings = [w for w in warnings if int(w.split(":")[0].split()[1]) >= min(header_lines)]
    _check_count(entries)
    warnings = [*notes, *warnings]
    return Digest(date=digest_date, entries=tuple(entries), warnings=tuple(warnings),
                  encoding=encoding, year_inferred=False,
                  fingerprint=_fingerprint(digest_date.month, digest_date.day, entries))


def _pair(blocks: list[_Block]) -> tuple[list[Entry], list[str]]:
    entries: list[Entry] = []
    warnings: list[str] = []
    title: _Block | None = None
    abstract_parts: list[str] = []

    def close() -> None:
        nonlocal title, abstract_parts
        if title is None:
            return
        abstract = " ".join(abstract_parts)
        if not abstract:
            warnings.append(f"line {title.line}: {_short(title.text)!r} has no abstract")
        entries.append(
            Entry(title=title.text, abstract=abstract, line=title.line,
                  links=extract_links(abstract))
        )
        title, abstract_parts = None, []

    for block in blocks:
        after_title = title is not None and not abstract_parts
        if _is_title(block, after_title):
            close()
            title = block  # a title hard-wrapped over two lines is joined too
        elif title is not None:
            abstract_parts.append(block.text)
        else:
            warnings.append(
                f"line {block.line}: paragraph without a title skipped "
                f"({_short(block.text)!r})"
            )
    close()
    return entries, warnings


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
