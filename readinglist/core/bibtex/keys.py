"""Citation key text: the base key of a title, the suffixes a clash adds, validity.

Pure functions; `citekeys` hands keys out in the database with them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

# Words a key never starts with.
_SKIP_WORDS = frozenset(
    """a an the on of for in to and with without via from by at as is are be do does
    did can could should would will how what when where which who why towards toward
    into onto over under about through beyond between against not no yes""".split()
)

_KEY_CHARS = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.+-]{0,99}$")


def base_key(title: str, year: int) -> str:
    """``cogact2025``: the first significant word of the title, then the year."""
    for word in re.split(r"\s+", title):
        folded = unicodedata.normalize("NFKD", word)
        ascii_word = "".join(ch for ch in folded if ch.isascii() and ch.isalnum()).lower()
        if ascii_word and ascii_word not in _SKIP_WORDS:
            return f"{ascii_word[:30]}{year}"
    return f"paper{year}"


def _suffixes() -> Iterable[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    yield from letters
    for first in letters:
        for second in letters:
            yield first + second
    number = 1
    while True:  # 702 papers with one base key: unlikely, but never fail
        yield f"z{number}"
        number += 1


def candidates(base: str) -> Iterator[str]:
    """``base``, then ``base`` + a, b, … z, aa, ab …: the keys a newcomer may get."""
    yield base
    for suffix in _suffixes():
        yield base + suffix


def next_free_key(base: str, taken: set[str]) -> str:
    """The first candidate not in ``taken`` (lower-cased: keys clash case-insensitively)."""
    return next(key for key in candidates(base) if key.lower() not in taken)


def valid_key(key: str) -> bool:
    """Letters, digits and ``_:.+-``; starts with a letter or digit; ≤ 100 chars."""
    return bool(_KEY_CHARS.match(key))
