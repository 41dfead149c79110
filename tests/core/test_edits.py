"""Tags, notes and read status."""

from __future__ import annotations

import pytest

from readinglist.core.errors import InvalidInput, NotFound
from readinglist.core.library import Filter
from readinglist.core.sources.links import has_code
from readinglist.core.storage.view_sql import DESCENDING_SORTS


def tag_counts(library):
    return {t.name: t.count for t in library.tags.counts()}


def test_add_and_remove_tags_on_many_papers(filled):
    filled.tags.add([1, 2, 3], ["robots", "to read first"])
    assert tag_counts(filled) == {"robots": 3, "to read first": 3}
    assert filled.papers.get(2).tags == ("robots", "to read first")
    filled.tags.remove([1, 2], ["robots"])
    assert tag_counts(filled) == {"robots": 1, "to read first": 3}
    filled.tags.add([1, 2, 3], ["robots"])  # adding twice is harmless
    assert tag_counts(filled)["robots"] == 3
    filled.tags.remove([1, 2, 3], ["robots", "never-there"])
    assert tag_counts(filled) == {"to read first": 3}  # an unused tag goes away


def test_tags_are_case_insensitive_trimmed_and_keep_first_spelling(filled):
    filled.tags.add([1], ["  Reinforcement   Learning "])
    filled.tags.add([2], ["reinforcement learning"])
    assert tag_counts(filled) == {"Reinforcement Learning": 2}
    assert {p.id for p in filled.papers.list(Filter(tag="REINFORCEMENT LEARNING"))} == {1, 2}


@pytest.mark.parametrize("bad", ["", "   ", "a,b", ",", "x" * 101])
def test_invalid_tags_are_refused(filled, bad):
    with pytest.raises(InvalidInput):
        filled.tags.add([1], [bad])
    assert filled.tags.counts() == []


def test_rename_and_merge_tags(filled):
    filled.tags.add([1, 2], ["rl"])
    filled.tags.add([2, 3], ["RL & planning"])
    filled.tags.rename("rl", "Reinforcement learning")
    assert tag_counts(filled) == {"Reinforcement learning": 2, "RL & planning": 2}
    filled.tags.rename("rl & PLANNING", "reinforcement LEARNING")  # onto an existing tag: merge
    assert tag_counts(filled) == {"Reinforcement learning": 3}
    assert filled.papers.get(2).tags == ("Reinforcement learning",)
    filled.tags.rename("reinforcement learning", "Reinforcement Learning")  # change of case only
    assert tag_counts(filled) == {"Reinforcement Learning": 3}
    with pytest.raises(NotFound):
        filled.tags.rename("nope", "x")


def test_delete_tag(filled):
    filled.tags.add([1, 2], ["old"])
    filled.tags.delete("OLD")
    assert filled.tags.counts() == []
    assert filled.papers.get(1).tags == ()


def test_notes_set_and_clear(filled):
    filled.edit.set_note(4, "Line one\nLine two with ünïcode & {braces}")
    assert filled.papers.get(4).note == "Line one\nLine two with ünïcode & {braces}"
    assert filled.papers.stats().notes == 1
    filled.edit.set_note(4, "   \n ")
    assert filled.papers.get(4).note == ""
    assert filled.papers.stats().notes == 0


def test_status_on_many_papers_with_the_time_it_was_set(filled):
    assert filled.papers.get(1).status == "unread" and filled.papers.get(1).status_changed is None
    filled.edit.set_status([1, 2, 5], "read")
    filled.edit.set_status([3], "skimmed")
    stats = filled.papers.stats()
    assert (stats.unread, stats.skimmed, stats.read) == (4, 1, 3)
    assert filled.papers.get(1).status_changed is not None
    assert {p.id for p in filled.papers.list(Filter(status="read"))} == {1, 2, 5}
    with pytest.raises(InvalidInput):
        filled.edit.set_status([1], "done")


def test_unknown_ids_change_nothing(filled):
    with pytest.raises(NotFound, match="99"):
        filled.edit.set_status([1, 99], "read")
    assert filled.papers.get(1).status == "unread"
    with pytest.raises(NotFound):
        filled.tags.add([1, 99], ["x"])
    assert filled.tags.counts() == []
    with pytest.raises(NotFound):
        filled.edit.set_note(99, "x")
    with pytest.raises(NotFound):
        filled.papers.get(99)


def test_delete_papers_removes_their_rows(filled):
    filled.tags.add([1], ["gone-with-it"])
    filled.edit.delete([1])
    stats = filled.papers.stats()
    assert stats.papers == 7 and stats.tags == 0
    assert 1 not in filled.papers.ids()
    assert filled.search.index_ids() == set(filled.papers.ids())


def test_sorting_in_sql(filled):
    by_title = [p.title.lower() for p in filled.papers.list(sort="title", limit=None)]
    assert by_title == sorted(by_title)
    seen = [p.times_seen for p in filled.papers.list(sort="times_seen", limit=None)]
    assert seen == sorted(seen, reverse=True)
    with pytest.raises(InvalidInput):
        filled.papers.ids(sort="colour")
    page = filled.papers.list(sort="title", limit=3, offset=3)
    assert [p.title.lower() for p in page] == by_title[3:6]


def test_new_in_last_import_view(library):
    from tests.conftest import DIGESTS

    library.import_files(DIGESTS[:2])
    first_batch = library.papers.last_import_batch()
    assert len(library.papers.ids(Filter(batch=first_batch))) == 6
    library.import_files([DIGESTS[2]])
    last = library.papers.last_import_batch()
    assert last != first_batch
    new = library.papers.list(Filter(batch=last), limit=None)
    assert {p.title for p in new} == {
        "Scaling Laws for Data Pruning in Vision Transformers",
        "LoRA-Drop: Parameter-Efficient Fine-Tuning by Pruning Adapters",
    }
    assert set(library.search.ids("pruning", Filter(batch=last))) == {p.id for p in new}
    library.import_files([DIGESTS[2]])  # nothing new: the last batch stays the last one
    assert library.papers.last_import_batch() == last


def test_sort_by_status_tags_code_and_within_a_subset(filled):
    filled.edit.set_status([1], "read")
    filled.edit.set_status([2], "skimmed")
    by_status = filled.papers.ids(sort="status")
    assert by_status[-2:] == [2, 1]
    filled.tags.add([4], ["alpha"])
    filled.tags.add([5], ["beta"])
    assert filled.papers.ids(sort="tags", descending=True)[:2] == [5, 4]
    with_code = {p.id for p in filled.papers.list(limit=None)
                 if any("github.com" in link for link in p.links)}
    assert len(with_code) == 3
    assert set(filled.papers.ids(sort="code")[:3]) == with_code
    assert filled.papers.ids(sort="title", within=[7, 3, 5]) == [5, 3, 7]


def _expected_order(library, sort, view=None):
    """Every sort, computed in Python from the papers themselves."""
    papers = library.papers.list(view, limit=None)
    keys = {
        "status": lambda p: ("unread", "skimmed", "read").index(p.status),
        "tags": lambda p: (bool(p.tags), min((t.casefold() for t in p.tags), default="")),
        "code": lambda p: has_code(p.links),
        "title": lambda p: p.title.lower(),
        "times_seen": lambda p: p.times_seen,
    }
    # Ties keep the import order whichever way the column sorts (a stable sort
    # of the papers in id order).
    by_id = sorted(papers, key=lambda p: p.id)
    return [p.id for p in sorted(by_id, key=keys[sort], reverse=sort in DESCENDING_SORTS)]


def test_every_sort_follows_tag_renames_merges_deletes_and_undo(filled):
    filled.edit.set_status([1, 6], "read")
    filled.edit.set_status([2], "skimmed")
    steps = [
        lambda: filled.tags.add([1, 2, 3], ["Zeta"]),
        lambda: filled.tags.add([2, 4], ["alpha"]),
        lambda: filled.tags.remove([2], ["alpha"]),
        lambda: filled.tags.rename("Zeta", "beta"),     # a rename moves papers 1 and 3
        lambda: filled.tags.rename("alpha", "beta"),    # a merge
        lambda: filled.tags.add([5], ["Gamma"]),
        lambda: filled.tags.delete("beta"),
        lambda: filled.edit.delete([5]),
        filled.undo,
    ]
    for step in steps:
        step()
        for sort in ("status", "tags", "code", "title", "times_seen"):
            for view in (None, Filter(status="read"), Filter(min_seen=1)):
                assert filled.papers.ids(view, sort=sort) == _expected_order(filled, sort, view), (
                    sort, view)
    assert filled.papers.ids(sort="tags", descending=True)[0] == 5  # "gamma" is the only tag


def test_deleted_papers_are_restored_whole(filled):
    filled.tags.add([3, 4], ["keep me"])
    filled.edit.set_note(3, "restored note")
    filled.edit.set_status([3], "read")
    before = filled.papers.get_many([3, 4])
    apps = filled.papers.appearances(3)
    assert filled.edit.delete([3, 4]) == 2 and filled.papers.stats().papers == 6
    assert filled.tags.counts() == []
    assert filled.undo().label == "Delete 2 Papers"
    assert filled.papers.get_many([3, 4]) == before
    assert filled.papers.appearances(3) == apps
    assert {t.name: t.count for t in filled.tags.counts()} == {"keep me": 2}
    assert [h.id for h in filled.search.hits("note:restored")] == [3]
    assert filled.search.index_ids() == set(filled.papers.ids())


def test_match_spans_follow_stemming_phrases_and_prefixes(filled):
    text = "Routing experts: the router routes tokens; pruning and pruned adapters."
    spans = filled.search.spans("route", text)
    assert [text[a:b] for a, b in spans] == ["routes"] or [text[a:b] for a, b in spans] == [
        "Routing", "routes"]
    # words of a phrase are highlighted wherever their stem occurs
    assert [text[a:b] for a, b in filled.search.spans('"pruned adapters"', text)] == [
        "pruning", "pruned", "adapters"]
    assert [text[a:b] for a, b in filled.search.spans("prun*", text)] == ["pruning", "pruned"]
    assert filled.search.spans("", text) == []
    assert [text[a:b] for a, b in filled.search.spans("tag:routes", text)] == []
