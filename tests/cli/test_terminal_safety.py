"""Text from a digest, a note or a tag never drives the terminal, and a file
name never forges a line of output."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"  # sets the clipboard to "rm -rf ~"
OSC0 = "\x1b]0;owned\x07"  # the window's title
HIDDEN = "\x1b[8m"  # hides what follows
CSI8BIT = "\x9b31m"  # the 8-bit CSI
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]")

HOSTILE_DIGEST = f"""Daily Papers

Mar 18

Robot {OSC52}Grasping{OSC0} at Scale{HIDDEN}

We study robot grasping {CSI8BIT}at scale with a \u202eflipped phrase and a bell\x07 here.
"""


def write_digest(folder, name="hostile.txt"):
    path = folder / name
    path.write_text(HOSTILE_DIGEST, encoding="utf-8")
    return path


def run(tmp_path, *args):
    env = {**os.environ, "READINGLIST_HOME": str(tmp_path / "lib")}
    result = subprocess.run([sys.executable, "-m", "readinglist", *args], capture_output=True,
                            env=env, timeout=120, stdin=subprocess.DEVNULL)
    return result.returncode, result.stdout.decode(), result.stderr.decode()


def test_list_search_and_show_print_no_control_characters(tmp_path):
    digest = write_digest(tmp_path)
    assert run(tmp_path, "import", str(digest))[0] == 0
    assert run(tmp_path, "tag", "1", "--add", "x\x1b[2Jy")[0] == 0
    assert run(tmp_path, "note", "1", f"see {OSC52} later")[0] == 0
    for args in (("list",), ("search", "grasping"), ("show", "1"), ("tags",), ("export",)):
        code, out, err = run(tmp_path, *args)
        assert code == 0, err
        assert not CONTROLS.search(out + err), (args, out)
        assert "Grasping" in out or args[0] == "tags"
    code, out, _ = run(tmp_path, "show", "1", "--json")
    assert not CONTROLS.search(out)  # written as \u escapes …
    title = json.loads(out)["title"]
    assert "\x1b" in title or "Grasping" in title  # … so the data itself stays exact


def test_json_keeps_the_exact_text_as_escapes(tmp_path):
    digest = write_digest(tmp_path)
    run(tmp_path, "import", str(digest))
    run(tmp_path, "note", "1", f"a{OSC52}b")
    code, out, _ = run(tmp_path, "show", "1", "--json")
    assert code == 0 and not CONTROLS.search(out)
    assert json.loads(out)["note"] == f"a{OSC52}b"


def test_a_newline_in_a_file_name_cannot_forge_a_line(tmp_path):
    digest = write_digest(tmp_path, "a\nimported          fake.txt (x): 99 new.txt")
    code, out, _ = run(tmp_path, "import", str(digest))
    assert code == 0
    lines = out.splitlines()
    assert sum(line.startswith("imported") for line in lines) == 1  # nothing forged
    assert "'" in lines[0] and "\\n" in lines[0]


def test_the_in_process_cli_is_safe_too(cli, tmp_path):
    digest = write_digest(tmp_path)
    code, out, err = cli("import", str(digest))
    assert code == 0
    code, out, err = cli("list")
    assert code == 0 and not CONTROLS.search(out + err) and "Grasping" in out
