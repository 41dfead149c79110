"""Giving papers their citation keys: once, and never again.

Keys follow `keys.base_key`; a clash gives the newcomer a suffix (a, b, …)
and the older paper keeps its key. Keys of deleted papers are retired, so a
``\\cite`` in an old manuscript never silently points at another paper.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import Connection, bindparam, text

from readinglist.core.bibtex.keys import base_key, candidates


def _taken(conn: Connection, base: str) -> set[str]:
    rows = conn.execute(
        text(
            "SELECT lower(citekey) FROM paper WHERE citekey LIKE :prefix "
            "UNION SELECT lower(key) FROM citekey_retired WHERE key LIKE :prefix"
        ),
        {"prefix": base + "%"},
    )
    return {row[0] for row in rows}


def assign_keys(conn: Connection, ids: Sequence[int] | None = None) -> int:
    """Give a key to each paper (of ``ids``, or all) that has none, oldest first."""
    if ids is None:
        rows = conn.execute(
            text("SELECT id, title, first_seen FROM paper WHERE citekey IS NULL ORDER BY id")
        ).all()
    else:
        rows = []
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), 500):
            stmt = text(
                "SELECT id, title, first_seen FROM paper "
                "WHERE citekey IS NULL AND id IN :ids ORDER BY id"
            ).bindparams(bindparam("ids", expanding=True))
            rows += conn.execute(stmt, {"ids": wanted[start : start + 500]}).all()
    # Per base key: the keys taken, and where the suffix search stopped — keys
    # of one base are handed out in order, so the search resumes there instead
    # of walking a, b, c … again for every newcomer.
    taken_by_base: dict[str, tuple[set[str], Iterator[str]]] = {}
    updates = []
    for paper_id, title, first_seen in rows:
        base = base_key(title, int(first_seen[:4]))
        if base not in taken_by_base:
            taken_by_base[base] = (_taken(conn, base), candidates(base))
        taken, pending = taken_by_base[base]
        key = next(k for k in pending if k.lower() not in taken)
        taken.add(key.lower())
        updates.append({"key": key, "id": paper_id})
    if updates:
        conn.execute(text("UPDATE paper SET citekey = :key WHERE id = :id"), updates)
    return len(updates)


def owner(conn: Connection, key: str) -> int | None:
    """The id of the paper holding ``key`` (case-insensitively), if any."""
    return conn.execute(
        text("SELECT id FROM paper WHERE citekey = :key COLLATE NOCASE"), {"key": key}
    ).scalar()


def retire(conn: Connection, ids: Sequence[int]) -> None:
    for start in range(0, len(ids), 500):
        stmt = text(
            "INSERT OR IGNORE INTO citekey_retired (key) "
            "SELECT citekey FROM paper WHERE citekey IS NOT NULL AND id IN :ids"
        ).bindparams(bindparam("ids", expanding=True))
        conn.execute(stmt, {"ids": list(ids[start : start + 500])})


def retire_keys(conn: Connection, keys: Sequence[str]) -> None:
    """Keys no paper may be given automatically again (a hand choice still may)."""
    conn.execute(text("INSERT OR IGNORE INTO citekey_retired (key) VALUES (:key)"),
                 [{"key": key} for key in keys])
