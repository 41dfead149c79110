"""A read never waits for a writer, in this process or another."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

from tests.synthetic import write_digests

# Another process that answers `readinglist stats --json` again and again,
# timing each answer (opening the library included, starting Python not:
# on a busy disk that alone can take seconds).
READER = """
import io, json, sys, time
from contextlib import redirect_stdout
from readinglist.cli import main
while True:
    out = io.StringIO()
    started = time.monotonic()
    with redirect_stdout(out):
        code = main(["--library", sys.argv[1], "stats", "--json"])
    took = time.monotonic() - started
    papers = json.loads(out.getvalue())["papers"] if code == 0 else -1
    print(json.dumps([papers, took]), flush=True)
    time.sleep(0.1)
"""


def test_stats_answers_during_a_long_import_with_what_is_committed(tmp_path):
    source = tmp_path / "digests"
    total, _appearances = write_digests(source, files=80, per_file=80, seed=11)
    library = str(tmp_path / "lib")
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    subprocess.run([sys.executable, "-m", "readinglist", "--library", library, "import",
                    str(sorted(source.glob("*.txt"))[0])], env=env, check=True,
                   capture_output=True)  # the library exists: both start from it
    reader = subprocess.Popen([sys.executable, "-c", READER, library], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert reader.stdout.readline()  # ready: Python started, modules loaded
    idle = [json.loads(reader.stdout.readline())[1] for _ in range(5)]  # nothing else running
    import_started = time.monotonic()
    importing = subprocess.Popen([sys.executable, "-m", "readinglist", "--library", library,
                                  "import", str(source)], env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
    answers = []
    try:
        deadline = time.monotonic() + 120
        while importing.poll() is None and time.monotonic() < deadline:
            papers, took = json.loads(reader.stdout.readline())
            if importing.poll() is None:
                answers.append((papers, took))
    finally:
        reader.kill()
        importing.communicate(timeout=300)
    import_took = time.monotonic() - import_started
    assert importing.returncode == 0
    during = [(papers, took) for papers, took in answers if 80 < papers < total]
    assert during, answers  # stats saw the import half-way, as committed so far
    # The answers came at once (they waited 9-37 s for the import's index
    # before, most of the import): typically no slower than five times the
    # same answer with nothing else running, on this machine in this run, and
    # none waited for a good part of the import (never a figure in seconds:
    # machines differ, and a shared one has moments where anything is slow).
    times = [took for _papers, took in answers]
    assert statistics.median(times) <= 5 * statistics.median(idle), (idle, answers)
    assert max(times) <= import_took / 3, (import_took, answers)
