"""What a file holds: a text digest, an e-mail, a mailbox of them, a saved web
page, or a bibliography (BibTeX, RIS, CSL-JSON).

`read_source` tells the kind (by the name, else by the first bytes) and
parses each digest inside, or the references of a bibliography; the importer
stores each part in its own transaction.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from readinglist.core.sources import bibfiles
from readinglist.core.sources.bibfiles import BIB, CSL, RIS, BibliographyError
from readinglist.core.sources.digest import MAX_BYTES, Digest, DigestError, decode_text, parse
from readinglist.core.sources.html_text import html_to_text, looks_like_html
from readinglist.core.sources.mail import (
    TooManyMessages,
    looks_like_mbox,
    looks_like_message,
    mailbox_messages,
    message_text,
    subject_of,
)
from readinglist.core.sources.references import Reference

TEXT, EMAIL, MAILBOX, PAGE = "text", "e-mail", "mailbox", "web page"
BIBLIOGRAPHIES = (BIB, RIS, CSL)
SUFFIXES = {".txt": TEXT, ".eml": EMAIL, ".mbox": MAILBOX, ".html": PAGE, ".htm": PAGE,
            ".bib": BIB, ".ris": RIS, ".json": CSL}
SNIFF_BYTES = 4096
BIBLIOGRAPHY_BYTES = 64 * 1024 * 1024  # a large Zotero library with its abstracts


class SourceError(Exception):
    """The file cannot be read at all (missing, a folder, unreadable, too large)."""


@dataclass(frozen=True)
class Part:
    """One digest of a file, the references of a bibliography, or why that part
    of the file holds none."""

    label: str  # "" for a file of one digest; "message 2 (“Subject”)" in a mailbox
    digest: Digest | None = None
    error: str | None = None
    references: list[Reference] | None = None


def kind_of(path: Path) -> str:
    """The kind of file: by its name, else by its first bytes."""
    known = SUFFIXES.get(path.suffix.lower())
    if known is not None:
        return known
    head = _read(path, SNIFF_BYTES)
    if looks_like_mbox(head):
        return MAILBOX
    if looks_like_message(head):
        return EMAIL
    text = head.decode("latin-1")
    if looks_like_html(text):
        return PAGE
    return _bibliography_kind(text) or TEXT


def _bibliography_kind(head: str) -> str | None:
    start = re.sub(r"\A(?:\s*%[^\n]*\n)+", "", head.lstrip("\ufeff"))  # TeX comments first
    start = start.lstrip(" \t\r\n")
    if re.match(r"@(?:article|inproceedings|misc|book|online|incollection|phdthesis|"
                r"techreport|unpublished|string|preamble|comment)\s*[{(]", start, re.I):
        return BIB
    if re.match(r"TY {2}- ", start):
        return RIS
    if re.match(r"\[\s*\{\s*\"", start):
        return CSL
    return None


def read_source(path: Path, *, year: int | None, today: date) -> tuple[str, Iterator[Part]]:
    """(kind, the digests inside). Raises SourceError when the file cannot be read."""
    kind = kind_of(path)
    reference = min(_modified(path), today)
    if kind == MAILBOX:
        return kind, _mailbox_parts(path, year, today)
    data = _read_whole(path, BIBLIOGRAPHY_BYTES if kind in BIBLIOGRAPHIES else MAX_BYTES)
    return kind, iter([_single(kind, data, year, reference, today)])


def _single(kind: str, data: bytes, year: int | None, reference: date, today: date) -> Part:
    if kind in BIBLIOGRAPHIES:
        return _bibliography(kind, data)
    try:
        if kind == TEXT:
            return Part("", parse(data, reference=reference, year=year))
        if kind == PAGE:
            text = html_to_text(decode_text(data)).encode("utf-8")
            return Part("", parse(text, reference=reference, year=year))
        return Part("", _message_digest(data, year, today))
    except DigestError as exc:
        return Part("", error=str(exc))


def _bibliography(kind: str, data: bytes) -> Part:
    try:
        text = decode_text(data)
    except DigestError as exc:
        return Part("", error=str(exc).replace("a text digest", "a bibliography"))
    try:
        references = bibfiles.read(kind, text)
    except BibliographyError as exc:
        return Part("", error=str(exc))
    except (RecursionError, MemoryError, ValueError, TypeError, KeyError) as exc:
        # a parser tripped over a hostile file: one line, and none of it is used
        return Part("", error=f"cannot be read as {kind} ({type(exc).__name__})")
    if not references:
        return Part("", error=f"no entries in this {kind} file")
    return Part("", references=references)


def _message_digest(data: bytes, year: int | None, today: date) -> Digest:
    message = message_text(data)
    if not message.text.strip():
        raise DigestError("the e-mail holds no text")
    reference = min(message.sent, today) if message.sent else today
    return parse(message.text, reference=reference, year=year,
                 fallback_date=message.sent)


def _mailbox_parts(path: Path, year: int | None, today: date) -> Iterator[Part]:
    try:
        for number, data in mailbox_messages(path):
            if data is None:
                yield Part(f"message {number}", error="too large for a digest")
                continue
            subject = subject_of(data)
            label = f"message {number}" + (f" (“{subject}”)" if subject else "")
            try:
                yield Part(label, _message_digest(data, year, today))
            except DigestError as exc:
                yield Part(label, error=str(exc))
    except TooManyMessages as exc:
        yield Part("", error=str(exc))
    except OSError as exc:
        yield Part("", error=f"cannot read the mailbox ({exc.strerror or exc})")


def _modified(path: Path) -> date:
    try:
        return date.fromtimestamp(path.stat().st_mtime)
    except OSError as exc:
        raise SourceError(_reason(exc)) from exc


def _read(path: Path, size: int) -> bytes:
    """At most ``size`` bytes of a regular file. A pipe, a socket or a device
    (/dev/zero never ends, a FIFO waits forever for a writer) is refused: it
    is opened without waiting and checked before a byte is read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise SourceError(_reason(exc)) from exc
    with os.fdopen(fd, "rb") as stream:
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise SourceError("not a regular file (a pipe, a device or a socket)")
            return stream.read(size)
        except OSError as exc:
            raise SourceError(_reason(exc)) from exc


def _read_whole(path: Path, limit: int) -> bytes:
    """The file, refused unread when it is larger than any of its kind."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(_reason(exc)) from exc
    what = "a bibliography" if limit == BIBLIOGRAPHY_BYTES else "a digest"
    if size > limit:
        raise SourceError(f"too large for {what} ({size / 1048576:.0f} MB; "
                          f"the limit is {limit // 1048576} MB)")
    return _read(path, limit + 1)


def _reason(exc: OSError) -> str:
    if isinstance(exc, IsADirectoryError):
        return "is a folder"
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    return f"cannot read it ({exc.strerror or exc})"
