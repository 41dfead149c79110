"""BibTeX and BibLaTeX entries built from a paper's metadata.

- A journal paper is an ``@article`` (journal, volume, number, pages, doi),
  a conference paper an ``@inproceedings`` (booktitle); an arXiv preprint is
  written as arXiv's own "Export BibTeX citation" writes it (``@misc`` with
  ``eprint``, ``archivePrefix = {arXiv}``, ``primaryClass``; in BibLaTeX
  ``@online`` with ``eprinttype`` / ``eprintclass`` and a ``date``).
- ``author`` in BibTeX's form, ``Family, Given and …``, a corporate name in
  braces so that no style splits it.
- A year only when it is known: never the date of the digest that listed the
  paper (which goes in a ``note`` / ``addendum`` only when asked for); BibTeX
  gets ``n.d.`` ("no date", as citation styles write it) when it is not.
- A paper with no author gets a ``key`` field, which bibtex and biber sort and
  label it by.

The text of every field goes through `escape`; the same paper always gives
the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from readinglist.core.bibtex.escape import clean_url, escape
from readinglist.core.sources.links import main_link
from readinglist.core.sources.references import Name
from readinglist.core.views import PaperView

__all__ = ["FLAVOURS", "HEADER", "EntryOptions", "entry"]

FLAVOURS = ("bibtex", "biblatex")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_BIBLATEX_TYPES = {"misc": "online", "phdthesis": "thesis", "mastersthesis": "thesis",
                   "techreport": "report"}

HEADER = "% Encoding: UTF-8\n% Exported by Readinglist\n"


@dataclass(frozen=True)
class EntryOptions:
    flavour: str = "bibtex"
    digest_date: bool = False  # the date of the first digest that listed it, in a note
    abstract: bool = True
    notes: bool = True  # the person's tags and note (keywords, annote)


def entry(paper: PaperView, citekey: str, flavour: str = "bibtex",
          options: EntryOptions | None = None) -> str:
    options = options or EntryOptions(flavour)
    biblatex = flavour == "biblatex"
    meta = paper.metadata
    kind = _kind(paper)
    fields: list[tuple[str, str]] = []
    if meta.authors:
        fields.append(("author", _braced(" and ".join(_name(n) for n in meta.authors))))
    else:  # what bibtex (key) and biber (sortkey, label) sort and label it by
        sort_key = _braced(escape(_sort_key(paper.title)))
        fields += [("sortkey", sort_key), ("label", sort_key)] if biblatex else [("key", sort_key)]
    fields.append(("title", _braced(escape(paper.title, protect=True))))
    fields += _venue(kind, meta, biblatex)
    fields += _date(meta, biblatex)
    fields += _identifiers(paper, kind, biblatex)
    if options.digest_date:
        fields.append(("addendum" if biblatex else "note",
                       _braced(f"Listed in a digest of {paper.first_seen}")))
    if options.abstract and paper.abstract:
        fields.append(("abstract", _braced(escape(paper.abstract))))
    if options.notes and paper.tags:
        fields.append(("keywords", _braced(", ".join(escape(t) for t in paper.tags))))
    if options.notes and paper.note.strip():
        fields.append(("annotation" if biblatex else "annote", _braced(escape(paper.note))))
    entry_type = _BIBLATEX_TYPES.get(kind, kind) if biblatex else kind
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name:<{width}} = {value}" for name, value in fields)
    return f"@{entry_type}{{{citekey},\n{body}\n}}\n"


def _braced(text: str) -> str:
    return "{" + text + "}"


def _kind(paper: PaperView) -> str:
    meta = paper.metadata
    kind = meta.entry_type or "misc"
    if kind == "article" and not meta.venue:
        return "misc"  # a journal article with no journal known: bibtex would warn
    if kind == "inproceedings" and not meta.venue:
        return "misc"
    return kind


def _name(name: Name) -> str:
    """One author in BibTeX's ``Family, Jr, Given`` form; a corporate one braced."""
    if name.literal or not name.given:
        return "{" + escape(name.family) + "}" if name.literal or " " in name.family \
            else escape(name.family)
    parts = [escape(name.family)]
    if name.suffix:
        parts.append(escape(name.suffix))
    parts.append(escape(name.given))
    return ", ".join(parts)


def _sort_key(title: str) -> str:
    """What bibtex and biber sort and label an authorless entry by: its title's
    first words."""
    words = [w for w in title.split() if w.lower() not in ("a", "an", "the")]
    return " ".join(words[:3]) or "Anonymous"


def _venue(kind: str, meta, biblatex: bool) -> list[tuple[str, str]]:
    fields = []
    if meta.venue and kind == "article":
        fields.append(("journaltitle" if biblatex else "journal", _braced(escape(meta.venue))))
    elif meta.venue and kind in ("inproceedings", "incollection"):
        fields.append(("booktitle", _braced(escape(meta.venue))))
    elif meta.venue and kind in ("phdthesis", "mastersthesis"):
        fields.append(("institution" if biblatex else "school", _braced(escape(meta.venue))))
    elif meta.venue and kind == "techreport":
        fields.append(("institution", _braced(escape(meta.venue))))
    elif meta.venue:  # a preprint's journal reference ("ICLR 2016"): said, not typed
        fields.append(("note", _braced(escape(meta.venue))))
    for name in ("volume", "number", "pages", "publisher"):
        value = getattr(meta, name)
        if value:
            text = escape(value).replace("–", "--") if name == "pages" else escape(value)
            fields.append((name, _braced(text)))
    if biblatex and kind in ("phdthesis", "mastersthesis"):
        fields.append(("type", "{phdthesis}" if kind == "phdthesis" else "{mathesis}"))
    return fields


def _date(meta, biblatex: bool) -> list[tuple[str, str]]:
    if not meta.year:
        # BibTeX styles warn of an empty year and natbib prints it as blank: the
        # convention for a work with no date known is "n.d." (biblatex says it
        # by itself, from no date at all)
        return [] if biblatex else [("year", "{n.d.}")]
    if biblatex:
        date = meta.date or (f"{meta.year}-{meta.month:02d}" if meta.month else str(meta.year))
        return [("date", _braced(date))]
    fields = [("year", _braced(str(meta.year)))]
    if meta.month:
        fields.append(("month", _MONTHS[meta.month - 1]))
    return fields


def _identifiers(paper: PaperView, kind: str, biblatex: bool) -> list[tuple[str, str]]:
    meta = paper.metadata
    fields = []
    if meta.doi:
        fields.append(("doi", _braced(clean_url(meta.doi))))
    if meta.arxiv_id:
        eprint = meta.arxiv_id
        fields.append(("eprint", _braced(eprint)))
        if biblatex:
            fields.append(("eprinttype", "{arXiv}"))
            if meta.arxiv_category:
                fields.append(("eprintclass", _braced(escape(meta.arxiv_category))))
        else:
            fields.append(("archivePrefix", "{arXiv}"))
            if meta.arxiv_category:
                fields.append(("primaryClass", _braced(escape(meta.arxiv_category))))
    url = meta.url or (f"https://arxiv.org/abs/{meta.arxiv_id}" if meta.arxiv_id else None)
    url = url or main_link(paper.links)
    if url and not (meta.doi and url.lower().endswith(meta.doi.lower())):
        fields.append(("url", _braced(clean_url(url))))
    return fields
