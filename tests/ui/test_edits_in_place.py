"""An edit is shown where it happened: its rows, the counts it moved and the
tags, without the window reading the whole library again (the sidebar's
counts, every digest, the list's ids); a change made by another process is
found through the library's change counter and shown too."""

from __future__ import annotations

from PySide6.QtCore import Qt

from readinglist.core.library import Filter, Library
from tests.ui.conftest import wait_idle


class Reads:
    """Counts the reads that grow with the library: the sidebar's and the list's."""

    def __init__(self, window, monkeypatch):
        self.calls: list[str] = []
        papers = window.library.papers
        for name in ("stats", "digests", "ids"):
            original = getattr(papers, name)

            def spy(*args, _name=name, _original=original, **kwargs):
                if _name != "ids" or kwargs.get("within") is None:  # a whole view's ids
                    self.calls.append(_name)
                return _original(*args, **kwargs)
            monkeypatch.setattr(papers, name, spy)


def sidebar_count(window, key: str) -> int:
    return window.sidebar.count_of(key)


def digest_text(window, digest_id: int) -> str:
    return window.sidebar.item_for(f"digest:{digest_id}").text(0)


def open_view(qtbot, window, key: str) -> None:
    window.sidebar.select_key(key)
    wait_idle(qtbot, window)
    window.paper_list.table.setFocus()


def test_r_in_the_unread_view_moves_the_counts_and_the_row_without_reading_everything(
        big_window, qtbot, monkeypatch):
    window = big_window
    assert window.follower.rereads == 0  # the start read everything once, not twice
    open_view(qtbot, window, "status:unread")
    papers = window.paper_list
    unread, read = sidebar_count(window, "status:unread"), sidebar_count(window, "status:read")
    rows = papers.model.rowCount()
    first, second = papers.model.id_at(0), papers.model.id_at(1)
    papers.selection.select([first])
    digest = window.library.papers.appearances(first)[0].digest_id
    digest_before = window.library.papers.digests()
    reads = Reads(window, monkeypatch)
    rereads = window.follower.rereads

    qtbot.keyClick(papers.table, Qt.Key.Key_R)
    wait_idle(qtbot, window)

    assert window.library.papers.get(first).status == "read"
    assert reads.calls == []  # neither the counts, the digests nor the list read again
    assert window.follower.rereads == rereads
    assert sidebar_count(window, "status:unread") == unread - 1
    assert sidebar_count(window, "status:read") == read + 1
    unread_in_digest = next(d.unread for d in digest_before if d.id == digest)
    assert f"({unread_in_digest - 1} / " in digest_text(window, digest)
    assert papers.model.rowCount() == rows - 1 and papers.model.row_of(first) is None
    assert papers.selected_ids() == [second]  # the next paper took its place
    assert papers.model.id_at(0) == second

    # what the window shows is what reading everything again shows
    window.refresh()
    wait_idle(qtbot, window)
    assert sidebar_count(window, "status:unread") == unread - 1
    assert f"({unread_in_digest - 1} / " in digest_text(window, digest)
    assert papers.model.rowCount() == rows - 1


def test_undo_brings_the_paper_back_into_the_view_and_the_counts_back(
        big_window, qtbot):
    window = big_window
    open_view(qtbot, window, "status:unread")
    papers = window.paper_list
    unread, rows = sidebar_count(window, "status:unread"), papers.model.rowCount()
    first = papers.model.id_at(0)
    papers.selection.select([first])
    qtbot.keyClick(papers.table, Qt.Key.Key_R)
    wait_idle(qtbot, window)
    qtbot.keyClick(papers.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)
    assert sidebar_count(window, "status:unread") == unread
    assert papers.model.rowCount() == rows and papers.model.row_of(first) is not None


def test_a_tag_added_shows_in_the_sidebar_with_its_count_without_reading_everything(
        big_window, qtbot, monkeypatch):
    window = big_window
    papers = window.paper_list
    chosen = [papers.model.id_at(0), papers.model.id_at(1)]
    papers.selection.select(chosen)
    reads = Reads(window, monkeypatch)
    rereads = window.follower.rereads
    window.commands.change_tags(add=["robots"])
    wait_idle(qtbot, window)
    assert reads.calls == [] and window.follower.rereads == rereads
    assert window.sidebar.item_for("tag:robots").text(0) == "robots  (2)"
    assert "robots" in window.sidebar.tag_names()
    assert "robots" in (papers.model.paper_at(0).tags)  # the rows painted again


def test_a_change_made_in_a_terminal_is_shown_when_the_window_looks_again(
        big_window, qtbot):
    window = big_window
    ids = window.library.papers.ids(Filter(), sort="id")[:3]
    unread = sidebar_count(window, "status:unread")
    with Library.open(window.library.folder) as terminal:
        terminal.tags.add(ids, ["from-terminal"])
        terminal.edit.set_status(ids, "read")
    assert window.sidebar.item_for("tag:from-terminal") is None
    window.follower.check()  # as the timer or activating the window does
    qtbot.waitUntil(lambda: window.sidebar.item_for("tag:from-terminal") is not None,
                    timeout=30000)
    wait_idle(qtbot, window)
    assert window.sidebar.item_for("tag:from-terminal").text(0) == "from-terminal  (3)"
    assert sidebar_count(window, "status:unread") == unread - 3
    assert window.follower.generation == window.library.generation()


def test_an_edit_after_a_change_elsewhere_reads_everything_again(big_window, qtbot):
    window = big_window
    papers = window.paper_list
    other = window.library.papers.ids(Filter(), sort="id")[-1]
    with Library.open(window.library.folder) as terminal:
        terminal.tags.add([other], ["elsewhere"])
    papers.selection.select([papers.model.id_at(0)])
    rereads = window.follower.rereads
    qtbot.keyClick(papers.table, Qt.Key.Key_S)
    wait_idle(qtbot, window)
    assert window.follower.rereads == rereads + 1  # it did not start where the window was
    assert window.sidebar.item_for("tag:elsewhere") is not None


def test_a_first_reading_older_than_an_edit_is_read_again_and_the_start_still_finishes(
        tmp_path, qtbot, monkeypatch):
    """R pressed between the first rows and the sidebar's first counts: that
    reading is older than the edit shown, so it is read again — and the work
    the start leaves for after it (notes recovered, backup, features) runs."""
    from readinglist.ui.app import create_main_window
    from readinglist.ui.window import main_window
    from tests.conftest import DIGESTS

    folder = tmp_path / "lib"
    with Library.open(folder) as library:
        library.import_files(DIGESTS)
    started = []
    background = main_window.MainWindow._start_background
    monkeypatch.setattr(main_window.MainWindow, "_start_background",
                        lambda self: (started.append(True), background(self)))
    window = create_main_window(folder)
    qtbot.addWidget(window)
    seen, refused = window.follower.seen, []

    def first_refused(generation: int) -> bool:
        if not refused:  # as if an edit had been shown before this reading came
            refused.append(generation)
            return False
        return seen(generation)
    window.library_refresh._seen = first_refused
    window.show()
    qtbot.waitUntil(lambda: bool(started), timeout=30000)
    wait_idle(qtbot, window)
    assert refused and started == [True]
    assert window.sidebar.count_of("all") == window.library.papers.stats().papers
    window.close()
