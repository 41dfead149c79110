"""Details in the window: the Authors and Year columns, a bibliography dropped
on the window, Edit Details, a lookup on arXiv with its progress and Cancel,
and the links Enter and Open PDF open."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit

from readinglist.ui.paper_list.model import COL_AUTHORS, COL_YEAR
from tests.arxiv_server import ArxivStandIn
from tests.conftest import FIXTURES
from tests.ui.conftest import wait_idle
from tests.ui.test_main_window import drop_files
from tests.ui.test_triage_flow import press, select_row

BIB = FIXTURES / "bib"


@pytest.fixture
def opened(monkeypatch):
    urls = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url.toString())
                        or True)
    return urls


def row_of_title(window, start: str) -> int:
    model = window.paper_list.model
    return next(r for r in range(model.rowCount()) if model.index(r, 0).data().startswith(start))


def test_a_bibliography_dropped_on_the_window_fills_the_authors_and_year_columns(
        filled_window, qtbot):
    window = filled_window
    drop_files(qtbot, window, [BIB / "zotero_bbt.bib"])
    assert "BibTeX: 2 matched, 1 added" in window.summary.text()
    model = window.paper_list.model
    row = row_of_title(window, "TinyPlanner")
    assert model.index(row, COL_AUTHORS).data() == "Okafor et al."
    assert model.index(row, COL_YEAR).data() == 2026
    tip = model.index(row, COL_AUTHORS).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.splitlines() == ["Chidi Okafor", "Maja Lindqvist", "Pieter van der Berg"]
    window.paper_list.table.sortByColumn(COL_AUTHORS, Qt.SortOrder.AscendingOrder)
    wait_idle(qtbot, window)
    shown = [model.index(r, COL_AUTHORS).data() for r in range(model.rowCount())]
    known = [name for name in shown if name]
    assert known == sorted(known, key=str.casefold) and shown[-1] == ""  # unknown last
    window.paper_list.table.sortByColumn(COL_YEAR, Qt.SortOrder.DescendingOrder)
    wait_idle(qtbot, window)
    years = [model.index(r, COL_YEAR).data() for r in range(model.rowCount())]
    assert years[:3] == [2026, 2025, 2020] and years[-1] is None


def test_edit_details_checks_what_is_typed_saves_it_and_undo_takes_it_back(
        filled_window, qtbot):
    window = filled_window
    paper_id = select_row(window, qtbot, row_of_title(window, "LoRA-Drop"))
    seen = []

    def fill_in():
        dialog = QApplication.activeModalWidget()
        seen.append(dialog)
        authors = dialog.findChild(QPlainTextEdit, "detailsAuthors")
        authors.setPlainText("Schön, François\n{The Adapters Group}")
        year = dialog.findChild(QLineEdit, "details_year")
        year.setText("3026")
        qtbot.keyClick(year, Qt.Key.Key_Return)  # Save: refused, the dialog stays
        problem = dialog.findChild(type(dialog.problem), "detailsProblem")
        seen.append(problem.text())
        year.setText("2026")
        dialog.findChild(QLineEdit, "details_doi").setText("doi:10.5555/lora-drop.2026")
        qtbot.keyClick(year, Qt.Key.Key_Return)

    from PySide6.QtCore import QTimer
    QTimer.singleShot(0, fill_in)
    qtbot.keyClick(window.paper_list.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)
    assert seen[0].objectName() == "detailsDialog"
    assert seen[1] == "year 3026 is not between 1600 and 2027"
    paper = window.library.papers.get(paper_id)
    assert [a.display() for a in paper.metadata.authors] == ["François Schön",
                                                             "The Adapters Group"]
    assert (paper.metadata.year, paper.metadata.doi) == (2026, "10.5555/lora-drop.2026")
    assert paper.sources["doi"] == "hand"
    assert window.detail.byline.text() == "François Schön and The Adapters Group"
    assert "2026" in window.detail.publication.text()
    assert window.actions.undo.text().startswith("&Undo Edit Details")
    press(window, qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.library.papers.get(paper_id).metadata.known() == {}
    assert window.detail.byline.isHidden()


def test_a_lookup_runs_beside_everything_with_its_progress_and_cancel(
        filled_window, qtbot, monkeypatch, tmp_path):
    window = filled_window
    with ArxivStandIn() as arxiv:
        from readinglist.core import settings

        monkeypatch.setenv("READINGLIST_CONFIG", str(tmp_path / "settings.json"))
        settings.put("lookup.arxiv-url", arxiv.address)
        settings.put("lookup.interval", "0.3")
        held = threading.Event()
        answer = arxiv.answer
        arxiv.answer = lambda query: (held.wait(10), answer(query))[1]
        select_row(window, qtbot, row_of_title(window, "Sparse Mixture"))
        window.actions.lookup.trigger()
        qtbot.waitUntil(lambda: window.status.lookup.isVisible(), timeout=30000)
        assert window.status.cancel_lookup.isVisible()
        press(window, qtbot, Qt.Key.Key_S)  # an edit meanwhile: saved at once
        assert window.library.papers.get(window.paper_list.current_id()) is not None
        held.set()
        qtbot.waitUntil(lambda: not window.lookups.running, timeout=10000)
        wait_idle(qtbot, window)
        sparse = next(p for p in window.library.papers.list(limit=None)
                      if p.title.startswith("Sparse Mixture"))
        assert sparse.metadata.arxiv_id == "2604.01234"
        assert "Looked up 1 paper on arXiv: 1 filled" in window.statusBar().currentMessage()
        assert not window.status.lookup.isVisible()
        # all without authors, cancelled after the first answer
        arxiv.answer = lambda query: (window.lookups.cancel(), answer(query))[1]
        window.actions.lookup_missing.trigger()
        qtbot.waitUntil(lambda: not window.lookups.running and not window.tasks.busy,
                        timeout=10000)
        assert "cancelled" in window.statusBar().currentMessage()
        assert len(arxiv.arrivals) <= 3


def test_enter_opens_the_arxiv_page_open_pdf_its_pdf_and_no_link_offers_searches(
        filled_window, qtbot, opened):
    window = filled_window
    drop_files(qtbot, window, [BIB / "arxiv_export.bib"])
    select_row(window, qtbot, row_of_title(window, "Sparse Mixture"))
    press(window, qtbot, Qt.Key.Key_Return)
    assert opened == ["https://arxiv.org/abs/2604.01234"]
    press(window, qtbot, Qt.Key.Key_L,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert opened[-1] == "https://arxiv.org/pdf/2604.01234"
    select_row(window, qtbot, row_of_title(window, "Diffusion Policies"))  # no link at all
    press(window, qtbot, Qt.Key.Key_Return)
    menu = window.interactions.menu
    assert menu.objectName() == "searchesMenu" and menu.isVisible()
    texts = [a.text().replace("&", "") for a in menu.actions()]
    assert texts == ["Search arXiv for This Title", "Search Google Scholar for This Title"]
    menu.actions()[1].trigger()
    assert opened[-1].startswith("https://scholar.google.com/scholar?q=Diffusion+Policies")
    assert len(opened) == 3  # nothing else was opened, nothing fetched
