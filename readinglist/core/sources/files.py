"""What a file holds: a text digest, an e-mail, a mailbox of them, or a saved web page.

`read_source` tells the kind (by the name, else by the first bytes) and
parses each digest inside; the importer stores each in its own transaction.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from readinglist.core.sources.digest import MAX_BYTES, Digest, DigestError, decode_text, parse
from readinglist.core.sources.html_text import html_to_text, looks_like_html
from readinglist.core.sources.mail import (
    looks_like_mbox,
    looks_like_message,
    mailbox_messages,
    message_text,
    subject_of,
)

TEXT, EMAIL, MAILBOX, PAGE = "text", "e-mail", "mailbox", "web page"
SUFFIXES = {".txt": TEXT, ".eml": EMAIL, ".mbox": MAILBOX, ".html": PAGE, ".htm": PAGE}
SNIFF_BYTES = 4096


class SourceError(Exception):
    """The file cannot be read at all (missing, a folder, unreadable, too large)."""


@dataclass(frozen=True)
class Part:
    """One digest of a file, or why that part of the file holds none."""

    label: str  # "" for a file of one digest; "message 2 (“Subject”)" in a mailbox
    digest: Digest | None = None
    error: str | None = None


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
    if looks_like_html(head.decode("latin-1")):
        return PAGE
    return TEXT


def read_source(path: Path, *, year: int | None, today: date) -> tuple[str, Iterator[Part]]:
    """(kind, the digests inside). Raises SourceError when the file cannot be read."""
    kind = kind_of(path)
    reference = min(_modified(path), today)
    if kind == MAILBOX:
        return kind, _mailbox_parts(path, year, today)
    data = _read_whole(path)
    return kind, iter([_single(kind, data, year, reference, today)])


def _single(kind: str, data: bytes, year: int | None, reference: date, today: date) -> Part:
    try:
        if kind == TEXT:
            return Part("", parse(data, reference=reference, year=year))
        if kind == PAGE:
            text = html_to_text(decode_text(data)).encode("utf-8")
            return Part("", parse(text, reference=reference, year=year))
        return Part("", _message_digest(data, year, today))
    except DigestError as exc:
        return Part("", error=str(exc))


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


def _read_whole(path: Path) -> bytes:
    """The file, refused unread when it is larger than any digest."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(_reason(exc)) from exc
    if size > MAX_BYTES:
        raise SourceError(f"too large for a digest ({size / 1048576:.0f} MB; "
                          f"the limit is {MAX_BYTES // 1048576} MB)")
    return _read(path, MAX_BYTES + 1)


def _reason(exc: OSError) -> str:
    if isinstance(exc, IsADirectoryError):
        return "is a folder"
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    return f"cannot read it ({exc.strerror or exc})"
