"""What an edit changed, so that a window can show it without reading the
whole library again — as Anki's operations hand back their ``OpChanges``.

An `Effect` names the papers an edit (or an undo, a redo) touched, how it
moved the counts a sidebar shows (unread, skimmed, read, not interested; the
unread papers of each digest), whether tags or searchable text changed, and
the library's change counter before and after it. The counts are measured,
not inferred: the touched papers are counted before and after the change in
its own transaction, so a compare-and-set that skipped a paper moves nothing.

A window that last saw generation ``g`` and gets an effect that starts at
``g`` knows nothing else happened in between; otherwise (another process
wrote, or the effect is ``reshaped``: papers came or went, a tag was renamed)
it reads everything again.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Connection, func, select

from readinglist.core.storage.sql import (
    appearances_t,
    chunks,
    database_generation,
    papers_t,
)

# Kinds of change whose papers are known beforehand and whose rows stay rows.
_IN_PLACE = {"status", "dismiss", "note", "citekey", "tag", "meta"}
_TEXT = {"note", "tag", "meta", "rename_tag"}  # what the search index reads changes


@dataclass(frozen=True)
class Effect:
    """What one or more edits changed (see the module's text)."""

    papers: frozenset[int] = frozenset()
    counts: Mapping[str, int] = field(default_factory=dict)  # "unread": -1, "read": +1 …
    digests: Mapping[int, int] = field(default_factory=dict)  # digest id: unread moved
    tags: bool = False  # a tag gained or lost papers, or was renamed or deleted
    text: bool = False  # something a search reads (a note, tags, details) changed
    reshaped: bool = False  # papers came or went: read everything again
    generation: tuple[int, int] = (0, 0)  # the library's change counter before and after

    def then(self, later: Effect) -> Effect:
        """This effect followed by ``later`` (one edit made of several)."""
        counts, digests = Counter(self.counts), Counter(self.digests)
        counts.update(later.counts)
        digests.update(later.digests)
        return Effect(
            self.papers | later.papers,
            {k: v for k, v in counts.items() if v},
            {k: v for k, v in digests.items() if v},
            self.tags or later.tags,
            self.text or later.text,
            # a gap between the two: something else was written in between
            self.reshaped or later.reshaped or later.generation[0] != self.generation[1],
            (self.generation[0], later.generation[1]),
        )


def touched(step_changes: Iterable[dict]) -> tuple[set[int], bool]:
    """The papers these changes touch, and whether a window must read everything
    again after them (papers deleted or brought back, a tag renamed)."""
    papers: set[int] = set()
    reshaped = False
    for change in step_changes:
        kind = change["kind"]
        if kind not in _IN_PLACE:
            reshaped = True
        elif kind in ("status", "dismiss"):
            papers.update(int(i) for i in change["from"])
        elif kind == "tag":
            papers.update(change["added"])
            papers.update(change["removed"])
        else:
            papers.add(int(change["paper"]))
    return papers, reshaped


@dataclass
class _Counted:
    counts: Counter
    digests: Counter


def _count(conn: Connection, ids: Sequence[int]) -> _Counted:
    """The sidebar's counts over ``ids`` only (as the sidebar counts the library)."""
    counts: Counter = Counter()
    digests: Counter = Counter()
    for chunk in chunks(sorted(ids)):
        rows = conn.execute(
            select(papers_t.c.status, papers_t.c.dismissed.is_not(None), func.count())
            .where(papers_t.c.id.in_(chunk))
            .group_by(papers_t.c.status, papers_t.c.dismissed.is_not(None)))
        for status, dismissed, count in rows:
            counts[status] += count
            if dismissed:
                counts["dismissed"] += count
        rows = conn.execute(
            select(appearances_t.c.digest_id, func.count())
            .join(papers_t, papers_t.c.id == appearances_t.c.paper_id)
            .where(papers_t.c.id.in_(chunk), papers_t.c.status == "unread")
            .group_by(appearances_t.c.digest_id))
        digests.update(dict(rows.all()))
    return _Counted(counts, digests)


class Measure:
    """Counts a change's papers before and after it, in its transaction."""

    def __init__(self, conn: Connection, step_changes: Sequence[dict]):
        self._conn = conn
        self._papers, self._reshaped = touched(step_changes)
        self._kinds = {c["kind"] for c in step_changes}
        self._generation = database_generation(conn)
        self._before = _count(conn, self._papers) if not self._reshaped else None

    def effect(self) -> Effect:
        """Call once the changes are applied and queued for the index."""
        generation = (self._generation, database_generation(self._conn))
        tags = bool(self._kinds & {"tag", "rename_tag"}) or self._reshaped
        text = bool(self._kinds & _TEXT) or self._reshaped
        if self._before is None:
            return Effect(frozenset(self._papers), tags=tags, text=text, reshaped=True,
                          generation=generation)
        after = _count(self._conn, self._papers)
        counts, digests = after.counts, after.digests
        counts.subtract(self._before.counts)
        digests.subtract(self._before.digests)
        return Effect(frozenset(self._papers), {k: v for k, v in counts.items() if v},
                      {k: v for k, v in digests.items() if v}, tags, text, False, generation)


class EffectLog:
    """Hands the effects of the edits a thread makes to whoever asked for them
    (`collecting`); edits made outside ``collecting`` are not kept."""

    def __init__(self) -> None:
        self._local = threading.local()

    @contextmanager
    def collecting(self) -> Iterator[list[Effect]]:
        """``with log.collecting() as effects:`` — every edit this thread makes
        inside adds its effect to ``effects``, in order."""
        outer = getattr(self._local, "effects", None)
        effects: list[Effect] = []
        self._local.effects = effects
        try:
            yield effects
        finally:
            self._local.effects = outer

    def add(self, effect: Effect) -> None:
        effects = getattr(self._local, "effects", None)
        if effects is not None:
            effects.append(effect)


def combined(effects: Sequence[Effect]) -> Effect | None:
    """The effects of one piece of work as one (None: it edited nothing)."""
    if not effects:
        return None
    total = effects[0]
    for later in effects[1:]:
        total = total.then(later)
    return total
