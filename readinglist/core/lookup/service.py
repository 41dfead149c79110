"""Filling papers from arXiv, when a person asks (`readinglist lookup`, Paper ▸
Look Up on arXiv, Tools ▸ Look Up All Papers Without Authors).

A paper with an arXiv id is asked for by id (100 at a time); the others by
their exact title, accepting only a normalised-title match: several matches
or none leave the paper as it is, and the result says so. What arXiv knows
fills the fields the paper does not have (all but hand values with
``refresh``), in one transaction per answer, so a cancelled or failed lookup
keeps what was found before it and leaves the rest to the next try.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from readinglist.core.lookup.arxiv import ArxivClient, Cancelled, LookupUnavailable
from readinglist.core.settings import lookup_pace
from readinglist.core.sources.references import Reference
from readinglist.core.storage import citekeys, metadata
from readinglist.core.storage.metadata_columns import ARXIV
from readinglist.core.storage.sql import chunks, papers_t, storable
from readinglist.core.store import Store

Progress = Callable[[int, int, str], None]  # papers done, papers in all, the one asked for


@dataclass
class LookupResult:
    asked: int = 0
    filled: list[int] = field(default_factory=list)  # papers that got something
    unchanged: list[int] = field(default_factory=list)  # found, nothing new
    not_found: list[int] = field(default_factory=list)
    ambiguous: list[int] = field(default_factory=list)  # several papers of that title
    conflicts: list[str] = field(default_factory=list)
    requests: int = 0
    cancelled: bool = False
    error: str | None = None  # why the lookup stopped (offline, refused)

    @property
    def message(self) -> str:
        parts = [f"{len(self.filled)} filled", f"{len(self.unchanged)} already complete",
                 f"{len(self.not_found)} not found"]
        if self.ambiguous:
            parts.append(f"{len(self.ambiguous)} with several papers of that title")
        text = f"Looked up {self.asked} paper{'s' if self.asked != 1 else ''} on arXiv: " \
               + ", ".join(parts)
        if self.cancelled:
            text += "; cancelled (the rest can be looked up again)"
        if self.error:
            text += f"; stopped: {self.error} (the rest can be looked up again)"
        return text

    def to_json(self) -> dict:
        return {"asked": self.asked, "filled": self.filled, "unchanged": self.unchanged,
                "not_found": self.not_found, "ambiguous": self.ambiguous,
                "conflicts": self.conflicts, "requests": self.requests,
                "cancelled": self.cancelled, "error": self.error}


class Lookup:
    def __init__(self, store: Store):
        self._store = store

    def without_authors(self) -> list[int]:
        """The papers no source has given an author yet (Tools ▸ Look Up All)."""
        with self._store.read() as conn:
            return list(conn.execute(select(papers_t.c.id).where(papers_t.c.authors == "[]")
                                     .order_by(papers_t.c.id)).scalars())

    def run(self, ids: Sequence[int], *, refresh: bool = False,
            progress: Progress | None = None, cancel: threading.Event | None = None,
            client: ArxivClient | None = None) -> LookupResult:
        """Look these papers up; never raises for the service (the result says)."""
        cancel = cancel or threading.Event()
        if client is None:
            address, interval, timeout = lookup_pace()
            client = ArxivClient(address, interval, timeout, cancel.is_set)
        papers = self._papers(ids)
        result = LookupResult(asked=len(papers))
        report = progress or (lambda _done, _total, _what: None)
        done = 0
        try:
            by_id = {pid: arxiv for pid, (_title, arxiv) in papers.items() if arxiv}
            if by_id:
                report(done, len(papers), "by arXiv id")
                answers = client.by_ids(sorted(set(by_id.values())))
                for pid, arxiv in by_id.items():
                    self._apply(pid, [answers[arxiv]] if arxiv in answers else [], refresh,
                                result)
                done += len(by_id)
            for pid, (title, arxiv) in papers.items():
                if arxiv:
                    continue
                if cancel.is_set():
                    raise Cancelled
                report(done, len(papers), title)
                self._apply(pid, client.by_title(title), refresh, result)
                done += 1
            report(done, len(papers), "")
        except Cancelled:
            result.cancelled = True
        except LookupUnavailable as exc:
            result.error = str(exc)
        result.requests = client.requests
        return result

    def _papers(self, ids: Sequence[int]) -> dict[int, tuple[str, str | None]]:
        found: dict[int, tuple[str, str | None]] = {}
        with self._store.read() as conn:
            for chunk in chunks(storable(ids)):
                for pid, title, arxiv in conn.execute(select(
                        papers_t.c.id, papers_t.c.title, papers_t.c.arxiv_id)
                        .where(papers_t.c.id.in_(chunk))):
                    found[pid] = (title, arxiv)
        return {pid: found[pid] for pid in dict.fromkeys(ids) if pid in found}

    def _apply(self, paper_id: int, answers: list[Reference], refresh: bool,
               result: LookupResult) -> None:
        if not answers:
            result.not_found.append(paper_id)
            return
        if len(answers) > 1:
            result.ambiguous.append(paper_id)
            return
        with self._store.edit() as conn:
            filled = metadata.fill(conn, paper_id, answers[0].metadata, ARXIV, refresh=refresh)
            if {"authors", "year"} & set(filled.fields):
                citekeys.follow_metadata(conn, [paper_id])
            if filled.fields:
                self._store.queue(conn, [paper_id])
        (result.filled if filled.fields else result.unchanged).append(paper_id)
        result.conflicts += [f"#{paper_id}: {c}" for c in filled.conflicts]
