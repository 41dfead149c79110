"""A digest must never forge a citation: hostile titles, abstracts, notes and
tags export to exactly one entry per paper, each field meaning what the text
said, in one linear pass (no recursion), and bibtex and biber accept it."""

from __future__ import annotations

import random
import re

import bibtexparser
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from readinglist.core.bibtex import entries, escape
from readinglist.core.views import PaperView
from tests.core.test_bibtex_tools import need, run

FORGERY = (r"Good results. \url{\}}, junk = \url{{\}}} @misc\url{{cogact2026, "
           r"title = {FORGED TITLE}, year = {1999}}} and more.")


def paper(number: int, title: str, abstract: str = "", note: str = "",
          tags: tuple[str, ...] = ()) -> PaperView:
    return PaperView(id=number, title=title, abstract=abstract, status="unread", tags=tags,
                     note=note, first_seen="2026-03-18", last_seen="2026-03-18", times_seen=1,
                     links=(f"https://example.org/paper/{number}",), citekey=f"paper{number}")


def export(papers: list[PaperView], flavour: str = "bibtex") -> str:
    return entries.HEADER + "".join(entries.entry(p, p.citekey, flavour) for p in papers)


def fields_by_key(text: str) -> dict[str, dict[str, str]]:
    parsed = bibtexparser.parse_string(text)
    assert parsed.failed_blocks == []
    keys = [e.key for e in parsed.entries]
    assert len(keys) == len(set(keys))
    return {e.key: {f.key: f.value for f in e.fields} for e in parsed.entries}


def bibtex_run(folder, text: str, style: str = "plain") -> str:
    """bibtex over every entry; returns the .bbl (fails on any error)."""
    need("bibtex")
    (folder / "refs.bib").write_text(text, encoding="utf-8")
    (folder / "doc.aux").write_text(
        f"\\relax\n\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{refs}}\n",
        encoding="utf-8")
    result = run(["bibtex", "doc"], folder)
    log = result.stdout + (folder / "doc.blg").read_text(errors="replace")
    assert result.returncode in (0, 1), log  # 1: warnings only (a digest has no author)
    assert "error message" not in log, log
    return (folder / "doc.bbl").read_text(encoding="utf-8", errors="replace")


def biber_check(folder, text: str) -> None:
    need("biber")
    bib = folder / "check.bib"
    bib.write_text(text, encoding="utf-8")
    result = run(["biber", "--tool", "--validate-datamodel", "--output-directory",
                  str(folder), bib.name], folder)
    output = (result.stdout + result.stderr).replace(str(folder), "")  # its name says "brace"
    assert result.returncode == 0, output
    assert not re.search(r"^(ERROR|WARN.*(syntax|brace))", output, re.M | re.I), output


def test_an_abstract_cannot_close_its_entry_and_forge_another(tmp_path):
    victim = paper(1, "CogACT: A Foundational Vision-Language-Action Model")
    victim = PaperView(**{**victim.__dict__, "citekey": "cogact2026"})
    papers = [victim, paper(2, "Innocent title", abstract=FORGERY, note=FORGERY,
                            tags=("x}y", FORGERY[:40]))]
    text = export(papers)
    fields = fields_by_key(text)
    assert set(fields) == {"cogact2026", "paper2"}
    assert "FORGED" not in fields["cogact2026"]["title"]
    assert set(fields["paper2"]) == {"key", "title", "year", "url", "abstract", "keywords",
                                     "annote"}
    bbl = bibtex_run(tmp_path, text)
    assert bbl.count(r"\bibitem") == 2 and "FORGED" not in bbl
    assert "CogACT" in bbl
    biber_check(tmp_path, export(papers, "biblatex"))


def test_one_lone_brace_anywhere_keeps_the_whole_bibliography(tmp_path):
    papers = [paper(n, f"Paper number {n}") for n in range(1, 75)]
    papers[10] = paper(11, r"A title with \url{\}} inside", note=r"and a note with \url{\}}")
    papers[40] = paper(41, "Another", abstract="a } b { { c")
    bbl = bibtex_run(tmp_path, export(papers))
    assert bbl.count(r"\bibitem") == 74
    biber_check(tmp_path, export(papers, "biblatex"))


def test_deep_nesting_and_long_abstracts_export_without_recursion():
    deep = "\\textbf{" * 3000 + "deep" + "}" * 3000
    long = "\\textbf{" * 16000  # 125 KB, never closed
    text = export([paper(1, "Deep", abstract=deep), paper(2, "Long", abstract=long, note=deep)])
    fields = fields_by_key(text)
    assert "deep" in fields["paper1"]["abstract"]
    assert fields["paper1"]["abstract"].count(r"\textbf{") == escape.MAX_DEPTH


# -- generated text: what each field means must survive the trip -----------------------

# Everything LaTeX and BibTeX treat specially, and letters that can never spell a
# command the exporter keeps (so each character means itself).
HOSTILE = [*"\\{}%#@,=$&_~^<>|\"xyQ19 \t\n", "@misc{", "}}", "{{", "\\}", "title = {"]
# … and what a forger would add: a kept command whose meaning is its argument.
FORGING = [*HOSTILE, "\\url{", "\\textbf{", "@misc{paper1, title = {FORGED}"]
_UNESCAPE = {r"\textbraceleft{}": "{", r"\textbraceright{}": "}", r"\textbackslash{}": "\\",
             r"\textasciitilde{}": "~", r"\textasciicircum{}": "^", r"\textless{}": "<",
             r"\textgreater{}": ">", r"\textbar{}": "|", "\\%": "%", "\\&": "&", "\\_": "_",
             "\\#": "#", "\\$": "$"}
_LATEX_PIECE = re.compile("|".join(re.escape(k) for k in _UNESCAPE) + r"|[{}]")


def printed(latex: str) -> str:
    """What LaTeX prints for the exporter's output (its own braces print nothing)."""
    return _LATEX_PIECE.sub(lambda m: _UNESCAPE.get(m.group(), ""), latex)


def meant(text: str) -> str:
    """What the text says: \\{ \\} \\% … are the characters they escape; whitespace folds."""
    text = " ".join(text.split())
    return re.sub(r"\\([%&_#${}])", r"\1", text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(*[st.lists(st.sampled_from(HOSTILE), max_size=30).map("".join)] * 4),
                min_size=1, max_size=5))
def test_any_hostile_text_is_one_entry_per_paper_meaning_what_it_said(texts):
    for parts in texts:
        # \~ \^ \" before a letter are accents: a different (kept) meaning
        assume(not any(re.search(r"\\[~^\"]", part) for part in parts))
    papers = [paper(n, title or "t", abstract, note, (tag,) if tag.strip(" ,") else ())
              for n, (title, abstract, note, tag) in enumerate(texts, start=1)]
    fields = fields_by_key(export(papers))
    assert list(fields) == [p.citekey for p in papers]
    for p in papers:
        got = fields[p.citekey]
        assert printed(got["title"]) == meant(p.title)
        if p.abstract:
            assert printed(got["abstract"]) == meant(p.abstract)
        if p.note.strip():
            assert printed(got["annote"]) == meant(p.note)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(*[st.lists(st.sampled_from(FORGING), max_size=30).map("".join)] * 4),
                min_size=1, max_size=5))
def test_no_text_adds_removes_or_rewrites_an_entry_or_a_field(texts):
    papers = [paper(n, title or "t", abstract, note, (tag,) if tag.strip(" ,") else ())
              for n, (title, abstract, note, tag) in enumerate(texts, start=1)]
    for flavour in entries.FLAVOURS:
        fields = fields_by_key(export(papers, flavour))
        assert list(fields) == [p.citekey for p in papers]
        for p in papers:
            assert "FORGED" not in fields[p.citekey].get("year", "")
            assert fields[p.citekey]["url"] == p.links[0]


def test_a_sample_of_hostile_exports_passes_bibtex_and_biber(tmp_path):
    chooser = random.Random(20261122)
    pieces = [*FORGING, "\\'e", "\\LaTeX", "BERT ", "\\v{s}", "\\emph{x}"]

    def hostile() -> str:
        return "".join(chooser.choice(pieces) for _ in range(chooser.randint(0, 60)))

    papers = [paper(n, hostile() or "t", hostile(), hostile(), (hostile()[:30] or "tag",))
              for n in range(1, 61)]
    bbl = bibtex_run(tmp_path, export(papers))
    assert bbl.count(r"\bibitem") == 60
    biber_check(tmp_path, export(papers, "biblatex"))
    assert len(fields_by_key(export(papers, "biblatex"))) == 60


@pytest.mark.parametrize("flavour", entries.FLAVOURS)
def test_tags_with_commas_and_braces_stay_within_keywords(flavour):
    text = export([paper(1, "T", tags=("a}b", "{c", "d\\"))], flavour)
    fields = fields_by_key(text)
    assert printed(fields["paper1"]["keywords"]) == "a}b, {c, d\\"
