"""The library's tables (SQLModel over SQLite).

Dates of digests are stored as ISO ``YYYY-MM-DD`` text and times as ISO UTC
text, so that the file stays readable by any SQLite tool and sorts correctly.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel


class Meta(SQLModel, table=True):
    """Small key/value facts about the library (index generation, …)."""

    key: str = Field(primary_key=True)
    value: str = ""


class Paper(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str
    title_key: str = Field(unique=True)
    abstract: str = ""
    links: str = "[]"  # JSON list of http(s) URLs found in the abstract
    first_seen: str = Field(index=True)
    last_seen: str = Field(index=True)
    times_seen: int = Field(default=0, index=True)
    status: str = Field(default="unread", index=True)
    status_changed: str | None = None
    note: str = ""
    created: str
    updated: str
    # Given once, never changed by the app (unique case-insensitively: see schema.py).
    citekey: str | None = None
    import_batch: int | None = Field(default=None, index=True)  # the import that added it
    # The first of its tag keys, for the tags sort; kept by triggers (schema.py).
    tag_sort: str | None = Field(default=None, index=True)
    # 1 if a link is a code link (links.has_code), for the code sort.
    has_code: int = Field(default=0, index=True, sa_column_kwargs={"server_default": "0"})
    # 1 once the key has left the library (exported, copied, set by hand): it
    # never changes again. An unpinned key follows the authors and year.
    citekey_pinned: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # When the person said "not interested" (X), or NULL: such a paper leaves
    # For you and every tag's suggestions, and teaches them what not to offer.
    dismissed: str | None = Field(default=None, index=True)
    # -- what a reference says of the paper (storage/metadata.py); NULL: not known
    authors: str = Field(default="[]", sa_column_kwargs={"server_default": "[]"})  # JSON names
    author_sort: str | None = Field(default=None, index=True)  # "vinyals oriol", for the sort
    year: int | None = Field(default=None, index=True)
    month: int | None = None
    pub_date: str | None = None  # ISO, when the day is known
    entry_type: str | None = None
    venue: str | None = None
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    publisher: str | None = None
    doi: str | None = Field(default=None, index=True)
    arxiv_id: str | None = Field(default=None, index=True)
    arxiv_version: int | None = None
    arxiv_category: str | None = None
    url: str | None = None
    pdf_url: str | None = None
    # {field: where its value came from}: "digest", "file:NAME", "arxiv", "hand"
    meta_sources: str = Field(default="{}", sa_column_kwargs={"server_default": "{}"})
    # the title as any source may spell it (sources/references.match_key)
    title_match: str | None = Field(default=None, index=True)


class Tag(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
    name_key: str = Field(unique=True)  # casefolded name: tags are case-insensitive


class PaperTag(SQLModel, table=True):
    __tablename__ = "paper_tag"
    __table_args__ = (Index("ix_paper_tag_tag", "tag_id"),)

    paper_id: int = Field(
        sa_column=Column(Integer, ForeignKey("paper.id", ondelete="CASCADE"), primary_key=True)
    )
    tag_id: int = Field(
        sa_column=Column(Integer, ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True)
    )


class Digest(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    file_name: str
    fingerprint: str = Field(unique=True)
    digest_date: str = Field(index=True)
    imported_at: str
    entry_count: int


class Appearance(SQLModel, table=True):
    __table_args__ = (Index("ix_appearance_digest", "digest_id"),)

    paper_id: int = Field(
        sa_column=Column(Integer, ForeignKey("paper.id", ondelete="CASCADE"), primary_key=True)
    )
    digest_id: int = Field(
        sa_column=Column(Integer, ForeignKey("digest.id", ondelete="CASCADE"), primary_key=True)
    )
    position: int  # 1-based place of the paper in the digest


class RetiredCitekey(SQLModel, table=True):
    """Keys given up (a deleted paper's, a re-keyed paper's old one): never
    handed to another paper, so that an old citation never silently points at
    the wrong one, and still finding the paper that gave them up."""

    __tablename__ = "citekey_retired"

    key: str = Field(primary_key=True)
    # The paper that gave it up while it is here; after it is deleted, its title
    # key alone (SQLite gives a deleted paper's id to the next one imported).
    paper_id: int | None = None
    title_key: str | None = None


class IndexQueue(SQLModel, table=True):
    """Papers changed since the search index last caught up (see core/index/keeper.py)."""

    __tablename__ = "index_queue"

    generation: int = Field(primary_key=True)
    paper_id: int = Field(primary_key=True)


class HistoryStep(SQLModel, table=True):
    """One user edit and how to reverse it: the undo / redo history (history.py).

    ``changes`` is a JSON list of the changes the edit made, each with its
    value before and after, so that undo and redo can check that nobody
    changed the same thing since.
    """

    __tablename__ = "history_step"

    id: int | None = Field(default=None, primary_key=True)
    label: str
    changes: str  # JSON
    undone: int = Field(default=0, index=True)  # 1 while on the redo side
    created: str
