"""Not interested (X, `readinglist dismiss`): a paper leaves For you and every
tag's suggestions, counts as a negative that weighs more than a paper left
unread, can be shown again from its own view, and is undoable."""

from __future__ import annotations

import pytest

from readinglist.core.library import Filter, Library
from tests.core.test_suggest import by_topic
from tests.topics import write_topic_digests


@pytest.fixture
def topics(tmp_path):
    library = Library.open(tmp_path / "lib")
    library.import_files(write_topic_digests(tmp_path / "digests"))
    yield library
    library.close()


def test_a_dismissed_paper_leaves_for_you_and_a_tags_suggestions(topics):
    groups = by_topic(topics)
    chess = groups["chess"]
    topics.edit.set_status(chess[:4], "read")
    topics.tags.add(chess[:4], ["games"])
    first = topics.suggest(limit=3).items[0].paper.id
    liked = topics.suggest(tag="games", limit=3).items[0].paper.id
    assert topics.edit.dismiss([first, liked]) == len({first, liked})
    for_you = [s.paper.id for s in topics.suggest(limit=None).items]
    for_tag = [s.paper.id for s in topics.suggest(tag="games", limit=None).items]
    assert first not in for_you and liked not in for_you
    assert first not in for_tag and liked not in for_tag
    assert set(topics.papers.ids(Filter(dismissed=True))) == {first, liked}
    assert topics.papers.get(first).dismissed  # and it is still in the library's lists
    assert first in topics.papers.ids(Filter(status="unread"))


def test_dismissing_is_undone_and_redone_and_leaves_a_paper_changed_since_alone(topics):
    ids = topics.papers.ids(sort="id")[:3]
    topics.edit.dismiss(ids)
    assert topics.history.labels()[0] == "Not Interested (3 Papers)"
    topics.history.undo()
    assert topics.papers.ids(Filter(dismissed=True)) == []
    topics.history.redo()
    assert sorted(topics.papers.ids(Filter(dismissed=True))) == sorted(ids)
    topics.edit.dismiss([ids[0]], dismissed=False)  # shown again by hand since
    topics.edit.dismiss([ids[0]])  # … and dismissed again: a new value
    topics.history.undo()  # the last dismissal
    topics.history.undo()  # "interested again"
    result = topics.history.undo()  # the first: ids[0] is as it left it, the rest too
    assert result is not None
    assert topics.papers.ids(Filter(dismissed=True)) == []


def test_the_x_key_rule_marks_all_unless_all_are_marked(topics):
    a, b = topics.papers.ids(sort="id")[:2]
    assert topics.edit.toggle_dismissed([a]) is True
    assert topics.edit.toggle_dismissed([a, b]) is True  # b was not: both are now
    assert set(topics.papers.ids(Filter(dismissed=True))) == {a, b}
    assert topics.edit.toggle_dismissed([a, b]) is False  # all were: shown again
    assert topics.papers.ids(Filter(dismissed=True)) == []


def test_dismissed_papers_teach_for_you_what_not_to_offer(topics):
    """Two topics read; dismissing a few of one topic's unread papers pushes
    that topic down the list, more than leaving them unread does."""
    groups = by_topic(topics)
    chess, finance = groups["chess"], groups["finance"]
    topics.edit.set_status(chess[:4] + finance[:4], "read")

    def finance_in_top(count: int) -> int:
        items = topics.suggest(limit=count).items
        return sum(s.paper.id in finance for s in items)

    before = finance_in_top(20)
    assert before >= 6  # both topics are offered
    topics.edit.dismiss(finance[4:9])
    after = finance_in_top(20)
    print("finance in top 20:", before, after)
    assert after < before - 2, (before, after)  # not only the five dismissed ones left


def test_a_dismissed_paper_is_not_a_positive_of_for_you(topics):
    groups = by_topic(topics)
    read = groups["speech"][:4]
    topics.edit.set_status(read, "read")
    assert topics.suggest(limit=1).positives == 4
    topics.edit.dismiss(read[:1])  # read, then found not to be for me
    assert topics.suggest(limit=1).positives == 3
