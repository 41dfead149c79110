"""What every part of the command line shares: its name, exit codes, usage errors."""

from __future__ import annotations

import argparse

PROG = "readinglist"
EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
EXIT_NO_MATCH = 1  # search found nothing: as grep, so a script can tell
EXIT_INTERRUPTED = 130  # Ctrl+C, as a shell reports SIGINT


class UsageError(Exception):
    """A bad argument found after parsing; exit code 2."""


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors instead of a usage block."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")
