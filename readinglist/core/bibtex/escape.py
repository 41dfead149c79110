"""BibTeX output that bibtex, biber and pdflatex accept.

Two promises: every field prints as the user wrote it (LaTeX specials that
are not already escaped get escaped, known LaTeX commands are kept, braces
always balance), and the same library always exports the same bytes.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_url", "escape"]

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

_SPECIAL_CHAR = re.compile("[" + re.escape("".join(_SPECIALS)) + "]")
# What the scanner stops at: everything between is plain text.
_PLAIN_RUN = re.compile(r"[^{}\\]+")
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_ACCENT = re.compile(r"\\([" + re.escape(_ACCENTS) + r"])(?:\{([A-Za-z])\}|([A-Za-z]))")
# Kept commands nest at most this deep; deeper ones print as text. BibTeX and
# LaTeX both have small group limits, and a digest is not a LaTeX document.
MAX_DEPTH = 16

LITERAL_OPEN = r"\textbraceleft{}"
LITERAL_CLOSE = r"\textbraceright{}"


def _replace_special(match: re.Match) -> str:
    return _SPECIALS[match.group()]


# A word (a run of letters and digits that does not follow a letter, a digit
# or a backslash) whose capitals a style must keep, as Better BibTeX decides:
# a capital after its first character (BERT, LoRA, CogACT, iPhone, VLA) or a
# digit next to a capital (GPT4, 4D, H100). Title Case and lower-case words do
# not match: a style may change their case.
_PROTECTED_WORD = re.compile(
    r"(?<![\\A-Za-z0-9])"
    r"(?=[A-Za-z0-9]*(?:[A-Za-z0-9][A-Z]|[A-Z][0-9]))[A-Za-z0-9]+(?![A-Za-z0-9])"
)


def _escape_text(text: str, protect: bool) -> str:
    # A regular expression finds the few specials far faster than
    # str.translate walks a long abstract character by character.
    escaped = _SPECIAL_CHAR.sub(_replace_special, text)
    if not protect:
        return escaped
    return _PROTECTED_WORD.sub(r"{\g<0>}", escaped)


def escape(text: str, *, protect: bool = False) -> str:
    r"""LaTeX for ``text`` that prints as written, in one pass and no recursion.

    The one rule that keeps an entry whole: every brace in the output is one
    this function wrote, in pairs. A brace of the text itself prints as
    ``\textbraceleft{}`` / ``\textbraceright{}`` (BibTeX counts even ``\{``
    when it looks for a field's end, so a lone one in a digest could close the
    entry and let the text after it forge another). Kept commands
    (``\textbf{…}``, accents, ``\LaTeX``, escaped specials) open groups on
    a stack; a group still open at the end is closed there.
    """
    return _Escaper(protect).run(_clean(text))


class _Escaper:
    """One left-to-right pass; ``closers`` holds, per brace still open, what its
    "}" writes (a command's closing brace, a literal one, or nothing)."""

    def __init__(self, protect: bool):
        self.protect = protect
        self.out: list[str] = []
        self.closers: list[str] = []
        self.commands = 0  # kept commands open now (MAX_DEPTH at most)

    def run(self, text: str) -> str:
        out, closers = self.out, self.closers
        i, size = 0, len(text)
        while i < size:
            plain = _PLAIN_RUN.match(text, i)
            if plain:
                out.append(_escape_text(plain.group(), self.protect))
                i = plain.end()
            elif text[i] == "{":
                out.append(LITERAL_OPEN)
                closers.append(LITERAL_CLOSE)
                i += 1
            elif text[i] == "}":
                out.append(self._close() if closers else LITERAL_CLOSE)
                i += 1
            else:
                i = self._backslash(text, i)
        while closers:  # an unclosed \textbf{ is closed; a literal brace writes nothing
            closer = self._close()
            out.append("" if closer == LITERAL_CLOSE else closer)
        return "".join(out)

    def _close(self) -> str:
        closer = self.closers.pop()
        if closer.startswith("}"):
            self.commands -= 1
        return closer

    def _backslash(self, text: str, i: int) -> int:
        """The backslash at ``i``: a command kept, or a backslash printed.
        Returns where the scan goes on."""
        out, protect = self.out, self.protect
        nxt = text[i + 1 : i + 2]
        if nxt and nxt in _ESCAPED_SPECIALS:
            out.append("\\" + nxt)
            return i + 2
        if nxt in ("{", "}") and nxt:  # \{ and \} print a brace, as the text's braces do
            out.append(LITERAL_OPEN if nxt == "{" else LITERAL_CLOSE)
            return i + 2
        accent = _ACCENT.match(text, i)
        if accent and (not accent.group(1).isalpha() or accent.group(2)):
            latex = accent.group()
            out.append("{" + latex + "}" if protect and accent.group(1).isalpha() else latex)
            return accent.end()
        command = _COMMAND.match(text, i)
        if command:
            name, after = command.group(1), command.end()
            opens = text[after : after + 1] == "{"
            if name in _ARG_COMMANDS and opens and self.commands < MAX_DEPTH:
                # In a title, the command goes in braces so that a style's case
                # change (bibtex's change.case$) leaves its name alone.
                out.append(("{\\" if protect else "\\") + name + "{")
                self.closers.append("}}" if protect else "}")
                self.commands += 1
                return after + 1
            if name == "url" and opens:  # print the address itself: \url needs a package
                self.closers.append("")
                return after + 1
            if name in _PLAIN_COMMANDS:
                if text[after : after + 2] == "{}":
                    after += 2
                out.append(("{\\%s{}}" if protect else "\\%s{}") % name)
                return after
        out.append(_SPECIALS["\\"])  # anything else prints as a backslash
        return i + 1


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


def clean_url(url: str) -> str:
    """A URL BibTeX and LaTeX read as one: braces, backslashes, spaces and quotes
    percent-encoded."""
    return "".join(f"%{ord(ch):02X}" if ch in "{}\\ \"" else ch for ch in url)
