"""The command line's arguments: sub-commands, their options and argument types."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from readinglist import __version__
from readinglist.cli.common import PROG, Parser, UsageError
from readinglist.core.library import SORT_NAMES
from readinglist.core.reading.search_syntax import SEARCH_SYNTAX
from readinglist.core.storage.schema import STATUSES
from readinglist.paths import ENV_VAR


def paper_id(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid paper id {value!r} (ids are numbers)") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"invalid paper id {value!r} (ids start at 1)") from None
    return number  # one past any id stored is simply not found


def ids_argument(values: Sequence[str]) -> list[int]:
    """Ids given as separate arguments or comma-separated."""
    ids = []
    for value in values:
        for part in value.split(","):
            if part.strip():
                try:
                    ids.append(paper_id(part.strip()))
                except argparse.ArgumentTypeError as exc:
                    raise UsageError(str(exc)) from None
    if not ids:
        raise UsageError("no paper id given")
    return ids


def _id_or_key(value: str) -> str:
    """A paper id (checked as ids are) or a citation key (looked up later)."""
    if value.strip().isdigit():
        return str(paper_id(value.strip()))
    if not value.strip():
        raise argparse.ArgumentTypeError("an empty id or citation key")
    return value.strip()


def _folder(value: str) -> str:
    if not value.strip():  # not silently the default library
        raise argparse.ArgumentTypeError("an empty folder name (leave --library out for the "
                                         "default library)")
    return value


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
    common = Parser(add_help=False)
    common.add_argument("--library", metavar="DIR", default=argparse.SUPPRESS, help=library_help,
                        type=_folder)

    parser = Parser(
        prog=PROG,
        description="Turn daily trending-paper digests into a reading list.",
        epilog="Run 'readinglist COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--smoke-test", action="store_true",
        help="check an installation: open the window on a temporary library, import the "
             "sample digest, search it, and exit (0 when all worked)")
    parser.add_argument("--library", metavar="DIR", default=None, help=library_help,
                        type=_folder)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    def command(name: str, help_text: str, epilog: str | None = None) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_text, description=help_text, parents=[common],
                              epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter)

    _reading_commands(command)
    _editing_commands(command)
    _details_commands(command)
    _library_commands(command)
    return parser


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--status", choices=STATUSES)
    p.add_argument("--tag", metavar="T", help="only papers with this tag")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="seen in a digest on or after")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="seen in a digest on or before")
    p.add_argument("--dismissed", action="store_true",
                   help="only papers marked not interested ('dismiss')")


def _reading_commands(command) -> None:
    """import, list, search, show, stats, export."""
    add_filters = _add_filters
    p = command("import", "import digests (text files, e-mails (.eml), mailboxes (.mbox), "
                          "saved web pages (.html), or folders of them) and bibliographies "
                          "(.bib, .ris, CSL-JSON)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--year", type=_year, help="year of digests whose date has none")
    p.add_argument("--refresh", action="store_true",
                   help="a bibliography's details replace what other sources said (never "
                        "what you typed)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")

    p = command("list", "list papers, newest first")
    add_filters(p)
    p.add_argument("--query", metavar="Q", help="only papers matching this search")
    p.add_argument("--sort", choices=sorted(SORT_NAMES), default="date")
    p.add_argument("--limit", type=_positive, default=100, metavar="N",
                   help="at most N papers (default 100; 0 for all)")
    p.add_argument("--json", action="store_true")

    p = command("search", "full-text search, best match first (exit 1 when nothing matches)",
                epilog=SEARCH_SYNTAX)
    p.add_argument("query", metavar="QUERY")
    add_filters(p)
    p.add_argument("--limit", type=_positive, default=20, metavar="N")
    p.add_argument("--json", action="store_true")

    p = command("show", "show one paper, by its id or its citation key")
    p.add_argument("id", type=_id_or_key, metavar="ID|KEY")
    p.add_argument("--json", action="store_true")

    p = command("suggest", "unread papers ranked by your tags and reading, best first "
                           "(with --tag: by likeness to that tag's papers)")
    p.add_argument("--tag", metavar="T", help="rank by likeness to the papers with this tag")
    p.add_argument("--status", choices=STATUSES, default="unread",
                   help="which papers to rank (default: unread)")
    p.add_argument("--limit", type=_positive, default=20, metavar="N")
    p.add_argument("--json", action="store_true")

    p = command("similar", "the papers most like one, by their words")
    p.add_argument("id", type=paper_id, metavar="ID")
    p.add_argument("--limit", type=_positive, default=10, metavar="N")
    p.add_argument("--json", action="store_true")

    p = command("stats", "counts of papers, digests, tags and statuses")
    p.add_argument("--json", action="store_true")

    _export_commands(command)


def _export_commands(command) -> None:
    """export, exports."""
    p = command("export", "write BibTeX of papers: all, a view, a search, ids, or those a "
                          "LaTeX document cites",
                epilog="examples:\n"
                       "  readinglist export --tag robots -o refs.bib --keep-updated\n"
                       "  readinglist export --aux paper.aux -o refs.bib\n"
                       "  readinglist export --format biblatex --all -o library.bib")
    _add_filters(p)
    p.add_argument("--query", metavar="Q", help="only papers matching this search")
    p.add_argument("--ids", metavar="ID,...", help="only these papers")
    p.add_argument("--digest", type=paper_id, metavar="ID", help="only this digest's papers")
    p.add_argument("--all", action="store_true", help="every paper (what no choice means)")
    p.add_argument("--aux", metavar="FILE",
                   help="only the papers a document cites, in its order: its .aux (bibtex) "
                        "or .bcf (biber) file")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write to FILE (replaced atomically) instead of standard output")
    p.add_argument("--format", choices=("bibtex", "biblatex"), default=None,
                   help="bibtex (default) or biblatex: @online, date, eprinttype")
    p.add_argument("--biblatex", action="store_true", help=argparse.SUPPRESS)  # --format's old name
    p.add_argument("--digest-date", action="store_true",
                   help="the date of the first digest that listed a paper, in a note")
    p.add_argument("--keep-updated", action="store_true",
                   help="write FILE again whenever the library changes (see 'exports')")
    p.add_argument("--force", action="store_true",
                   help="write even when nothing is selected and FILE has entries, or over a "
                        "kept-up-to-date file someone else changed")
    p.add_argument("--json", action="store_true")

    p = command("exports", "the files kept up to date: list them, or --remove FILE")
    p.add_argument("--remove", metavar="FILE", help="stop keeping FILE up to date (the file "
                                                   "stays)")
    p.add_argument("--json", action="store_true")


def _editing_commands(command) -> None:
    """tag, tags, note, mark, dismiss, citekey, undo, redo."""
    p = command("tag", "add or remove tags on papers")
    p.add_argument("ids", nargs="+", metavar="ID")
    p.add_argument("--add", action="append", default=[], metavar="T")
    p.add_argument("--remove", action="append", default=[], metavar="T")
    p.add_argument("--json", action="store_true")

    p = command("tags", "list tags with counts; 'tags rename OLD NEW'; 'tags delete T'")
    p.add_argument("action", nargs="*", metavar="ACTION",
                   help="nothing to list, 'rename OLD NEW' (merges into an existing tag), "
                        "or 'delete TAG'")
    p.add_argument("--json", action="store_true")

    p = command("note", "set a paper's note ('' clears it, '-' reads standard input)")
    p.add_argument("id", type=paper_id, metavar="ID")
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--json", action="store_true")

    p = command("mark", "set the read status of papers")
    p.add_argument("ids", nargs="+", metavar="ID")
    p.add_argument("status", choices=STATUSES, metavar="STATUS", help=" | ".join(STATUSES))
    p.add_argument("--json", action="store_true")

    p = command("dismiss", "mark papers not interested: they leave For you and every tag's "
                           "suggestions, and teach them what not to offer")
    p.add_argument("ids", nargs="+", metavar="ID")
    p.add_argument("--undo", action="store_true", help="interested again")
    p.add_argument("--json", action="store_true")

    p = command("citekey", "set a paper's citation key by hand (refused if taken), pin it, "
                           "or give it the key pattern's key again")
    p.add_argument("id", type=paper_id, metavar="ID")
    p.add_argument("key", nargs="?", metavar="KEY")
    p.add_argument("--pin", action="store_true",
                   help="never change this key again (as an export does)")
    p.add_argument("--regenerate", action="store_true",
                   help="the key the pattern makes of its authors, year and title now (the "
                        "old key still finds the paper)")
    p.add_argument("--json", action="store_true")

    for move, what in (("undo", "undo the last change to the library, whoever made it"),
                       ("redo", "redo the change undone last")):
        p = command(move, what)
        p.add_argument("--json", action="store_true")



def _details_commands(command) -> None:
    """set, lookup, config."""
    p = command("set", "set a paper's details by hand (never overwritten by an import or a "
                       "lookup; '' clears one)",
                epilog="example: readinglist set 12 --author 'Vinyals, Oriol' --author "
                       "'Bengio, Samy' --year 2015 --arxiv 1511.06391 --type article")
    p.add_argument("id", type=paper_id, metavar="ID")
    p.add_argument("--author", action="append", metavar="'FAMILY, GIVEN'",
                   help="an author, in order (repeat it; '{Corporate Name}' for a group); "
                        "--author '' clears them")
    for flag, help_text in (
            ("--year", "the year of publication"), ("--month", "its month, 1 to 12"),
            ("--date", "its date, YYYY-MM-DD"),
            ("--type", "article, inproceedings, misc, book, incollection, phdthesis, "
                       "mastersthesis, techreport or unpublished"),
            ("--venue", "the journal, or the proceedings' title"), ("--volume", None),
            ("--number", None), ("--pages", "e.g. 112-125"), ("--publisher", None),
            ("--doi", "e.g. 10.1007/BF00115009"),
            ("--arxiv", "an arXiv id, with or without its version: 1511.06391v4"),
            ("--url", "the paper's page"), ("--pdf-url", "the PDF's address")):
        p.add_argument(flag, metavar="VALUE", help=help_text)
    p.add_argument("--json", action="store_true")

    p = command("lookup", "fill papers' details from arXiv (by arXiv id, else by exact title); "
                          "uses the network, at arXiv's pace")
    p.add_argument("ids", nargs="*", metavar="ID")
    p.add_argument("--missing", action="store_true",
                   help="every paper that has no author yet")
    p.add_argument("--refresh", action="store_true",
                   help="replace what other sources said (never what you typed)")
    p.add_argument("--json", action="store_true")

    p = command("config", "show or change a setting: 'config KEY VALUE', 'config KEY --unset'")
    p.add_argument("key", nargs="?", metavar="KEY")
    p.add_argument("value", nargs="?", metavar="VALUE")
    p.add_argument("--unset", action="store_true", help="back to the default")
    p.add_argument("--json", action="store_true")



def _library_commands(command) -> None:
    """reindex, check, restore, gui."""
    for name, what in (("reindex", "rebuild the search index from the database"),
                       ("check", "check the library's integrity and report (exit 1 on problems)")):
        command(name, what).add_argument("--json", action="store_true")
    p = command("restore", "list the backups, or put one back ('latest', a date or a name)")
    p.add_argument("backup", nargs="?", metavar="BACKUP")
    p.add_argument("--json", action="store_true")
    p = command("gui", "open the window (what a bare 'readinglist' does); FILEs are imported")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="digests to import (as 'Open with Readinglist' does)")
    p.add_argument("--import-dialog", action="store_true",
                   help="open the window with the import dialog")
