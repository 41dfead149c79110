"""The sub-commands: each a few lines over the `Library` facade."""

from __future__ import annotations

import sys

from readinglist.cli import details, exporting
from readinglist.cli.common import EXIT_NO_MATCH, EXIT_OK, EXIT_REJECTED, PROG, UsageError
from readinglist.cli.output import cut, fill, output_width, print_json, print_paper, print_papers
from readinglist.cli.parser import ids_argument
from readinglist.cli.progress import Progress
from readinglist.cli.terminal import printable, shown
from readinglist.core.library import MAX_NOTE_BYTES, Filter, Library
from readinglist.core.storage import backups
from readinglist.core.views import ALREADY_IMPORTED, IMPORTED


def _stdin_text() -> str:
    """A note from standard input: at most `MAX_NOTE_BYTES`, read as far as
    that and no further (``< /dev/zero`` is refused, not read for ever)."""
    limit = MAX_NOTE_BYTES
    data = (sys.stdin.buffer.read(limit + 1) if hasattr(sys.stdin, "buffer")
            else sys.stdin.read(limit + 1))
    if len(data) > limit:
        raise UsageError(f"standard input is longer than a note may be ({limit // 1048576} MB)")
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"standard input is not UTF-8 text (byte {exc.start + 1}); "
                         "save the note as UTF-8") from None


def _raw_stderr():
    """stderr itself, for the progress line's own \r and ESC[K."""
    return getattr(sys.stderr, "raw", sys.stderr)


def _cmd_import(library: Library, args) -> int:
    def progress(state) -> None:
        if state.current is not None and sys.stderr.isatty() and not args.json:
            print(f"\r[{state.files_done + 1}/{state.files_total}] "
                  f"{printable(state.current.name)}\033[K", end="", file=_raw_stderr(), flush=True)

    result = library.import_files(args.paths, progress, year=args.year, refresh=args.refresh)
    if sys.stderr.isatty() and not args.json:
        print("\r\033[K", end="", file=_raw_stderr(), flush=True)
    for f in result.rejected:
        print(f"{PROG}: rejected {shown(f.path)}: {f.error}", file=sys.stderr)
    if args.json:
        print_json(result.to_json())
    else:
        for f in result.files:
            about = ", ".join(x for x in (f.describe_kind, f.digest_date or "") if x)
            if f.status == IMPORTED:
                print(f"imported          {shown(f.path)} ({about}): "
                      f"{f.new} new, {f.seen} seen before")
            elif f.status == ALREADY_IMPORTED:
                print(f"already imported  {shown(f.path)} ({about})")
            for skipped in f.skipped:
                print(f"  skipped: {shown(f.path.name)}: {skipped}")
            for warning in f.warnings:
                print(f"  warning: {shown(f.path.name)}: {warning}")
        counts = result.to_json()
        print(f"{counts['new']} new papers, {counts['seen']} seen before; "
              f"{counts['imported']} imported, {counts['already_imported']} already imported, "
              f"{counts['rejected']} rejected")
    if not result.files:
        print(f"{PROG}: no digest files found in {', '.join(map(shown, args.paths))}",
              file=sys.stderr)
        return EXIT_REJECTED
    return EXIT_REJECTED if result.rejected else EXIT_OK


def _filter(args, library: Library) -> Filter:
    """The view the options name; an unknown tag is an error, not an empty list."""
    if args.tag is not None:
        library.tags.require(args.tag)
    return Filter(status=args.status, tag=args.tag, since=args.since, until=args.until,
                  dismissed=True if getattr(args, "dismissed", False) else None)


def _cmd_list(library: Library, args) -> int:
    limit = args.limit or None
    view = _filter(args, library)
    if args.query:
        papers = [h.paper for h in library.search.hits(args.query, limit, view=view)]
        _say_if_index_behind(library)
    else:
        papers = library.papers.list(view, sort=args.sort, limit=limit)
    if args.json:
        print_json([p.to_json() for p in papers])
        return EXIT_OK
    print_papers(papers)
    if limit and len(papers) == limit:
        total = (library.search.count(args.query, view) if args.query
                 else library.papers.count(view))
        _say_more(total - len(papers))
    return EXIT_OK


def _report(args, value, text: str) -> None:
    """What a command did: JSON with --json, else a line for people."""
    if getattr(args, "json", False):
        print_json(value)
    else:
        print(text)


def _say_if_index_behind(library: Library) -> None:
    behind = library.search.behind()
    if behind:
        print(f"{PROG}: note: {behind}", file=sys.stderr)


def _cmd_search(library: Library, args) -> int:
    view = _filter(args, library)
    hits = library.search.hits(args.query, args.limit or None, view=view)
    _say_if_index_behind(library)
    if args.json:
        print_json([h.to_json() for h in hits])
        return EXIT_OK if hits else EXIT_NO_MATCH
    if not hits:
        print("No matches.")
        return EXIT_NO_MATCH  # as grep: a script can tell "none" from "some"
    width = output_width()
    for h in hits:
        print(f"{h.id:>6}  {h.score:6.2f}  {cut(h.title, width - 16)}")
        if h.snippet:
            print(fill(h.snippet, min(width, 100), " " * 16, max_lines=3, placeholder=" …"))
    if args.limit and len(hits) == args.limit:
        _say_more(library.search.count(args.query, view) - len(hits))
    return EXIT_OK


def _say_more(more: int) -> None:
    if more > 0:
        print(f"… {more} more (use --limit N, or --limit 0 for all)")


def _cmd_suggest(library: Library, args) -> int:
    if args.tag is not None:
        library.tags.require(args.tag)
    result = library.suggest(tag=args.tag, status=args.status, limit=args.limit or None)
    if args.json:
        print_json([s.to_json() for s in result.items])
    elif result.method is None:
        print(f"{result.message[0].upper()}{result.message[1:]}.")
    else:
        if result.message:
            print(f"{PROG}: note: {result.message}", file=sys.stderr)
        _print_ranked(result.items)
    return EXIT_OK


def _cmd_similar(library: Library, args) -> int:
    found = library.similar(args.id, args.limit or 10)
    if args.json:
        print_json([s.to_json() for s in found])
    else:
        _print_ranked(found)
    return EXIT_OK


def _print_ranked(items) -> None:
    width = output_width()
    for s in items:
        print(f"{s.paper.id:>6}  {s.relevance_text:>9}  {cut(s.paper.title, width - 19)}")
        if s.why:
            print(f"{'':19}why: {', '.join(s.why)}")


def _cmd_show(library: Library, args) -> int:
    paper = (library.papers.get(int(args.id)) if args.id.isdigit()
             else library.papers.by_citekey(args.id))
    if args.json:
        print_json(paper.to_json())
    else:
        print_paper(library, paper)
    return EXIT_OK


def _cmd_tag(library: Library, args) -> int:
    ids = ids_argument(args.ids)
    if not args.add and not args.remove:
        raise UsageError("say what to do: --add TAG and/or --remove TAG")
    if args.add:
        library.tags.add(ids, args.add)
    if args.remove:
        library.tags.remove(ids, args.remove)
    papers = library.papers.get_many(ids)
    if args.json:
        print_json([{"id": p.id, "tags": list(p.tags)} for p in papers])
        return EXIT_OK
    for paper in papers:
        print(f"{paper.id:>6}  {', '.join(paper.tags) or '-'}")
    return EXIT_OK


def _cmd_tags(library: Library, args) -> int:
    action = args.action
    if not action:
        tags = library.tags.counts()
        if args.json:
            print_json([{"name": t.name, "count": t.count} for t in tags])
        elif not tags:
            print("No tags yet. Add one with: readinglist tag ID --add TAG")
        else:
            for t in tags:
                print(f"{t.count:>6}  {t.name}")
        return EXIT_OK
    if action[0] == "rename" and len(action) == 3:
        library.tags.rename(action[1], action[2])
        _report(args, {"renamed": action[1], "to": action[2]},
                f"renamed {action[1]!r} to {action[2]!r}")
        return EXIT_OK
    if action[0] == "delete" and len(action) == 2:
        library.tags.delete(action[1])
        _report(args, {"deleted": action[1]}, f"deleted tag {action[1]!r}")
        return EXIT_OK
    raise UsageError("tags takes no argument, 'rename OLD NEW' or 'delete TAG'")


def _cmd_note(library: Library, args) -> int:
    text = _stdin_text() if args.text == "-" else args.text
    library.edit.set_note(args.id, text.rstrip("\n") if args.text == "-" else text)
    _report(args, {"id": args.id, "note": library.papers.get(args.id).note},
            f"note of #{args.id} {'saved' if text.strip() else 'cleared'}")
    return EXIT_OK


def _cmd_mark(library: Library, args) -> int:
    ids = ids_argument(args.ids)
    library.edit.set_status(ids, args.status)
    _report(args, {"ids": ids, "status": args.status},
            f"marked {len(ids)} paper{'s' if len(ids) != 1 else ''} {args.status}")
    return EXIT_OK


def _cmd_dismiss(library: Library, args) -> int:
    ids = ids_argument(args.ids)
    changed = library.edit.dismiss(ids, dismissed=not args.undo)
    what = "interested again" if args.undo else "marked not interested"
    _report(args, {"ids": ids, "dismissed": not args.undo, "changed": changed},
            f"{what}: {changed} paper{'s' if changed != 1 else ''}"
            + (f" ({len(ids) - changed} already were)" if changed < len(ids) else ""))
    return EXIT_OK


def _cmd_stats(library: Library, args) -> int:
    stats = library.papers.stats().to_json()
    failed = library.last_backup_failure() or library.backup_error
    if args.json:
        print_json({**stats, "last_backup_failed": failed})
    else:
        for key, value in stats.items():
            print(f"{key + ':':<13}{value:>8}")
        if failed:
            print(f"the last daily backup failed: {printable(failed)} (it is tried again at "
                  "the next opening; 'readinglist check' says more)")
    return EXIT_OK


def _cmd_citekey(library: Library, args) -> int:
    chosen = sum((args.key is not None, args.pin, args.regenerate))
    if chosen != 1:
        raise UsageError("give one of: a KEY, --pin, --regenerate")
    if args.pin:
        library.export.pin([args.id])
        key = library.papers.get(args.id).citekey
        _report(args, {"id": args.id, "citekey": key, "pinned": True},
                f"#{args.id} is cited as {key}, which never changes now")
        return EXIT_OK
    key = library.edit.regenerate_citekey(args.id) if args.regenerate else args.key.strip()
    if not args.regenerate:
        library.edit.set_citekey(args.id, key)
    _report(args, {"id": args.id, "citekey": key}, f"#{args.id} is now cited as {key}")
    return EXIT_OK


def _cmd_reindex(library: Library, args) -> int:
    with Progress("rebuilding the search index"):
        count = library.maintenance.reindex()
    _report(args, {"papers": count}, f"search index rebuilt: {count} papers")
    return EXIT_OK


def _cmd_check(library: Library, args) -> int:
    with Progress("checking the library"):
        report = library.maintenance.check()
    if args.json:
        problems = [*report.problems, *([library.backup_error] if library.backup_error else [])]
        print_json({"ok": not problems, "notes": report.notes, "problems": problems})
        return EXIT_OK if not problems else EXIT_REJECTED
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


def restore(folder, args) -> int:
    """Runs without opening the library: it may be too damaged to open."""
    if args.backup is None:
        found = backups.list_backups(folder)
        if args.json:
            print_json([{"name": b.name, "made": b.made, "bytes": b.size,
                         "papers": b.paper_count()} for b in found])
            return EXIT_OK
        if not found:
            print(f"No backups yet in {folder / backups.BACKUP_DIR}.")
            return EXIT_OK
        print(f"Backups in {folder / backups.BACKUP_DIR} (newest first):")
        for backup in found:
            print(f"  {backup.name:<44} {backup.size / 1048576:7.1f} MB")
        print(f"Restore one with: {PROG} restore latest  (or a name or date)")
        return EXIT_OK
    backup = backups.find_backup(folder, args.backup)
    saved = backups.restore(folder, backup)
    with Library.open(folder) as library:  # migrates if older; rebuilds the index
        stats = library.papers.stats()
    _report(args, {"restored": backup.name, "papers": stats.papers, "digests": stats.digests,
                   "kept_as": saved.name},
            f"restored {backup.name}: {stats.papers} papers, {stats.digests} digests\n"
            f"the library as it was before is kept as {saved.name}")
    return EXIT_OK


def _history(move: str):
    def run(library: Library, args) -> int:
        result = getattr(library, move)()
        if result is None:
            print(f"Nothing to {move}.")
            return EXIT_OK
        if args.json:
            print_json(result.to_json())
        elif result.failed is not None:
            print(f"{PROG} {move}: error: {result.message}", file=sys.stderr)
        else:
            print(result.message)
        return EXIT_OK if result.failed is None else EXIT_REJECTED

    return run


COMMANDS = details.COMMANDS | exporting.COMMANDS | {
    "import": _cmd_import,
    "list": _cmd_list,
    "search": _cmd_search,
    "show": _cmd_show,
    "suggest": _cmd_suggest,
    "similar": _cmd_similar,
    "tag": _cmd_tag,
    "tags": _cmd_tags,
    "note": _cmd_note,
    "mark": _cmd_mark,
    "dismiss": _cmd_dismiss,
    "stats": _cmd_stats,
    "citekey": _cmd_citekey,
    "reindex": _cmd_reindex,
    "check": _cmd_check,
    "undo": _history("undo"),
    "redo": _history("redo"),
}
