"""The changes a user edit makes, each with its value before and after.

A change is a plain dict, stored as JSON in the history:

- ``{"kind": "status", "to": "read", "from": {"12": ["unread", changed_at]}}``
- ``{"kind": "note", "paper": 12, "from": "old text", "to": "new text"}``
- ``{"kind": "citekey", "paper": 12, "from": "sparse2026", "to": "Vaswani2026"}``
- ``{"kind": "tag", "tag": "RL", "added": [12, 13], "removed": [14]}``
- ``{"kind": "rename_tag", "from": "rl", "to": "RL"}``
- ``{"kind": "delete", "papers": [...], "tags": [[id, name]], "appearances": [...]}``

`apply` moves a change forward (redo, and the edit itself) and `revert`
moves it back (undo). Both compare and set: a value is put back only where
it is still what the change left, so an undo after someone else changed the
same paper leaves that paper alone and counts it as skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, bindparam, delete, insert, select, text, update

from readinglist.core import citekeys
from readinglist.core.sql import (
    appearances_t,
    chunks,
    digests_t,
    drop_unused_tags,
    existing_ids,
    now_iso,
    paper_tags_t,
    papers_t,
    tag_id,
    tag_key,
    tagged,
    tags_t,
    touch,
)


@dataclass
class Outcome:
    """Which papers a change touched, and how many parts it had to skip."""

    papers: set[int] = field(default_factory=set)
    skipped: int = 0

    def add(self, other: Outcome) -> None:
        self.papers |= other.papers
        self.skipped += other.skipped


def apply(conn: Connection, change: dict) -> Outcome:
    return _HANDLERS[change["kind"]](conn, change, forward=True)


def revert(conn: Connection, change: dict) -> Outcome:
    return _HANDLERS[change["kind"]](conn, change, forward=False)


# -- status ------------------------------------------------------------------------------
def status_change(conn: Connection, ids: Sequence[int], status: str) -> dict:
    """The change that gives ``ids`` the status ``status`` (papers that have it stay)."""
    before = {}
    for chunk in chunks(list(ids)):
        rows = conn.execute(select(papers_t.c.id, papers_t.c.status, papers_t.c.status_changed)
                            .where(papers_t.c.id.in_(chunk), papers_t.c.status != status))
        before.update({str(pid): [old, changed] for pid, old, changed in rows})
    return {"kind": "status", "to": status, "from": before}


def _statuses(conn: Connection, ids: Sequence[int]) -> dict[int, str]:
    found = {}
    for chunk in chunks(list(ids)):
        found.update(conn.execute(
            select(papers_t.c.id, papers_t.c.status).where(papers_t.c.id.in_(chunk))).all())
    return found


def _status(conn: Connection, change: dict, forward: bool) -> Outcome:
    before = {int(pid): value for pid, value in change["from"].items()}
    current = _statuses(conn, list(before))
    now = now_iso()
    rows = []
    for pid, (old, old_changed) in before.items():
        expected = old if forward else change["to"]
        if current.get(pid) != expected:
            continue
        new, changed = (change["to"], now) if forward else (old, old_changed)
        rows.append({"pid": pid, "status": new, "changed": changed, "now": now})
    if rows:
        conn.execute(text("UPDATE paper SET status = :status, status_changed = :changed, "
                          "updated = :now WHERE id = :pid"), rows)
    return Outcome({r["pid"] for r in rows}, len(before) - len(rows))


# -- note and citation key ---------------------------------------------------------------------
def _field(column: str):
    def handle(conn: Connection, change: dict, forward: bool) -> Outcome:
        pid = change["paper"]
        old, new = (change["from"], change["to"]) if forward else (change["to"], change["from"])
        current = conn.execute(select(papers_t.c[column]).where(papers_t.c.id == pid)).first()
        if current is None or (current[0] or "") != (old or ""):
            return Outcome(skipped=1)
        if column == "citekey" and new:
            holder = citekeys.owner(conn, new)
            if holder is not None and holder != pid:
                return Outcome(skipped=1)
        conn.execute(update(papers_t).where(papers_t.c.id == pid)
                     .values({column: new, "updated": now_iso()}))
        if column == "citekey" and old and (old.lower() != (new or "").lower()):
            # A key given up is retired like a deleted paper's: an old \cite{old}
            # must never point at the next paper that would have got it.
            citekeys.retire_keys(conn, [old])
        return Outcome({pid})

    return handle


# -- tags ---------------------------------------------------------------------------------------
def tag_change(conn: Connection, ids: Sequence[int], name: str, add: bool) -> dict:
    """The change that adds (or removes) the tag ``name`` where it is missing (present)."""
    existing = tag_id(conn, name, create=False)
    have = set(tagged(conn, existing)) if existing is not None else set()
    if add:
        return {"kind": "tag", "tag": name, "added": [i for i in ids if i not in have],
                "removed": []}
    return {"kind": "tag", "tag": name, "added": [], "removed": [i for i in ids if i in have]}


def _tag(conn: Connection, change: dict, forward: bool) -> Outcome:
    name = change["tag"]
    to_add, to_remove = change["added"], change["removed"]
    if not forward:
        to_add, to_remove = to_remove, to_add
    existing = tag_id(conn, name, create=False)
    have = set(tagged(conn, existing)) if existing is not None else set()
    alive = existing_ids(conn, to_add)
    adding = [i for i in to_add if i in alive and i not in have]
    removing = [i for i in to_remove if i in have]
    if adding:
        new_id = tag_id(conn, name, create=True)
        conn.execute(insert(paper_tags_t).prefix_with("OR IGNORE"),
                     [{"paper_id": i, "tag_id": new_id} for i in adding])
    for chunk in chunks(removing):
        conn.execute(delete(paper_tags_t).where(paper_tags_t.c.tag_id == existing,
                                                paper_tags_t.c.paper_id.in_(chunk)))
    drop_unused_tags(conn)
    changed = set(adding) | set(removing)
    touch(conn, changed)
    return Outcome(changed, len(to_add) + len(to_remove) - len(changed))


def _rename_tag(conn: Connection, change: dict, forward: bool) -> Outcome:
    old, new = (change["from"], change["to"]) if forward else (change["to"], change["from"])
    source = tag_id(conn, old, create=False)
    target = tag_id(conn, new, create=False)
    if source is None or (target is not None and target != source):
        return Outcome(skipped=1)  # gone, or another tag took the name meanwhile
    current = conn.execute(select(tags_t.c.name).where(tags_t.c.id == source)).scalar()
    if current != old and tag_key(current) != tag_key(old):
        return Outcome(skipped=1)
    conn.execute(update(tags_t).where(tags_t.c.id == source)
                 .values(name=new, name_key=tag_key(new)))
    papers = set(tagged(conn, source))
    touch(conn, papers)
    return Outcome(papers)


# -- deleting papers ------------------------------------------------------------------------------
def delete_change(conn: Connection, ids: Sequence[int]) -> dict:
    """The change that deletes ``ids``: the papers whole, to put back on undo."""
    papers, tags, appearances = [], [], []
    for chunk in chunks(list(ids)):
        papers += [dict(row._mapping)
                   for row in conn.execute(select(papers_t).where(papers_t.c.id.in_(chunk)))]
        tags += [[row.paper_id, row.name] for row in conn.execute(
            select(paper_tags_t.c.paper_id, tags_t.c.name)
            .join(tags_t, tags_t.c.id == paper_tags_t.c.tag_id)
            .where(paper_tags_t.c.paper_id.in_(chunk)))]
        appearances += [dict(row._mapping) for row in conn.execute(
            select(appearances_t).where(appearances_t.c.paper_id.in_(chunk)))]
    return {"kind": "delete", "papers": papers, "tags": tags, "appearances": appearances}


def _delete(conn: Connection, change: dict, forward: bool) -> Outcome:
    ids = [paper["id"] for paper in change["papers"]]
    alive = existing_ids(conn, ids)
    if forward:
        gone = [i for i in ids if i in alive]
        citekeys.retire(conn, gone)
        for chunk in chunks(gone):
            conn.execute(delete(papers_t).where(papers_t.c.id.in_(chunk)))
        drop_unused_tags(conn)
        return Outcome(set(gone), len(ids) - len(gone))
    back = [dict(p) for p in change["papers"] if p["id"] not in alive]
    returning = {p["id"] for p in back}
    keys = [p["citekey"] for p in back if p.get("citekey")]
    for paper in back:  # a key given to another paper meanwhile stays with it
        if paper.get("citekey") and citekeys.owner(conn, paper["citekey"]) is not None:
            paper["citekey"] = None
    if back:
        conn.execute(insert(papers_t), back)
        citekeys.assign_keys(conn, [p["id"] for p in back if not p.get("citekey")])
    digests = set(conn.execute(select(digests_t.c.id)).scalars())
    kept = [a for a in change["appearances"]
            if a["paper_id"] in returning and a["digest_id"] in digests]
    if kept:
        conn.execute(insert(appearances_t), kept)
    for paper_id, name in change["tags"]:
        if paper_id in returning:
            conn.execute(insert(paper_tags_t).prefix_with("OR IGNORE").values(
                paper_id=paper_id, tag_id=tag_id(conn, name, create=True)))
    for chunk in chunks(keys):
        conn.execute(text("DELETE FROM citekey_retired WHERE key IN :keys").bindparams(
            bindparam("keys", expanding=True)), {"keys": list(chunk)})
    return Outcome(returning, len(ids) - len(back))


_HANDLERS = {
    "status": _status,
    "note": _field("note"),
    "citekey": _field("citekey"),
    "tag": _tag,
    "rename_tag": _rename_tag,
    "delete": _delete,
}
