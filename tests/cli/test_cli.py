"""The CLI contract: sub-commands, JSON shapes, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from readinglist import __version__
from tests.conftest import DIGESTS, FIXTURES

PAPER_KEYS = {"id", "citekey", "title", "abstract", "status", "tags", "note", "first_seen",
              "last_seen", "times_seen", "links",
              # what references say of it (null or [] while not known), and from where
              "authors", "year", "month", "date", "type", "venue", "volume", "number", "pages",
              "publisher", "doi", "arxiv", "arxiv_version", "arxiv_category", "url", "pdf_url",
              "sources",
              # when it was marked not interested, or null
              "dismissed"}


def test_import_text_output_and_exit_code(cli):
    code, out, err = cli("import", *map(str, DIGESTS))
    assert code == 0 and err == ""
    assert "imported" in out and "digest_apr03.txt (2026-04-03): 2 new, 2 seen before" in out
    assert out.strip().splitlines()[-1] == (
        "8 new papers, 3 seen before; 3 imported, 0 already imported, 0 rejected"
    )
    code, out, _ = cli("import", str(DIGESTS[0]))
    assert code == 0 and out.startswith("already imported")


def test_import_json_shape_and_rejected_file_gives_exit_1(cli):
    empty = FIXTURES / "empty.txt"
    code, out, err = cli("import", str(DIGESTS[0]), str(empty), str(DIGESTS[1]), "--json")
    assert code == 1
    data = json.loads(out)
    assert [f["status"] for f in data["files"]] == ["imported", "rejected", "imported"]
    assert set(data["files"][0]) >= {"path", "status", "new", "seen", "warnings", "error"}
    assert data["files"][1]["error"] == "the file is empty"
    assert (data["new"], data["seen"], data["rejected"]) == (6, 2, 1)
    # the rejection is one line on stderr naming the file and the reason
    assert err.strip().splitlines() == [f"readinglist: rejected {empty}: the file is empty"]


def test_import_year_and_warnings(cli):
    code, out, _ = cli("import", str(FIXTURES / "missing_abstract.txt"), "--year", "2024")
    assert code == 0
    assert "(2024-04-08)" in out
    assert "warning: missing_abstract.txt: line" in out and "has no abstract" in out


def test_import_of_nothing_found_is_an_error(cli, tmp_path):
    (tmp_path / "empty-folder").mkdir()
    code, _, err = cli("import", str(tmp_path / "empty-folder"))
    assert code == 1 and "no digest files found" in err


def test_list_json_and_filters(imported):
    code, out, _ = imported("list", "--json")
    papers = json.loads(out)
    assert code == 0 and len(papers) == 8
    assert set(papers[0]) == PAPER_KEYS
    assert papers[0]["last_seen"] == "2026-04-05"  # newest first, dates as YYYY-MM-DD
    imported("mark", "1", "2", "read")
    imported("tag", "2", "3", "--add", "robots")
    _, out, _ = imported("list", "--status", "read", "--tag", "robots", "--json")
    assert [p["id"] for p in json.loads(out)] == [2]
    _, out, _ = imported("list", "--query", "pruning", "--json")
    assert len(json.loads(out)) == 2
    _, out, _ = imported("list", "--limit", "2", "--sort", "title")
    assert len(out.strip().splitlines()) == 4  # header + 2 rows + "… 6 more"
    _, out, _ = imported("list", "--since", "2026-04-05", "--json")
    assert len(json.loads(out)) == 3


def test_search_json_has_score_and_snippet(imported):
    code, out, _ = imported("search", "dexterous grasping", "--json")
    (hit,) = json.loads(out)
    assert code == 0
    assert set(hit) == PAPER_KEYS | {"score", "snippet"}
    assert hit["score"] > 0 and "**" in hit["snippet"]
    code, out, _ = imported("search", "zzzzunknown")
    assert code == 1 and out.strip() == "No matches."  # as grep
    code, out, err = imported("search", '"broken (syntax')
    assert code in (0, 1) and "Traceback" not in err  # read as plain words, found or not


def test_show_text_and_json(imported):
    code, out, _ = imported("show", "3", "--json")
    paper = json.loads(out)
    assert code == 0 and set(paper) == PAPER_KEYS and paper["id"] == 3
    assert paper["times_seen"] == 2 and paper["links"] == ["https://github.com/example-lab/repo-rag"]
    code, out, _ = imported("show", "3")
    assert "Retrieval-Augmented Code Generation" in out and "2026-04-03  digest_apr03.txt" in out


def test_tag_tags_rename_and_delete(imported):
    code, out, _ = imported("tag", "1", "2,3", "--add", "Robots", "--add", "to read")
    assert code == 0 and "Robots, to read" in out
    imported("tag", "1", "--remove", "robots")
    code, out, _ = imported("tags", "--json")
    assert json.loads(out) == [{"name": "Robots", "count": 2}, {"name": "to read", "count": 3}]
    assert imported("tags", "rename", "to read", "robots")[0] == 0  # merge
    _, out, _ = imported("tags")
    assert out.split() == ["3", "Robots"]
    assert imported("tags", "delete", "robots")[0] == 0
    _, out, _ = imported("tags")
    assert "No tags yet" in out


def test_note_from_argument_and_from_stdin(imported):
    assert imported("note", "4", "first thought")[0] == 0
    assert json.loads(imported("show", "4", "--json")[1])["note"] == "first thought"
    code, out, _ = imported("note", "4", "-", stdin="from a pipe\nsecond line\n")
    assert code == 0 and "saved" in out
    assert json.loads(imported("show", "4", "--json")[1])["note"] == "from a pipe\nsecond line"
    code, out, _ = imported("note", "4", "")
    assert "cleared" in out


def test_stats_json(imported):
    imported("mark", "1", "skimmed")
    code, out, _ = imported("stats", "--json")
    stats = json.loads(out)
    assert code == 0
    assert {k: stats[k] for k in ("papers", "appearances", "digests", "tags", "unread",
                                  "skimmed", "read")} == {
        "papers": 8, "appearances": 11, "digests": 3, "tags": 0, "unread": 7, "skimmed": 1,
        "read": 0,
    }


def test_reindex(imported, lib):
    code, out, _ = imported("reindex")
    assert code == 0 and out.strip() == "search index rebuilt: 8 papers"


def test_library_option_after_the_command_and_from_the_environment(cli, tmp_path, monkeypatch):
    other = tmp_path / "after"
    code, _, _ = cli("import", str(DIGESTS[0]), "--library", str(other), library=False)
    assert code == 0 and (other / "library.sqlite").exists()
    monkeypatch.setenv("READINGLIST_HOME", str(tmp_path / "from-env"))
    code, out, _ = cli("stats", "--json", library=False)
    assert code == 0 and json.loads(out)["papers"] == 0
    assert (tmp_path / "from-env" / "library.sqlite").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["frobnicate"],
        ["import"],
        ["import", "x.txt", "--year", "twenty"],
        ["import", "x.txt", "--year", "99"],
        ["list", "--status", "done"],
        ["list", "--limit", "-3"],
        ["list", "--sort", "colour"],
        ["list", "--since", "yesterday"],
        ["search"],
        ["search", "x", "--limit", "many"],
        ["show"],
        ["show", "abc"],
        ["show", "0"],
        ["show", "999"],
        ["tag", "1"],
        ["tag", "x", "--add", "t"],
        ["tag", "1", "--add", "a,b"],
        ["tag", "1", "--add", "  "],
        ["tag", "999", "--add", "t"],
        ["tags", "rename", "only-one"],
        ["tags", "rename", "missing", "new"],
        ["tags", "bogus"],
        ["note", "1"],
        ["note", "999", "x"],
        ["mark", "1"],
        ["mark", "1", "done"],
        ["mark", "999", "read"],
        ["stats", "--verbose"],
        ["reindex", "extra"],
        ["export", "--ids", "x"],
        ["export", "--ids", "999"],
        ["export", "--status", "done"],
        ["citekey", "1"],
        ["citekey", "999", "free"],
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(imported, args):
    code, out, err = imported(*args)
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "error:" in lines[0]


def test_damaged_library_is_one_line_exit_1(cli, lib):
    os.makedirs(lib)
    with open(os.path.join(lib, "library.sqlite"), "wb") as f:
        f.write(b"not a database at all" * 50)
    code, _, err = cli("stats")
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "library.sqlite" in err


def test_bare_command_and_gui_open_the_window_on_the_chosen_library(cli, lib, monkeypatch):
    import readinglist.ui.app

    opened = []

    def run(folder, files=(), import_dialog=False):
        opened.append((str(folder), [str(f) for f in files], import_dialog))
        return 0

    monkeypatch.setattr(readinglist.ui.app, "run", run)
    assert cli()[0] == 0
    assert cli("gui", library=False)[0] == 0
    assert cli("gui", "a.txt", "b.txt", library=False)[0] == 0
    assert cli("gui", "--import-dialog", library=False)[0] == 0
    home = os.environ["READINGLIST_HOME"]
    assert opened == [(lib, [], False), (home, [], False), (home, ["a.txt", "b.txt"], False),
                      (home, [], True)]


def test_help_and_version(cli):
    code, out, _ = cli("--help", library=False)
    assert code == 0 and "import" in out and "search" in out
    code, out, _ = cli("--version", library=False)
    assert code == 0 and out.strip() == f"readinglist {__version__}"


def test_python_dash_m_and_console_script_run_in_a_real_process(tmp_path):
    env = {**os.environ, "READINGLIST_HOME": str(tmp_path / "proc-lib")}
    result = subprocess.run(
        [sys.executable, "-m", "readinglist", "import", str(DIGESTS[0]), "--json"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["new"] == 4
    result = subprocess.run(
        [sys.executable, "-m", "readinglist", "show", "77"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "readinglist show: error: no paper with id 77"


def test_export_to_stdout_and_to_a_file(imported, tmp_path):
    imported("tag", "2", "5", "--add", "robots")
    code, out, _ = imported("export", "--tag", "robots")
    assert code == 0
    assert re.findall(r"^@misc\{([^,]+),", out, re.M) == ["diffusion", "tinyplanner"]
    target = tmp_path / "refs.bib"
    target.write_text("an older export\n")
    code, out, err = imported("export", "--query", "pruning", "--biblatex", "-o", str(target))
    assert code == 0 and out == "" and "wrote 2 entries" in err
    assert re.findall(r"^@online\{([^,]+),", target.read_text(), re.M) == [
        "loradrop", "scaling",
    ]
    code, out, _ = imported("export", "--ids", "4,1", "--status", "unread")
    assert re.findall(r"^@misc\{([^,]+),", out, re.M) == ["calibration", "sparse"]


def test_citekey_command_and_show(imported):
    assert json.loads(imported("show", "3", "--json")[1])["citekey"] == "retrievalaugmented"
    code, out, _ = imported("citekey", "3", "Lewis2026")
    assert code == 0 and "Lewis2026" in out
    assert "cite as:   Lewis2026" in imported("show", "3")[1]
    code, _, err = imported("citekey", "4", "lewis2026")
    assert code == 2 and "taken by paper 3" in err
    code, _, err = imported("citekey", "4", "bad key")
    assert code == 2 and "invalid citation key" in err


def test_export_to_an_unwritable_place_is_one_line(imported, tmp_path):
    code, _, err = imported("export", "-o", str(tmp_path / "no-such-dir" / "refs.bib"))
    assert code == 2 and len(err.strip().splitlines()) == 1 and "cannot write" in err


def _subcommands() -> list[str]:
    import argparse

    from readinglist.cli import build_parser

    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(action.choices)


@pytest.mark.parametrize("command", _subcommands())
def test_every_command_with_bad_arguments_is_one_line_and_exit_2(imported, command):
    for bad in (["--no-such-option"], ["--library"], ["--limit", "x", "--json", "--json"]):
        code, out, err = imported(command, *bad)
        assert code == 2, (command, bad, out, err)
        assert len(err.strip().splitlines()) == 1, (command, bad, err)
        assert "Traceback" not in err


def test_every_command_has_its_own_help(cli):
    for command in _subcommands():
        code, out, _ = cli(command, "--help", library=False)
        assert code == 0 and out.startswith("usage: readinglist")


def test_import_of_an_email_a_mailbox_and_a_web_page(cli):
    mail = FIXTURES / "mail"
    code, out, err = cli("import", str(mail / "digest_apr02.eml"), str(mail / "apr05.mbox"),
                         str(mail / "digest_apr03.html"))
    assert code == 0 and err == ""
    lines = out.strip().splitlines()
    assert lines[0].endswith("digest_apr02.eml (e-mail, 2026-04-02): 4 new, 0 seen before")
    assert "apr05.mbox (mailbox: 2 digests, 1 message skipped, 2026-04-05): 2 new, 1 seen" \
        in lines[1]
    assert lines[2] == ("  skipped: apr05.mbox: message 1 (“Weekly newsletter”): "
                        "no date line and no paper with an abstract")
    assert "digest_apr03.html (web page, 2026-04-03): 2 new, 2 seen before" in lines[3]
    code, out, _ = cli("import", str(DIGESTS[0]), "--json")
    assert code == 0 and json.loads(out)["files"][0]["status"] == "already_imported"
    code, _, err = cli("import", str(mail / "digest_apr02.eml").replace(".eml", ".missing.eml"))
    assert code == 1 and err.count("\n") == 1 and "no such file" in err
