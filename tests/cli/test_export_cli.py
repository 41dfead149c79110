"""Exports from the terminal: formats, files kept up to date (and in step after
every command that changes papers), what a document cites, keys pinned and
regenerated."""

from __future__ import annotations

import json
import re

from tests.conftest import FIXTURES


def keys_in(path) -> list[str]:
    return re.findall(r"^@\w+\{([^,]+),", path.read_text(), re.M)


def test_keep_updated_follows_every_changing_command(imported, tmp_path):
    target = tmp_path / "robots.bib"
    assert imported("tag", "2", "--add", "robots")[0] == 0
    code, _, err = imported("export", "--tag", "robots", "-o", str(target), "--keep-updated")
    assert code == 0 and "wrote 1 entry" in err and "kept up to date from now on" in err
    assert keys_in(target) == ["tinyplanner"]
    imported("tag", "5", "--add", "robots")
    assert keys_in(target) == ["diffusion", "tinyplanner"]
    imported("import", str(FIXTURES / "bib" / "zotero_bbt.bib"))  # authors, a year, a DOI
    text = target.read_text()
    assert "van der Berg, Pieter" in text and "doi" in text
    assert keys_in(target) == ["diffusion", "tinyplanner"]  # pinned when first exported
    imported("set", "5", "--venue", "CoRL")
    assert "booktitle" in target.read_text() or "CoRL" in target.read_text()
    imported("undo")
    assert "CoRL" not in target.read_text()
    before = target.stat().st_mtime_ns
    imported("mark", "1", "read")  # not in the scope: the file is not touched
    assert target.stat().st_mtime_ns == before
    code, out, _ = imported("exports")
    assert code == 0 and "robots.bib" in out and "tag “robots” · bibtex · written" in out
    listed = json.loads(imported("exports", "--json")[1])
    assert listed[0]["entries"] == 2 and listed[0]["scope"] == {"tag": "robots"}


def test_a_hand_edited_file_pauses_until_force(imported, tmp_path):
    target = tmp_path / "all.bib"
    imported("export", "--all", "-o", str(target), "--keep-updated")
    target.write_text(target.read_text() + "% my own line\n")
    code, _, err = imported("tag", "1", "--add", "later")
    assert code == 0
    assert "all.bib was changed outside Readinglist since it wrote it: not overwritten" in err
    assert target.read_text().endswith("% my own line\n")
    assert "PAUSED" in imported("exports")[1]
    code, _, err = imported("export", "--tag", "later", "-o", str(target), "--force")
    assert code == 2 and "all.bib is kept up to date with every paper" in err
    code, _, err = imported("export", "--all", "-o", str(target), "--force")
    assert code == 0 and "kept up to date" in err
    assert "% my own line" not in target.read_text() and "PAUSED" not in imported("exports")[1]
    code, _, err = imported("exports", "--remove", str(target))
    assert code == 0 and "no longer kept up to date (the file stays)" in err
    assert imported("exports", "--remove", str(target))[0] == 2
    assert "No file is kept up to date" in imported("exports")[1]


def test_aux_exports_cited_keys_in_order_and_names_the_unknown(imported, tmp_path):
    imported("citekey", "3", "Lewis2026")  # retrievalaugmented given up
    aux = tmp_path / "paper.aux"
    aux.write_text("\\relax\n\\citation{sparse,retrievalaugmented}\n\\citation{tinyplaner}\n"
                   "\\bibdata{refs}\n\\citation{calibration}\n")
    target = tmp_path / "refs.bib"
    code, _, err = imported("export", "--aux", str(aux), "-o", str(target))
    assert code == 1
    assert keys_in(target) == ["sparse", "retrievalaugmented", "calibration"]
    lines = err.strip().splitlines()
    assert "note: 'retrievalaugmented' is now 'Lewis2026'" in lines[1]
    assert lines[2] == "readinglist: unknown key 'tinyplaner' (did you mean tinyplanner?)"
    aux.write_text("\\citation{sparse}\n")
    code, out, _ = imported("export", "--aux", str(aux), "--json", "-o", str(target))
    assert code == 0 and json.loads(out)["unknown"] == []
    code, _, err = imported("export", "--aux", str(tmp_path / "missing.aux"))
    assert code == 2 and "missing.aux: no such file (run LaTeX first" in err
    code, _, err = imported("export", "--aux", str(aux), "--tag", "x")
    assert code == 2 and "give no other choice" in err


def test_formats_and_the_digest_date_note(imported):
    imported("import", str(FIXTURES / "bib" / "arxiv_export.bib"))
    code, out, _ = imported("export", "--ids", "1", "--format", "biblatex", "--digest-date")
    assert code == 0 and "@online{ramos2026sparse," in out
    assert "eprinttype  = {arXiv}" in out and "eprintclass = {eess.AS}" in out
    assert re.search(r"addendum += \{Listed in a digest of 2026-04-02\}", out), out
    code, out, _ = imported("export", "--ids", "1")
    assert "archivePrefix = {arXiv}" in out and "Listed in" not in out
    assert imported("export", "--format", "ris")[0] == 2


def test_citekey_pin_and_regenerate(imported):
    assert json.loads(imported("show", "4", "--json")[1])["citekey"] == "calibration"
    imported("citekey", "4", "--pin")
    imported("import", str(FIXTURES / "bib" / "zotero_bbt.bib"))
    assert json.loads(imported("show", "4", "--json")[1])["citekey"] == "calibration"
    code, out, err = imported("citekey", "4", "--regenerate")
    assert code == 0 and "nguyen2025calibration" in out + err
    shown = json.loads(imported("show", "calibration", "--json")[1])  # the old key finds it
    assert shown["id"] == 4 and shown["citekey"] == "nguyen2025calibration"
    assert imported("citekey", "4", "--pin", "--regenerate")[0] == 2


def test_a_latexmk_rule_and_the_kept_file_agree(imported, tmp_path):
    """The README's latexmk rule runs `export --aux` before each bibtex run on a
    file that is also kept up to date: neither pauses the other."""
    aux, target = tmp_path / "paper.aux", tmp_path / "refs.bib"
    aux.write_text("\\citation{sparse}\n")
    args = ("export", "--aux", str(aux), "-o", str(target))
    assert imported(*args, "--keep-updated")[0] == 0
    aux.write_text("\\citation{sparse}\n\\citation{tinyplanner}\n")  # a new \cite
    code, _, err = imported(*args)
    assert code == 0 and "kept up to date" in err
    assert keys_in(target) == ["sparse", "tinyplanner"]
    code, _, err = imported("note", "2", "read before Friday")
    assert code == 0 and err == "" and "read before Friday" in target.read_text()
    assert "PAUSED" not in imported("exports")[1]
