"""What an export holds: papers by id, a view (a tag, a status, a digest), a
search, every paper, or the papers a LaTeX document cites — and how it is
written (BibTeX or BibLaTeX, the digest's date in a note or not). Kept as
JSON for automatic exports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from readinglist.core.bibtex.entries import FLAVOURS, EntryOptions
from readinglist.core.errors import InvalidInput
from readinglist.core.storage.filter import Filter


@dataclass(frozen=True)
class Scope:
    ids: tuple[int, ...] | None = None
    tag: str | None = None
    status: str | None = None
    digest: int | None = None
    since: str | None = None
    until: str | None = None
    min_seen: int | None = None  # Trending: seen in this many digests at least
    batch: int | None = None  # the papers one import added
    query: str | None = None
    aux: str | None = None  # a document's .aux or .bcf: the papers it cites, in its order

    @classmethod
    def of(cls, view: Filter | None = None, query: str | None = None,
           ids: Sequence[int] | None = None) -> Scope:
        """The scope of a view of the window (searched or not), or of chosen papers."""
        view = view or Filter()
        return cls(ids=tuple(ids) if ids is not None else None, tag=view.tag,
                   status=view.status, digest=view.digest, since=_date(view.since),
                   until=_date(view.until), min_seen=view.min_seen, batch=view.batch,
                   query=(query or "").strip() or None)

    def view(self) -> Filter:
        return Filter(status=self.status, tag=self.tag, digest=self.digest, since=self.since,
                      until=self.until, min_seen=self.min_seen, batch=self.batch)

    @property
    def everything(self) -> bool:
        return self == Scope()

    def describe(self) -> str:
        """"tag “robots”", "the papers paper.aux cites", "every paper"."""
        if self.aux:
            return f"the papers {Path(self.aux).name} cites"
        if self.ids is not None:
            return f"{len(self.ids)} chosen paper{'s' if len(self.ids) != 1 else ''}"
        parts = []
        if self.tag:
            parts.append(f"tag “{self.tag}”")
        if self.status:
            parts.append(f"{self.status} papers")
        if self.digest is not None:
            parts.append(f"digest {self.digest}")
        if self.since or self.until:
            parts.append(f"seen {self.since or '…'} to {self.until or '…'}")
        if self.min_seen:
            parts.append(f"seen in {self.min_seen} digests or more")
        if self.batch is not None:
            parts.append("the papers of one import")
        if self.query:
            parts.append(f"search “{self.query}”")
        return ", ".join(parts) or "every paper"

    def to_json(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()
                if v is not None}

    @classmethod
    def from_json(cls, value: dict) -> Scope:
        known = {k: value[k] for k in cls.__dataclass_fields__ if k in value}
        if known.get("ids") is not None:
            known["ids"] = tuple(int(i) for i in known["ids"])
        return cls(**known)


def _date(value) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else value


@dataclass(frozen=True)
class Format:
    flavour: str = "bibtex"
    digest_date: bool = False  # the first digest's date in a note / addendum

    def __post_init__(self) -> None:
        if self.flavour not in FLAVOURS:
            raise InvalidInput(f"unknown format {self.flavour!r} (use {' or '.join(FLAVOURS)})")

    def entry_options(self) -> EntryOptions:
        return EntryOptions(self.flavour, digest_date=self.digest_date)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, value: dict) -> Format:
        return cls(str(value.get("flavour", "bibtex")), bool(value.get("digest_date", False)))
