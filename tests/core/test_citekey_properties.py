"""Keys that stay put, as a property: whatever sequence of imports, lookups,
edits, undos, deletes, exports and re-keys a person makes, a key that left the
library (pinned) never changes but by an explicit re-key, and a key a paper
held once it was pinned or retired never goes to another paper.

A paper is known by its title here (each title is one paper, however many
times it is deleted and imported again), so an undelete that lands on a new id
is still the same paper."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import select

from readinglist.core.errors import InvalidInput
from readinglist.core.exports.scope import Scope
from readinglist.core.library import Library
from readinglist.core.sources.references import Metadata, Name, Reference, match_key
from readinglist.core.storage.sql import papers_t

# Titles that share first words and authors that share names, so keys collide
# and need their a/b/c suffixes.
TITLES = ["Learning to Grasp Anything", "Learning to Walk Again", "Learning Robots at Scale",
          "Scaling Laws for Pruning", "Scaling Data Pruning Further", "Attention in Robots"]
FAMILIES = ["Smith", "Lee", "Garcia"]
ABSTRACT = "We study {} and report what we found in several careful experiments."

title_index = st.integers(0, len(TITLES) - 1)
years = st.sampled_from([None, 2023, 2024])
authors = st.lists(st.sampled_from(FAMILIES), min_size=0, max_size=2)


def digest(titles: list[str]) -> str:
    papers = "\n\n".join(f"{t}\n\n{ABSTRACT.format(t.lower())}" for t in titles)
    return f"Daily Papers\n\nApr 2\n\n{papers}\n"


def bib(title: str, families: list[str], year: int | None) -> str:
    fields = [f"  title = {{{title}}}"]
    if families:
        fields.append("  author = {" + " and ".join(f"{f}, Ann" for f in families) + "}")
    if year:
        fields.append(f"  year = {{{year}}}")
    return "@article{x,\n" + ",\n".join(fields) + "\n}\n"


class FakeArxiv:
    """Stands in for the service: answers a title with the metadata it is given."""

    requests = 0

    def __init__(self, title: str, families: list[str], year: int | None):
        self._answer = Reference(title, Metadata(
            authors=tuple(Name(f, "Bo") for f in families), year=year))

    def by_ids(self, ids):
        return {}

    def by_title(self, title):
        return [self._answer] if match_key(title) == match_key(self._answer.title) else []


class Keys(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._tmp = tempfile.TemporaryDirectory()
        self.folder = Path(self._tmp.name)
        self.library = Library.open(self.folder / "lib")
        self.files = 0
        self.pinned: dict[str, str] = {}  # title → its pinned key (what left the library)
        self.held: dict[str, str] = {}  # a pinned or retired key → the title that owns it
        self.rekeyed: set[str] = set()  # titles re-keyed by hand in this step
        self.seen: dict[str, str] = {}  # every key seen so far → the title that had it

    def teardown(self):
        self.library.close()
        self._tmp.cleanup()

    # -- what the library says ---------------------------------------------------------------
    def papers(self) -> dict[str, tuple[int, str, bool]]:
        with self.library.store.read() as conn:
            rows = conn.execute(select(papers_t.c.title, papers_t.c.id, papers_t.c.citekey,
                                       papers_t.c.citekey_pinned)).all()
        return {title: (pid, key, bool(pinned)) for title, pid, key, pinned in rows}

    def id_of(self, index: int) -> int | None:
        found = self.papers().get(TITLES[index])
        return found[0] if found else None

    def write(self, suffix: str, text: str) -> Path:
        self.files += 1
        path = self.folder / f"f{self.files}{suffix}"
        path.write_text(text, encoding="utf-8")
        return path

    # -- what a person does --------------------------------------------------------------------
    @rule(chosen=st.lists(title_index, min_size=1, max_size=4, unique=True))
    def import_digest(self, chosen):
        self.library.import_files([self.write(".txt", digest([TITLES[i] for i in chosen]))])

    @rule(index=title_index, families=authors, year=years)
    def import_bibliography(self, index, families, year):
        self.library.import_files([self.write(".bib", bib(TITLES[index], families, year))])

    @rule(index=title_index, families=authors, year=years)
    def look_up(self, index, families, year):
        paper = self.id_of(index)
        if paper is not None:
            self.library.lookup.run([paper], client=FakeArxiv(TITLES[index], families, year))

    @rule(index=title_index, families=authors, year=years)
    def edit_details(self, index, families, year):
        paper = self.id_of(index)
        if paper is not None:
            self.library.edit.set_details(paper, {"authors": [Name(f, "Cy") for f in families],
                                                  "year": year})

    @rule(chosen=st.lists(title_index, min_size=1, max_size=3, unique=True))
    def export(self, chosen):
        ids = [i for i in (self.id_of(c) for c in chosen) if i is not None]
        if ids:
            self.library.export.write_scope(self.folder / "refs.bib", Scope(ids=tuple(ids)))

    @rule(index=title_index)
    def delete(self, index):
        paper = self.id_of(index)
        if paper is not None:
            self.library.edit.delete([paper])

    @rule(index=title_index, word=st.sampled_from(["mine", "smith2024learning", "lee2023scaling"]))
    def rekey_by_hand(self, index, word):
        paper = self.id_of(index)
        if paper is None:
            return
        try:
            self.library.edit.set_citekey(paper, word)
        except InvalidInput:
            return  # another paper holds it, or it is retired: refused, nothing changed
        self.rekeyed.add(TITLES[index])

    @rule(index=title_index)
    def regenerate(self, index):
        paper = self.id_of(index)
        if paper is not None:
            self.library.edit.regenerate_citekey(paper)
            self.rekeyed.add(TITLES[index])

    @rule()
    def undo(self):
        result = self.library.undo()
        if result is not None and "Key" in result.label:
            self.rekeyed.update(TITLES)  # undoing a re-key is a re-key

    @rule()
    def redo(self):
        result = self.library.redo()
        if result is not None and "Key" in result.label:
            self.rekeyed.update(TITLES)

    # -- what must always hold -----------------------------------------------------------------
    @invariant()
    def pinned_keys_stay_and_held_keys_are_never_given_away(self):
        papers = self.papers()
        for title, (_pid, key, _pinned) in papers.items():
            if title in self.pinned and title not in self.rekeyed:
                assert key == self.pinned[title], f"{title!r}: pinned key changed"
            owner = self.held.get(key)
            assert owner in (None, title), f"{key!r} of {owner!r} was given to {title!r}"
        with self.library.store.read() as conn:
            keys = conn.execute(select(papers_t.c.title, papers_t.c.citekey)).all()
            gone = conn.exec_driver_sql(
                "SELECT r.key, p.title FROM citekey_retired r "
                "LEFT JOIN paper p ON p.id = r.paper_id").all()
        for key, title in gone:  # a deleted paper's key is known by what was seen
            owner = title if title is not None else self.seen.get(key)
            if owner is not None:
                self.held.setdefault(key, owner)
        for title, key in keys:
            self.seen[key] = title
            if papers[title][2]:
                self.pinned[title] = key
                self.held.setdefault(key, title)
        self.rekeyed.clear()


# KEY_EXAMPLES=400 for a longer search (two minutes); 40 runs in the suite.
Keys.TestCase.settings = settings(max_examples=int(os.environ.get("KEY_EXAMPLES", "40")),
                                  stateful_step_count=25, deadline=None,
                                  suppress_health_check=[HealthCheck.too_slow])
test_keys_stay_put = Keys.TestCase
