"""Giving papers their citation keys, and keeping the promise that a key that
has left the library never changes.

A new paper gets a key from the library's key pattern (`bibtex.keys`); a
clash gives the newcomer a suffix (a, b, …) and the older paper keeps its key.
A key is **pinned** once it has left the library (exported, copied, written to
an automatic export, set by hand): it is never changed again. An unpinned key
follows the paper's metadata: when authors or a year arrive, the paper gets
the key the pattern makes of them. Every key a paper gives up (a new key, a
hand re-key, a deletion) is retired: it is never handed to another paper,
and still names its paper (`show`, ``--aux`` exports).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, text

from readinglist.core.bibtex.keys import DEFAULT_PATTERN, base_key, candidate, pattern_key
from readinglist.core.storage import rows

PATTERN_SETTING = "config.citekey.pattern"
PROBE = 64  # candidates of one base asked about in one round
POWERS = 25  # candidates 1, 2, 4, … 2**24 asked about first


def pattern(conn: Connection) -> str:
    found = conn.execute(text("SELECT value FROM meta WHERE key = :k"),
                         {"k": PATTERN_SETTING}).scalar()
    return found or DEFAULT_PATTERN


def _rows(conn: Connection, columns: str, where: str, ids: Sequence[int] | None) -> list:
    if ids is None:
        return conn.execute(text(f"SELECT {columns} FROM paper WHERE {where} ORDER BY id")).all()
    rows = []
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), 500):
        stmt = text(f"SELECT {columns} FROM paper WHERE {where} AND id IN :ids ORDER BY id"
                    ).bindparams(bindparam("ids", expanding=True))
        rows += conn.execute(stmt, {"ids": wanted[start : start + 500]}).all()
    return rows


class _Keys:
    """Free keys per base, in the order of `candidates`. The first free one of
    each base is found by searching the candidates, every base of a batch
    together: the powers of two first (1, 2, 4, …), then PROBE evenly spaced
    numbers of each base's bracket at a time, one query per round for all the
    bases (an import's file: a handful of queries, where probing each base
    alone cost a dozen each, and reading every taken key made a library of
    many "learning…" papers quadratic). Later newcomers of the same base in
    the same transaction go on from there."""

    def __init__(self, conn: Connection):
        self._conn = conn
        self._next: dict[str, int] = {}  # base → the number of the next candidate to try
        self._given: set[str] = set()  # keys handed out in this transaction (lower case)
        # What one query found out (`look_ahead`): valid for the transaction,
        # as only this transaction gives keys.
        self._known_free: set[str] = set()
        self._known_taken: set[str] = set()

    def prepare(self, bases: Sequence[str]) -> None:
        """Find each base's first free candidate, and whether the candidates
        after it are free, for as many newcomers as ``bases`` holds of it."""
        wanted = Counter(bases)
        self.look_ahead(wanted)
        firsts = self._first_free_of([b for b in wanted if b not in self._next])
        self._next.update(firsts)
        self.look_ahead([candidate(base, n) for base, first in firsts.items()
                         for n in range(first, first + wanted[base] + 1)])

    def look_ahead(self, keys) -> None:
        """Find out in one query which of ``keys`` are free (an import's
        thousands of new keys, most of them free at their first candidate),
        instead of one query per key."""
        wanted = sorted({key.lower() for key in keys} - self._known_free - self._known_taken)
        for start in range(0, len(wanted), 5000):
            chunk = wanted[start : start + 5000]
            taken = {row[0] for row in self._conn.execute(text(
                "SELECT j.value FROM json_each(:keys) j WHERE EXISTS "
                "(SELECT 1 FROM paper WHERE citekey = j.value COLLATE NOCASE) OR EXISTS "
                "(SELECT 1 FROM citekey_retired WHERE key = j.value COLLATE NOCASE)"),
                {"keys": json.dumps(chunk)})}
            self._known_taken.update(taken)
            self._known_free.update(k for k in chunk if k not in taken)

    def next(self, base: str) -> str:
        number = self._next.get(base)
        if number is None:
            number = self._first_free_of([base])[base]
        # Candidates not known yet are asked about PROBE at a time.
        while True:
            key = candidate(base, number)
            if not self._known(key):
                self.look_ahead([candidate(base, n) for n in range(number, number + PROBE)])
            if self._free(key):
                break
            number += 1
        self._given.add(key.lower())
        self._next[base] = number + 1
        return key

    def again(self, base: str, paper_id: int) -> str:
        """The first key of ``base`` that is free or that this paper itself gave
        up (an undo puts a paper's key back, not a new suffix)."""
        own = {key.lower() for key in given_up(self._conn, paper_id)}
        free = self._first_free_of([base])[base]
        while not self._free(candidate(base, free)):
            free += 1
        for number in range(free):  # a key of its own before the first free one
            key = candidate(base, number)
            if key.lower() in own:
                self._conn.execute(text("DELETE FROM citekey_retired WHERE key = :k "
                                        "COLLATE NOCASE"), {"k": key})
                return key
        return candidate(base, free)

    def _known(self, key: str) -> bool:
        lower = key.lower()
        return lower in self._given or lower in self._known_free or lower in self._known_taken

    def _free(self, key: str) -> bool:
        lower = key.lower()
        if lower in self._given or lower in self._known_taken:
            return False
        if lower in self._known_free:
            return True
        self.look_ahead([key])
        return lower in self._known_free

    def _first_free_of(self, bases: Sequence[str]) -> dict[str, int]:
        """Each base's first free candidate number, when the taken ones are the
        first ones (as keys are handed out); a free one after a taken one
        otherwise."""
        self.look_ahead(bases)
        found = {base: 0 for base in bases if self._free(base)}
        # brackets (taken, free) from the powers of two, then narrowed
        powers = [1 << k for k in range(POWERS)]
        self.look_ahead([candidate(b, n) for b in bases if b not in found for n in powers])
        brackets: dict[str, tuple[int, int]] = {}
        for base in bases:
            if base in found:
                continue
            low = 0
            for number in powers:
                if self._free(candidate(base, number)):
                    brackets[base] = (low, number)
                    break
                low = number
            else:  # 16 million taken: go on one by one
                found[base] = low + 1
        while brackets:
            rounds = {base: range(low + 1, high, max(1, (high - low) // PROBE))
                      for base, (low, high) in brackets.items()}
            self.look_ahead([candidate(b, n) for b, numbers in rounds.items() for n in numbers])
            for base, numbers in rounds.items():
                low, high = brackets[base]
                for number in numbers:
                    if self._free(candidate(base, number)):
                        high = number
                        break
                    low = number
                if high - low > 1:
                    brackets[base] = (low, high)
                else:
                    found[base] = high
                    del brackets[base]
        return found


def _base(key_pattern: str, authors_json: str | None, year: int | None, title: str) -> str:
    families = [a.get("family", "") for a in json.loads(authors_json or "[]")]
    return pattern_key(key_pattern, families, year, title)


def former_keys(conn: Connection, title_keys: Sequence[str]) -> dict[str, str]:
    """The key each title last had when its paper left the library (and that no
    paper holds now): a paper imported again gets it back. One query a batch."""
    found: dict[str, str] = {}
    wanted = sorted(set(title_keys))
    for start in range(0, len(wanted), 5000):
        rows = conn.execute(text(
            "SELECT r.title_key, r.key FROM citekey_retired r "
            "WHERE r.title_key IN (SELECT value FROM json_each(:titles)) "
            "AND r.paper_id IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM paper p WHERE p.citekey = r.key COLLATE NOCASE) "
            "ORDER BY r.rowid DESC"), {"titles": json.dumps(wanted[start : start + 5000])})
        for title_key, key in rows:
            found.setdefault(title_key, key)  # the newest first
    return found


def assign_keys(conn: Connection, ids: Sequence[int] | None = None) -> int:
    """Give a key to each paper (of ``ids``, or all) that has none, oldest first.
    A paper deleted and imported again gets back the key it had (pinned: it
    had left the library); the others a key of the pattern."""
    rows = _rows(conn, "id, title, authors, year, title_key", "citekey IS NULL", ids)
    key_pattern = pattern(conn)
    keys = _Keys(conn)
    bases = [_base(key_pattern, authors, year, title) for _i, title, authors, year, _t in rows]
    keys.prepare(bases)
    formers = former_keys(conn, [row[4] for row in rows])
    updates, returning = [], []
    for (paper_id, _title, _authors, _year, title_key), base in zip(rows, bases, strict=True):
        former = formers.get(title_key)
        if former is not None:
            returning.append({"key": former, "id": paper_id, "t": title_key})
        else:
            updates.append({"key": keys.next(base), "id": paper_id})
    if returning:
        conn.execute(text("DELETE FROM citekey_retired WHERE key = :key"), returning)
        conn.execute(text("UPDATE citekey_retired SET paper_id = :id WHERE title_key = :t"),
                     returning)
        conn.execute(text("UPDATE paper SET citekey = :key, citekey_pinned = 1 "
                          "WHERE id = :id"), returning)
    if updates:
        conn.execute(text("UPDATE paper SET citekey = :key WHERE id = :id"), updates)
    return len(updates) + len(returning)


def assign_legacy_keys(conn: Connection) -> int:
    """Schema 2's keys (the first title word and the first digest's year), for
    the migration from schema 1, as it was written then."""
    rows = conn.execute(text("SELECT id, title, first_seen FROM paper WHERE citekey IS NULL "
                             "ORDER BY id")).all()
    keys = _Keys(conn)
    updates = [{"key": keys.next(base_key(title, int(first_seen[:4]))), "id": paper_id}
               for paper_id, title, first_seen in rows]
    if updates:
        conn.execute(text("UPDATE paper SET citekey = :key WHERE id = :id"), updates)
    return len(updates)


def follow_metadata(conn: Connection, ids: Sequence[int]) -> dict[int, str]:
    """Unpinned papers whose authors or year changed get the key the pattern
    makes of them now; their old keys are retired. Returns {paper id: new key}."""
    rows = _rows(conn, "id, title, authors, year, citekey",
                 "citekey_pinned = 0 AND citekey IS NOT NULL", ids)
    key_pattern = pattern(conn)
    keys = _Keys(conn)
    moved: dict[int, str] = {}
    for paper_id, title, authors, year, key in rows:
        base = _base(key_pattern, authors, year, title)
        if key.lower() == base.lower() or _is_suffixed(key.lower(), base.lower()):
            continue  # already the pattern's key (a suffix from a clash included)
        retire_keys(conn, [key], paper_id)
        moved[paper_id] = keys.again(base, paper_id)
    if moved:
        conn.execute(text("UPDATE paper SET citekey = :key WHERE id = :id"),
                     [{"key": k, "id": i} for i, k in moved.items()])
    return moved


def pattern_key_for(conn: Connection, paper_id: int) -> tuple[str | None, str]:
    """(the paper's key, the key the pattern makes of it now): its own key when
    that is still the pattern's, else the first free one (or one it gave up)."""
    title, authors, year, key = conn.execute(
        text("SELECT title, authors, year, citekey FROM paper WHERE id = :id"),
        {"id": paper_id}).one()
    base = _base(pattern(conn), authors, year, title)
    if key and (key.lower() == base.lower() or _is_suffixed(key.lower(), base.lower())):
        return key, key
    return key, _Keys(conn).again(base, paper_id)


def _is_suffixed(key: str, base: str) -> bool:
    rest = key[len(base):]
    return (key.startswith(base) and rest.isalpha() and len(rest) <= 2) or (
        key.startswith(base) and rest.startswith("z") and rest[1:].isdigit())


def pin(conn: Connection, ids: Sequence[int]) -> None:
    """These papers' keys have left the library: they never change again."""
    for start in range(0, len(ids), 500):
        stmt = text("UPDATE paper SET citekey_pinned = 1 WHERE citekey_pinned = 0 "
                    "AND id IN :ids").bindparams(bindparam("ids", expanding=True))
        conn.execute(stmt, {"ids": list(ids[start : start + 500])})


def owner(conn: Connection, key: str) -> int | None:
    """The id of the paper holding ``key`` (case-insensitively), if any."""
    return rows.key_owner(conn.connection.dbapi_connection, key)


def former_owner(conn: Connection, key: str) -> int | None:
    """The paper that gave ``key`` up (a re-key, a new key), if it is still here
    (by its id, or by its title when it was deleted and imported again)."""
    return rows.former_key_owner(conn.connection.dbapi_connection, key)


def given_up(conn: Connection, paper_id: int) -> set[str]:
    """The keys this paper gave up (its own to take back)."""
    return set(conn.execute(text(
        "SELECT r.key FROM citekey_retired r JOIN paper p ON p.id = :p "
        "WHERE r.paper_id = p.id OR (r.paper_id IS NULL AND r.title_key = p.title_key)"),
        {"p": paper_id}).scalars())


def retired_for_another(conn: Connection, key: str, paper_id: int) -> bool:
    """Whether ``key`` was given up by a paper other than this one."""
    row = conn.execute(text("SELECT key FROM citekey_retired WHERE key = :k COLLATE NOCASE"),
                       {"k": key}).first()
    return row is not None and row[0].lower() not in {k.lower()
                                                      for k in given_up(conn, paper_id)}


def retire(conn: Connection, ids: Sequence[int]) -> None:
    """The keys of papers about to be deleted, named by their titles from now on:
    their ids go to the next papers imported."""
    for start in range(0, len(ids), 500):
        chunk = {"ids": list(ids[start : start + 500])}
        conn.execute(text(
            "INSERT OR IGNORE INTO citekey_retired (key, paper_id, title_key) "
            "SELECT citekey, NULL, title_key FROM paper WHERE citekey IS NOT NULL AND id IN :ids"
        ).bindparams(bindparam("ids", expanding=True)), chunk)
        conn.execute(text(
            "UPDATE citekey_retired SET title_key = (SELECT title_key FROM paper "
            "WHERE paper.id = citekey_retired.paper_id), paper_id = NULL WHERE paper_id IN :ids"
        ).bindparams(bindparam("ids", expanding=True)), chunk)


def retire_keys(conn: Connection, keys: Sequence[str], paper_id: int) -> None:
    """Keys no other paper may be given again; ``paper_id``: the paper that gave
    them up, which they still name (and which may take them back)."""
    conn.execute(text("INSERT OR IGNORE INTO citekey_retired (key, paper_id, title_key) "
                      "SELECT :key, id, title_key FROM paper WHERE id = :paper"),
                 [{"key": key, "paper": paper_id} for key in keys])
