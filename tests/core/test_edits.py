"""Tags, notes and read status."""

from __future__ import annotations

import pytest

from readinglist.core.errors import InvalidInput, NotFound
from readinglist.core.library import Filter


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
