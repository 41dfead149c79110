"""Odd arguments get one clear line and the documented exit code, never an
internal error, a hang or a silent guess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import DIGESTS

HUGE = str(2**64 + 1)


@pytest.mark.parametrize("args", [("show", HUGE), ("mark", HUGE, "read"),
                                  ("citekey", HUGE, "Key2026"), ("export", "--ids", HUGE),
                                  ("tag", HUGE, "--add", "x"), ("note", HUGE, "hello")])
def test_ids_past_any_stored_id_are_not_found(cli, args):
    assert cli("import", str(DIGESTS[0]))[0] == 0
    code, out, err = cli(*args)
    assert code == 2 and out == ""
    assert err.strip() == f"readinglist {args[0]}: error: no paper with id {HUGE}"


def run(tmp_path, *args, timeout=30):
    env = {**os.environ, "READINGLIST_HOME": str(tmp_path / "lib")}
    return subprocess.run([sys.executable, "-m", "readinglist", *args], capture_output=True,
                          text=True, env=env, timeout=timeout, stdin=subprocess.DEVNULL)


def test_a_fifo_or_a_device_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "digest.txt"
    os.mkfifo(fifo)
    result = run(tmp_path, "import", str(fifo), "/dev/zero")  # would hang or fill memory
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and all("not a regular file" in line for line in lines), lines


def test_empty_names_are_usage_errors_not_the_default(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(DIGESTS[0], tmp_path / "digest.txt")  # what import '' would have found
    code, out, err = cli("import", "")
    assert code == 2 and "an empty path names no file" in err and out == ""
    code, _, err = cli("--library", "", "list", library=False)
    assert code == 2 and "empty folder name" in err
    code, _, err = cli("list", "--library", "", library=False)
    assert code == 2 and "empty folder name" in err


def test_a_file_name_that_is_not_utf8_is_imported(cli, tmp_path):
    name = os.fsdecode(b"digest-\xff.txt")
    shutil.copy(DIGESTS[0], tmp_path / name)
    code, out, err = cli("import", str(tmp_path / name))
    assert code == 0, err
    assert "\\udcff" in out  # shown quoted
    code, out, _ = cli("show", "1")
    assert "digest-\ufffd.txt" in out


@pytest.mark.parametrize("tag", ["\u200b", " \t ", "\u2060\ufeff", "\u202e"])
def test_blank_or_invisible_tags_are_refused(cli, tag):
    assert cli("import", str(DIGESTS[0]))[0] == 0
    code, _, err = cli("tag", "1", "--add", tag)
    assert code == 2 and "tag" in err
    assert cli("tags")[1].startswith("No tags yet")


def test_a_search_of_thousands_of_nots_answers(cli):
    assert cli("import", *map(str, DIGESTS))[0] == 0
    code, out, err = cli("search", "NOT " * 3000 + "robot")
    assert code == 0 and "TinyPlanner" in out, err


def test_a_note_on_stdin_that_is_not_utf8_is_refused_in_one_line(tmp_path):
    env = {**os.environ, "READINGLIST_HOME": str(tmp_path / "lib")}
    base = [sys.executable, "-m", "readinglist"]
    subprocess.run([*base, "import", str(DIGESTS[0])], env=env, capture_output=True, check=True)
    result = subprocess.run([*base, "note", "1", "-"], env=env, input=b"caf\xe9 notes\n",
                            capture_output=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        "readinglist note: error: standard input is not UTF-8 text (byte 4); "
        "save the note as UTF-8")
    ok = subprocess.run([*base, "note", "1", "-"], env=env, input="café ✓\n".encode(),
                        capture_output=True, timeout=60)
    assert ok.returncode == 0, ok.stderr


def test_a_restore_that_cannot_write_is_one_line(cli, tmp_path, monkeypatch):
    assert cli("import", str(DIGESTS[0]))[0] == 0
    assert cli("stats")[0] == 0  # today's backup

    def read_only(*_args, **_kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(os, "replace", read_only)  # the disk refuses every file it is given
    code, _, err = cli("restore", "latest")
    assert code == 1 and err.count("\n") == 1
    assert "the backup cannot be put back: Read-only file system" in err


class EndlessZeros:
    """``< /dev/zero``: as much as is asked for, for ever; counts what was read."""

    def __init__(self):
        self.read_bytes = 0
        self.buffer = self

    def read(self, size=-1):
        if size is None or size < 0:
            raise AssertionError("read without a limit: it would never end")
        self.read_bytes += size
        return b"\0" * size


def test_a_note_from_endless_standard_input_is_refused_after_a_megabyte(imported, monkeypatch):
    endless = EndlessZeros()
    monkeypatch.setattr("sys.stdin", endless)
    code, _, err = imported("note", "1", "-")
    assert code == 2 and "standard input is longer than a note may be (1 MB)" in err
    assert endless.read_bytes <= 1024 * 1024 + 1
    assert json.loads(imported("show", "1", "--json")[1])["note"] == ""
