"""BibTeX writing and citation keys, without the TeX tools (see test_bibtex_tools.py)."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist.core.bibtex import entries, escape
from readinglist.core.bibtex import keys as citation_keys
from readinglist.core.errors import InvalidInput, NotFound
from readinglist.core.library import Filter, Library
from readinglist.core.storage.atomic import write_atomic
from tests.conftest import DIGESTS, FIXTURES

HOSTILE_NOTE = "50% & a_b #1 $5 {unbalanced ~ ^ \\"


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("CogACT: A Foundational Vision-Language-Action Model", "cogact2025"),
        ("A Survey on Mixture of Experts", "survey2025"),
        ("The Role of Data", "role2025"),
        ("When Does Metadata Conditioning (NOT) Work?", "metadata2025"),
        ("LoRA-Drop: Pruning Adapters", "loradrop2025"),
        ("Ünïcode Straße für Übersetzung", "unicode2025"),
        ("日本語のタイトル", "paper2025"),
        ("On the of a", "paper2025"),
    ],
)
def test_base_key(title, key):
    assert citation_keys.base_key(title, 2025) == key


def test_clashing_keys_get_suffixes_for_the_newcomer():
    taken: set[str] = set()
    keys = []
    for _ in range(29):
        key = citation_keys.next_free_key("deep2025", taken)
        taken.add(key.lower())
        keys.append(key)
    assert keys[:3] == ["deep2025", "deep2025a", "deep2025b"]
    assert keys[26:29] == ["deep2025z", "deep2025aa", "deep2025ab"]
    assert citation_keys.next_free_key("x2025", {"x2025"}) == "x2025a"


@pytest.mark.parametrize(
    ("text", "latex"),
    [
        (HOSTILE_NOTE,
         r"50\% \& a\_b \#1 \$5 \textbraceleft{}unbalanced \textasciitilde{} "
         r"\textasciicircum{} \textbackslash{}"),
        (r"up to 13\% on tasks", r"up to 13\% on tasks"),  # already escaped: kept
        (r"One For All (\textsc{Ofa}), which", r"One For All (\textsc{Ofa}), which"),
        (r"just 187 and \800 each", r"just 187 and \textbackslash{}800 each"),
        ("operator G_{stack} and {BoolQ, SST2}",
         r"operator G\_\textbraceleft{}stack\textbraceright{} and "
         r"\textbraceleft{}BoolQ, SST2\textbraceright{}"),
        (r"OIE\url{https://github.com/C_d/x}", r"OIEhttps://github.com/C\_d/x"),
        (r"caf\'e and na\"{i}ve \v{s}", r"caf\'e and na\"{i}ve \v{s}"),
        (r"\undefinedmacro{x}",
         r"\textbackslash{}undefinedmacro\textbraceleft{}x\textbraceright{}"),
        ("a}b{c", r"a\textbraceright{}b\textbraceleft{}c"),
        (r"\{ \}", r"\textbraceleft{} \textbraceright{}"),
        (r"\textbf{open", r"\textbf{open}"),  # a kept command is closed at the end
        (r"\textbf{a {b} c} d", r"\textbf{a \textbraceleft{}b\textbraceright{} c} d"),
        (r"\{ only", r"\textbraceleft{} only"),
        ("line one\nline two\x00\u200b end", "line one line two end"),
        ("less < more > pipe |", r"less \textless{} more \textgreater{} pipe \textbar{}"),
    ],
)
def test_escape(text, latex):
    assert escape.escape(text) == latex


@pytest.mark.parametrize(
    ("title", "latex"),
    [
        ("CogACT: A Foundational Model", "{CogACT}: A Foundational Model"),
        ("BERT and LoRA for GPT-4 on T5", "{BERT} and {LoRA} for {GPT}-4 on {T5}"),
        ("Large Language Models", "Large Language Models"),
        ("iPhone Apps", "{iPhone} Apps"),
        (r"The \LaTeX{} Companion", r"The {\LaTeX{}} Companion"),
        ("A_B Testing at 50%", r"A\_B Testing at 50\%"),
    ],
)
def test_titles_protect_acronyms_and_names_only(title, latex):
    assert escape.escape(title, protect=True) == latex


def _bibtex_brace_depths(latex: str) -> list[int]:
    """Brace depth after each character, counted as BibTeX counts (\\{ too)."""
    depth, depths = 0, []
    for ch in latex:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        depths.append(depth)
    return depths


# A special not preceded by a backslash (\~ and \^ are accents, which are fine).
_UNESCAPED = re.compile(r"(?<!\\)[%&#_$~^]")


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(alphabet=list("ab {}\\%&#_$~^<>|'\"`.xyzABC\n\t"), max_size=60),
                st.text(max_size=60)),
       st.booleans())
def test_any_text_escapes_to_balanced_braces_and_no_raw_specials(text, protect):
    latex = escape.escape(text, protect=protect)
    depths = _bibtex_brace_depths(latex)
    assert all(d >= 0 for d in depths) and (not depths or depths[-1] == 0)
    assert not _UNESCAPED.search(latex), latex
    # no stray backslash: every one starts a command
    assert not re.search(r"\\(?![A-Za-z%&#_${}'`^\"~=.])", latex), latex


def test_render_is_deterministic_and_sorted_by_key(filled):
    first = filled.export.bibtex()
    assert first == filled.export.bibtex()
    keys = re.findall(r"^@misc\{([^,]+),", first, re.M)
    assert keys == sorted(keys) and len(keys) == 8 == len(set(keys))
    assert first.startswith("% Encoding: UTF-8\n")


def test_entry_fields(filled):
    filled.tags.add([3], ["RL & planning", "code"])
    filled.edit.set_note(3, HOSTILE_NOTE)
    text = filled.export.bibtex([3])
    assert "@misc{retrievalaugmented," in text
    # the digest's date is no publication's: "no date", as styles write it
    assert "  year     = {n.d.},\n" in text and "month" not in text and "2026" not in text
    assert "  key      = {Retrieval-Augmented Code Generation},\n" in text  # no author: sorted so
    assert "  url      = {https://github.com/example-lab/repo-rag},\n" in text
    assert r"  keywords = {code, RL \& planning}," in text
    assert r"annote   = {50\% \& a\_b" in text
    online = filled.export.bibtex([3], flavour="biblatex")
    assert "@online{retrievalaugmented," in online
    assert "date" not in online and re.search(r"\n  sortkey +\= \{Retrieval", online)
    assert re.search(r"\n  annotation = \{50\\% ", online)


def test_keys_assigned_at_import_and_never_changed(library, tmp_path):
    library.import_files(DIGESTS)
    before = {p.id: p.citekey for p in library.papers.list(limit=None)}
    assert before[1] == "sparse"
    clash = tmp_path / "clash.txt"
    clash.write_text(
        "Apr 20\n\nSparse Attention for Long Documents\n\n" + "An abstract sentence. " * 20
        + "\n\nSPARSE Coding Revisited\n\n" + "Another abstract sentence. " * 20 + "\n"
    )
    library.import_files([clash])
    after = {p.id: p.citekey for p in library.papers.list(limit=None)}
    assert {i: after[i] for i in before} == before  # old keys unchanged
    newcomers = sorted(after[i] for i in after if i not in before)
    assert newcomers == ["sparsea", "sparseb"]
    assert filled_keys_unique(library)


def filled_keys_unique(library) -> bool:
    keys = [p.citekey.lower() for p in library.papers.list(limit=None)]
    return len(keys) == len(set(keys)) and all(keys)


def test_set_citekey_by_hand(filled):
    filled.edit.set_citekey(3, "Lewis2026:RepoRAG")
    assert filled.papers.get(3).citekey == "Lewis2026:RepoRAG"
    filled.edit.set_citekey(3, "Lewis2026:RepoRAG")  # its own key again: fine
    with pytest.raises(InvalidInput, match="taken by paper 3"):
        filled.edit.set_citekey(4, "lewis2026:reporag")
    for bad in ("", "has space", "brace{", "com,ma", "%x", "-lead"):
        with pytest.raises(InvalidInput):
            filled.edit.set_citekey(4, bad)
    with pytest.raises(NotFound):
        filled.edit.set_citekey(99, "free")
    assert "@misc{Lewis2026:RepoRAG," in filled.export.bibtex([3])


def test_deleted_papers_keys_are_not_handed_out_again(library, tmp_path):
    library.import_files([DIGESTS[0]])
    speech = library.papers.get(1)
    assert speech.citekey == "sparse"
    library.edit.delete([1])
    other = tmp_path / "other.txt"
    other.write_text("Apr 22\n\nSparse Autoencoders Everywhere\n\n" + "Words here. " * 30 + "\n")
    library.import_files([other])
    (newcomer,) = [p for p in library.papers.list(limit=None) if p.title.startswith("Sparse Auto")]
    assert newcomer.citekey == "sparsea"


def test_a_key_given_up_by_a_rekey_is_never_handed_out_again(library, tmp_path):
    library.import_files([DIGESTS[0]])
    assert library.papers.get(1).citekey == "sparse"
    library.edit.set_citekey(1, "Vaswani2026")
    library.undo()
    library.redo()  # sparse given up twice over: still retired
    other = tmp_path / "other.txt"
    other.write_text("Apr 22\n\nSparse Autoencoders Everywhere\n\n" + "Words here. " * 30 + "\n")
    library.import_files([other])
    (newcomer,) = [p for p in library.papers.list(limit=None) if p.title.startswith("Sparse Auto")]
    assert newcomer.citekey == "sparsea"
    library.edit.set_citekey(1, "sparse")  # a hand choice may take it back
    assert library.papers.get(1).citekey == "sparse"


def test_a_paper_deleted_and_imported_again_gets_its_key_back(library, tmp_path):
    library.import_files(DIGESTS)
    last = max(library.papers.ids())
    gone = library.papers.get(last)
    old_key = gone.citekey
    library.edit.set_citekey(last, "Mine2026")  # old_key retired, Mine2026 pinned
    library.edit.delete([last])
    other = tmp_path / "other.txt"  # takes the deleted paper's id (SQLite reuses it)
    other.write_text("Apr 22\n\nMine Craft Revisited\n\n" + "Words here. " * 30 + "\n")
    library.import_files([other])
    assert library.papers.get(last).title == "Mine Craft Revisited"
    assert library.papers.get(last).citekey not in ("Mine2026", old_key)
    with pytest.raises(InvalidInput, match="given up by another paper"):
        library.edit.set_citekey(last, "Mine2026")
    again = tmp_path / "again.txt"  # the deleted paper comes back: its key with it
    again.write_text(f"Apr 23\n\n{gone.title}\n\n{gone.abstract}\n")
    library.import_files([again])
    [back] = [p for p in library.papers.list(limit=None) if p.id > last]
    assert back.citekey == "Mine2026"
    aux = tmp_path / "doc.aux"
    aux.write_text(f"\\citation{{{old_key}}}\n\\citation{{Mine2026}}\n")
    cited = library.export.cited(aux)
    assert cited.entries == [(old_key, back.id), ("Mine2026", back.id)]
    assert cited.renamed == [(old_key, "Mine2026")] and cited.unknown == []


def test_export_selections(filled):
    filled.tags.add([2, 5], ["robots"])
    filled.edit.set_status([5, 7], "read")

    def keys(**kwargs):
        return re.findall(r"^@\w+\{([^,]+),", filled.export.bibtex(**kwargs), re.M)

    assert len(keys()) == 8
    assert keys(view=Filter(tag="robots")) == ["diffusion", "tinyplanner"]
    assert keys(view=Filter(status="read")) == ["diffusion", "scaling"]
    assert keys(query="pruning") == ["loradrop", "scaling"]
    assert keys(query="pruning", view=Filter(status="read")) == ["scaling"]
    assert keys(ids=[4]) == ["calibration"]
    with pytest.raises(NotFound):
        filled.export.bibtex([4, 404])
    with pytest.raises(InvalidInput):
        filled.export.bibtex(flavour="ris")


def test_write_atomic_replaces_whole_file_or_nothing(tmp_path, monkeypatch):
    target = tmp_path / "refs.bib"
    target.write_text("old contents\n")
    write_atomic(target, "new contents\n")
    assert target.read_text() == "new contents\n"
    assert [p.name for p in tmp_path.iterdir()] == ["refs.bib"]

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(target, "half")
    assert target.read_text() == "new contents\n"
    assert [p.name for p in tmp_path.iterdir()] == ["refs.bib"]


def test_a_written_export_is_streamed_in_key_order_and_whole_or_not_at_all(
        filled, tmp_path, monkeypatch):
    import readinglist.core.exports.writer as library_module

    monkeypatch.setattr(library_module, "EXPORT_CHUNK", 3)  # 8 papers: three reads
    filled.edit.set_citekey(8, "Aardvark")  # case does not change the order
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "refs.bib"
    assert filled.export.write(target) == 8
    whole = target.read_text()
    assert whole == filled.export.bibtex()
    keys = re.findall(r"^@misc\{([^,]+),", whole, re.M)
    assert keys[0] == "Aardvark" and keys == sorted(keys, key=str.lower)
    assert filled.export.write(target, view=Filter(status="unread"), flavour="biblatex") == 8
    assert target.read_text() == filled.export.bibtex(view=Filter(status="unread"),
                                                      flavour="biblatex")

    target.write_text(whole)
    real_entry, calls = entries.entry, []

    def failing_entry(paper, key, flavour="bibtex", options=None):
        calls.append(key)
        if len(calls) == 5:  # in the second read
            raise OSError(28, "No space left on device")
        return real_entry(paper, key, flavour, options)

    monkeypatch.setattr(entries, "entry", failing_entry)
    with pytest.raises(OSError):
        filled.export.write(target)
    assert target.read_text() == whole
    assert [p.name for p in target.parent.iterdir()] == ["refs.bib"]


def test_schema_1_library_is_migrated_with_keys_and_nothing_lost(tmp_path):
    folder = tmp_path / "old-lib"
    folder.mkdir()
    shutil.copy(FIXTURES / "library-v1.sqlite", folder / "library.sqlite")
    with Library.open(folder) as library:
        assert library.search.hits("pruning") and library.index_rebuilt  # it came without one
        stats = library.papers.stats()
        assert (stats.papers, stats.appearances, stats.digests) == (8, 11, 3)
        assert (stats.read, stats.skimmed, stats.notes) == (2, 1, 1)
        paper = library.papers.get(3)
        assert paper.tags == ("RL & planning", "robots")
        assert paper.note == "Written by schema 1: 50% & a_b"
        keys = {p.id: p.citekey for p in library.papers.list(limit=None)}
        assert keys[1] == "sparse2026" and keys[3] == "retrievalaugmented2026"
        assert len(set(keys.values())) == 8
        assert [h.id for h in library.search.hits("tag:robots")] == [3, 1] or {
            h.id for h in library.search.hits("tag:robots")} == {1, 3}
    backups = list(folder.glob("library.sqlite.schema1-*.bak"))
    assert len(backups) == 1
    conn = sqlite3.connect(backups[0])
    assert conn.execute("PRAGMA user_version").fetchone() == (1,)
    conn.close()


def test_a_url_with_a_backslash_or_braces_is_percent_encoded(filled, tmp_path):
    digest = tmp_path / "odd-links.txt"
    digest.write_text(
        "Daily Papers\n\nApr 20, 2026\n\nOdd Addresses in an Abstract\n\n"
        "This abstract links its project page with characters a BibTeX url field cannot "
        "hold as they are: https://example.org/a\\b{c}d and nothing else of note here.\n",
        encoding="utf-8")
    filled.import_files([digest])
    [paper] = [p for p in filled.papers.list() if p.title == "Odd Addresses in an Abstract"]
    [url] = re.findall(r"^\s*url\s*=\s*\{(.*)\},?$", entries.entry(paper, paper.citekey), re.M)
    assert url == "https://example.org/a%5Cb%7Bc%7Dd"


def test_many_papers_of_one_base_get_its_keys_in_order_in_a_few_queries(tmp_path):
    """Every synthetic title begins "Synthetic Study", so every paper has the
    same base key: across files (transactions) the keys go on in order, and a
    file's keys cost a few queries however many papers share the base."""
    from sqlalchemy import event

    from tests.synthetic import write_digests

    distinct, _ = write_digests(tmp_path / "digests", files=5, per_file=80)
    files = sorted((tmp_path / "digests").glob("*.txt"))
    with Library.open(tmp_path / "lib") as library:
        library.import_files(files[:4])
        key_queries: list[str] = []

        def count(_conn, _cursor, statement, *_args):
            if "citekey" in statement:
                key_queries.append(statement)

        event.listen(library.store.engine, "before_cursor_execute", count)
        library.import_files(files[4:])
        event.remove(library.store.engine, "before_cursor_execute", count)
        with sqlite3.connect(library.db_path) as conn:
            keys = [k for (k,) in conn.execute("SELECT citekey FROM paper ORDER BY id")]
    assert len(keys) == distinct > 300
    base = keys[0]
    assert keys == [citation_keys.candidate(base, n) for n in range(len(keys))]
    # the fifth file's 60 newcomers, all after 260 taken keys of their base
    assert len(key_queries) <= 12, len(key_queries)
