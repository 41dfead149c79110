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
from collections.abc import Iterator, Sequence

from sqlalchemy import Connection, bindparam, text

from readinglist.core.bibtex.keys import DEFAULT_PATTERN, base_key, candidates, pattern_key

PATTERN_SETTING = "config.citekey.pattern"


def pattern(conn: Connection) -> str:
    found = conn.execute(text("SELECT value FROM meta WHERE key = :k"),
                         {"k": PATTERN_SETTING}).scalar()
    return found or DEFAULT_PATTERN


def _taken(conn: Connection, base: str) -> set[str]:
    rows = conn.execute(
        text(
            "SELECT lower(citekey) FROM paper WHERE citekey LIKE :prefix "
            "UNION SELECT lower(key) FROM citekey_retired WHERE key LIKE :prefix"
        ),
        {"prefix": base + "%"},
    )
    return {row[0] for row in rows}


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
    """Free keys per base, handed out in order: the suffix search resumes where
    it stopped instead of walking a, b, c … again for every newcomer."""

    def __init__(self, conn: Connection):
        self._conn = conn
        self._bases: dict[str, tuple[set[str], Iterator[str]]] = {}

    def next(self, base: str) -> str:
        if base not in self._bases:
            self._bases[base] = (_taken(self._conn, base), candidates(base))
        taken, pending = self._bases[base]
        key = next(k for k in pending if k.lower() not in taken)
        taken.add(key.lower())
        return key

    def again(self, base: str, paper_id: int) -> str:
        """The first key of ``base`` that is free or that this paper itself gave
        up (an undo puts a paper's key back, not a new suffix)."""
        own = {row[0].lower() for row in self._conn.execute(
            text("SELECT key FROM citekey_retired WHERE paper_id = :p"), {"p": paper_id})}
        taken = _taken(self._conn, base)
        for key in candidates(base):
            if key.lower() in own:
                self._conn.execute(text("DELETE FROM citekey_retired WHERE key = :k "
                                        "COLLATE NOCASE"), {"k": key})
                return key
            if key.lower() not in taken:
                return key
        raise AssertionError("unreachable: candidates never end")


def _base(key_pattern: str, authors_json: str | None, year: int | None, title: str) -> str:
    families = [a.get("family", "") for a in json.loads(authors_json or "[]")]
    return pattern_key(key_pattern, families, year, title)


def assign_keys(conn: Connection, ids: Sequence[int] | None = None) -> int:
    """Give a key to each paper (of ``ids``, or all) that has none, oldest first."""
    rows = _rows(conn, "id, title, authors, year", "citekey IS NULL", ids)
    key_pattern = pattern(conn)
    keys = _Keys(conn)
    updates = [{"key": keys.next(_base(key_pattern, authors, year, title)), "id": paper_id}
               for paper_id, title, authors, year in rows]
    if updates:
        conn.execute(text("UPDATE paper SET citekey = :key WHERE id = :id"), updates)
    return len(updates)


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
    return conn.execute(
        text("SELECT id FROM paper WHERE citekey = :key COLLATE NOCASE"), {"key": key}
    ).scalar()


def former_owner(conn: Connection, key: str) -> int | None:
    """The paper that gave ``key`` up (a re-key, a new key), if it is still here."""
    return conn.execute(
        text("SELECT r.paper_id FROM citekey_retired r JOIN paper p ON p.id = r.paper_id "
             "WHERE r.key = :key COLLATE NOCASE"), {"key": key}).scalar()


def retire(conn: Connection, ids: Sequence[int]) -> None:
    """The keys of papers about to be deleted."""
    for start in range(0, len(ids), 500):
        stmt = text(
            "INSERT OR IGNORE INTO citekey_retired (key, paper_id) "
            "SELECT citekey, id FROM paper WHERE citekey IS NOT NULL AND id IN :ids"
        ).bindparams(bindparam("ids", expanding=True))
        conn.execute(stmt, {"ids": list(ids[start : start + 500])})


def retire_keys(conn: Connection, keys: Sequence[str], paper_id: int | None = None) -> None:
    """Keys no paper may be given automatically again (a hand choice still may);
    ``paper_id``: the paper that gave them up, which they still name."""
    conn.execute(text("INSERT OR IGNORE INTO citekey_retired (key, paper_id) "
                      "VALUES (:key, :paper)"),
                 [{"key": key, "paper": paper_id} for key in keys])
