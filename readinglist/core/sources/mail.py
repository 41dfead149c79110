"""Digests that arrive as e-mail: one message (``.eml``) or a mailbox (``mbox``).

Messages are read with the standard library's `email` package (policy
``default``), never by hand: it decodes quoted-printable and base64 and the
part's charset. The digest is the ``text/plain`` part, else the ``text/html``
part as text; its date is the body's date line, else the message's ``Date:``.
A mailbox is read one message at a time, so its size does not matter.
"""

from __future__ import annotations

import email
import email.parser
import email.policy
import mailbox
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

from readinglist.core.sources.digest import MAX_BYTES, DigestError, decode_text
from readinglist.core.sources.html_text import html_to_text

MAX_PARTS = 1_000  # MIME parts of one message: a digest has two or three
MAX_MESSAGES = 10_000  # messages read from one mailbox in one import
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)
_HEADER_NAMES = (b"from:", b"to:", b"subject:", b"date:", b"mime-version:", b"received:",
                 b"return-path:", b"message-id:", b"content-type:", b"delivered-to:",
                 b"x-", b"reply-to:", b"dkim-signature:", b"arc-")


@dataclass(frozen=True)
class MessageText:
    """The digest text of one message, ready for the digest parser."""

    text: bytes
    sent: date | None  # the Date: header, for a body without a date line
    subject: str


def looks_like_message(data: bytes) -> bool:
    """True when ``data`` starts with RFC 822 headers (an .eml without its name)."""
    head = data[:4096].lstrip().lower()
    first = head.split(b"\n", 1)[0]
    return first.startswith(_HEADER_NAMES) and b":" in first and b"\n\n" in data[:65536] \
        .replace(b"\r\n", b"\n")


def looks_like_mbox(data: bytes) -> bool:
    return data.startswith(b"From ")


def message_text(data: bytes) -> MessageText:
    """The digest inside one message; DigestError says why there is none."""
    parts = data.count(b"\n--")  # boundary lines, counted before any parsing
    if parts > MAX_PARTS * 2:
        raise DigestError(f"an e-mail of more than {MAX_PARTS:,} MIME parts is not a digest")
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
    except Exception as exc:  # the email package is lenient; this is a last resort
        raise DigestError(f"not a readable e-mail message ({exc})") from exc
    subject = _header(message, "subject")
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        raise DigestError("an e-mail without a text or HTML part")
    text = _part_text(body)
    if body.get_content_subtype() == "html":
        text = html_to_text(text)
    return MessageText(text.encode("utf-8"), _sent(message), subject)


def subject_of(data: bytes) -> str:
    """The message's subject (headers only), for telling messages apart."""
    try:
        headers = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(data)
        return " ".join(_header(headers, "subject").split())[:80]
    except Exception:  # a message too broken for its headers: no subject to show
        return ""


def _header(message: EmailMessage, name: str) -> str:
    try:
        return str(message.get(name, "") or "")
    except Exception:  # a malformed header: leave it out
        return ""


def _part_text(part: EmailMessage) -> str:
    """The part's text: its declared charset, else as a text digest file is read."""
    try:
        content = part.get_content()
        if isinstance(content, str):
            return content
    except (LookupError, UnicodeError, AssertionError, ValueError):
        pass  # an unknown or wrong charset label: decode the bytes ourselves
    payload = part.get_payload(decode=True) or b""
    return decode_text(payload)


def _sent(message: EmailMessage) -> date | None:
    value = _header(message, "date")
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return None


def mailbox_messages(path: Path) -> Iterator[tuple[int, bytes | None]]:
    """(number from 1, the message's bytes or None if too large) for each
    message of an mbox file, read one at a time, at most `MAX_MESSAGES`
    (`TooManyMessages` then). A body line the mail program escaped as
    ``>From `` (mboxrd: any number of ``>``) loses one ``>``."""
    box = mailbox.mbox(str(path), create=False)
    try:
        for number, key in enumerate(box.iterkeys(), start=1):
            if number > MAX_MESSAGES:
                raise TooManyMessages(f"the mailbox holds more than {MAX_MESSAGES:,} "
                                      f"messages: the first {MAX_MESSAGES:,} were read")
            with box.get_file(key) as stream:
                data = stream.read(MAX_BYTES + 1)  # never more than one digest's worth
            yield number, (_ESCAPED_FROM.sub(rb"\1", data) if len(data) <= MAX_BYTES else None)
    finally:
        box.close()


class TooManyMessages(Exception):
    """A mailbox past the cap: what was read is imported, the rest is said."""
