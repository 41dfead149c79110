"""Opening an address in the system browser: http(s) only, never another scheme
(a digest's text decides what a link says, not what it may run)."""

from __future__ import annotations

from urllib.parse import quote_plus

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from readinglist.core.sources.links import page_link
from readinglist.core.views import PaperView


def open_link(url: QUrl) -> bool:
    """Open http(s) links in the system browser; refuse every other scheme."""
    if url.scheme().lower() not in ("http", "https"):
        return False
    return QDesktopServices.openUrl(url)


def paper_page(paper: PaperView) -> str | None:
    """The page Enter opens: arXiv's page of its id, else the address a reference
    gave, else the first page of its digest entry."""
    meta = paper.metadata
    if meta.arxiv_id:
        return f"https://arxiv.org/abs/{meta.arxiv_id}"
    if meta.url and meta.url.lower().startswith(("http://", "https://")):
        return meta.url
    if meta.doi:
        return f"https://doi.org/{meta.doi}"
    return page_link(paper.links)


def pdf_link(paper: PaperView) -> str | None:
    meta = paper.metadata
    if meta.pdf_url and meta.pdf_url.lower().startswith(("http://", "https://")):
        return meta.pdf_url
    if meta.arxiv_id:
        version = f"v{meta.arxiv_version}" if meta.arxiv_version else ""
        return f"https://arxiv.org/pdf/{meta.arxiv_id}{version}"
    return None


def searches(title: str) -> list[tuple[str, str]]:
    """(what, address) of the searches for a title a paper with no link offers."""
    words = quote_plus(title)
    return [("Search &arXiv for This Title",
             f"https://arxiv.org/search/?query={words}&searchtype=title"),
            ("Search &Google Scholar for This Title",
             f"https://scholar.google.com/scholar?q={words}")]
