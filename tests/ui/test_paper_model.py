"""The table model over 20,000 papers, without widgets (and once with the window).

Cost is asserted as work done (block fetches, rows held), never as time.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from PySide6.QtCore import Qt

from readinglist.core.library import Filter, Library
from readinglist.ui.paper_list.model import (
    BLOCK,
    CACHE_SIZE,
    COL_CODE,
    COL_FIRST_SEEN,
    COL_STATUS,
    COL_TITLE,
    PaperIdRole,
    PaperTableModel,
)
from tests.ui.conftest import wait_idle

N = 20_000


def fill(db_path, n: int = N) -> None:
    """Rows written straight into SQLite: fast, and all the model needs."""
    rows = []
    for i in range(n):
        month, day = 1 + i % 12, 1 + i % 28
        date = f"2025-{month:02d}-{day:02d}"
        links = [f"https://github.com/lab/p{i}"] if i % 3 == 0 else []
        rows.append((
            f"Paper {i:05d} on topic {i % 97}", f"paper {i:05d} on topic {i % 97}",
            "An abstract. " * 20, json.dumps(links), date, date, 1 + i % 4,
            ("unread", "skimmed", "read")[i % 3], "", "2025-01-01T00:00:00+00:00",
            "2025-01-01T00:00:00+00:00", f"paper{i}x2025",
        ))
    conn = sqlite3.connect(db_path)
    conn.executemany(
        "INSERT INTO paper (title, title_key, abstract, links, first_seen, last_seen, times_seen,"
        " status, note, created, updated, citekey) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    conn.commit()
    conn.close()


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big") / "lib"
    Library.open(folder).close()
    fill(folder / "library.sqlite")
    library = Library.open(folder)
    yield library
    library.close()


@pytest.fixture
def model(big):
    fetched = []

    def fetch(ids):
        fetched.append(len(ids))
        return big.papers.get_many(ids)

    m = PaperTableModel(fetch)
    m.set_ids(big.papers.ids(sort="first_seen"))
    m.fetched = fetched
    return m


def test_row_count_costs_no_fetch(model):
    assert model.rowCount() == N and model.columnCount() == 9  # the last one is "#"
    assert model.fetches == 0 and model.cached_count() == 0


def test_rows_are_fetched_in_blocks_on_demand(model):
    for row in range(100):
        assert model.index(row, COL_TITLE).data().startswith("Paper ")
    assert model.fetches == 1 and model.cached_count() <= BLOCK
    model.index(N - 1, COL_TITLE).data()
    assert model.fetches == 2
    assert max(model.fetched) <= BLOCK


def test_the_cache_stays_bounded_while_scrolling_everything(model):
    for row in range(0, N, 50):
        model.index(row, COL_FIRST_SEEN).data()
    assert model.cached_count() <= CACHE_SIZE
    assert model.fetches <= N // (BLOCK // 2) + 2  # a block covers many rows


def test_roles(model, big):
    paper = big.papers.get_many([model.index(0, 0).data(PaperIdRole)])[0]
    assert model.index(0, COL_TITLE).data() == paper.title
    bold = model.index(0, COL_TITLE).data(Qt.ItemDataRole.FontRole)
    assert (bold is not None and bold.bold()) == (paper.status == "unread")
    assert model.index(0, COL_STATUS).data(Qt.ItemDataRole.DecorationRole) is None  # no icons
    assert model.index(0, COL_STATUS).data() is None  # an icon in the list
    assert model.index(0, COL_STATUS).data(Qt.ItemDataRole.ToolTipRole) == paper.status.capitalize()
    has_code = any("github.com" in link for link in paper.links)
    assert (model.index(0, COL_CODE).data(Qt.ItemDataRole.ToolTipRole) is not None) == has_code


def test_sort_is_asked_of_the_core(model, big):
    requests = []
    model.sortRequested.connect(lambda key, desc: requests.append((key, desc)))
    model.sort(COL_TITLE, Qt.SortOrder.DescendingOrder)
    assert requests == [("title", True)]
    ids = big.papers.ids(Filter(status="read"), sort="title", descending=True)
    model.set_ids(ids)
    assert model.rowCount() == len(ids) == N // 3
    first = [model.index(r, COL_TITLE).data() for r in range(5)]
    assert first == sorted(first, reverse=True)
    assert model.fetches == 1


def test_refresh_drops_only_the_changed_rows(model, big):
    model.index(0, 0).data()
    cached = model.cached_count()
    paper_id = model.id_at(0)
    model.refresh([paper_id])
    assert model.cached_count() == cached - 1
    assert model.row_of(paper_id) == 0


def test_window_over_20000_papers_loads_only_what_it_shows(big, qtbot, monkeypatch, tmp_path):
    from readinglist.ui.app import window_settings
    from readinglist.ui.window.main_window import MainWindow

    monkeypatch.setenv("READINGLIST_SETTINGS", str(tmp_path / "s.ini"))
    window = MainWindow(big, window_settings())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    wait_idle(qtbot, window)
    assert window.paper_list.model.rowCount() == N
    assert window.paper_list.model.cached_count() <= BLOCK
    window.paper_list.table.scrollToBottom()
    qtbot.wait(50)
    window.sidebar.select_key("status:read")
    wait_idle(qtbot, window)
    assert window.paper_list.model.rowCount() == N // 3
    assert window.paper_list.model.cached_count() <= 2 * BLOCK
    window.tasks.shutdown()
