"""A saved web page or an HTML e-mail as the plain text the digest parser reads.

Every heading, paragraph, list item or other block becomes one paragraph of
text (blank lines between), so a paper's linked title and its abstract come
out as the title / abstract blocks of a text digest. Scripts, styles,
navigation, forms and footers are left out; entities are decoded; a link
in a paragraph whose text is not its address keeps the address in
brackets, so that code links are still found (a linked title keeps its
text).

Read with lxml's HTML parser (libxml2), event by event: lenient with broken
markup and linear in the input whatever it holds. The standard library's
`html.parser` takes quadratic time on unclosed tags on Python 3.11 before
3.11.13 (``"<a" * 80_000``: 13 s; 4 MB: more than five minutes).
"""

from __future__ import annotations

import re

from lxml import etree

# Elements whose content is never a paper.
SKIPPED = frozenset({"script", "style", "nav", "footer", "noscript", "template", "head",
                     "svg", "form", "button", "select", "iframe", "object", "canvas"})
# Elements that start and end a paragraph of their own.
BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
                    "article", "section", "header", "main", "aside", "blockquote", "pre",
                    "table", "tr", "td", "th", "dd", "dt", "dl", "figure", "figcaption",
                    "hr", "address", "body", "html", "center"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col",
                  "embed", "source", "track", "wbr"})
_SPACE = re.compile(r"\s+")


class _PageText:
    """The parser's target: called for each start tag, end tag and text."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self._parts: list[str] = []
        self._skipping: list[str] = []  # open skipped elements
        self._links: list[tuple[str, int]] = []  # (href, where its text starts)
        self._headings = 0  # open headings: a linked title keeps only its text

    def start(self, tag: str, attrs) -> None:
        if self._skipping:
            if tag in SKIPPED and tag not in VOID:
                self._skipping.append(tag)
            return
        if tag in SKIPPED:
            self._skipping.append(tag)
            return
        if tag in BLOCKS:
            self._flush()
            if tag in HEADINGS:
                self._headings += 1
        elif tag == "br":
            self._parts.append(" ")
        elif tag == "a":
            href = attrs.get("href") or ""
            self._links.append((href, len(self._parts)))

    def end(self, tag: str) -> None:
        if self._skipping:
            if tag == self._skipping[-1]:
                self._skipping.pop()
            return
        if tag in BLOCKS:
            self._flush()
            if tag in HEADINGS and self._headings:
                self._headings -= 1
        elif tag == "a" and self._links:
            href, start = self._links.pop()
            text = _SPACE.sub(" ", "".join(self._parts[start:])).strip()
            if (href.lower().startswith(("http://", "https://")) and text and text != href
                    and not self._headings):
                self._parts.append(f" ({href})")

    def data(self, data: str) -> None:
        if not self._skipping:
            self._parts.append(data)

    def _flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self._parts)).strip()
        self._parts = []
        self._links = []
        if text:
            self.blocks.append(text)

    def comment(self, _text: str) -> None:
        pass

    def close(self) -> list[str]:
        self._flush()
        return self.blocks


def html_to_text(html: str) -> str:
    """The page's text: one paragraph per block, blank lines between."""
    parser = etree.HTMLParser(target=_PageText(), recover=True, no_network=True,
                              remove_comments=True, remove_pis=True, huge_tree=True)
    parser.feed(html)
    blocks = parser.close()
    return "\n\n".join(blocks) + "\n"


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or (
        "<html" in head and "</" in text[:65536])
