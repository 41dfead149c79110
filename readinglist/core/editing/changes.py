"""The changes a user edit makes, each with its value before and after.

A change is a plain dict, stored as JSON in the history:

- ``{"kind": "status", "to": "read", "from": {"12": ["unread", changed_at]}}``
- ``{"kind": "dismiss", "to": "2026-…" or None, "from": {"12": None}}`` (not interested)
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

from sqlalchemy import Connection, delete, insert, select, text, update

from readinglist.core.storage import citekeys, metadata
from readinglist.core.storage.filter import tag_key
from readinglist.core.storage.metadata_columns import HAND, from_json_value, json_value
from readinglist.core.storage.sql import (
    appearances_t,
    chunks,
    digests_t,
    drop_unused_tags,
    existing_ids,
    now_iso,
    paper_tags_t,
    papers_t,
    tag_id,
    tagged,
    tags_t,
    touch,
)


@dataclass
class Outcome:
    """Which papers a change touched, how many parts it had to skip, and what a
    person should know about how it went."""

    papers: set[int] = field(default_factory=set)
    skipped: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, other: Outcome) -> None:
        self.papers |= other.papers
        self.skipped += other.skipped
        self.notes += other.notes


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


# -- not interested ----------------------------------------------------------------------------
def dismiss_change(conn: Connection, ids: Sequence[int], dismissed: bool) -> dict:
    """The change that marks ``ids`` "not interested" (or interested again);
    papers already so stay as they are."""
    before = {}
    column = papers_t.c.dismissed
    for chunk in chunks(list(ids)):
        rows = conn.execute(select(papers_t.c.id, column).where(
            papers_t.c.id.in_(chunk), column.is_(None) if dismissed else column.is_not(None)))
        before.update({str(pid): old for pid, old in rows})
    return {"kind": "dismiss", "to": now_iso() if dismissed else None, "from": before}


def _dismiss(conn: Connection, change: dict, forward: bool) -> Outcome:
    before = {int(pid): old for pid, old in change["from"].items()}
    current: dict[int, str | None] = {}
    for chunk in chunks(list(before)):
        current.update(conn.execute(select(papers_t.c.id, papers_t.c.dismissed)
                                    .where(papers_t.c.id.in_(chunk))).all())
    rows = []
    for pid, old in before.items():
        expected, new = (old, change["to"]) if forward else (change["to"], old)
        if pid not in current or current[pid] != expected:
            continue  # gone, or changed since: left alone
        rows.append({"pid": pid, "value": new, "now": now_iso()})
    if rows:
        conn.execute(text("UPDATE paper SET dismissed = :value, updated = :now WHERE id = :pid"),
                     rows)
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
        if column == "citekey":
            citekeys.pin(conn, [pid])  # a key chosen by hand is never changed for you
            if new:  # one it gave up before is its own again, no longer retired
                conn.execute(text("DELETE FROM citekey_retired WHERE key = :k COLLATE NOCASE"),
                             {"k": new})
            if old and old.lower() != (new or "").lower():
                # A key given up is retired like a deleted paper's: an old \cite{old}
                # never points at another paper, and still finds this one.
                citekeys.retire_keys(conn, [old], pid)
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
    if forward:
        return _delete_again(conn, change)
    return _undelete(conn, change)


def _delete_again(conn: Connection, change: dict) -> Outcome:
    """Redo: delete the papers that are still the ones deleted. An id may have
    gone to another paper since (SQLite reuses the highest one): that paper stays."""
    papers = change["papers"]
    now = _title_keys(conn, [p["id"] for p in papers])
    gone = [p["id"] for p in papers if now.get(p["id"]) == p["title_key"]]
    citekeys.retire(conn, gone)
    for chunk in chunks(gone):
        conn.execute(delete(papers_t).where(papers_t.c.id.in_(chunk)))
    drop_unused_tags(conn)
    return Outcome(set(gone), len(papers) - len(gone))


def _undelete(conn: Connection, change: dict) -> Outcome:
    """Undo: put the papers back whole. One whose title is in the library again
    (imported since) is not made twice: its tags, note and status go onto the
    paper that has the title now, and the outcome says so. One whose id another
    paper took gets a new id (the change remembers it, for a redo)."""
    outcome = Outcome()
    papers = change["papers"]
    by_title = _ids_by_title_key(conn, [p["title_key"] for p in papers])
    alive = existing_ids(conn, [p["id"] for p in papers])
    moved: dict[int, int] = {}  # the id a paper had → the id it has now
    for paper in papers:
        holder = by_title.get(paper["title_key"])
        if holder == paper["id"]:
            outcome.skipped += 1  # it is there already
        elif holder is not None:
            _merge_into(conn, holder, paper, change)
            outcome.papers.add(holder)
            outcome.notes.append(f"“{_short(paper['title'])}” was imported again as "
                                 f"#{holder}: its tags and note went onto it")
        else:
            moved[paper["id"]] = _insert_again(conn, paper, paper["id"] in alive)
    _restore_links(conn, change, moved)
    for paper in papers:  # a redo deletes them by the ids they have now
        paper["id"] = moved.get(paper["id"], paper["id"])
    outcome.papers |= set(moved.values())
    return outcome


def _insert_again(conn: Connection, paper: dict, id_taken: bool) -> int:
    row = dict(paper)
    if id_taken:
        del row["id"]  # another paper has it now: SQLite gives a new one
    key = row.get("citekey")
    if key and citekeys.owner(conn, key) is not None:
        row["citekey"] = None  # a key given to another paper meanwhile stays with it
    new_id = conn.execute(insert(papers_t).values(row)).inserted_primary_key[0]
    if row.get("citekey"):
        conn.execute(text("DELETE FROM citekey_retired WHERE key = :key"), {"key": key})
    else:
        citekeys.assign_keys(conn, [new_id])
    return new_id


def _restore_links(conn: Connection, change: dict, moved: dict[int, int]) -> None:
    """The appearances and tags of the papers put back, under their ids now."""
    digests = set(conn.execute(select(digests_t.c.id)).scalars())
    kept = [{**a, "paper_id": moved[a["paper_id"]]} for a in change["appearances"]
            if a["paper_id"] in moved and a["digest_id"] in digests]
    if kept:
        conn.execute(insert(appearances_t), kept)
    for a in change["appearances"]:
        a["paper_id"] = moved.get(a["paper_id"], a["paper_id"])
    for pair in change["tags"]:
        paper_id, name = pair
        if paper_id in moved:
            pair[0] = moved[paper_id]
            conn.execute(insert(paper_tags_t).prefix_with("OR IGNORE").values(
                paper_id=pair[0], tag_id=tag_id(conn, name, create=True)))


def _merge_into(conn: Connection, holder: int, paper: dict, change: dict) -> None:
    """What the person had put on a deleted paper, onto its namesake imported since."""
    for paper_id, name in change["tags"]:
        if paper_id == paper["id"]:
            conn.execute(insert(paper_tags_t).prefix_with("OR IGNORE").values(
                paper_id=holder, tag_id=tag_id(conn, name, create=True)))
    note, status = conn.execute(select(papers_t.c.note, papers_t.c.status)
                                .where(papers_t.c.id == holder)).one()
    values: dict = {}
    old_note = paper.get("note") or ""
    if old_note and old_note not in (note or ""):
        values["note"] = f"{note}\n\n{old_note}" if note else old_note
    if status == "unread" and paper.get("status") != "unread":
        values.update(status=paper["status"], status_changed=paper.get("status_changed"))
    if values:
        conn.execute(update(papers_t).where(papers_t.c.id == holder).values(values))
    touch(conn, [holder])


def _title_keys(conn: Connection, ids: Sequence[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for chunk in chunks(list(ids)):
        found.update(conn.execute(select(papers_t.c.id, papers_t.c.title_key)
                                  .where(papers_t.c.id.in_(chunk))).all())
    return found


def _ids_by_title_key(conn: Connection, keys: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in chunks(list(keys)):
        found.update(conn.execute(select(papers_t.c.title_key, papers_t.c.id)
                                  .where(papers_t.c.title_key.in_(chunk))).all())
    return found


def _short(title: str, width: int = 60) -> str:
    return title if len(title) <= width else title[: width - 1] + "…"


# -- metadata ------------------------------------------------------------------------------------
def metadata_change(conn: Connection, paper_id: int, values: dict[str, object]) -> dict:
    """The change that gives a paper these field values by hand (None clears one)."""
    current, sources = metadata.read(conn, paper_id)
    fields = {}
    for name, value in values.items():
        old = getattr(current, name)
        if old == value or (old in (None, ()) and value in (None, "", ())):
            continue
        fields[name] = {
            "from": [json_value(name, old), sources.get(name)],
            "to": [json_value(name, value), HAND if value not in (None, "", ()) else None]}
    return {"kind": "meta", "paper": paper_id, "fields": fields}


def _metadata(conn: Connection, change: dict, forward: bool) -> Outcome:
    pid = change["paper"]
    found = metadata.read(conn, pid)
    if found is None:
        return Outcome(skipped=1)
    current, sources = found
    values, new_sources, skipped = {}, {}, 0
    for name, sides in change["fields"].items():
        expected, target = (sides["from"], sides["to"]) if forward else (sides["to"],
                                                                        sides["from"])
        if [json_value(name, getattr(current, name)), sources.get(name)] != expected:
            skipped += 1  # changed since: left as it is
            continue
        values[name] = from_json_value(name, target[0])
        new_sources[name] = target[1]
    if values:
        metadata.write(conn, pid, values, new_sources, sources)
        citekeys.follow_metadata(conn, [pid])
    return Outcome({pid} if values else set(), skipped)


_HANDLERS = {
    "meta": _metadata,
    "status": _status,
    "dismiss": _dismiss,
    "note": _field("note"),
    "citekey": _field("citekey"),
    "tag": _tag,
    "rename_tag": _rename_tag,
    "delete": _delete,
}
