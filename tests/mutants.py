"""Hand-made mutations of the code, and whether the tests catch them.

Each mutation is a realistic bug (a rule dropped, a boundary moved, a branch
swapped) written as one exact edit of one file, with the tests that should
catch it. `python -m tests.mutants` (or `make mutants`) applies them one at
a time, runs those tests, puts the file back, and prints which mutations
the tests caught; `--only ID` runs one. It takes about half an hour, so it is
not part of `make test`; tests/README.md keeps the last result.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Mutant:
    id: str
    area: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]
    what: str


def m(id_: str, area: str, path: str, old: str, new: str, tests, what: str) -> Mutant:
    return Mutant(id_, area, f"readinglist/{path}", old, new,
                  tuple(tests.split()) if isinstance(tests, str) else tuple(tests), what)


UNDO = "tests/core/test_undo_rules.py tests/core/test_history.py"
MAIL = "tests/core/test_mail_import.py"
TRIAGE = "tests/ui/test_triage_flow.py tests/ui/test_keyboard_walk.py"
BIB = "tests/core/test_bibtex.py tests/core/test_bibtex_hostile.py"
SEARCH = "tests/core/test_search.py tests/core/test_ranking.py"
SUGGEST = "tests/core/test_suggest.py"
IMPORT = "tests/core/test_import.py tests/core/test_digest_reading.py tests/core/test_digest.py"
STORAGE = "tests/core/test_storage.py tests/core/test_reliability.py"

MUTANTS = [
    # -- undo and redo ----------------------------------------------------------------------------
    m("undo-status-cas", "undo", "core/editing/changes.py",
      "        if current.get(pid) != expected:\n            continue\n", "",
      UNDO, "undo of a status ignores a change made since"),
    m("undo-status-time", "undo", "core/editing/changes.py",
      "if forward else (old, old_changed)", "if forward else (old, now)",
      UNDO, "undo of a status forgets when it was set"),
    m("undo-field-cas", "undo", "core/editing/changes.py",
      "if current is None or (current[0] or \"\") != (old or \"\"):",
      "if current is None:", UNDO, "undo of a note or key ignores a change made since"),
    m("undo-key-taken", "undo", "core/editing/changes.py",
      "            if holder is not None and holder != pid:\n"
      "                return Outcome(skipped=1)\n",
      "", UNDO, "undo of a key takes a key another paper holds"),
    m("undo-key-retire", "undo", "core/editing/changes.py",
      "                citekeys.retire_keys(conn, [old], pid)\n", "                pass\n",
      BIB, "a key given up by a re-key is not retired"),
    m("undo-tag-alive", "undo", "core/editing/changes.py",
      "adding = [i for i in to_add if i in alive and i not in have]",
      "adding = [i for i in to_add if i not in have]", UNDO,
      "undo of an untag re-tags a paper deleted since"),
    m("undo-rename-taken", "undo", "core/editing/changes.py",
      "if source is None or (target is not None and target != source):",
      "if source is None:", UNDO, "undo of a rename takes a name another tag has"),
    m("undo-redo-delete-cas", "undo", "core/editing/changes.py",
      "gone = [p[\"id\"] for p in papers if now.get(p[\"id\"]) == p[\"title_key\"]]",
      "gone = [p[\"id\"] for p in papers if p[\"id\"] in now]", UNDO,
      "redo of a delete deletes the paper that took the id"),
    m("undo-undelete-key", "undo", "core/editing/changes.py",
      "    if key and citekeys.owner(conn, key) is not None:\n        row[\"citekey\"] = None",
      "    if False:\n        row[\"citekey\"] = None", UNDO,
      "an undelete takes a key another paper holds"),
    m("undo-undelete-reimported", "undo", "core/editing/changes.py",
      "        elif holder is not None:\n", "        elif False:\n", UNDO,
      "an undelete of a paper imported again makes it twice"),
    m("undo-history-cap", "undo", "core/editing/history.py",
      "steps_t.c.id <= newest - KEEP_STEPS", "steps_t.c.id < newest - KEEP_STEPS", UNDO,
      "the history keeps one step too many"),
    m("undo-wedge", "undo", "core/editing/history.py",
      "            except DBAPIError as exc:\n",
      "            except KeyError as exc:\n",
      UNDO, "a step that fails stays on top for ever"),
    m("undo-redo-clears", "undo", "core/editing/history.py",
      "    conn.execute(delete(steps_t).where(steps_t.c.undone == 1))  # the redo side is gone\n",
      "", UNDO, "a new edit leaves the redo side"),
    m("undo-note-merge", "undo", "core/editing/history.py",
      "if previous[\"paper\"] != change[\"paper\"] or", "if", UNDO,
      "typing in another note merges into the last note's step"),
    # -- e-mail and web pages ---------------------------------------------------------------------
    m("mail-html-first", "e-mail", "core/sources/mail.py",
      "preferencelist=(\"plain\", \"html\")", "preferencelist=(\"html\", \"plain\")", MAIL,
      "the HTML part is preferred over the plain text"),
    m("mail-size-boundary", "e-mail", "core/sources/mail.py",
      "data) if len(data) <= MAX_BYTES else None)", "data) if len(data) < MAX_BYTES else None)",
      MAIL, "a message of exactly the limit is skipped"),
    m("mail-date-header", "e-mail", "core/sources/mail.py",
      "        return parsedate_to_datetime(value).date()", "        return None", MAIL,
      "the Date: header is never used"),
    m("html-script", "e-mail", "core/sources/html_text.py",
      "            if tag == self._skipping[-1]:\n                self._skipping.pop()",
      "            if True:\n                self._skipping.pop()", MAIL,
      "any closing tag ends a script"),
    m("html-link-kept", "e-mail", "core/sources/html_text.py",
      "                self._parts.append(f\" ({href})\")", "                pass", MAIL,
      "a link's address is dropped from a paragraph"),
    m("mail-crlf", "e-mail", "core/sources/mail.py",
      "in data[:65536] \\\n        .replace(b\"\\r\\n\", b\"\\n\")", "in data[:65536]", MAIL,
      "a message with CRLF line ends is not known as an e-mail by its bytes"),
    # -- going through a list ---------------------------------------------------------------------
    m("triage-several", "triage", "ui/paper_list/triage.py",
      "range(max(rows) + 1, len(ids))", "range(min(rows) + 1, len(ids))", TRIAGE,
      "after acting on several rows the selection stays among them"),
    m("triage-last-rows", "triage", "ui/paper_list/triage.py",
      "            below = next((ids[r] for r in range(min(rows) - 1, -1, -1)",
      "            below = next((ids[r] for r in range(0, min(rows))", TRIAGE,
      "after the last rows the selection jumps to the top"),
    m("triage-prev-unread", "triage", "ui/paper_list/triage.py",
      "    return ids[:row][::-1], ids[row + 1:][::-1]",
      "    return ids[:row], ids[row + 1:][::-1]", TRIAGE,
      "[ goes to the first unread of the list, not the nearest above"),
    m("triage-space", "triage", "ui/detail/pane.py",
      "if self.paper is None or bar.value() >= bar.maximum():", "if True:", TRIAGE,
      "Space moves on without paging the abstract"),
    m("triage-wrap", "triage", "ui/paper_list/triage.py",
      "            found = papers.first_with_status(behind, \"unread\")",
      "            found = None", TRIAGE, "] at the end does not wrap round"),
    m("triage-place", "triage", "ui/paper_list/triage.py",
      "target = [place.paper_id] if place.paper_id is not None else list(fallback)",
      "target = list(fallback)", TRIAGE,
      "after a key the selection stays on the paper acted on"),
    m("triage-note-autosave", "triage", "ui/detail/pane.py",
      "        self._note_timer.timeout.connect(self.flush_note)\n", "", TRIAGE + " tests/ui",
      "a note is saved only when its editor is left"),
    # -- search and the index ---------------------------------------------------------------------
    m("search-cache-bound", "search", "core/index/postings.py",
      "while self.size > self.limit and len(self._items) > 1:",
      "while self.size > 2 * self.limit and len(self._items) > 1:", SEARCH,
      "the posting cache grows past its bound"),
    m("search-prefix", "search", "core/index/query.py",
      "    if not match or len(match.group(1)) < 2 or",
      "    if not match or len(match.group(1)) < 99 or",
      SEARCH, "the word being typed is not a prefix"),
    m("search-not", "search", "core/index/query.py",
      "_MINUS = re.compile(r\"(?<![\\w:])-(?=[\\w\\\"(])\")",
      "_MINUS = re.compile(r\"(?<![\\w:])-(?=[\\\"(])\")", SEARCH, "-word does not exclude"),
    m("search-filter", "search", "core/index/documents.py",
      "            parts.append(Term(\"status\", self.status))\n", "", SEARCH,
      "a search ignores the status filter"),
    m("search-keeper-queue", "search", "core/index/keeper.py",
      "                    if recorded == generation - state[0]:",
      "                    if recorded >= 0:", STORAGE + " " + SEARCH,
      "a queue with gaps is trusted"),
    # -- BibTeX -----------------------------------------------------------------------------------
    m("bib-url-backslash", "bibtex", "core/bibtex/escape.py",
      "if ch in \"{}\\\\ \\\"\" else ch for ch in url)",
      "if ch in \"{} \\\"\" else ch for ch in url)",
      BIB, "a backslash in a URL is left as it is"),
    m("bib-protect", "bibtex", "core/bibtex/escape.py",
      "    return _PROTECTED_WORD.sub(r\"{\\g<0>}\", escaped)", "    return escaped", BIB,
      "LoRA and BERT are not braced in titles"),
    m("bib-depth", "bibtex", "core/bibtex/escape.py",
      "self.commands < MAX_DEPTH:", "True:", BIB, "kept commands nest without a bound"),
    m("bib-lone-brace", "bibtex", "core/bibtex/escape.py",
      "out.append(self._close() if closers else LITERAL_CLOSE)",
      "out.append(self._close() if closers else \"}\")", BIB,
      "a lone closing brace is written as it is"),
    m("bib-retired", "bibtex", "core/editing/changes.py",
      "    citekeys.retire(conn, gone)\n", "", BIB + " " + UNDO,
      "a deleted paper's key is handed out again"),
    # -- suggestions ------------------------------------------------------------------------------
    m("suggest-centroid", "suggestions", "core/suggest/ranker.py",
      "if MIN_FOR_SVM <= len(pos_rows) < matrix.shape[0]:",
      "if MIN_FOR_SVM < len(pos_rows) < matrix.shape[0]:", SUGGEST,
      "three positives fall back to the centroid"),
    m("suggest-similar-self", "suggestions", "core/suggest/ranker.py",
      "    cosines[row] = -np.inf\n", "", SUGGEST, "a paper is its own most similar paper"),
    m("suggest-positives-left-out", "suggestions", "core/suggest/suggester.py",
      "            candidates = candidates[~np.isin(candidates, positives, assume_unique=True)]\n",
      "", SUGGEST, "a tag's own papers are suggested for it"),
    m("suggest-why-positive", "suggestions", "core/suggest/ranker.py",
      "        if gain <= 0 or len(terms) == WHY_TERMS:",
      "        if len(terms) == WHY_TERMS:", SUGGEST, "why lists terms that lower the score"),
    # -- importing --------------------------------------------------------------------------------
    m("import-seen-once", "import", "core/importing/importer.py",
      "        if first is not entry:\n", "        if False:\n", IMPORT,
      "a paper repeated in a digest is not warned about"),
    m("import-longer-abstract", "import", "core/importing/importer.py",
      "if len(entry.abstract) > len(stored) and entry.abstract.startswith(stored.rstrip()):",
      "if len(entry.abstract) > len(stored):", IMPORT,
      "any longer abstract replaces the stored one"),
    m("import-times-seen", "import", "core/importing/importer.py",
      "              times_seen = (SELECT count(*) FROM appearance a WHERE a.paper_id = paper.id),",
      "              times_seen = times_seen + 1,", IMPORT + " " + STORAGE,
      "a digest imported twice counts its papers twice"),
    m("import-year-inferred", "import", "core/sources/digest.py",
      "        if candidate <= reference:", "        if candidate <= reference or True:", IMPORT,
      "a date without a year is put in the future"),
    m("import-url-brackets", "import", "core/sources/links.py",
      "elif last in _PAIRS and counts[last] > counts[_PAIRS[last]]:",
      "elif last in _PAIRS:", IMPORT, "a link's own closing bracket is cut"),
    # -- storage ----------------------------------------------------------------------------------
    m("storage-backup-before-migration", "storage", "core/storage/migrations.py",
      "        backup_database(db_path, f\"schema{version}\")", "        pass", STORAGE,
      "an old library is migrated without a backup copy"),
    m("storage-newer-refused", "storage", "core/storage/migrations.py",
      "    if version > SCHEMA_VERSION:", "    if version > SCHEMA_VERSION + 1:", STORAGE,
      "a library of a newer version is opened"),
    m("storage-empty-not-new", "storage", "core/storage/migrations.py",
      "            if backups.list_backups(db_path.parent):  # not new: emptied or truncated",
      "            if False:", STORAGE, "an emptied library passes for a new one"),
    m("storage-drafts-newer", "storage", "core/storage/drafts.py",
      "            if read_regular(path, MAX_DRAFT_BYTES) == text:\n                path.unlink()",
      "            path.unlink()", "tests/ui/test_edits_during_import.py tests/core",
      "a draft newer than the save is dropped"),
    # -- this wave: a received folder, suggestions, the morning routine --------------------------
    m("received-owner", "received", "core/store.py",
      "            if known != owner:", "            if False:",
      "tests/core/test_received_folder.py", "a cache made from another database is kept"),
    m("received-draft-link", "received", "core/storage/drafts.py",
      'os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) |', "os.O_RDONLY |",
      "tests/core/test_drafts.py tests/core/test_received_folder.py",
      "a draft that is a symbolic link is followed"),
    m("received-stamps", "received", "core/suggest/cache.py",
      "        replaced = common[features.stamps[mine] != stamps[theirs]]",
      "        replaced = common[:0]",
      "tests/core/test_received_folder.py tests/core/test_suggest.py",
      "features of a removed paper answer for the paper that took its id"),
    m("suggest-title-weight", "suggest", "core/suggest/features.py",
      "(title_rows * TITLE_WEIGHT + abstract_rows)", "(title_rows * 8 + abstract_rows)",
      "tests/core/test_suggestion_quality.py", "the title drowns the abstract again"),
    m("suggest-dismissed-weight", "suggest", "core/suggest/ranker.py",
      "weight[np.isin(rows, neg_rows) & (labels == 0)] = max(",
      "weight[np.isin(rows, neg_rows) & (labels == 0)] = 1 or max(",
      "tests/core/test_dismiss.py", "a dismissed paper weighs no more than one left unread"),
    m("suggest-dismissed-left-in", "suggest", "core/suggest/suggester.py",
      "Filter(status=status, dismissed=False)", "Filter(status=status)",
      "tests/core/test_dismiss.py", "a dismissed paper is still suggested"),
    m("routine-view-top", "routine", "ui/paper_list/presenter.py",
      "        self.reload(select=self._places.get(key, []))", "        self.reload()",
      "tests/ui/test_morning_routine.py", "a view opens at the row the last view had"),
    m("routine-tag-highlight", "routine", "ui/detail/editors.py",
      "        name = self.edit.highlighted_completion() or self.edit.text().strip()",
      "        name = self.edit.text().strip()",
      "tests/ui/test_tag_entry.py", "Enter makes a tag of the typed prefix"),
    m("cli-lazy-suggester", "start", "core/library.py",
      "        if \"suggester\" in self.__dict__:", "        if True:",
      "tests/cli/test_start_imports.py", "stats imports the suggestion stack again"),
    # -- the command line -------------------------------------------------------------------------
    m("cli-no-match-exit", "cli", "cli/commands.py",
      "        return EXIT_NO_MATCH  # as grep: a script can tell \"none\" from \"some\"",
      "        return EXIT_OK", "tests/cli", "search finding nothing exits 0"),
    m("cli-terminal-safety", "cli", "cli/__init__.py",
      "    sys.stdout, sys.stderr = SafeStream(out), SafeStream(err)", "    pass", "tests/cli",
      "a title's escape sequences reach the terminal"),
]


def run(mutant: Mutant, python: str) -> tuple[bool, float]:
    """(caught, seconds): the mutation applied, its tests run, the file put back."""
    path = ROOT / mutant.path
    original = path.read_text(encoding="utf-8")
    if original.count(mutant.old) != 1:
        raise SystemExit(f"{mutant.id}: the text to change is in {mutant.path} "
                         f"{original.count(mutant.old)} times, not once")
    path.write_text(original.replace(mutant.old, mutant.new), encoding="utf-8")
    started = time.monotonic()
    try:
        result = subprocess.run(
            [python, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *mutant.tests],
            cwd=ROOT, capture_output=True, text=True, timeout=1800,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        caught = result.returncode != 0
    finally:
        path.write_text(original, encoding="utf-8")
    return caught, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", metavar="ID", action="append", help="run these mutations")
    parser.add_argument("--list", action="store_true", help="list them and stop")
    args = parser.parse_args()
    chosen = [x for x in MUTANTS if not args.only or x.id in args.only]
    if args.list:
        for x in chosen:
            print(f"{x.id:<32} {x.area:<12} {x.what}")
        return 0
    caught = 0
    for number, mutant in enumerate(chosen, 1):
        hit, seconds = run(mutant, sys.executable)
        caught += hit
        print(f"[{number}/{len(chosen)}] {'caught  ' if hit else 'SURVIVED'} {mutant.id:<32} "
              f"{seconds:5.0f} s  {mutant.what}", flush=True)
    print(f"{caught} of {len(chosen)} mutations caught ({caught / len(chosen):.0%})")
    return 0 if caught == len(chosen) else 1


if __name__ == "__main__":
    sys.exit(main())
