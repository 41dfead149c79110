"""What users of git, ripgrep and pandoc expect of a command line."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import pytest

from readinglist.core.storage.atomic import TEMP_MARK


@pytest.mark.parametrize(("args", "keys"), [
    (("tag", "1", "--add", "x"), None), (("note", "1", "hello"), {"id", "note"}),
    (("mark", "1", "2", "read"), {"ids", "status"}), (("citekey", "1", "Mine2026"),
                                                      {"id", "citekey"}),
    (("reindex",), {"papers"}), (("check",), {"ok", "notes", "problems"}),
    (("restore",), None), (("tags",), None),
])
def test_every_reporting_command_speaks_json(imported, args, keys):
    code, out, err = imported(*args, "--json")
    assert code == 0, err
    value = json.loads(out)
    if keys is not None:
        assert set(value) == keys
    else:
        assert isinstance(value, list)


def test_tags_rename_and_delete_speak_json(imported):
    imported("tag", "1", "--add", "old")
    code, out, _ = imported("tags", "rename", "old", "new", "--json")
    assert code == 0 and json.loads(out) == {"renamed": "old", "to": "new"}
    code, out, _ = imported("tags", "delete", "new", "--json")
    assert code == 0 and json.loads(out) == {"deleted": "new"}


def test_show_takes_a_citation_key(imported):
    code, out, _ = imported("show", "sparse", "--json")
    assert code == 0 and json.loads(out)["id"] == 1
    code, out, _ = imported("show", "SPARSE")  # keys are unique whatever the case
    assert code == 0 and out.startswith("#1  ")
    code, _, err = imported("show", "nosuch2026")
    assert code == 2 and err.strip() == "readinglist show: error: no paper cited as 'nosuch2026'"


def test_a_cut_list_says_how_many_more(imported):
    code, out, _ = imported("list", "--limit", "3")
    assert code == 0 and out.strip().splitlines()[-1].startswith("… 5 more (use --limit")
    code, out, _ = imported("list", "--limit", "0")
    assert "more" not in out.splitlines()[-1]
    code, out, _ = imported("search", "models", "--limit", "1")
    assert code == 0 and "more (use --limit" in out.strip().splitlines()[-1]


def test_no_matches_exits_1_like_grep(imported):
    code, out, _ = imported("search", "zzqxnothing")
    assert code == 1 and out.strip() == "No matches."
    code, out, _ = imported("search", "zzqxnothing", "--json")
    assert code == 1 and json.loads(out) == []


def test_the_search_syntax_is_in_search_help(cli):
    code, out, _ = cli("search", "--help", library=False)
    assert code == 0
    for example in ('"instruction tuning"', "grasping OR calibration", "-adapters",
                    "tag:robots", "rob*"):
        assert example in out


@pytest.mark.parametrize(("line", "wanted"), [
    ("readinglist sea", "search"), ("readinglist mark 1 ", "skimmed"),
    ("readinglist list --st", "--status"),
])
def test_shell_completion_answers(tmp_path, line, wanted):
    answer = tmp_path / "completions"
    env = {**os.environ, "_ARGCOMPLETE": "1", "_ARGCOMPLETE_IFS": "\n",
           "COMP_LINE": line, "COMP_POINT": str(len(line)), "COMP_TYPE": "9",
           "_ARGCOMPLETE_STDOUT_FILENAME": str(answer)}
    subprocess.run([sys.executable, "-m", "readinglist"], env=env, timeout=60,
                   capture_output=True)
    assert wanted in [c.strip() for c in answer.read_text().split("\n")]


# Ctrl+C reaches a person's foreground process with SIGINT at its default; a
# job started in the background (as a CI runner may start the suite) inherits
# SIGINT ignored, and Python keeps it so: the child sets it as a terminal has it.
SLOW_EXPORT = """
import signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)
from readinglist.core.bibtex import entries
made = entries.entry
def slow(*args, **kwargs):  # an export of a very large library
    print("writing", flush=True)
    time.sleep(30)
    return made(*args, **kwargs)
entries.entry = slow
from readinglist.cli import main
sys.exit(main(["--library", sys.argv[1], "export", "-o", sys.argv[2]]))
"""


def test_ctrl_c_exits_130_and_leaves_the_file_as_it_was(imported, lib):
    folder = tempfile.mkdtemp()
    target = os.path.join(folder, "refs.bib")
    with open(target, "w", encoding="utf-8") as stream:
        stream.write("% the old export\n")
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    process = subprocess.Popen([sys.executable, "-c", SLOW_EXPORT, lib, target], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "writing"
    time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and err.strip() == "readinglist: interrupted"
    with open(target, encoding="utf-8") as stream:
        assert stream.read() == "% the old export\n"
    assert not [n for n in os.listdir(folder) if n.endswith(TEMP_MARK)]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_slow_work_shows_progress_on_a_terminal_only(imported, lib, monkeypatch, tmp_path):
    import readinglist.cli.progress as progress
    from readinglist.cli import main
    from readinglist.core.maintenance import Maintenance

    monkeypatch.setattr(progress, "SHOW_AFTER_S", 0.05)
    monkeypatch.setattr(progress, "EVERY_S", 0.01)
    rebuild = Maintenance.reindex

    def slow_reindex(self):
        time.sleep(0.3)
        return rebuild(self)

    monkeypatch.setattr(Maintenance, "reindex", slow_reindex)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["--library", lib, "reindex"]) == 0
    shown = terminal.getvalue()
    assert "readinglist: rebuilding the search index…" in shown
    assert shown.endswith("\r\033[K")  # the line is cleared when the work is done
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # a pipe or a log: nothing
    assert main(["--library", lib, "reindex"]) == 0
    assert sys.stderr.getvalue() == ""
