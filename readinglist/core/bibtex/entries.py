"""BibTeX entries of papers: one `@misc` (or biblatex `@online`) per paper.

The text of every field goes through `escape`; the same paper always gives
the same bytes.
"""

from __future__ import annotations

from readinglist.core.bibtex.escape import clean_url, escape
from readinglist.core.sources.links import main_link
from readinglist.core.views import PaperView

__all__ = ["FLAVOURS", "HEADER", "entry"]

FLAVOURS = ("bibtex", "biblatex")

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
        fields.append(("url", "{" + clean_url(link) + "}"))
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
