"""Text from a digest, a note or a tag never drives the terminal.

Every write to stdout and stderr goes through `SafeStream`, which drops the
characters a terminal acts on (escape sequences start with ESC or the 8-bit
CSI; a lone carriage return overwrites a line; bidi overrides reorder it).
JSON keeps every character but writes these as \\u escapes, so the data is
exact once parsed. A file name with a newline or a control character is shown
quoted, so it cannot forge a line of output.
"""

from __future__ import annotations

import re
from pathlib import Path

# C0 controls but tab and newline, DEL, C1 controls (U+009B is CSI), and the
# bidi embeddings, overrides and isolates.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    return CONTROL.sub("", text)


def json_safe(encoded: str) -> str:
    r"""JSON text with every control character written as \uXXXX (the same data)."""
    return CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


def shown(path: str | Path) -> str:
    """A file name for a message: as it is, or quoted with escapes when it holds
    a newline or a control character (or bytes that are not UTF-8)."""
    text = str(path)
    if _UNSAFE_IN_NAME.search(text) or any(0xDC80 <= ord(c) <= 0xDCFF for c in text):
        return repr(text)
    return text


class SafeStream:
    """A text stream that drops terminal controls from what is written to it."""

    def __init__(self, stream):
        self.raw = stream  # for the CLI's own progress line (\r, ESC[K)

    def write(self, text: str) -> int:
        self.raw.write(printable(text))
        return len(text)

    def __getattr__(self, name):
        return getattr(self.raw, name)
