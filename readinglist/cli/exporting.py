"""The export commands: BibTeX of a scope to a file or standard output, the
papers a document cites, files kept up to date."""

from __future__ import annotations

import sys
from pathlib import Path

from readinglist.cli.common import EXIT_OK, EXIT_REJECTED, PROG, UsageError
from readinglist.cli.output import print_json
from readinglist.cli.parser import ids_argument
from readinglist.cli.progress import Progress
from readinglist.cli.terminal import shown
from readinglist.core.exports.scope import Format, Scope
from readinglist.core.library import Library


def scope_of(args, library: Library) -> Scope:
    """The export's papers, as the options name them."""
    if args.aux:
        if any((args.ids, args.tag, args.status, args.query, args.digest, args.all)):
            raise UsageError("--aux exports what the document cites: give no other choice")
        return Scope(aux=str(Path(args.aux).expanduser().resolve()))
    if args.tag is not None:
        library.tags.require(args.tag)
    ids = tuple(ids_argument([args.ids])) if args.ids is not None else None
    return Scope(ids=ids, tag=args.tag, status=args.status, digest=args.digest,
                 since=args.since, until=args.until, query=args.query or None)


def cmd_export(library: Library, args) -> int:
    scope = scope_of(args, library)
    fmt = Format("biblatex" if args.biblatex else (args.format or "bibtex"), args.digest_date)
    if args.keep_updated and not args.output:
        raise UsageError("--keep-updated needs the file to keep up to date: -o FILE")
    cited = library.export.cited(Path(scope.aux)) if scope.aux else None
    if not args.output:
        for piece in library.export.scope_pieces(scope, fmt):
            sys.stdout.write(piece)
        return _report_cited(cited, args)
    try:
        kept = _kept(library, args.output)
        if args.keep_updated:
            update = library.exports.register(args.output, scope, fmt)
            count, said = update.entries, "kept up to date from now on"
        elif kept is not None:
            if (kept.scope, kept.format) != (scope, fmt):
                raise UsageError(
                    f"{shown(args.output)} is kept up to date with {shown(kept.what)}: "
                    "--keep-updated changes what it holds, 'exports --remove' stops it")
            # the same export asked for by hand (a latexmk rule, --force): written now
            [update] = [u for u in library.exports.update(force=args.output)
                        if u.path == kept.path]
            count, said = update.entries, "kept up to date"
        else:
            with Progress("exporting") as progress:
                count = library.export.write_scope(
                    args.output, scope, fmt, force=args.force,
                    progress=lambda n: setattr(progress, "count", n))
            said = ""
    except OSError as exc:
        raise UsageError(f"cannot write {shown(args.output)}: {exc.strerror or exc}") from exc
    tail = f"; {said}" if said else ""
    if args.json:
        print_json({"path": str(Path(args.output).resolve()), "entries": count,
                    "kept_up_to_date": bool(args.keep_updated), **_cited_json(cited)})
    else:
        print(f"wrote {count} entr{'y' if count == 1 else 'ies'} to {shown(args.output)}"
              f"{tail}", file=sys.stderr)
    return _report_cited(cited, args, quiet=args.json)


def _kept(library: Library, path: str):
    target = str(Path(path).expanduser().resolve())
    return next((e for e in library.exports.list() if e.path == target), None)


def _cited_json(cited) -> dict:
    if cited is None:
        return {}
    return {"renamed": [{"cited": old, "now": new} for old, new in cited.renamed],
            "unknown": [{"key": key, "close": close} for key, close in cited.unknown]}


def _report_cited(cited, args, quiet: bool = False) -> int:
    """Keys a document cites by an old name, and keys no paper has: one line
    each on standard error; exit 1 when any key is unknown."""
    if cited is None:
        return EXIT_OK
    if not quiet:
        for old, new in cited.renamed:
            print(f"{PROG}: note: '{old}' is now '{new}': the entry is written under "
                  f"'{old}'; cite it as '{new}' in new text", file=sys.stderr)
        for key, close in cited.unknown:
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            print(f"{PROG}: unknown key '{key}'{hint}", file=sys.stderr)
    return EXIT_REJECTED if cited.unknown else EXIT_OK


def cmd_exports(library: Library, args) -> int:
    if args.remove:
        if not library.exports.remove(args.remove):
            raise UsageError(f"{shown(args.remove)} is not kept up to date (see "
                             f"'{PROG} exports')")
        print(f"{shown(args.remove)} is no longer kept up to date (the file stays)",
              file=sys.stderr)
        return EXIT_OK
    exports = library.exports.list()
    if args.json:
        print_json([e.to_json() for e in exports])
        return EXIT_OK
    if not exports:
        print(f"No file is kept up to date. Keep one with: {PROG} export --tag T -o refs.bib "
              "--keep-updated")
        return EXIT_OK
    for e in exports:
        state = f"PAUSED: {e.paused}" if e.paused else (
            f"written {e.written[:16].replace('T', ' ') if e.written else 'never'}, "
            f"{e.entries} entries")
        print(f"{shown(e.path)}\n    {shown(e.what)} · {e.format.flavour} · {state}")
    return EXIT_OK


def update_exports(library: Library) -> None:
    """After a command that changed the library: its kept-up-to-date files follow
    (quietly, but for a file that could not be written or was paused)."""
    for update in library.exports.update():
        if update.outcome in ("paused", "failed") and update.message:
            print(f"{PROG}: {update.message}", file=sys.stderr)


COMMANDS = {"export": cmd_export, "exports": cmd_exports}
