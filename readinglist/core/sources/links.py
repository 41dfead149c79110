"""A paper's links: finding them in its text, and what they mean (the one
definition of a code link).

The table's code column, its sort key (``paper.has_code``, filled when a
paper is stored) and the BibTeX ``url`` all ask this module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?'\"*"
_PAIRS = {")": "(", "]": "[", "}": "{"}

# Hosts whose links are a paper's code (a repository, a model or data card).
CODE_HOSTS = (
    "github.com", "gitlab.com", "huggingface.co", "bitbucket.org", "codeberg.org",
    "git.sr.ht", "sourceforge.net", "gitee.com",
)
# Project pages that are not code themselves but beat a random citation link.
PROJECT_HOSTS = ("github.io", "gitlab.io")


def _host(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # a malformed link from a digest: not a code link
        return ""
    return host.lower().rstrip(".")


def _on(host: str, domains: Sequence[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def is_code_link(url: str) -> bool:
    """True for a link to code: a repository on one of `CODE_HOSTS`."""
    return _on(_host(url), CODE_HOSTS)


def code_link(links: Sequence[str]) -> str | None:
    """The first code link among ``links``, if any."""
    return next((link for link in links if is_code_link(link)), None)


def has_code(links: Sequence[str]) -> bool:
    return code_link(links) is not None


def main_link(links: Sequence[str]) -> str | None:
    """The link that stands for the paper: its code, else its project page,
    else the first link it has."""
    if not links:
        return None
    return (code_link(links)
            or next((link for link in links if _on(_host(link), PROJECT_HOSTS)), None)
            or links[0])


def page_link(links: Sequence[str]) -> str | None:
    """The paper's own page for "Open Link": the first http(s) link that is not
    code, else the code."""
    web = [link for link in links if link.lower().startswith(("http://", "https://"))]
    return next((link for link in web if not is_code_link(link)), None) or code_link(web)


def extract_links(text: str) -> tuple[str, ...]:
    """http(s) URLs in ``text``, in order, without trailing punctuation."""
    links: list[str] = []
    for match in _URL.finditer(text):
        url = _strip_url(match.group(0))
        if len(url) > len("https://") and url not in links:
            links.append(url)
    return tuple(links)


def _strip_url(url: str) -> str:
    # Counts are kept up to date as characters go, so that a hostile run of
    # a million ")" costs a million steps, not a million squared.
    counts = {ch: url.count(ch) for ch in "()[]{}"}
    end = len(url)
    while end:
        last = url[end - 1]
        if last in _URL_TRAILING:
            end -= 1
        elif last in _PAIRS and counts[last] > counts[_PAIRS[last]]:
            counts[last] -= 1  # closing bracket of the surrounding prose
            end -= 1
        else:
            break
    return url[:end]
