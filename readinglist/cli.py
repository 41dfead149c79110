"""The command line: thin sub-commands over `readinglist.core.library.Library`.

Exit codes: 0 success; 1 when some input was rejected or the library could
not be used; 2 for usage errors (bad arguments, unknown ids). Errors are one
line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import textwrap
from collections.abc import Sequence

from readinglist import __version__
from readinglist.core import maintenance
from readinglist.core.errors import InvalidInput, NotFound, ReadinglistError
from readinglist.core.library import SORTS, Filter, Library
from readinglist.core.models import STATUSES
from readinglist.core.views import ALREADY_IMPORTED, IMPORTED, PaperView
from readinglist.paths import ENV_VAR, library_dir

PROG = "readinglist"
EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A bad argument found after parsing; exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors instead of a usage block."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _paper_id(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid paper id {value!r} (ids are numbers)") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"invalid paper id {value!r} (ids start at 1)") from None
    return number


def _ids(values: Sequence[str]) -> list[int]:
    """Ids given as separate arguments or comma-separated."""
    ids = []
    for value in values:
        for part in value.split(","):
            if part.strip():
                try:
                    ids.append(_paper_id(part.strip()))
                except argparse.ArgumentTypeError as exc:
                    raise UsageError(str(exc)) from None
    if not ids:
        raise UsageError("no paper id given")
    return ids


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{value!r} is negative") from None
    return number


def _year(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid year {value!r}") from None
    if not 1900 <= number <= 2999:
        raise argparse.ArgumentTypeError(f"invalid year {value!r} (expected e.g. 2025)") from None
    return number


def build_parser() -> argparse.ArgumentParser:
    library_help = f"library folder (default: ${ENV_VAR}, else the user data folder)"
    common = _Parser(add_help=False)
    common.add_argument("--library", metavar="DIR", default=argparse.SUPPRESS, help=library_help)

    parser = _Parser(
        prog=PROG,
        description="Turn daily trending-paper digests into a reading list.",
        epilog="Run 'readinglist COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--smoke-test", action="store_true",
        help="check an installation: open the window on a temporary library, import the "
             "sample digest, search it, and exit (0 when all worked)")
    parser.add_argument("--library", metavar="DIR", default=None, help=library_help)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_text, description=help_text, parents=[common])

    def add_filters(p: argparse.ArgumentParser) -> None:
        p.add_argument("--status", choices=STATUSES)
        p.add_argument("--tag", metavar="T", help="only papers with this tag")
        p.add_argument("--since", metavar="YYYY-MM-DD", help="seen in a digest on or after")
        p.add_argument("--until", metavar="YYYY-MM-DD", help="seen in a digest on or before")

    p = command("import", "import digest files or folders of them (*.txt)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--year", type=_year, help="year of digests whose date has none")
    p.add_argument("--json", action="store_true", help="print the result as JSON")

    p = command("list", "list papers, newest first")
    add_filters(p)
    p.add_argument("--query", metavar="Q", help="only papers matching this search")
    p.add_argument("--sort", choices=sorted(SORTS), default="date")
    p.add_argument("--limit", type=_positive, default=100, metavar="N",
                   help="at most N papers (default 100; 0 for all)")
    p.add_argument("--json", action="store_true")

    p = command("search", "full-text search (see the README for the query syntax)")
    p.add_argument("query", metavar="QUERY")
    add_filters(p)
    p.add_argument("--limit", type=_positive, default=20, metavar="N")
    p.add_argument("--json", action="store_true")

    p = command("show", "show one paper")
    p.add_argument("id", type=_paper_id, metavar="ID")
    p.add_argument("--json", action="store_true")

    p = command("tag", "add or remove tags on papers")
    p.add_argument("ids", nargs="+", metavar="ID")
    p.add_argument("--add", action="append", default=[], metavar="T")
    p.add_argument("--remove", action="append", default=[], metavar="T")

    p = command("tags", "list tags with counts; 'tags rename OLD NEW'; 'tags delete T'")
    p.add_argument("action", nargs="*", metavar="ACTION",
                   help="nothing to list, 'rename OLD NEW' (merges into an existing tag), "
                        "or 'delete TAG'")
    p.add_argument("--json", action="store_true")

    p = command("note", "set a paper's note ('' clears it, '-' reads standard input)")
    p.add_argument("id", type=_paper_id, metavar="ID")
    p.add_argument("text", metavar="TEXT")

    p = command("mark", "set the read status of papers")
    p.add_argument("ids", nargs="+", metavar="ID")
    p.add_argument("status", choices=STATUSES, metavar="STATUS", help=" | ".join(STATUSES))

    p = command("stats", "counts of papers, digests, tags and statuses")
    p.add_argument("--json", action="store_true")

    p = command("export", "write BibTeX of papers (all, a view, a search, or ids)")
    add_filters(p)
    p.add_argument("--query", metavar="Q", help="only papers matching this search")
    p.add_argument("--ids", metavar="ID,...", help="only these papers")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write to FILE (replaced atomically) instead of standard output")
    p.add_argument("--biblatex", action="store_true",
                   help="biblatex flavour: @online with date and urldate")

    p = command("citekey", "set a paper's citation key by hand (refused if taken)")
    p.add_argument("id", type=_paper_id, metavar="ID")
    p.add_argument("key", metavar="KEY")

    command("reindex", "rebuild the search index from the database")
    command("check", "check the library's integrity and report (exit 1 on problems)")
    p = command("restore", "list the backups, or put one back ('latest', a date or a name)")
    p.add_argument("backup", nargs="?", metavar="BACKUP")
    p = command("gui", "open the window (what a bare 'readinglist' does); FILEs are imported")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="digests to import (as 'Open with Readinglist' does)")
    p.add_argument("--import-dialog", action="store_true",
                   help="open the window with the import dialog")
    return parser


# -- output ------------------------------------------------------------------------
def _width() -> int:
    return max(60, shutil.get_terminal_size((100, 24)).columns)


def _fill(text: str, width: int, indent: str, **kwargs) -> str:
    """Wrap prose without breaking URLs or hyphenated words across lines."""
    return textwrap.fill(text, width, initial_indent=indent, subsequent_indent=indent,
                         break_on_hyphens=False, break_long_words=False, **kwargs)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def _print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def _print_papers(papers: list[PaperView]) -> None:
    if not papers:
        print("No papers.")
        return
    head = f"{'ID':>6}  {'STATUS':<7}  {'DIGESTS':>7}  {'LAST SEEN':<10}  TITLE"
    print(head)
    room = _width() - len(head) + len("TITLE")
    for p in papers:
        tags = f"  [{', '.join(p.tags)}]" if p.tags else ""
        print(f"{p.id:>6}  {p.status:<7}  {p.times_seen:>7}  {p.last_seen:<10}  "
              f"{_cut(p.title + tags, room)}")


def _print_paper(library: Library, paper: PaperView) -> None:
    width = min(_width(), 100)
    print(f"#{paper.id}  {paper.title}")
    print(f"  cite as:   {paper.citekey}")
    since = f" (since {paper.status_changed[:10]})" if paper.status_changed else ""
    print(f"  status:    {paper.status}{since}")
    times = "1 digest" if paper.times_seen == 1 else f"{paper.times_seen} digests"
    print(f"  seen:      {times}, first {paper.first_seen}, last {paper.last_seen}")
    for appearance in library.appearances(paper.id):
        print(f"             {appearance.digest_date}  {appearance.file_name}"
              f"  (#{appearance.position})")
    print(f"  tags:      {', '.join(paper.tags) if paper.tags else '-'}")
    for number, link in enumerate(paper.links):
        print(f"  {'links:' if number == 0 else '':<10} {link}")
    if paper.note:
        print("  note:")
        for line in paper.note.splitlines() or [""]:
            print(_fill(line, width, "    ") or "    ")
    print("  abstract:")
    print(_fill(paper.abstract or "(none)", width, "    "))


# -- commands ----------------------------------------------------------------------
def _cmd_import(library: Library, args) -> int:
    def progress(state) -> None:
        if state.current is not None and sys.stderr.isatty() and not args.json:
            print(f"\r[{state.files_done + 1}/{state.files_total}] {state.current.name}"
                  "\033[K", end="", file=sys.stderr, flush=True)

    result = library.import_files(args.paths, progress, year=args.year)
    if sys.stderr.isatty() and not args.json:
        print("\r\033[K", end="", file=sys.stderr, flush=True)
    for f in result.rejected:
        print(f"{PROG}: rejected {f.path}: {f.error}", file=sys.stderr)
    if args.json:
        _print_json(result.to_json())
    else:
        for f in result.files:
            if f.status == IMPORTED:
                print(f"imported          {f.path} ({f.digest_date}): "
                      f"{f.new} new, {f.seen} seen before")
            elif f.status == ALREADY_IMPORTED:
                print(f"already imported  {f.path} ({f.digest_date})")
            for warning in f.warnings:
                print(f"  warning: {f.path.name}: {warning}")
        counts = result.to_json()
        print(f"{counts['new']} new papers, {counts['seen']} seen before; "
              f"{counts['imported']} imported, {counts['already_imported']} already imported, "
              f"{counts['rejected']} rejected")
    if not result.files:
        print(f"{PROG}: no digest files found in {', '.join(args.paths)}", file=sys.stderr)
        return EXIT_REJECTED
    return EXIT_REJECTED if result.rejected else EXIT_OK


def _filter(args) -> Filter:
    return Filter(status=args.status, tag=args.tag, since=args.since, until=args.until)


def _cmd_list(library: Library, args) -> int:
    limit = args.limit or None
    if args.query:
        papers = [h.paper for h in library.search(args.query, limit, view=_filter(args))]
    else:
        papers = library.list_papers(_filter(args), sort=args.sort, limit=limit)
    if args.json:
        _print_json([p.to_json() for p in papers])
    else:
        _print_papers(papers)
    return EXIT_OK


def _cmd_search(library: Library, args) -> int:
    hits = library.search(args.query, args.limit or None, view=_filter(args))
    if args.json:
        _print_json([h.to_json() for h in hits])
        return EXIT_OK
    if not hits:
        print("No matches.")
    width = _width()
    for h in hits:
        print(f"{h.id:>6}  {h.score:6.2f}  {_cut(h.title, width - 16)}")
        if h.snippet:
            print(_fill(h.snippet, min(width, 100), " " * 16, max_lines=3, placeholder=" …"))
    return EXIT_OK


def _cmd_show(library: Library, args) -> int:
    paper = library.paper(args.id)
    if args.json:
        _print_json(paper.to_json())
    else:
        _print_paper(library, paper)
    return EXIT_OK


def _cmd_tag(library: Library, args) -> int:
    ids = _ids(args.ids)
    if not args.add and not args.remove:
        raise UsageError("say what to do: --add TAG and/or --remove TAG")
    if args.add:
        library.add_tags(ids, args.add)
    if args.remove:
        library.remove_tags(ids, args.remove)
    for paper in library.get_papers(ids):
        print(f"{paper.id:>6}  {', '.join(paper.tags) or '-'}")
    return EXIT_OK


def _cmd_tags(library: Library, args) -> int:
    action = args.action
    if not action:
        tags = library.tags()
        if args.json:
            _print_json([{"name": t.name, "count": t.count} for t in tags])
        elif not tags:
            print("No tags yet. Add one with: readinglist tag ID --add TAG")
        else:
            for t in tags:
                print(f"{t.count:>6}  {t.name}")
        return EXIT_OK
    if action[0] == "rename" and len(action) == 3:
        library.rename_tag(action[1], action[2])
        print(f"renamed {action[1]!r} to {action[2]!r}")
        return EXIT_OK
    if action[0] == "delete" and len(action) == 2:
        library.delete_tag(action[1])
        print(f"deleted tag {action[1]!r}")
        return EXIT_OK
    raise UsageError("tags takes no argument, 'rename OLD NEW' or 'delete TAG'")


def _cmd_note(library: Library, args) -> int:
    text = sys.stdin.read() if args.text == "-" else args.text
    library.set_note(args.id, text.rstrip("\n") if args.text == "-" else text)
    print(f"note of #{args.id} {'saved' if text.strip() else 'cleared'}")
    return EXIT_OK


def _cmd_mark(library: Library, args) -> int:
    ids = _ids(args.ids)
    library.set_status(ids, args.status)
    print(f"marked {len(ids)} paper{'s' if len(ids) != 1 else ''} {args.status}")
    return EXIT_OK


def _cmd_stats(library: Library, args) -> int:
    stats = library.stats().to_json()
    if args.json:
        _print_json(stats)
    else:
        for key, value in stats.items():
            print(f"{key + ':':<13}{value:>8}")
    return EXIT_OK


def _cmd_export(library: Library, args) -> int:
    ids = _ids([args.ids]) if args.ids is not None else None
    options = {"view": _filter(args), "query": args.query,
               "flavour": "biblatex" if args.biblatex else "bibtex"}
    if args.output:
        try:
            count = library.write_bibtex(args.output, ids, **options)
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
        print(f"wrote {count} entr{'y' if count == 1 else 'ies'} to {args.output}",
              file=sys.stderr)
    else:
        for piece in library.iter_bibtex(ids, **options):
            sys.stdout.write(piece)
    return EXIT_OK


def _cmd_citekey(library: Library, args) -> int:
    library.set_citekey(args.id, args.key)
    print(f"#{args.id} is now cited as {args.key.strip()}")
    return EXIT_OK


def _cmd_reindex(library: Library, args) -> int:
    count = library.reindex()
    print(f"search index rebuilt: {count} papers")
    return EXIT_OK


def _cmd_check(library: Library, args) -> int:
    report = library.check()
    for note in report.notes:
        print(f"ok       {note}")
    for problem in report.problems:
        print(f"PROBLEM  {problem}")
    if library.backup_error:
        print(f"PROBLEM  {library.backup_error}")
    if report.ok and not library.backup_error:
        print("The library is in good order.")
        return EXIT_OK
    print(f"Problems found. '{PROG} restore' lists the backups you can go back to.")
    return EXIT_REJECTED


def _restore(folder, args) -> int:
    """Runs without opening the library: it may be too damaged to open."""
    if args.backup is None:
        backups = maintenance.list_backups(folder)
        if not backups:
            print(f"No backups yet in {folder / maintenance.BACKUP_DIR}.")
            return EXIT_OK
        print(f"Backups in {folder / maintenance.BACKUP_DIR} (newest first):")
        for backup in backups:
            print(f"  {backup.name:<44} {backup.size / 1048576:7.1f} MB")
        print(f"Restore one with: {PROG} restore latest  (or a name or date)")
        return EXIT_OK
    backup = maintenance.find_backup(folder, args.backup)
    saved = maintenance.restore(folder, backup)
    with Library.open(folder) as library:  # migrates if older; rebuilds the index
        stats = library.stats()
    print(f"restored {backup.name}: {stats.papers} papers, {stats.digests} digests")
    print(f"the library as it was before is kept as {saved.name}")
    return EXIT_OK


COMMANDS = {
    "import": _cmd_import,
    "list": _cmd_list,
    "search": _cmd_search,
    "show": _cmd_show,
    "tag": _cmd_tag,
    "tags": _cmd_tags,
    "note": _cmd_note,
    "mark": _cmd_mark,
    "stats": _cmd_stats,
    "export": _cmd_export,
    "citekey": _cmd_citekey,
    "reindex": _cmd_reindex,
    "check": _cmd_check,
}


def _run_gui(args) -> int:
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
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in (None, "gui") or args.smoke_test:
        return _run_gui(args)
    folder = library_dir(args.library)
    try:
        if args.command == "restore":
            return _restore(folder, args)
        with Library.open(folder) as library:
            return COMMANDS[args.command](library, args)
    except (UsageError, NotFound, InvalidInput) as exc:
        print(f"{PROG} {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ReadinglistError as exc:
        print(f"{PROG}: error: {folder}: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
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
