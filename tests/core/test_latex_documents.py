"""Real documents built over the export: natbib author-year through bibtex, and
biblatex through biber, citing papers with full, partial and no metadata.
The typeset text is what a reader of the paper sees; the logs must be clean.
Missing TeX tools skip these on a developer's machine and fail under CI=true
(`need`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from readinglist.core.exports.scope import Format, Scope
from readinglist.core.library import Library
from readinglist.core.sources.references import match_key
from tests.conftest import DIGESTS, FIXTURES
from tests.core.test_bibtex_tools import need, run

BIB = FIXTURES / "bib"

# (what the paper is called in the fixtures, what its metadata is like)
CITED = [
    ("Order Matters: Sequence to sequence for sets", "arXiv file"),
    ("Sparse Mixture-of-Experts Routing for Efficient Speech Recognition", "arXiv file"),
    ("Retrieval-Augmented Generation for Knowledge-Intensive NLP Tasks", "Zotero file"),
    ("TinyPlanner: Reinforcement Learning for Long-Horizon Robot Manipulation", "Zotero"),
    ("Diffusion Policies for Dexterous Grasping from Few Demonstrations", "accents"),
    ("LoRA-Drop: Parameter-Efficient Fine-Tuning by Pruning Adapters", "accents"),
    ("Scaling Laws for Data Pruning in Vision Transformers", "authors by hand, no year"),
    ("A Survey of Evaluation Benchmarks for Multimodal Agents", "a year, no author"),
    ("Retrieval-Augmented Code Generation with Repository Context", "nothing"),
    ("On the Calibration of Large Language Models under Distribution Shift", "Zotero"),
]

NATBIB = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{lmodern}
\usepackage[authoryear,round]{natbib}
\begin{document}
%(body)s
\bibliographystyle{plainnat}
\bibliography{refs}
\end{document}
"""

BIBLATEX = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{lmodern}
\usepackage[backend=biber,style=authoryear]{biblatex}
\addbibresource{refs.bib}
\begin{document}
%(body)s
\printbibliography
\end{document}
"""


@pytest.fixture(scope="module")
def cited_library(tmp_path_factory):
    """The fixture digests and three bibliography files; one paper given authors
    by hand (no year), one a year (no author), one left as its digest has it."""
    folder = tmp_path_factory.mktemp("latex") / "lib"
    with Library.open(folder) as library:
        library.import_files([*DIGESTS, BIB / "arxiv_export.bib", BIB / "zotero_bbt.bib",
                              BIB / "latex_accents.bib"])
        ids = {match_key(p.title): p.id for p in library.papers.list(limit=None)}
        library.edit.set_details(ids[match_key(CITED[6][0])],
                                 {"authors": "Okonkwo, Adaeze; Park, Ji-woo"})
        library.edit.set_details(ids[match_key(CITED[7][0])], {"year": "2024"})
        chosen = [ids[match_key(title)] for title, _ in CITED]
    yield folder, chosen


def build(folder: Path, library_folder: Path, chosen: list[int], flavour: str) -> str:
    """Export the chosen papers, cite each with the style's two commands, build
    the document; returns its text as a reader sees it."""
    tools = ["pdflatex", "pdftotext", "bibtex" if flavour == "bibtex" else "biber"]
    for tool in tools:
        need(tool)
    with Library.open(library_folder) as library:
        library.export.write_scope(folder / "refs.bib", Scope(ids=tuple(chosen)),
                                   Format(flavour))
        keys = [library.papers.get(i).citekey for i in chosen]
    textual, parenthetical = (("citet", "citep") if flavour == "bibtex" else
                              ("textcite", "parencite"))
    body = "\n".join(f"T{n}: \\{textual}{{{key}}}. P{n}: \\{parenthetical}{{{key}}}.\n"
                     for n, key in enumerate(keys))
    template = NATBIB if flavour == "bibtex" else BIBLATEX
    (folder / "doc.tex").write_text(template % {"body": body}, encoding="utf-8")
    latex = ["pdflatex", "-halt-on-error", "-interaction=nonstopmode", "doc.tex"]
    for step in (latex, [tools[2], "doc"], latex, latex):
        result = run(step, folder)
        assert result.returncode == 0, (step, result.stdout[-3000:], result.stderr[-2000:])
    log = (folder / "doc.log").read_text(errors="replace")
    blg = (folder / "doc.blg").read_text(errors="replace")
    assert not re.search(r"Warning|undefined", log), _lines(log, r"Warning|undefined")
    assert not re.search(r"Warning--|WARN|ERROR", blg), _lines(blg, r"Warning--|WARN|ERROR")
    text = run(["pdftotext", "-enc", "UTF-8", "doc.pdf", "-"], folder).stdout
    return " ".join(text.split())


def _lines(text: str, pattern: str) -> str:
    return "\n".join(line for line in text.splitlines() if re.search(pattern, line))


def citations(text: str) -> dict[str, str]:
    """T0 … P9 → what the citation typeset as."""
    return dict(re.findall(r"([TP]\d): (.*?)\.(?= [TP]\d:| References| \S*$)", text))


def test_natbib_author_year_prints_names_and_known_years_only(cited_library, tmp_path):
    library_folder, chosen = cited_library
    text = build(tmp_path, library_folder, chosen, "bibtex")
    cites = citations(text)
    assert cites["T0"] == "Vinyals et al. (2016)"  # a 2015 arXiv id; its year from the file
    assert cites["P1"] == "(Ramos et al., 2026)"
    assert cites["T3"] == "Okafor et al. (2026)"
    assert cites["T4"] == "Müller et al. (2026)"
    assert cites["T5"] == "Schön and Škvor (2026)"
    assert cites["T6"] == "Okonkwo and Park (n.d.)"  # authors by hand, no year: not the digest's
    assert cites["T7"] == "Survey of Evaluation"  # no author: its key field, never "????"
    assert cites["T8"] == "Retrieval-Augmented Code Generation"
    assert cites["P9"] == "(Nguyen and Hoffmann, 2025)"
    assert "2026 Survey" not in text and "????" not in text
    # the reference list: corporate name whole, journal volume and pages, arXiv URL
    assert "and OpenAI Robotics Team" in text
    assert "Journal of Machine Learning Research, 27(14):1–30, 2026" in text
    assert "TinyPlanner: Reinforcement learning for long-horizon" in text  # braced word kept


def test_biblatex_through_biber_prints_names_dates_and_eprints(cited_library, tmp_path):
    library_folder, chosen = cited_library
    text = build(tmp_path, library_folder, chosen, "biblatex")
    cites = citations(text)
    assert cites["T0"] == "Vinyals, Bengio, and Kudlur (2016)"
    assert cites["T2"] == "Lewis et al. (2020)"
    assert cites["T6"] == "Okonkwo and Park (n.d.)"
    assert cites["T7"] == "Survey of Evaluation (2024)"  # no author: its label, its year
    assert cites["T8"] == "Retrieval-Augmented Code Generation (n.d.)"
    assert cites["P9"] == "(Nguyen and Hoffmann 2025)"
    assert "arXiv: 2604.01234 [eess.AS]" in text  # eprint, eprinttype, eprintclass
    assert "Okafor, Chidi, Maja Lindqvist, and Pieter van der Berg (Mar. 30, 2026)" in text
    assert "doi: 10.5555/tmlr.2025.0412" in text


def test_an_aux_export_holds_what_the_document_cites_in_its_order(cited_library, tmp_path):
    library_folder, chosen = cited_library
    build(tmp_path, library_folder, chosen[:4], "bibtex")  # LaTeX wrote doc.aux
    with Library.open(library_folder) as library:
        keys = [library.papers.get(i).citekey for i in chosen[:4]]
        library.export.write_scope(tmp_path / "cited.bib", Scope(aux=str(tmp_path / "doc.aux")))
    written = re.findall(r"^@\w+\{([^,]+),", (tmp_path / "cited.bib").read_text(), re.M)
    assert written == keys


def test_a_bcf_export_holds_what_biber_would_read(cited_library, tmp_path):
    library_folder, chosen = cited_library
    build(tmp_path, library_folder, chosen[3:7], "biblatex")  # LaTeX wrote doc.bcf
    with Library.open(library_folder) as library:
        keys = [library.papers.get(i).citekey for i in chosen[3:7]]
        library.export.write_scope(tmp_path / "cited.bib", Scope(aux=str(tmp_path / "doc.bcf")),
                                   Format("biblatex"))
    written = re.findall(r"^@\w+\{([^,]+),", (tmp_path / "cited.bib").read_text(), re.M)
    assert written == keys
