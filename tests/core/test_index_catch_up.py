"""The index behind after a writer was killed between the database and the
index: searches never contradict the list, say how many papers they have not
seen, and readers catch the index up a step at a time."""

from __future__ import annotations

from readinglist.core import store as store_module
from readinglist.core.library import Filter, Library
from tests.conftest import DIGESTS


def killed_mark_all_read(folder, monkeypatch) -> list[int]:
    """Every paper marked read in the database; the index never told."""
    with Library.open(folder) as library:
        library.import_files(DIGESTS)
        ids = library.papers.ids()
        with monkeypatch.context() as patched:  # as if killed before the index followed
            patched.setattr(library.store.keeper, "catch_up", lambda *a, **k: False)
            patched.setattr(library.store, "catch_up_now", lambda: False)
            library.edit.set_status(ids, "read")
    return ids


def test_a_search_never_contradicts_the_list_and_says_what_it_has_not_seen(tmp_path,
                                                                          monkeypatch):
    folder = tmp_path / "lib"
    killed_mark_all_read(folder, monkeypatch)
    monkeypatch.setattr(store_module, "READER_BUDGET_S", 0.0)  # one step per search
    monkeypatch.setattr(store_module, "READER_CATCH_UP", 1)
    with Library.open(folder) as library:
        assert library.papers.ids(Filter(status="unread")) == []
        assert library.search.ids("pruning", Filter(status="unread")) == []
        assert [h.id for h in library.search.hits("pruning", status="unread")] == []
        read = library.search.ids("pruning", Filter(status="read"))
        assert len(read) == 2  # found by their words, kept by the database's status


def test_readers_catch_a_killed_writers_work_up_in_steps(tmp_path, monkeypatch):
    folder = tmp_path / "lib"
    ids = killed_mark_all_read(folder, monkeypatch)
    with Library.open(folder, backup=False) as library:
        library.store.keeper.catch_up(wait=0, most=3)  # what a reader does: one step
        unseen = library.store.keeper.unseen()
        assert unseen == [] or len(unseen) == len(ids)  # one transaction is one step
    monkeypatch.setattr(store_module, "READER_BUDGET_S", 0.0)
    with Library.open(folder) as library:
        for _ in range(3):
            library.search.hits("pruning")
        assert library.search.behind() is None
        assert library.search.index_ids() == set(ids)
        assert len(library.search.ids("pruning", Filter(status="read"))) == 2


def test_a_reader_steps_through_many_small_transactions(tmp_path, monkeypatch):
    folder = tmp_path / "lib"
    with Library.open(folder) as library:
        library.import_files(DIGESTS)
        ids = library.papers.ids()
        with monkeypatch.context() as patched:
            patched.setattr(library.store.keeper, "catch_up", lambda *a, **k: False)
            patched.setattr(library.store, "catch_up_now", lambda: False)
            for paper in ids:  # eight transactions the index never saw
                library.edit.set_status([paper], "skimmed")
    monkeypatch.setattr(store_module, "READER_BUDGET_S", 0.0)
    monkeypatch.setattr(store_module, "READER_CATCH_UP", 3)
    with Library.open(folder, backup=False) as library:
        message = library.search.behind()
        assert message is not None and "results may miss" in message
        assert "changed paper" in message and "another process is writing" not in message
        seen = []
        for _ in range(4):
            library.search.hits("pruning", status="unread")
            seen.append(len(library.store.keeper.unseen()))
        assert seen[0] < len(ids) and seen == sorted(seen, reverse=True) and seen[-1] == 0
        assert library.search.hits("pruning", status="unread") == []
