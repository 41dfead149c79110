"""The command line: thin sub-commands over `readinglist.core.library.Library`.

`parser` reads the arguments, `commands` runs them, `output` prints.

Exit codes: 0 success; 1 when some input was rejected or the library could
not be used; 2 for usage errors (bad arguments, unknown ids). Errors are one
line on stderr, never a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from readinglist.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_USAGE,
    PROG,
    UsageError,
)

__all__ = ["build_parser", "main"]


def build_parser():
    """The argument parser (imported when needed: `--version` needs none of it)."""
    from readinglist.cli.parser import build_parser as build

    return build()

# Commands that may change what an export holds (its automatic exports follow).
CHANGING = frozenset({"import", "tag", "tags", "note", "mark", "dismiss", "citekey", "set",
                      "lookup", "undo", "redo"})


def _run_gui(args) -> int:
    from readinglist.paths import library_dir

    try:
        from readinglist.ui.app import run
    except ImportError as exc:  # Qt or a system library it needs is missing
        print(f"{PROG}: error: cannot start the window ({exc}); the commands still work "
              f"(see '{PROG} --help')", file=sys.stderr)
        return EXIT_REJECTED
    if args.smoke_test:
        from readinglist.ui.smoke import smoke_test

        return smoke_test()
    return run(library_dir(args.library), getattr(args, "files", ()),
               import_dialog=getattr(args, "import_dialog", False))


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments == ["--version"]:  # at once: nothing of the library is imported for it
        from readinglist import __version__

        print(f"{PROG} {__version__}")
        return EXIT_OK
    from readinglist.cli.terminal import SafeStream

    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(out), SafeStream(err)  # no text drives the terminal
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _main(argv: Sequence[str] | None) -> int:
    # Imported here, not at the top: `readinglist --version` answers without them.
    import argcomplete

    from readinglist.cli.commands import COMMANDS, restore
    from readinglist.cli.exporting import update_exports
    from readinglist.core.errors import InvalidInput, NotFound, ReadinglistError
    from readinglist.core.library import Library
    from readinglist.paths import library_dir

    parser = build_parser()
    # Shell completion (bash, zsh, fish; see the README): answers and exits
    # when the shell asks, does nothing otherwise.
    argcomplete.autocomplete(parser)
    args = parser.parse_args(argv)
    if args.command in (None, "gui") or args.smoke_test:
        return _run_gui(args)
    folder = library_dir(args.library)
    try:
        if args.command == "restore":
            return restore(folder, args)
        with Library.open(folder) as library:
            code = COMMANDS[args.command](library, args)
            if args.command in CHANGING:
                update_exports(library)  # the files kept up to date follow the change
            return code
    except (UsageError, NotFound, InvalidInput) as exc:
        print(f"{PROG} {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ReadinglistError as exc:
        print(f"{PROG}: error: {folder}: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    except KeyboardInterrupt:  # every write is one transaction or an atomic file: none half done
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Output piped into e.g. `head`: not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # last resort: one line, never a traceback
        if os.environ.get("READINGLIST_DEBUG"):
            raise
        print(f"{PROG}: internal error: {type(exc).__name__}: {exc} "
              f"(set READINGLIST_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_REJECTED
