"""Looking papers up on arXiv, against a stand-in server on 127.0.0.1: by id,
by title, ambiguous titles, a busy service, a slow one, none at all, a
cancel half-way, and arXiv's pace measured on the server's clock."""

from __future__ import annotations

import socket
import threading

import pytest

from readinglist.core import settings
from readinglist.core.lookup.arxiv import USER_AGENT, ArxivClient
from tests.arxiv_server import ArxivStandIn

SPARSE, PLANNER, CALIBRATION = 1, 2, 4


@pytest.fixture
def arxiv():
    with ArxivStandIn() as server:
        yield server


def client(server, interval=0.05, timeout=2.0, cancelled=lambda: False):
    return ArxivClient(server.address, interval, timeout, cancelled)


def test_by_arxiv_id_fills_authors_dates_version_category_doi_and_journal(filled, arxiv):
    filled.edit.set_details(SPARSE, {"arxiv": "2604.01234"})
    result = filled.lookup.run([SPARSE], client=client(arxiv))
    assert result.filled == [SPARSE] and result.requests == 1
    assert arxiv.queries[0]["id_list"] == "2604.01234"
    meta = filled.papers.get(SPARSE).metadata
    assert [a.display() for a in meta.authors] == ["Ana Ramos", "Kenji Watanabe",
                                                   "Lukas Berger"]
    assert (meta.year, meta.month, meta.date) == (2026, 4, "2026-04-01")
    assert (meta.arxiv_version, meta.arxiv_category) == (2, "eess.AS")
    assert (meta.doi, meta.venue) == ("10.21437/Interspeech.2026-1234", "Interspeech 2026")
    assert meta.pdf_url == "https://arxiv.org/pdf/2604.01234v2"
    assert filled.papers.get(SPARSE).sources["authors"] == "arxiv"
    assert arxiv.user_agents[0] == USER_AGENT


def test_by_exact_title_when_no_id_is_known(filled, arxiv):
    result = filled.lookup.run([SPARSE], client=client(arxiv))
    assert result.filled == [SPARSE]
    assert arxiv.queries[0]["search_query"].startswith("ti:")
    assert filled.papers.get(SPARSE).metadata.arxiv_id == "2604.01234"


def test_an_ambiguous_title_or_none_leaves_the_paper_and_says_so(filled, arxiv):
    result = filled.lookup.run([PLANNER, CALIBRATION], client=client(arxiv))
    assert result.ambiguous == [PLANNER] and result.not_found == [CALIBRATION]
    assert filled.papers.get(PLANNER).metadata.known() == {}
    assert "1 with several papers of that title" in result.message
    assert "1 not found" in result.message


def test_ids_are_asked_for_a_hundred_at_a_time(filled, arxiv):
    filled.edit.set_details(SPARSE, {"arxiv": "2604.01234"})
    filled.edit.set_details(PLANNER, {"arxiv": "2603.04567"})
    result = filled.lookup.run([SPARSE, PLANNER], client=client(arxiv))
    assert result.requests == 1 and sorted(result.filled) == [SPARSE, PLANNER]
    assert sorted(arxiv.queries[0]["id_list"].split(",")) == ["2603.04567", "2604.01234"]


def test_a_busy_service_is_asked_again_after_a_pause(filled, arxiv):
    arxiv.busy_first = 2
    result = filled.lookup.run([SPARSE], client=client(arxiv))
    assert result.filled == [SPARSE] and result.error is None
    assert len(arxiv.arrivals) == 3
    # the second and third tries waited longer each time (back-off)
    assert arxiv.arrivals[2] - arxiv.arrivals[1] > arxiv.arrivals[1] - arxiv.arrivals[0]


def test_a_service_that_stays_busy_or_refuses_changes_nothing_and_says_why(filled, arxiv):
    arxiv.busy_first = 99
    result = filled.lookup.run([SPARSE], client=client(arxiv))
    assert "did not answer after 3 tries (HTTP 503)" in result.error
    assert filled.papers.get(SPARSE).metadata.known() == {}
    arxiv.busy_first, arxiv.error = 0, True
    result = filled.lookup.run([SPARSE], client=client(arxiv))
    assert result.error == "arXiv said: incorrect id format for bad"


def test_a_time_out_is_tried_again_then_said(filled, arxiv):
    arxiv.delay = 1.0
    result = filled.lookup.run([SPARSE], client=client(arxiv, timeout=0.3))
    assert "no answer in 0.3 s" in result.error and len(arxiv.arrivals) == 3
    assert filled.papers.get(SPARSE).metadata.known() == {}


def test_offline_is_one_line_and_the_papers_stay_eligible(filled):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    offline = ArxivClient(f"http://127.0.0.1:{port}/api/query", 0.05, 1.0)
    result = filled.lookup.run([SPARSE, PLANNER], client=offline)
    assert result.error.startswith("arXiv cannot be reached") and "offline" in result.error
    assert "\n" not in result.message
    assert set(filled.lookup.without_authors()) >= {SPARSE, PLANNER}


def test_a_cancel_half_way_keeps_what_was_found_and_stops(filled, arxiv):
    cancel = threading.Event()
    seen = []

    def progress(done, total, _what):
        seen.append(done)
        if done == 1:
            cancel.set()

    # interval 0: the pace never makes the client wait, as on a slow machine
    # where the interval is over before the next request (a cancel was missed)
    result = filled.lookup.run([SPARSE, PLANNER, CALIBRATION], progress=progress,
                               cancel=cancel,
                               client=client(arxiv, interval=0, cancelled=cancel.is_set))
    assert result.cancelled and result.filled == [SPARSE]
    assert len(arxiv.arrivals) == 1  # nothing asked after the cancel
    assert "cancelled" in result.message


def test_requests_keep_arxivs_pace_on_the_servers_clock(filled, arxiv):
    result = filled.lookup.run([SPARSE, PLANNER, CALIBRATION], client=client(arxiv,
                                                                              interval=0.4))
    assert result.requests == 3
    gaps = [b - a for a, b in zip(arxiv.arrivals, arxiv.arrivals[1:], strict=False)]
    assert all(gap >= 0.38 for gap in gaps), gaps  # an order of events, not a speed


def test_a_hand_value_survives_a_lookup_even_a_refresh(filled, arxiv):
    filled.edit.set_details(SPARSE, {"arxiv": "2604.01234", "year": 2025})
    filled.lookup.run([SPARSE], refresh=True, client=client(arxiv))
    paper = filled.papers.get(SPARSE)
    assert paper.metadata.year == 2025 and paper.sources["year"] == "hand"
    assert paper.metadata.authors  # what was missing came


def test_the_pace_is_arxivs_unless_the_service_is_on_this_machine(tmp_path, monkeypatch):
    monkeypatch.setenv("READINGLIST_CONFIG", str(tmp_path / "settings.json"))
    assert settings.lookup_pace()[:2] == ("https://export.arxiv.org/api/query", 3.0)
    with pytest.raises(Exception, match="arXiv asks for 3 s"):
        settings.put("lookup.interval", "0.5")
    settings.put("lookup.arxiv-url", "http://127.0.0.1:8999/api/query")
    settings.put("lookup.interval", "0.5")
    assert settings.lookup_pace()[:2] == ("http://127.0.0.1:8999/api/query", 0.5)
    settings.put("lookup.arxiv-url", "https://mirror.example.org/api/query")
    assert settings.lookup_pace()[1] == 3.0  # a far service: never faster than arXiv allows
