"""The commands about a paper's details: set them by hand, look them up on
arXiv, and the settings they follow."""

from __future__ import annotations

import sys

from readinglist.cli.common import EXIT_OK, EXIT_REJECTED, PROG, UsageError
from readinglist.cli.output import print_json
from readinglist.cli.parser import ids_argument
from readinglist.cli.progress import Progress
from readinglist.core import settings
from readinglist.core.bibtex.keys import PatternError, check_pattern
from readinglist.core.editing.details import FIELD_LABELS
from readinglist.core.errors import InvalidInput
from readinglist.core.library import Library

_OPTIONS = {"year": "year", "month": "month", "date": "date", "type": "entry_type",
            "venue": "venue", "volume": "volume", "number": "number", "pages": "pages",
            "publisher": "publisher", "doi": "doi", "arxiv": "arxiv", "url": "url",
            "pdf_url": "pdf_url"}
LIBRARY_SETTINGS = {"citekey.pattern": "the key pattern of new keys, e.g. "
                                       "[auth:lower][year][title:lower]"}


def cmd_set(library: Library, args) -> int:
    values: dict[str, object] = {field: getattr(args, option) for option, field
                                 in _OPTIONS.items() if getattr(args, option) is not None}
    if args.author is not None:
        values["authors"] = () if args.author == [""] else [a for a in args.author if a]
    if not values:
        raise UsageError("say what to set, e.g. --author 'Vinyals, Oriol' --year 2015")
    changed = library.edit.set_details(args.id, values)
    paper = library.papers.get(args.id)
    if args.json:
        print_json({"changed": changed, **paper.to_json()})
    elif changed:
        print(f"#{args.id}: set {', '.join(FIELD_LABELS.get(c, c) for c in changed)}; "
              f"cited as {paper.citekey}")
    else:
        print(f"#{args.id}: nothing changed (it had those details already)")
    return EXIT_OK


def cmd_lookup(library: Library, args) -> int:
    if args.missing and args.ids:
        raise UsageError("give ids or --missing, not both")
    ids = library.lookup.without_authors() if args.missing else (
        ids_argument(args.ids) if args.ids else None)
    if ids is None:
        raise UsageError("say which papers: ids, or --missing for every paper without authors")
    library.papers.get_many(ids)  # unknown ids are a usage error below
    missing = set(ids) - {p.id for p in library.papers.get_many(ids)}
    if missing:
        raise UsageError(f"no paper with id {', '.join(map(str, sorted(missing)[:10]))}")
    with Progress("looking papers up on arXiv") as progress:
        result = library.lookup.run(ids, refresh=args.refresh,
                                    progress=lambda done, _total, _what:
                                    setattr(progress, "count", done))
    if args.json:
        print_json(result.to_json())
    else:
        print(result.message)
        for conflict in result.conflicts[:20]:
            print(f"  left as it is: {conflict}")
    if result.error:
        print(f"{PROG} lookup: error: {result.error}", file=sys.stderr)
        return EXIT_REJECTED
    return EXIT_OK


def cmd_config(library: Library, args) -> int:
    if args.key is None:
        values = {key: library.settings.get(key) for key in LIBRARY_SETTINGS}
        values |= {key: settings.get(key) for key in settings.SETTINGS}
        if args.json:
            print_json(values)
        else:
            for key, value in values.items():
                print(f"{key:<18} {value}")
        return EXIT_OK
    if args.key in LIBRARY_SETTINGS:
        if args.unset or args.value is not None:
            try:
                value = None if args.unset else check_pattern(args.value)
            except PatternError as exc:
                raise InvalidInput(str(exc)) from None
            library.settings.put(args.key, value)
        shown = library.settings.get(args.key)
    else:
        if args.unset or args.value is not None:
            settings.put(args.key, None if args.unset else args.value)
        shown = settings.get(args.key)
    if args.json:
        print_json({args.key: shown})
    else:
        print(f"{args.key} = {shown}")
    return EXIT_OK


COMMANDS = {"set": cmd_set, "lookup": cmd_lookup, "config": cmd_config}
