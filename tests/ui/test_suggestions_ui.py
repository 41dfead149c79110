"""Suggestions in the window: For you, a tag's suggestions where T adds the
tag, "Best first" in Unread and a digest, the detail pane's similar papers and
"why" terms, all off the GUI thread."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from readinglist.core.library import Filter, Library
from readinglist.ui.detail.similar_list import LEARNING as SIMILAR_LEARNING
from readinglist.ui.paper_list.model import COL_RANK, COL_TITLE, FitRole, RankMode
from readinglist.ui.suggestions.learning import LEARNING
from tests.topics import TOPICS, write_topic_digests
from tests.ui.conftest import wait_idle


def topic_of(title: str) -> str:
    code = title.split()[-1][:3].lower()
    return next(t for t in TOPICS if t[:3] == code)


@pytest.fixture
def topics_folder(tmp_path):
    folder = tmp_path / "lib"
    with Library.open(folder) as library:
        library.import_files(write_topic_digests(tmp_path / "digests"))
    return folder


def ids_of(folder, topic) -> list[int]:
    with Library.open(folder) as library:
        return [p.id for p in library.papers.list(limit=None) if topic_of(p.title) == topic]


def settle(qtbot, window) -> None:
    """Until the background work and the similar papers' short wait are over."""
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: not window.similar_papers.timer.isActive(), timeout=30000)
    wait_idle(qtbot, window)


def titles(window, rows) -> list[str]:
    return [window.paper_list.model.paper_at(r).title for r in range(rows)]


def press(qtbot, window, key) -> None:
    qtbot.keyClick(QApplication.focusWidget() or window.paper_list.table, key)
    settle(qtbot, window)


def test_for_you_ranks_the_unread_papers_like_those_read_or_noted(topics_folder, open_window,
                                                                  qtbot):
    math = ids_of(topics_folder, "math")
    with Library.open(topics_folder) as library:
        library.edit.set_status(math[:3], "read")
        library.edit.set_note(math[3], "a lovely proof")
    window = open_window(topics_folder)
    settle(qtbot, window)
    window.sidebar.select_key("foryou")
    settle(qtbot, window)
    assert window.paper_list.model.rank_mode is RankMode.SUGGEST
    header = window.paper_list.model.headerData(COL_RANK, Qt.Orientation.Horizontal,
                                     Qt.ItemDataRole.AccessibleTextRole)
    assert header == "Relevance" and not window.paper_list.table.isColumnHidden(COL_RANK)
    assert window.paper_list.table.columnWidth(COL_RANK) == 64  # an icon over bars, not a word
    ids = window.paper_list.model.ids()
    assert not set(math[:4]) & set(ids)  # the papers it learnt from are not suggested
    with Library.open(topics_folder) as library:
        assert len(ids) == library.papers.count(Filter(status="unread")) - 1  # the noted one
    assert sum(topic_of(t) == "math" for t in titles(window, 10)) >= 8
    bars = [window.paper_list.model.index(r, COL_RANK).data(FitRole) for r in range(len(ids))]
    # the share of the library below each paper: the same figure as `suggest`
    assert bars[0] > 0.5 and bars[-1] < 0.2 and bars == sorted(bars, reverse=True)
    assert bars[9] < bars[0] - 0.1  # the first screen's bars tell papers apart
    bar = window.paper_list.view_bar
    assert bar.best_first.isChecked() and bar.isVisible()
    window.paper_list.selection.select([ids[0]])
    settle(qtbot, window)
    why = window.detail.similar.why
    assert why.isVisible() and why.text().startswith("Suggested for: ")
    assert set(why.text()[len("Suggested for: "):].split(", ")) & set(TOPICS["math"].split())
    window.sidebar.select_key("all")  # not a ranking: no why
    settle(qtbot, window)
    window.paper_list.selection.select([ids[0]])
    settle(qtbot, window)
    assert not window.detail.similar.why.isVisible()


def test_for_you_with_nothing_to_learn_from_says_what_to_do(topics_folder, open_window,
                                                            qtbot):
    window = open_window(topics_folder)
    window.sidebar.select_key("foryou")
    settle(qtbot, window)
    assert window.paper_list.view_bar.notice.isVisible()
    assert "tag or read a few papers first" in window.paper_list.view_bar.notice.text()
    assert window.paper_list.model.rowCount() == 240  # every unread paper, none ranked


def test_a_tags_suggestions_where_t_adds_the_tag_and_goes_on(topics_folder, open_window,
                                                            qtbot):
    robots = ids_of(topics_folder, "robots")
    with Library.open(topics_folder) as library:
        library.tags.add(robots[:5], ["robots"])
    window = open_window(topics_folder)
    settle(qtbot, window)
    window.sidebar.suggestForTagRequested.emit("robots")  # the tag's context menu
    settle(qtbot, window)
    assert window.sidebar.current_key() == "like:robots"
    add_tag = window.paper_list.view_bar.add_tag
    assert add_tag.isVisible() and "robots" in add_tag.text()
    before = window.paper_list.model.ids()
    assert not set(robots[:5]) & set(before)
    assert sum(topic_of(t) == "robots" for t in titles(window, 10)) >= 8
    window.paper_list.selection.select([before[0]])
    window.paper_list.table.setFocus()
    settle(qtbot, window)
    press(qtbot, window, Qt.Key.Key_T)
    with Library.open(topics_folder) as library:
        assert "robots" in library.papers.get(before[0]).tags
    # gone from the list, the rest in their order
    assert window.paper_list.model.ids() == before[1:]
    assert window.paper_list.current_id() == before[1]  # on to the next suggestion
    assert QApplication.focusWidget() is window.paper_list.table  # T did not open the tag field
    window.paper_list.view_bar.add_tag.click()  # the button does the same
    settle(qtbot, window)
    assert window.paper_list.model.ids() == before[2:]
    assert window.paper_list.current_id() == before[2]
    window.sidebar.select_key("all")  # elsewhere T opens the tag field
    settle(qtbot, window)
    window.paper_list.selection.select([before[5]])
    window.paper_list.table.setFocus()
    settle(qtbot, window)
    press(qtbot, window, Qt.Key.Key_T)
    assert QApplication.focusWidget() is window.detail.tag_edit


def test_the_tag_menu_offers_its_suggestions(topics_folder, open_window, qtbot):
    with Library.open(topics_folder) as library:
        library.tags.add(ids_of(topics_folder, "chess")[:4], ["chess"])
    window = open_window(topics_folder)
    settle(qtbot, window)
    menu = window.sidebar.tag_menu("chess")
    suggest = menu.actions()[0]
    assert suggest.text() == "Suggest More Papers for This Tag"
    suggest.trigger()
    settle(qtbot, window)
    assert window.sidebar.current_key() == "like:chess"
    assert window.paper_list.model.rank_mode is RankMode.SUGGEST
    assert window.sidebar.item_for("like:chess").text(0) == "Like “chess”"


def test_best_first_in_unread_and_a_digest_until_a_column_is_clicked(topics_folder,
                                                                      open_window, qtbot):
    speech = ids_of(topics_folder, "speech")
    with Library.open(topics_folder) as library:
        library.edit.set_status(speech[:4], "skimmed")
        digest = library.papers.digests()[0].id
    window = open_window(topics_folder)
    settle(qtbot, window)
    window.sidebar.select_key("status:unread")
    settle(qtbot, window)
    bar = window.paper_list.view_bar.best_first
    assert bar.isVisible() and not bar.isChecked()
    bar.click()
    settle(qtbot, window)
    assert window.paper_list.model.rank_mode is RankMode.SUGGEST and bar.isChecked()
    assert sum(topic_of(t) == "speech" for t in titles(window, 10)) >= 8
    window.paper_list.model.sort(COL_TITLE, Qt.SortOrder.AscendingOrder)  # a click on "Title"
    settle(qtbot, window)
    assert not bar.isChecked() and window.paper_list.model.rank_mode is None
    shown = titles(window, window.paper_list.model.rowCount())
    assert shown == sorted(shown, key=str.casefold)
    window.sidebar.select_key(f"digest:{digest}")
    settle(qtbot, window)
    assert window.paper_list.model.rank_mode is RankMode.DIGEST
    window.actions.best_first.trigger()  # Ctrl+B
    settle(qtbot, window)
    assert window.paper_list.model.rank_mode is RankMode.SUGGEST and bar.isChecked()
    ids = window.paper_list.model.ids()
    with Library.open(topics_folder) as library:  # the whole digest, the skimmed ones too
        assert sorted(ids) == sorted(library.papers.ids(Filter(digest=digest)))
    window.sidebar.select_key("all")
    settle(qtbot, window)
    assert not bar.isVisible()  # All papers has no "Best first"


def test_the_detail_pane_lists_five_similar_papers_and_goes_to_one(topics_folder,
                                                                   open_window, qtbot):
    window = open_window(topics_folder)
    settle(qtbot, window)
    weather = ids_of(topics_folder, "weather")
    window.sidebar.select_key("status:read")  # an empty view: going to a paper leaves it
    settle(qtbot, window)
    window.sidebar.select_key("all")
    settle(qtbot, window)
    window.paper_list.selection.select([weather[0]])
    settle(qtbot, window)
    similar = window.detail.similar
    assert similar.list.count() == 5 and similar.list.isVisible()
    found = similar.ids()
    assert weather[0] not in found and len(set(found) & set(weather)) >= 4
    item = similar.list.item(2)
    rect = similar.list.visualItemRect(item)
    qtbot.mouseClick(similar.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle(qtbot, window)
    assert window.paper_list.current_id() == found[2]
    assert window.detail.paper.id == found[2]


def test_learning_the_features_never_holds_up_the_window(topics_folder, open_window, qtbot,
                                                         monkeypatch):
    """A slow first fit (a large library): the list, an edit and a search go on;
    For you and the similar papers say they are waiting, then fill in."""
    from readinglist.core.suggest import features

    release = threading.Event()
    learn = features.learn

    def slow_learning(*args, **kwargs):  # a large library's words take a minute
        release.wait(20)
        return learn(*args, **kwargs)

    monkeypatch.setattr(features, "learn", slow_learning)
    window = open_window(topics_folder, idle=False)  # the fit would keep it busy
    qtbot.waitUntil(lambda: window.paper_list.model.rowCount() == 240, timeout=10000)
    qtbot.waitUntil(lambda: window.status.learning.isVisible(), timeout=30000)
    assert "Learning the library's words" in window.status.learning.text()
    first = window.paper_list.model.ids()[0]
    window.paper_list.selection.select([first])
    window.paper_list.table.setFocus()
    qtbot.waitUntil(lambda: window.detail.paper is not None, timeout=30000)
    assert window.detail.similar.note.text() == SIMILAR_LEARNING
    qtbot.keyClick(window.paper_list.table, Qt.Key.Key_R)  # saved while the fit is held open
    qtbot.waitUntil(lambda: window.library.papers.get(first).status == "read", timeout=30000)
    window.search_edit.setText("chess")  # a search goes on too
    qtbot.waitUntil(lambda: 0 < window.paper_list.model.rowCount() < 240, timeout=30000)
    window.search_edit.clear()
    qtbot.waitUntil(lambda: window.paper_list.model.rowCount() == 240, timeout=30000)
    window.sidebar.select_key("foryou")
    qtbot.waitUntil(lambda: window.paper_list.empty_note.label.isVisible(), timeout=30000)
    assert window.paper_list.empty_note.label.text() == LEARNING
    release.set()
    settle(qtbot, window)
    assert not window.status.learning.isVisible()
    model = window.paper_list.model
    assert model.rank_mode is RankMode.SUGGEST and model.rowCount() > 200


def test_x_takes_a_paper_out_of_for_you_into_not_interested_and_ctrl_z_brings_it_back(
        topics_folder, open_window, qtbot):
    chess = ids_of(topics_folder, "chess")
    with Library.open(topics_folder) as library:
        library.edit.set_status(chess[:4], "read")
    window = open_window(topics_folder)
    settle(qtbot, window)
    window.sidebar.select_key("foryou")
    settle(qtbot, window)
    first = window.paper_list.model.id_at(0)
    window.paper_list.selection.select([first])
    window.paper_list.table.setFocus()
    press(qtbot, window, Qt.Key.Key_X)
    assert first not in window.paper_list.model.ids()
    assert window.library.papers.get(first).dismissed
    assert "Not interested: 1 paper" in window.statusBar().currentMessage()
    window.sidebar.select_key("dismissed")
    settle(qtbot, window)
    assert window.paper_list.model.ids() == [first]
    assert window.sidebar.item_for("dismissed").text(0).endswith("(1)")
    window.paper_list.table.setFocus()
    qtbot.keyClick(window.paper_list.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert window.paper_list.model.ids() == []  # undone: no longer dismissed
    window.sidebar.select_key("foryou")
    settle(qtbot, window)
    assert first in window.paper_list.model.ids()
