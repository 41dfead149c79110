"""Authors, years and identifiers: from bibliography files, by hand, kept apart
by where they came from; an old library opened and migrated."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3

import pytest

from readinglist.core.errors import InvalidInput
from readinglist.core.library import Library
from readinglist.core.sources.references import Name, match_key
from readinglist.core.views import IMPORTED, REJECTED
from tests.conftest import FIXTURES

BIB = FIXTURES / "bib"


def by_title(library, title):
    [paper] = [p for p in library.papers.list(limit=None) if match_key(p.title) == match_key(title)]
    return paper


def families(paper):
    return [a.family for a in paper.metadata.authors]


def test_an_arxiv_export_fills_its_paper_and_adds_the_other(filled):
    before = len(filled.papers.ids())
    [result] = filled.import_files([BIB / "arxiv_export.bib"]).files
    assert (result.status, result.kind, result.matched, result.new, result.unchanged) == (
        IMPORTED, "BibTeX", 1, 1, 0)
    sparse = by_title(filled, "Sparse Mixture-of-Experts Routing for Efficient Speech "
                              "Recognition")
    meta = sparse.metadata
    assert families(sparse) == ["Ramos", "Watanabe", "Berger"]
    assert [a.given for a in meta.authors] == ["Ana", "Kenji", "Lukas"]
    assert (meta.year, meta.arxiv_id, meta.arxiv_category, meta.entry_type) == (
        2026, "2604.01234", "eess.AS", "misc")
    assert sparse.sources["authors"] == "file:arxiv_export.bib"
    assert sparse.sources.get("doi") is None  # not known, not invented
    order = by_title(filled, "Order Matters: Sequence to sequence for sets")
    assert (order.metadata.year, families(order)) == (2016, ["Vinyals", "Bengio", "Kudlur"])
    assert order.times_seen == 0 and order.status == "unread"
    assert len(filled.papers.ids()) == before + 1


def test_a_better_bibtex_export_fills_dates_dois_arxiv_ids_and_keeps_names_apart(filled):
    [result] = filled.import_files([BIB / "zotero_bbt.bib"]).files
    assert (result.matched, result.new) == (2, 1)
    planner = by_title(filled, "TinyPlanner: Reinforcement Learning for Long-Horizon Robot "
                               "Manipulation")
    meta = planner.metadata
    assert planner.metadata.authors[2] == Name("van der Berg", "Pieter")
    assert (meta.date, meta.year, meta.month) == ("2026-03-30", 2026, 3)
    assert (meta.doi, meta.arxiv_id, meta.arxiv_category) == (
        "10.48550/arXiv.2603.04567", "2603.04567", "cs.RO")
    calibration = by_title(filled, "On the Calibration of Large Language Models under "
                                   "Distribution Shift")
    assert calibration.metadata.authors[1] == Name("Hoffmann", "Jörg")
    assert (calibration.metadata.venue, calibration.metadata.pages) == (
        "Transactions on Machine Learning Research", "1–24")
    rag = by_title(filled, "Retrieval-Augmented Generation for Knowledge-Intensive NLP Tasks")
    assert rag.abstract.startswith("Large pre-trained language models")
    assert rag.citekey == "lewis2020retrievalaugmented"  # the key the person cites, kept


def test_latex_accents_braces_strings_and_a_corporate_author_are_decoded(filled):
    filled.import_files([BIB / "latex_accents.bib"])
    grasp = by_title(filled, "Diffusion Policies for Dexterous Grasping from Few "
                             "Demonstrations")
    assert [a.display() for a in grasp.metadata.authors] == [
        "Jörg Müller", "Lucía García", "Søren Østergaard", "OpenAI Robotics Team"]
    assert grasp.metadata.authors[3].literal
    assert grasp.metadata.venue == "Proceedings of the Conference on Robot Learning (CoRL)"
    lora = by_title(filled, "LoRA-Drop: Parameter-Efficient Fine-Tuning by Pruning Adapters")
    assert [a.display() for a in lora.metadata.authors] == ["François Schön", "Ondřej Škvor"]
    assert lora.title == "LoRA-Drop: Parameter-Efficient Fine-Tuning by Pruning Adapters"


def test_ris_and_csl_json_fill_and_add(filled):
    ris, csl = filled.import_files([BIB / "refs.ris", BIB / "refs.json"]).files
    assert (ris.kind, ris.matched, ris.new) == ("RIS", 1, 1)
    assert (csl.kind, csl.matched, csl.new) == ("CSL-JSON", 2, 1)
    survey = by_title(filled, "A Survey of Evaluation Benchmarks for Multimodal Agents")
    assert (survey.metadata.pages, survey.metadata.doi) == (
        "2210–2231", "10.18653/v1/2026.findings-acl.161")
    attention = by_title(filled, "Attention Is All You Need")
    assert attention.metadata.arxiv_id == "1706.03762"
    assert attention.metadata.authors[6] == Name("Kaiser", "Łukasz")
    scaling = by_title(filled, "Scaling Laws for Data Pruning in Vision Transformers")
    assert scaling.metadata.date == "2026-02-14"
    assert scaling.metadata.authors[2] == Name("The Vision Benchmarks Consortium", literal=True)
    assert by_title(filled, "Learning to predict by the methods of temporal differences"
                    ).metadata.year == 1988


def test_matching_by_arxiv_id_then_doi_then_title(filled, tmp_path):
    filled.edit.set_details(1, {"arxiv": "2604.01234"})
    filled.edit.set_details(4, {"doi": "10.5555/tmlr.2025.0412"})
    bib = tmp_path / "other-titles.bib"
    bib.write_text("""
@misc{a, title = {A Different Title For the Speech Paper}, author = {Ramos, Ana},
  eprint = {2604.01234v2}, archivePrefix = {arXiv}}
@article{b, title = {Calibration Again}, author = {Nguyen, Thi Mai}, doi = {10.5555/TMLR.2025.0412},
  journal = {TMLR}}
""", encoding="utf-8")
    [result] = filled.import_files([bib]).files
    assert (result.matched, result.new) == (2, 0)
    assert families(filled.papers.get(1)) == ["Ramos"]
    assert filled.papers.get(1).metadata.arxiv_version == 2
    assert families(filled.papers.get(4)) == ["Nguyen"]


def test_a_value_typed_by_hand_is_never_overwritten_and_conflicts_are_said(filled, tmp_path):
    filled.edit.set_details(2, {"authors": ["Okafor, C."], "year": 2025})
    [result] = filled.import_files([BIB / "zotero_bbt.bib"]).files
    planner = filled.papers.get(2)
    assert families(planner) == ["Okafor"] and planner.metadata.year == 2025
    assert planner.sources["authors"] == "hand"
    assert planner.metadata.arxiv_id == "2603.04567"  # what was missing is filled
    assert any("#2" in c and "kept your own" in c and "2026" in c for c in result.conflicts)


def test_other_sources_fill_only_what_is_missing(filled, tmp_path):
    filled.import_files([BIB / "arxiv_export.bib"])
    other = tmp_path / "other.bib"
    other.write_text("@misc{x, title = {Sparse Mixture-of-Experts Routing for Efficient "
                     "Speech Recognition}, author = {Someone, Else}, year = {2025}, "
                     "doi = {10.1234/speech}}\n", encoding="utf-8")
    [result] = filled.import_files([other]).files
    paper = filled.papers.get(1)
    assert families(paper) == ["Ramos", "Watanabe", "Berger"] and paper.metadata.year == 2026
    assert paper.metadata.doi == "10.1234/speech" and paper.sources["doi"] == "file:other.bib"
    assert result.matched == 1 and len(result.conflicts) == 2
    filled.edit.set_details(1, {"year": 2027})  # typed by hand: kept through a refresh
    other.write_text(other.read_text().replace("doi = {10.1234/speech}", "note = {again}"))
    filled.import_files([other], refresh=True)
    paper = filled.papers.get(1)
    assert families(paper) == ["Someone"] and paper.sources["authors"] == "file:other.bib"
    assert paper.metadata.year == 2027 and paper.sources["year"] == "hand"


def test_importing_the_same_file_twice_leaves_everything_alone(filled):
    filled.import_files([BIB / "zotero_bbt.bib"])
    [again] = filled.import_files([BIB / "zotero_bbt.bib"]).files
    assert (again.matched, again.new, again.unchanged, again.conflicts) == (0, 0, 3, [])


def _state(library) -> str:
    return hashlib.sha256(repr([p.to_json() for p in library.papers.list(limit=None)]
                               ).encode()).hexdigest()


@pytest.mark.parametrize("name, content, reason", [
    ("unbalanced.bib", b"@article{a, title = {Open {brace}, author = {X}}\n"
                       b"@article{b, title = {Fine}, author = {Y}}\n", "not whole"),
    ("huge.bib", b"@article{a, title = {" + b"x" * 10_000_000 + b"}}\n", "characters"),
    ("binary.bib", bytes(range(256)) * 40, "binary"),
    ("loop.bib", b"@string{a = b}\n@string{b = a}\n@article{c, title = {T}, journal = a,\n",
     "not whole"),
    ("empty.json", b"{\"not\": \"a list\"", "not a CSL-JSON file"),
    ("notris.ris", b"TY  - JOUR\nAU  - only an author, never ended\n", "no entries"),
])
def test_a_hostile_or_broken_file_is_one_line_and_changes_nothing(filled, tmp_path, name,
                                                                  content, reason):
    before = _state(filled)
    path = tmp_path / name
    path.write_bytes(content)
    [result] = filled.import_files([path]).files
    assert result.status == REJECTED and reason in result.error
    assert "\n" not in result.error
    assert _state(filled) == before


def test_a_string_loop_resolves_once_and_never_hangs(filled, tmp_path):
    path = tmp_path / "strings.bib"
    path.write_text("@string{a = b}\n@string{b = a}\n@article{c, title = {Looping "
                    "Strings}, journal = a, year = 2020}\n", encoding="utf-8")
    [result] = filled.import_files([path]).files
    assert result.status == IMPORTED and result.new == 1


def test_details_typed_by_hand_are_checked_and_undone(filled):
    with pytest.raises(InvalidInput, match="year 3020 is not between 1600"):
        filled.edit.set_details(1, {"year": 3020})
    with pytest.raises(InvalidInput, match="not a DOI"):
        filled.edit.set_details(1, {"doi": "doi:11.1/x"})
    with pytest.raises(InvalidInput, match="not an arXiv id"):
        filled.edit.set_details(1, {"arxiv": "1511.0639"})
    assert filled.edit.set_details(1, {"authors": ["Vinyals, Oriol", "{Google Brain}"],
                                       "year": "2015", "doi": "https://doi.org/10.1234/X",
                                       "arxiv": "arXiv:1511.06391v4",
                                       "entry_type": "inproceedings", "venue": "ICLR"}) == [
        "arxiv_id", "arxiv_version", "authors", "doi", "entry_type", "venue", "year"]
    paper = filled.papers.get(1)
    assert paper.metadata.authors == (Name("Vinyals", "Oriol"), Name("Google Brain",
                                                                     literal=True))
    assert (paper.metadata.doi, paper.metadata.arxiv_version) == ("10.1234/X", 4)
    assert filled.history.labels()[0].startswith("Edit Details")
    filled.undo()
    assert filled.papers.get(1).metadata.known() == {}
    filled.redo()
    assert filled.papers.get(1).metadata.year == 2015


def test_an_undo_of_details_leaves_a_field_changed_since(filled, tmp_path):
    filled.edit.set_details(1, {"year": 2015})
    with filled.store.write() as conn:
        conn.exec_driver_sql("UPDATE paper SET year = 2016 WHERE id = 1")
    result = filled.undo()
    assert result.skipped == 1 and filled.papers.get(1).metadata.year == 2016


def test_authors_are_searched_and_sorted_by_the_database(filled):
    filled.import_files([BIB / "zotero_bbt.bib", BIB / "arxiv_export.bib"])
    assert {h.id for h in filled.search.hits("author:okafor")} == {2}
    assert {h.paper.title for h in filled.search.hits("vinyals")} == {
        "Order Matters: Sequence to sequence for sets"}
    assert {h.id for h in filled.search.hits("author:muller OR author:Müller")} == set()
    ids = filled.papers.ids(sort="authors", descending=False)
    names = [filled.papers.get(i).authors_short for i in ids]
    known = [n for n in names if n]
    assert known == sorted(known, key=str.casefold) and names[-1] == ""
    years = [filled.papers.get(i).metadata.year for i in filled.papers.ids(sort="year")]
    assert [y for y in years if y] == sorted([y for y in years if y], reverse=True)


def test_a_library_of_the_previous_schema_opens_with_nothing_lost(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    shutil.copy(FIXTURES / "library-v7.sqlite", folder / "library.sqlite")
    with Library.open(folder) as library:
        papers = {p.id: p for p in library.papers.list(limit=None)}
        assert len(papers) == 8
        assert papers[1].tags == ("speech",) and papers[2].tags == ("speech",)
        assert papers[2].note == "read the appendix" and papers[3].status == "read"
        assert papers[4].citekey == "Calibration2026"
        assert all(p.citekey_pinned for p in papers.values())  # keys that may have left
        assert papers[5].citekey == "diffusion2026"
        library.import_files([BIB / "latex_accents.bib"])
        assert library.papers.get(5).citekey == "diffusion2026"  # pinned: never changed
        assert families(library.papers.get(5))[0] == "Müller"
        assert library.undo().label == "Set Citation Key “Calibration2026”"  # old history
    backups = list(folder.glob("library.sqlite.schema7-*.bak"))
    assert len(backups) == 1
    assert sqlite3.connect(backups[0]).execute("PRAGMA user_version").fetchone()[0] == 7


def test_keys_follow_the_metadata_until_they_are_pinned(filled):
    assert filled.papers.get(1).citekey == "sparse"
    filled.import_files([BIB / "arxiv_export.bib"])
    assert filled.papers.get(1).citekey == "ramos2026sparse"  # the file's own key
    filled.edit.set_details(2, {"authors": ["Okafor, Chidi"], "year": 2026})
    assert filled.papers.get(2).citekey == "okafor2026tinyplanner"
    assert filled.papers.by_citekey("tinyplanner").id == 2  # the old key still finds it
    filled.export.bibtex([2])  # it has left the library now
    filled.edit.set_details(2, {"authors": ["Lindqvist, Maja"], "year": 2027})
    assert filled.papers.get(2).citekey == "okafor2026tinyplanner"


def test_a_paper_that_comes_back_from_a_bibliography_gets_back_the_key_it_left_with(
        filled, tmp_path):
    """Found by the property test of keys: a paper cited (exported), deleted,
    then imported from someone's .bib under that file's key came back with
    the file's key; a document citing its old key lost it."""
    paper = filled.papers.get(2)
    filled.export.bibtex([paper.id])  # it has left the library: cited as this key
    filled.edit.delete([paper.id])
    received = tmp_path / "received.bib"
    received.write_text(f"@article{{theirs2026,\n  title = {{{paper.title}}}\n}}\n"
                        "@article{brandnew2026,\n  title = {A Paper Nobody Had Before}\n}\n",
                        encoding="utf-8")
    filled.import_files([received])
    assert by_title(filled, paper.title).citekey == paper.citekey
    assert by_title(filled, "A Paper Nobody Had Before").citekey == "brandnew2026"


def test_papers_without_a_digest_from_a_bibliography_say_so(filled):
    filled.import_files([BIB / "refs.json"])
    sutton = by_title(filled, "Learning to predict by the methods of temporal differences")
    assert sutton.times_seen == 0 and filled.papers.appearances(sutton.id) == []


@pytest.mark.parametrize("fixture", sorted(p.name for p in BIB.iterdir()))
def test_every_fixture_file_is_known_by_its_content_without_its_name(library, tmp_path,
                                                                     fixture):
    nameless = tmp_path / "download"
    nameless.write_bytes((BIB / fixture).read_bytes())
    [result] = library.import_files([nameless]).files
    assert result.status == IMPORTED, result.error
