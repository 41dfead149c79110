"""How the command line prints papers: tables, one paper in full, JSON."""

from __future__ import annotations

import json
import shutil
import textwrap

from readinglist.cli.terminal import json_safe, shown
from readinglist.core.library import Library
from readinglist.core.storage.metadata_columns import describe_source
from readinglist.core.views import PaperView


def output_width() -> int:
    return max(60, shutil.get_terminal_size((100, 24)).columns)


def fill(text: str, width: int, indent: str, **kwargs) -> str:
    """Wrap prose without breaking URLs or hyphenated words across lines."""
    return textwrap.fill(text, width, initial_indent=indent, subsequent_indent=indent,
                         break_on_hyphens=False, break_long_words=False, **kwargs)


def cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def print_json(value) -> None:
    print(json_safe(json.dumps(value, ensure_ascii=False, indent=2)))


def print_papers(papers: list[PaperView]) -> None:
    if not papers:
        print("No papers.")
        return
    head = f"{'ID':>6}  {'STATUS':<7}  {'DIGESTS':>7}  {'LAST SEEN':<10}  {'YEAR':<4}  TITLE"
    print(head)
    room = output_width() - len(head) + len("TITLE")
    for p in papers:
        tags = f"  [{', '.join(p.tags)}]" if p.tags else ""
        who = f" — {p.authors_short}" if p.authors_short else ""
        year = str(p.metadata.year or "")
        print(f"{p.id:>6}  {p.status:<7}  {p.times_seen:>7}  {p.last_seen:<10}  {year:<4}  "
              f"{cut(p.title + who + tags, room)}")


def detail_lines(paper: PaperView) -> list[str]:
    """The paper's metadata, one "label:  value" line each, with its source."""
    meta, sources = paper.metadata, paper.sources
    rows = []
    if meta.authors:
        rows.append(("authors", "; ".join(a.display() for a in meta.authors), "authors"))
    when = meta.date or (f"{meta.year}-{meta.month:02d}" if meta.year and meta.month
                         else meta.year)
    if when:
        rows.append(("published", str(when), "year"))
    if meta.entry_type:
        rows.append(("type", meta.entry_type, "entry_type"))
    if meta.venue:
        where = ", ".join(x for x in (meta.venue, meta.volume and f"vol. {meta.volume}",
                                      meta.number and f"no. {meta.number}",
                                      meta.pages and f"pp. {meta.pages}") if x)
        rows.append(("venue", where, "venue"))
    if meta.publisher:
        rows.append(("publisher", meta.publisher, "publisher"))
    if meta.doi:
        rows.append(("doi", meta.doi, "doi"))
    if meta.arxiv_id:
        version = f"v{meta.arxiv_version}" if meta.arxiv_version else ""
        category = f" [{meta.arxiv_category}]" if meta.arxiv_category else ""
        rows.append(("arxiv", f"{meta.arxiv_id}{version}{category}", "arxiv_id"))
    for label, name in (("url", "url"), ("pdf", "pdf_url")):
        if getattr(meta, name):
            rows.append((label, getattr(meta, name), name))
    return [f"{label + ':':<10} {value}  ({describe_source(sources.get(field))})"
            for label, value, field in rows]


def print_paper(library: Library, paper: PaperView) -> None:
    width = min(output_width(), 100)
    print(f"#{paper.id}  {paper.title}")
    for line in detail_lines(paper):
        print(f"  {line}")
    follows = "" if paper.citekey_pinned else " (follows the authors and year until it is used)"
    print(f"  cite as:   {paper.citekey}{follows}")
    since = f" (since {paper.status_changed[:10]})" if paper.status_changed else ""
    print(f"  status:    {paper.status}{since}")
    times = "1 digest" if paper.times_seen == 1 else f"{paper.times_seen} digests"
    print(f"  seen:      {times}, first {paper.first_seen}, last {paper.last_seen}")
    for appearance in library.papers.appearances(paper.id):
        print(f"             {appearance.digest_date}  {shown(appearance.file_name)}"
              f"  (#{appearance.position})")
    print(f"  tags:      {', '.join(paper.tags) if paper.tags else '-'}")
    for number, link in enumerate(paper.links):
        print(f"  {'links:' if number == 0 else '':<10} {link}")
    if paper.note:
        print("  note:")
        for line in paper.note.splitlines() or [""]:
            print(fill(line, width, "    ") or "    ")
    print("  abstract:")
    print(fill(paper.abstract or "(none)", width, "    "))
