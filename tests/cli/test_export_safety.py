"""An export that selects nothing by mistake never empties a bibliography, and
a written export is whole, follows links and leaves nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from readinglist.core.storage.atomic import TEMP_MARK, write_atomic
from tests.conftest import DIGESTS


def test_an_unknown_tag_is_a_usage_error_everywhere(cli, tmp_path):
    assert cli("import", *map(str, DIGESTS))[0] == 0
    assert cli("tag", "1", "--add", "Robots")[0] == 0
    target = tmp_path / "paper.bib"
    assert cli("export", "--tag", "Robots", "-o", str(target))[0] == 0
    before = target.read_bytes()
    for args in (("export", "--tag", "Robtos", "-o", str(target)), ("list", "--tag", "Robtos"),
                 ("search", "model", "--tag", "Robtos")):
        code, out, err = cli(*args)
        assert code == 2 and out == "", args
        assert err.count("\n") == 1 and "no tag named 'Robtos'" in err and "Robots" in err
    assert target.read_bytes() == before


def test_an_empty_selection_does_not_replace_a_file_without_force(cli, tmp_path):
    assert cli("import", *map(str, DIGESTS))[0] == 0
    target = tmp_path / "paper.bib"
    assert cli("export", "-o", str(target))[0] == 0
    before = target.read_bytes()
    code, _, err = cli("export", "--query", "zzqxnothing", "-o", str(target))
    assert code == 2 and "nothing to export" in err and "--force" in err
    assert target.read_bytes() == before
    code, _, err = cli("export", "--query", "zzqxnothing", "-o", str(target), "--force")
    assert code == 0 and "wrote 0 entries" in err
    assert b"@misc" not in target.read_bytes()
    fresh = tmp_path / "new.bib"  # nothing to lose: an empty export may be written
    assert cli("export", "--query", "zzqxnothing", "-o", str(fresh))[0] == 0


def test_an_export_through_a_symlink_writes_the_file_it_points_to(cli, tmp_path):
    assert cli("import", *map(str, DIGESTS))[0] == 0
    real = tmp_path / "shared" / "refs.bib"
    real.parent.mkdir()
    real.write_text("% old\n")
    link = tmp_path / "refs.bib"
    link.symlink_to(real)
    assert cli("export", "-o", str(link))[0] == 0
    assert link.is_symlink() and "@misc" in real.read_text()
    assert sorted(p.name for p in real.parent.iterdir()) == ["refs.bib"]


def test_leftovers_of_a_killed_export_are_cleared_by_the_next_one(tmp_path):
    target = tmp_path / "refs.bib"
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    slow = ("import sys, time\n"
            "from readinglist.core.storage.atomic import write_atomic\n"
            "def pieces():\n"
            "    yield 'start'\n"
            "    print('writing', flush=True)\n"
            "    time.sleep(60)\n"
            "write_atomic(sys.argv[1], pieces())\n")
    process = subprocess.Popen([sys.executable, "-c", slow, str(target)], env=env,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "writing"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    (leftover,) = tmp_path.glob(f"*{TEMP_MARK}")
    old = time.time() - 7200
    os.utime(leftover, (old, old))
    write_atomic(target, "whole\n")
    assert [p.name for p in tmp_path.iterdir()] == ["refs.bib"]
    assert target.read_text() == "whole\n"
