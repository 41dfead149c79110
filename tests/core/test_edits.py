"""Tags, notes and read status."""

from __future__ import annotations

import pytest

from readinglist.core.db import CODE_HOSTS
from readinglist.core.errors import InvalidInput, NotFound
from readinglist.core.library import Filter
from readinglist.core.queries import DESCENDING_SORTS


def tag_counts(library):
    return {t.name: t.count for t in library.tags()}


def test_add_and_remove_tags_on_many_papers(filled):
    filled.add_tags([1, 2, 3], ["robots", "to read first"])
    assert tag_counts(filled) == {"robots": 3, "to read first": 3}
    assert filled.paper(2).tags == ("robots", "to read first")
    filled.remove_tags([1, 2], ["robots"])
    assert tag_counts(filled) == {"robots": 1, "to read first": 3}
    filled.add_tags([1, 2, 3], ["robots"])  # adding twice is harmless
    assert tag_counts(filled)["robots"] == 3
    filled.remove_tags([1, 2, 3], ["robots", "never-there"])
    assert tag_counts(filled) == {"to read first": 3}  # an unused tag goes away


def test_tags_are_case_insensitive_trimmed_and_keep_first_spelling(filled):
    filled.add_tags([1], ["  Reinforcement   Learning "])
    filled.add_tags([2], ["reinforcement learning"])
    assert tag_counts(filled) == {"Reinforcement Learning": 2}
    assert {p.id for p in filled.list_papers(Filter(tag="REINFORCEMENT LEARNING"))} == {1, 2}


@pytest.mark.parametrize("bad", ["", "   ", "a,b", ",", "x" * 101])
def test_invalid_tags_are_refused(filled, bad):
    with pytest.raises(InvalidInput):
        filled.add_tags([1], [bad])
    assert filled.tags() == []


def test_rename_and_merge_tags(filled):
    filled.add_tags([1, 2], ["rl"])
    filled.add_tags([2, 3], ["RL & planning"])
    filled.rename_tag("rl", "Reinforcement learning")
    assert tag_counts(filled) == {"Reinforcement learning": 2, "RL & planning": 2}
    filled.rename_tag("rl & PLANNING", "reinforcement LEARNING")  # onto an existing tag: merge
    assert tag_counts(filled) == {"Reinforcement learning": 3}
    assert filled.paper(2).tags == ("Reinforcement learning",)
    filled.rename_tag("reinforcement learning", "Reinforcement Learning")  # change of case only
    assert tag_counts(filled) == {"Reinforcement Learning": 3}
    with pytest.raises(NotFound):
        filled.rename_tag("nope", "x")


def test_delete_tag(filled):
    filled.add_tags([1, 2], ["old"])
    filled.delete_tag("OLD")
    assert filled.tags() == []
    assert filled.paper(1).tags == ()


def test_notes_set_and_clear(filled):
    filled.set_note(4, "Line one\nLine two with ünïcode & {braces}")
    assert filled.paper(4).note == "Line one\nLine two with ünïcode & {braces}"
    assert filled.stats().notes == 1
    filled.set_note(4, "   \n ")
    assert filled.paper(4).note == ""
    assert filled.stats().notes == 0


def test_status_on_many_papers_with_the_time_it_was_set(filled):
    assert filled.paper(1).status == "unread" and filled.paper(1).status_changed is None
    filled.set_status([1, 2, 5], "read")
    filled.set_status([3], "skimmed")
    stats = filled.stats()
    assert (stats.unread, stats.skimmed, stats.read) == (4, 1, 3)
    assert filled.paper(1).status_changed is not None
    assert {p.id for p in filled.list_papers(Filter(status="read"))} == {1, 2, 5}
    with pytest.raises(InvalidInput):
        filled.set_status([1], "done")


def test_unknown_ids_change_nothing(filled):
    with pytest.raises(NotFound, match="99"):
        filled.set_status([1, 99], "read")
    assert filled.paper(1).status == "unread"
    with pytest.raises(NotFound):
        filled.add_tags([1, 99], ["x"])
    assert filled.tags() == []
    with pytest.raises(NotFound):
        filled.set_note(99, "x")
    with pytest.raises(NotFound):
        filled.paper(99)


def test_delete_papers_removes_their_rows(filled):
    filled.add_tags([1], ["gone-with-it"])
    filled.delete_papers([1])
    stats = filled.stats()
    assert stats.papers == 7 and stats.tags == 0
    assert 1 not in filled.paper_ids()
    assert filled.index_ids() == set(filled.paper_ids())


def test_sorting_in_sql(filled):
    by_title = [p.title.lower() for p in filled.list_papers(sort="title", limit=None)]
    assert by_title == sorted(by_title)
    seen = [p.times_seen for p in filled.list_papers(sort="times_seen", limit=None)]
    assert seen == sorted(seen, reverse=True)
    with pytest.raises(InvalidInput):
        filled.paper_ids(sort="colour")
    page = filled.list_papers(sort="title", limit=3, offset=3)
    assert [p.title.lower() for p in page] == by_title[3:6]


def test_new_in_last_import_view(library):
    from tests.conftest import DIGESTS

    library.import_files(DIGESTS[:2])
    first_batch = library.last_import_batch()
    assert len(library.paper_ids(Filter(batch=first_batch))) == 6
    library.import_files([DIGESTS[2]])
    last = library.last_import_batch()
    assert last != first_batch
    new = library.list_papers(Filter(batch=last), limit=None)
    assert {p.title for p in new} == {
        "Scaling Laws for Data Pruning in Vision Transformers",
        "LoRA-Drop: Parameter-Efficient Fine-Tuning by Pruning Adapters",
    }
    assert set(library.search_ids("pruning", Filter(batch=last))) == {p.id for p in new}
    library.import_files([DIGESTS[2]])  # nothing new: the last batch stays the last one
    assert library.last_import_batch() == last


def test_sort_by_status_tags_code_and_within_a_subset(filled):
    filled.set_status([1], "read")
    filled.set_status([2], "skimmed")
    by_status = filled.paper_ids(sort="status")
    assert by_status[-2:] == [2, 1]
    filled.add_tags([4], ["alpha"])
    filled.add_tags([5], ["beta"])
    assert filled.paper_ids(sort="tags", descending=True)[:2] == [5, 4]
    with_code = {p.id for p in filled.list_papers(limit=None)
                 if any("github.com" in link for link in p.links)}
    assert len(with_code) == 3
    assert set(filled.paper_ids(sort="code")[:3]) == with_code
    assert filled.paper_ids(sort="title", within=[7, 3, 5]) == [5, 3, 7]


def _expected_order(library, sort, view=None):
    """Every sort, computed in Python from the papers themselves."""
    papers = library.list_papers(view, limit=None)
    keys = {
        "status": lambda p: (("unread", "skimmed", "read").index(p.status), p.id),
        "tags": lambda p: (bool(p.tags), min((t.casefold() for t in p.tags), default=""), p.id),
        "code": lambda p: (any(h in link for link in p.links for h in CODE_HOSTS), p.id),
        "title": lambda p: (p.title.lower(), p.id),
        "times_seen": lambda p: (p.times_seen, p.id),
    }
    return [p.id for p in sorted(papers, key=keys[sort], reverse=sort in DESCENDING_SORTS)]


def test_every_sort_follows_tag_renames_merges_deletes_and_undo(filled):
    filled.set_status([1, 6], "read")
    filled.set_status([2], "skimmed")
    steps = [
        lambda: filled.add_tags([1, 2, 3], ["Zeta"]),
        lambda: filled.add_tags([2, 4], ["alpha"]),
        lambda: filled.remove_tags([2], ["alpha"]),
        lambda: filled.rename_tag("Zeta", "beta"),     # a rename moves papers 1 and 3
        lambda: filled.rename_tag("alpha", "beta"),    # a merge
        lambda: filled.add_tags([5], ["Gamma"]),
        lambda: filled.delete_tag("beta"),
        lambda: filled.restore_papers(filled.delete_papers([5])),
    ]
    for step in steps:
        step()
        for sort in ("status", "tags", "code", "title", "times_seen"):
            for view in (None, Filter(status="read"), Filter(min_seen=1)):
                assert filled.paper_ids(view, sort=sort) == _expected_order(filled, sort, view), (
                    sort, view)
    assert filled.paper_ids(sort="tags", descending=True)[0] == 5  # "gamma" is the only tag


def test_deleted_papers_are_restored_whole(filled):
    filled.add_tags([3, 4], ["keep me"])
    filled.set_note(3, "restored note")
    filled.set_status([3], "read")
    before = filled.get_papers([3, 4])
    apps = filled.appearances(3)
    snapshot = filled.delete_papers([3, 4])
    assert len(snapshot) == 2 and filled.stats().papers == 6
    assert filled.tags() == []
    filled.restore_papers(snapshot)
    assert filled.get_papers([3, 4]) == before
    assert filled.appearances(3) == apps
    assert {t.name: t.count for t in filled.tags()} == {"keep me": 2}
    assert [h.id for h in filled.search("note:restored")] == [3]
    assert filled.index_ids() == set(filled.paper_ids())


def test_match_spans_follow_stemming_phrases_and_prefixes(filled):
    text = "Routing experts: the router routes tokens; pruning and pruned adapters."
    spans = filled.match_spans("route", text)
    assert [text[a:b] for a, b in spans] == ["routes"] or [text[a:b] for a, b in spans] == [
        "Routing", "routes"]
    # words of a phrase are highlighted wherever their stem occurs
    assert [text[a:b] for a, b in filled.match_spans('"pruned adapters"', text)] == [
        "pruning", "pruned", "adapters"]
    assert [text[a:b] for a, b in filled.match_spans("prun*", text)] == ["pruning", "pruned"]
    assert filled.match_spans("", text) == []
    assert [text[a:b] for a, b in filled.match_spans("tag:routes", text)] == []
