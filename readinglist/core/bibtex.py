"""BibTeX output that bibtex, biber and pdflatex accept.

Two promises: every field prints as the user wrote it (LaTeX specials that
are not already escaped get escaped, known LaTeX commands are kept, braces
always balance), and the same library always exports the same bytes.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from readinglist.core.links import main_link
from readinglist.core.views import PaperView

__all__ = ["FLAVOURS", "HEADER", "entry", "escape", "write_atomic"]

FLAVOURS = ("bibtex", "biblatex")

# -- escaping -------------------------------------------------------------------------

# Commands that take one braced argument and are safe in any LaTeX document.
_ARG_COMMANDS = frozenset(
    """textsc textbf textit textsl textup textmd textrm textsf texttt textnormal emph
    underline textsuperscript textsubscript mbox""".split()
)
# Commands without an argument, defined by LaTeX itself.
_PLAIN_COMMANDS = frozenset(
    """LaTeX TeX LaTeXe ldots dots textendash textemdash ss ae AE oe OE o O l L i j aa AA
    S P dag ddag copyright textregistered texttrademark textbackslash textasciitilde
    textasciicircum textbar textless textgreater textbullet pounds textperiodcentered
    textquotedblleft textquotedblright textquoteleft textquoteright guillemotleft
    guillemotright textunderscore textdollar textsection""".split()
)
_ACCENTS = "'`^\"~=.uvHcdbkrt"
_ESCAPED_SPECIALS = "%&_#$"
_SPECIALS = {
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "#": r"\#",
    "$": r"\$",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")


@dataclass(frozen=True)
class _Command:
    latex: str


@dataclass(frozen=True)
class _Brace:
    opening: bool


_PLAIN_RUN = re.compile(r"[^{}\\]*")


def _matching_brace(text: str, start: int) -> int | None:
    """Index of the ``}`` closing the ``{`` at ``start``, or None."""
    depth = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def _tokens(text: str, protect: bool) -> list:
    """Split text into kept LaTeX commands, literal braces and literal text."""
    out: list = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            out.append("".join(buffer))
            buffer.clear()

    i = 0
    while i < len(text):
        plain = _PLAIN_RUN.match(text, i)
        if plain.end() > i:  # a run with nothing to decide: take it whole
            buffer.append(plain.group())
            i = plain.end()
            continue
        ch = text[i]
        if ch in "{}":
            flush()
            out.append(_Brace(ch == "{"))
            i += 1
            continue
        if ch != "\\":
            buffer.append(ch)
            i += 1
            continue
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if nxt in _ESCAPED_SPECIALS and nxt:
            flush()
            out.append(_Command("\\" + nxt))
            i += 2
            continue
        if nxt in "{}" and nxt:
            flush()  # \{ and \} are literal braces, balanced like any other
            out.append(_Brace(nxt == "{"))
            i += 2
            continue
        if nxt and nxt in _ACCENTS:
            match = re.match(r"\\[" + re.escape(_ACCENTS) + r"](?:\{[A-Za-z]\}|[A-Za-z])",
                             text[i:])
            if match and (nxt.isalpha() is False or match.group(0)[2] == "{"):
                flush()
                out.append(_Command(match.group(0)))
                i += len(match.group(0))
                continue
        match = re.match(r"\\([A-Za-z]+)", text[i:])
        if match:
            name = match.group(1)
            after = i + len(match.group(0))
            if name in _ARG_COMMANDS and text[after : after + 1] == "{":
                end = _matching_brace(text, after)
                if end is not None:
                    flush()
                    inner = escape(text[after + 1 : end], protect=protect)
                    out.append(_Command(f"\\{name}{{{inner}}}"))
                    i = end + 1
                    continue
            if name == "url" and text[after : after + 1] == "{":
                end = _matching_brace(text, after)
                if end is not None:  # print the address itself: \url needs a package
                    buffer.append(text[after + 1 : end])
                    i = end + 1
                    continue
            if name in _PLAIN_COMMANDS:
                flush()
                if text[after : after + 2] == "{}":
                    after += 2
                out.append(_Command(f"\\{name}{{}}"))
                i = after
                continue
        buffer.append("\\")  # anything else prints as a backslash
        i += 1
    flush()
    return out


def _braces_balance(tokens: list) -> bool:
    depth = 0
    for token in tokens:
        if isinstance(token, _Brace):
            depth += 1 if token.opening else -1
            if depth < 0:
                return False
    return depth == 0


_SPECIAL_CHAR = re.compile("[" + re.escape("".join(_SPECIALS)) + "]")


def _replace_special(match: re.Match) -> str:
    return _SPECIALS[match.group()]


# A word (a run of letters and digits that starts with a letter and does not
# follow a letter or a backslash) whose capitals a style must keep: a capital
# after its first letter (BERT, LoRA, iPhone) or a capital first and a digit
# (GPT4). Title Case words and lower-case words do not match.
_PROTECTED_WORD = re.compile(
    r"(?<![\\A-Za-z])"
    r"(?:[A-Za-z][A-Za-z0-9]*[A-Z]|[A-Z][A-Za-z]*[0-9])[A-Za-z0-9]*(?![A-Za-z0-9])"
)


def _escape_text(text: str, protect: bool) -> str:
    # A regular expression finds the few specials far faster than
    # str.translate walks a long abstract character by character.
    escaped = _SPECIAL_CHAR.sub(_replace_special, text)
    if not protect:
        return escaped
    return _PROTECTED_WORD.sub(r"{\g<0>}", escaped)


def escape(text: str, *, protect: bool = False) -> str:
    """LaTeX for ``text`` that prints as written and keeps BibTeX's braces balanced."""
    text = _clean(text)
    tokens = _tokens(text, protect)
    balanced = _braces_balance(tokens)
    parts = []
    for token in tokens:
        if isinstance(token, _Command):
            # In a title, a command goes in braces so that a style's case
            # change (bibtex's change.case$) leaves its name alone.
            wrap = protect and token.latex[1:2].isalpha()
            parts.append("{" + token.latex + "}" if wrap else token.latex)
        elif isinstance(token, _Brace):
            if balanced:
                parts.append(r"\{" if token.opening else r"\}")
            else:
                parts.append(r"\textbraceleft{}" if token.opening else r"\textbraceright{}")
        else:
            parts.append(_escape_text(token, protect))
    return "".join(parts)


# Control characters (but the whitespace ones) and invisible format characters.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f"
    + "".join(ch for ch in map(chr, range(0xA0, 0x10000)) if unicodedata.category(ch) == "Cf")
    + "]"
)


def _clean(text: str) -> str:
    """One line of text: control and invisible format characters dropped."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    return " ".join(text.split())


def _clean_url(url: str) -> str:
    return "".join(f"%{ord(ch):02X}" if ch in "{}\\ \"" else ch for ch in url)


# -- entries --------------------------------------------------------------------------
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def entry(paper: PaperView, citekey: str, flavour: str = "bibtex") -> str:
    year, month, _day = paper.first_seen.split("-")
    fields: list[tuple[str, str]] = [("title", "{" + escape(paper.title, protect=True) + "}")]
    if flavour == "biblatex":
        fields.append(("date", "{" + paper.first_seen + "}"))
    else:
        fields += [("year", "{" + year + "}"), ("month", _MONTHS[int(month) - 1])]
    link = main_link(paper.links)
    if link:
        fields.append(("url", "{" + _clean_url(link) + "}"))
        if flavour == "biblatex":
            fields.append(("urldate", "{" + paper.first_seen + "}"))
    if paper.abstract:
        fields.append(("abstract", "{" + escape(paper.abstract) + "}"))
    if paper.tags:
        fields.append(("keywords", "{" + ", ".join(escape(t) for t in paper.tags) + "}"))
    if paper.note.strip():
        fields.append(("annotation" if flavour == "biblatex" else "annote",
                       "{" + escape(paper.note) + "}"))
    entry_type = "online" if flavour == "biblatex" else "misc"
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name:<{width}} = {value}" for name, value in fields)
    return f"@{entry_type}{{{citekey},\n{body}\n}}\n"


HEADER = "% Encoding: UTF-8\n% Exported by Readinglist\n"


def write_atomic(path: str | os.PathLike, text: str | Iterable[str]) -> Path:
    """Replace ``path`` with ``text`` (or its pieces) in one step: a reader never
    sees half a file, and a failure half-way leaves the old file as it was."""
    target = Path(path)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            for piece in [text] if isinstance(text, str) else text:
                stream.write(piece)
            stream.flush()
            os.fsync(stream.fileno())
        if target.exists():
            os.chmod(temp, target.stat().st_mode & 0o777)
        else:
            os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target
