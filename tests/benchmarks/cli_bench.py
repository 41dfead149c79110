"""The command line's start as a person feels it: each command in a process of
its own, from exec to exit (the median of three), on the benchmark library."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMANDS = {
    "--version": ["--version"],
    "stats": ["stats"],
    "list --limit 5": ["list", "--limit", "5"],
    "show 1": ["show", "1"],
    "search": ["search", "language models", "--limit", "10"],
    "similar 1": ["similar", "1"],
    "suggest": ["suggest", "--limit", "10"],
}


def command_line(folder: Path) -> dict:
    """Seconds per command (``--library folder``), median of three runs, with
    the package's modules compiled as an install compiles them (a module
    edited since its last run would be compiled again in every run)."""
    import compileall

    import readinglist

    compileall.compile_dir(Path(readinglist.__file__).parent, quiet=1)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    found = {}
    for label, args in COMMANDS.items():
        full = args if args == ["--version"] else ["--library", str(folder), *args]
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "readinglist", *full], env=env,
                                  capture_output=True, text=True, timeout=600)
            runs.append(time.perf_counter() - started)
            if done.returncode not in (0, 1):  # 1: no match, still an answer
                print(f"{label} failed: {done.stderr[-500:]}", file=sys.stderr)
        found[label] = statistics.median(runs)
    return found


if __name__ == "__main__":
    import json

    print(json.dumps(command_line(Path(sys.argv[1]))))
