"""Plain read models the library hands out. No database session lives in them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from readinglist.core.sources.references import Metadata


@dataclass(frozen=True)
class PaperView:
    id: int
    title: str
    abstract: str
    status: str
    tags: tuple[str, ...]
    note: str
    first_seen: str
    last_seen: str
    times_seen: int
    links: tuple[str, ...]
    status_changed: str | None = None
    created: str = ""
    updated: str = ""
    citekey: str = ""
    metadata: Metadata = field(default_factory=Metadata)
    sources: dict[str, str] = field(default_factory=dict)  # metadata field → its source
    citekey_pinned: bool = False
    dismissed: str | None = None  # when it was marked "not interested"

    @property
    def authors_short(self) -> str:
        """"Vinyals et al.", "Vinyals and Bengio", "" when no author is known."""
        names = self.metadata.authors
        if not names:
            return ""
        if len(names) == 1:
            return names[0].family
        if len(names) == 2:
            return f"{names[0].family} and {names[1].family}"
        return f"{names[0].family} et al."

    def to_json(self) -> dict:
        meta = self.metadata
        return {
            "id": self.id,
            "citekey": self.citekey,
            "title": self.title,
            "authors": [a.to_json() for a in meta.authors],
            "year": meta.year,
            "month": meta.month,
            "date": meta.date,
            "type": meta.entry_type,
            "venue": meta.venue,
            "volume": meta.volume,
            "number": meta.number,
            "pages": meta.pages,
            "publisher": meta.publisher,
            "doi": meta.doi,
            "arxiv": meta.arxiv_id,
            "arxiv_version": meta.arxiv_version,
            "arxiv_category": meta.arxiv_category,
            "url": meta.url,
            "pdf_url": meta.pdf_url,
            "sources": dict(self.sources),
            "abstract": self.abstract,
            "status": self.status,
            "tags": list(self.tags),
            "note": self.note,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "times_seen": self.times_seen,
            "links": list(self.links),
            "dismissed": self.dismissed,
        }


@dataclass(frozen=True)
class AppearanceView:
    digest_id: int
    digest_date: str
    file_name: str
    position: int


@dataclass(frozen=True)
class DigestView:
    id: int
    file_name: str
    digest_date: str
    imported_at: str
    entry_count: int  # papers the file listed
    papers: int = 0  # of them still in the library
    unread: int = 0  # of those, unread


@dataclass(frozen=True)
class Hit:
    id: int
    title: str
    score: float
    snippet: str
    paper: PaperView

    def to_json(self) -> dict:
        return {**self.paper.to_json(), "score": round(self.score, 4), "snippet": self.snippet}


@dataclass(frozen=True)
class SelectionSummary:
    """What a menu needs to know of many papers at once, read in one query."""

    count: int  # of the ids asked about, how many exist
    tags: dict[str, int]  # each tag on any of them, with how many carry it
    with_code: int  # how many have a code link

    def on_all(self) -> set[str]:
        return {name for name, count in self.tags.items() if count == self.count}


@dataclass(frozen=True)
class TagCount:
    name: str
    count: int


@dataclass(frozen=True)
class Stats:
    papers: int
    appearances: int
    digests: int
    tags: int
    unread: int
    skimmed: int
    read: int
    notes: int

    def to_json(self) -> dict:
        return dict(self.__dict__)


IMPORTED = "imported"
ALREADY_IMPORTED = "already_imported"
REJECTED = "rejected"


@dataclass
class FileResult:
    path: Path
    status: str
    new: int = 0
    seen: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    digest_date: str | None = None
    kind: str = "text"  # text, e-mail, mailbox, web page, BibTeX, RIS, CSL-JSON
    digests: int = 0  # digests found in it (a mailbox holds several)
    skipped: list[str] = field(default_factory=list)  # messages of a mailbox left out, why
    # a bibliography: entries that filled a paper of the library, that changed
    # nothing (all known already), and what they said that was not applied
    matched: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)

    @property
    def bibliography(self) -> bool:
        return self.kind in ("BibTeX", "RIS", "CSL-JSON")

    @property
    def describe_kind(self) -> str:
        """"e-mail", "mailbox: 3 digests, 1 message skipped", "" for a text file."""
        if self.bibliography:
            return (f"{self.kind}: {self.matched} matched, {self.new} added, "
                    f"{self.unchanged} left alone"
                    + (f", {len(self.conflicts)} conflicts" if self.conflicts else ""))
        if self.kind != "mailbox":
            return "" if self.kind == "text" else self.kind
        text = f"mailbox: {self.digests} digest{'s' if self.digests != 1 else ''}"
        if self.skipped:
            count = len(self.skipped)
            text += f", {count} message{'s' if count != 1 else ''} skipped"
        return text

    def to_json(self) -> dict:
        return {
            "path": str(self.path),
            "status": self.status,
            "kind": self.kind,
            "digests": self.digests,
            "skipped": list(self.skipped),
            "new": self.new,
            "seen": self.seen,
            "matched": self.matched,
            "unchanged": self.unchanged,
            "conflicts": list(self.conflicts),
            "warnings": list(self.warnings),
            "error": self.error,
            "digest_date": self.digest_date,
        }


@dataclass
class ImportResult:
    files: list[FileResult] = field(default_factory=list)
    cancelled: bool = False

    @property
    def new(self) -> int:
        return sum(f.new for f in self.files)

    @property
    def seen(self) -> int:
        return sum(f.seen for f in self.files)

    @property
    def rejected(self) -> list[FileResult]:
        return [f for f in self.files if f.status == REJECTED]

    def to_json(self) -> dict:
        return {
            "files": [f.to_json() for f in self.files],
            "new": self.new,
            "seen": self.seen,
            "imported": sum(f.status == IMPORTED for f in self.files),
            "already_imported": sum(f.status == ALREADY_IMPORTED for f in self.files),
            "rejected": len(self.rejected),
            "cancelled": self.cancelled,
        }


@dataclass(frozen=True)
class ImportProgress:
    files_done: int
    files_total: int
    papers_done: int
    current: Path | None = None
