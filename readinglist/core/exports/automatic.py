"""Automatic exports: a .bib file kept in step with the library.

`readinglist export … -o refs.bib --keep-updated` (or the window's "Keep this
file up to date") registers a file with its scope and format. After any
change to the library the file is written again — in the background in the
window, debounced; at the end of a command on the command line — atomically,
and only when its bytes would change (a build watching it is not woken for
nothing). A file someone else changed since Readinglist wrote it is never
overwritten: its export is paused, with one line saying so, until `--force`
(or the dialog's Overwrite).

The list lives with the user, not in the library folder (`paths`): a library
received from someone else never writes files where they chose.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock

from readinglist.core.errors import InvalidInput
from readinglist.core.exports.scope import Format, Scope
from readinglist.core.storage.atomic import (
    CHANGED_BY_SOMEONE,
    SAME,
    WRITTEN,
    replace_if_changed,
    write_atomic,
)
from readinglist.core.storage.sql import now_iso

if TYPE_CHECKING:
    from readinglist.core.exports.writer import Export


@dataclass(frozen=True)
class AutoExport:
    path: str  # absolute
    scope: Scope
    format: Format
    written: str | None = None  # when Readinglist last wrote it
    entries: int = 0
    digest: str | None = None  # of what it wrote last: a file that differs was changed
    paused: str | None = None  # why it is not written now, if it is not
    label: str = ""  # what it holds, as the window named it ("the digest of Mar 18")

    @property
    def what(self) -> str:
        return self.label or self.scope.describe()

    def to_json(self) -> dict:
        return {"path": self.path, "scope": self.scope.to_json(),
                "format": self.format.to_json(), "written": self.written,
                "entries": self.entries, "digest": self.digest, "paused": self.paused,
                "label": self.label}

    @classmethod
    def from_json(cls, value: dict) -> AutoExport:
        return cls(str(value["path"]), Scope.from_json(value.get("scope") or {}),
                   Format.from_json(value.get("format") or {}), value.get("written"),
                   int(value.get("entries") or 0), value.get("digest"), value.get("paused"),
                   str(value.get("label") or ""))


@dataclass(frozen=True)
class Update:
    """What updating one export did: written, same (nothing to write), paused,
    or failed (with why)."""

    path: str
    outcome: str
    entries: int = 0
    message: str = ""


class AutomaticExports:
    def __init__(self, export: Callable[[], Export], registry: Callable[[], Path]):
        # the BibTeX writer (and the search it brings) is made when a file is written:
        # listing the kept files at a window's start needs neither
        self._make_export = export
        self._registry = registry  # where this library's list is kept, for this user

    # -- the list ---------------------------------------------------------------------------
    def list(self) -> list[AutoExport]:
        try:
            found = json.loads(self._registry().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        exports = []
        for item in found if isinstance(found, list) else []:
            try:
                exports.append(AutoExport.from_json(item))
            except (KeyError, TypeError, ValueError, InvalidInput):
                continue  # an entry this version cannot read: left out
        return exports

    def register(self, path: str | Path, scope: Scope, fmt: Format, label: str = "") -> Update:
        """Keep ``path`` up to date from now on; it is written now (over what it
        holds: the person asked for this file)."""
        target = str(Path(path).expanduser().resolve())
        if not Path(target).parent.is_dir():
            raise InvalidInput(f"cannot write {Path(path).name}: no folder "
                               f"{Path(target).parent}")
        with self._locked():
            kept = [e for e in self.list() if e.path != target]
            entry = AutoExport(target, scope, fmt, label=label)
            update, entry = self._write(entry, force=True)
            self._save([*kept, entry])
        return update

    def remove(self, path: str | Path) -> bool:
        target = str(Path(path).expanduser().resolve())
        with self._locked():
            exports = self.list()
            kept = [e for e in exports if e.path != target]
            if len(kept) == len(exports):
                return False
            self._save(kept)
        return True

    # -- keeping them up to date ---------------------------------------------------------------
    def update(self, force: str | Path | None = None) -> list[Update]:
        """Write every export whose text changed; ``force``: this one's file is
        overwritten even if someone changed it (and its pause is lifted)."""
        forced = str(Path(force).expanduser().resolve()) if force is not None else None
        results = []
        with self._locked():
            exports = self.list()
            if forced is not None and forced not in [e.path for e in exports]:
                raise InvalidInput(f"{Path(forced).name} is not kept up to date (see "
                                   "'readinglist exports')")
            kept = []
            for entry in exports:
                if entry.paused and entry.path != forced:
                    results.append(Update(entry.path, "paused", entry.entries, entry.paused))
                    kept.append(entry)
                    continue
                update, entry = self._write(entry, force=entry.path == forced)
                results.append(update)
                kept.append(entry)
            self._save(kept)
        return results

    def _write(self, entry: AutoExport, force: bool) -> tuple[Update, AutoExport]:
        written = [0]
        name = Path(entry.path).name
        if not entry.scope.aux and self._make_export().count(entry.scope) == 0 and \
                Path(entry.path).is_file() and Path(entry.path).stat().st_size > 0:
            # a tag deleted, renamed or taken off every paper: a bibliography is
            # not emptied behind the writer's back
            return (Update(entry.path, "failed", 0, f"{name}: {entry.what} has no "
                           "papers now: the file is left as it was"), entry)
        try:
            pieces = self._make_export().scope_pieces(entry.scope, entry.format, written)
            outcome, digest = replace_if_changed(entry.path, pieces, last_written=entry.digest,
                                                 force=force)
        except InvalidInput as exc:  # a tag gone, an .aux not there yet: said, kept
            return Update(entry.path, "failed", 0, f"{name}: {exc}"), entry
        except OSError as exc:
            return (Update(entry.path, "failed", 0, f"{name}: cannot be written "
                           f"({exc.strerror or exc})"), entry)
        if outcome == CHANGED_BY_SOMEONE:
            why = (f"{name} was changed outside Readinglist since it wrote it: not "
                   "overwritten ('readinglist export --force -o FILE', or Overwrite in "
                   "Tools ▸ Automatic Exports)")
            return Update(entry.path, "paused", entry.entries, why), replace(entry, paused=why)
        entry = replace(entry, digest=digest, entries=written[0], paused=None,
                        written=now_iso() if outcome == WRITTEN else entry.written)
        return Update(entry.path, outcome if outcome != SAME else "same", written[0]), entry

    def _save(self, exports: list[AutoExport]) -> None:
        path = self._registry()
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps([e.to_json() for e in exports], indent=2,
                                      ensure_ascii=False) + "\n")

    def _locked(self) -> FileLock:
        path = self._registry()
        path.parent.mkdir(parents=True, exist_ok=True)
        return FileLock(str(path) + ".lock", timeout=600)


__all__ = ["AutoExport", "AutomaticExports", "Update"]
