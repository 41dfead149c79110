"""Citation key text: the key a pattern makes of a paper, the suffixes a clash
adds, validity.

A pattern is text with fields in brackets, as Better BibTeX's: ``[auth]``
(the first author's family name), ``[authors:N]`` (the first N family names),
``[year]``, ``[title]`` (the first significant word of the title),
``[shorttitle:N]`` (its first N significant words); each may end in
``:lower``, ``:upper`` or ``:capitalize``. A field with nothing to say (no
author known, no year) writes nothing. The default, ``[auth:lower][year][title:lower]``,
gives ``vinyals2015order``.

Pure functions; `storage.citekeys` hands keys out in the database with them.
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


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def candidate(base: str, number: int) -> str:
    """The ``number``-th of `candidates` (0: ``base`` itself), computed at once."""
    if number == 0:
        return base
    number -= 1
    if number < 26:
        return base + _LETTERS[number]
    number -= 26
    if number < 26 * 26:
        return base + _LETTERS[number // 26] + _LETTERS[number % 26]
    return f"{base}z{number - 26 * 26 + 1}"


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


DEFAULT_PATTERN = "[auth:lower][year][title:lower]"
_FIELD = re.compile(r"\[([a-z]+)((?::[a-z0-9]+)*)\]")
_FIELDS = ("auth", "authors", "year", "title", "shorttitle")
_MODIFIERS = ("lower", "upper", "capitalize")


class PatternError(ValueError):
    """A key pattern that names an unknown field or modifier."""


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())


def _significant(title: str) -> list[str]:
    words = [_ascii(w) for w in re.split(r"\s+", title)]
    return [w for w in words if w and w.lower() not in _SKIP_WORDS]


def check_pattern(pattern: str) -> str:
    """The pattern, or PatternError naming what is wrong with it."""
    rest = _FIELD.sub("", pattern)
    if "[" in rest or "]" in rest:
        raise PatternError(f"unbalanced brackets in the key pattern {pattern!r}")
    if not _FIELD.search(pattern):
        raise PatternError(f"the key pattern {pattern!r} has no field (such as [auth] or "
                           "[year])")
    for name, modifiers in _FIELD.findall(pattern):
        if name not in _FIELDS:
            raise PatternError(f"unknown field [{name}] in the key pattern (use "
                               f"{', '.join(f'[{f}]' for f in _FIELDS)})")
        for modifier in filter(None, modifiers.split(":")):
            if modifier not in _MODIFIERS and not modifier.isdigit():
                raise PatternError(f"unknown modifier :{modifier} in the key pattern (use "
                                   f"{', '.join(':' + m for m in _MODIFIERS)} or a number)")
    if re.search(r"[^A-Za-z0-9_:.+-]", rest):
        raise PatternError(f"the key pattern's text {rest!r} holds characters a key cannot")
    return pattern


def pattern_key(pattern: str, families: list[str], year: int | None, title: str) -> str:
    """The key ``pattern`` makes of a paper (before any suffix)."""
    def field(match: re.Match) -> str:
        name, modifiers = match.group(1), [m for m in match.group(2).split(":") if m]
        count = next((int(m) for m in modifiers if m.isdigit()), 1)
        if name == "auth":
            text = _ascii(families[0]) if families else ""
        elif name == "authors":
            text = "".join(_ascii(f) for f in families[:count])
        elif name == "year":
            text = str(year) if year else ""
        elif name == "title":
            text = "".join(_significant(title)[:1])
        else:
            text = "".join(w.capitalize() for w in _significant(title)[:count])
        for modifier in modifiers:
            text = {"lower": str.lower, "upper": str.upper,
                    "capitalize": str.capitalize}.get(modifier, lambda s: s)(text)
        return text

    key = _FIELD.sub(field, pattern)
    key = re.sub(r"[^A-Za-z0-9_:.+-]", "", key)[:60].lstrip("_:.+-")
    return key or "paper"
