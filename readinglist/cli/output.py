"""How the command line prints papers: tables, one paper in full, JSON."""

from __future__ import annotations

import json
import shutil
import textwrap

from readinglist.cli.terminal import json_safe, shown
from readinglist.core.library import Library
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
    head = f"{'ID':>6}  {'STATUS':<7}  {'DIGESTS':>7}  {'LAST SEEN':<10}  TITLE"
    print(head)
    room = output_width() - len(head) + len("TITLE")
    for p in papers:
        tags = f"  [{', '.join(p.tags)}]" if p.tags else ""
        print(f"{p.id:>6}  {p.status:<7}  {p.times_seen:>7}  {p.last_seen:<10}  "
              f"{cut(p.title + tags, room)}")


def print_paper(library: Library, paper: PaperView) -> None:
    width = min(output_width(), 100)
    print(f"#{paper.id}  {paper.title}")
    print(f"  cite as:   {paper.citekey}")
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
