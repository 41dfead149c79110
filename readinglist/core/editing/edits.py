"""A paper's own fields: read status, note, citation key; deleting papers.

Each edit is one undoable step (history.py). The toggle rule of the R and S
keys lives here, not in the window.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, func, select

from readinglist.core.bibtex.keys import valid_key
from readinglist.core.editing import changes
from readinglist.core.editing.details import FIELD_LABELS, check_details
from readinglist.core.editing.history import NOTE_LABEL, History, Step
from readinglist.core.errors import InvalidInput
from readinglist.core.storage import citekeys
from readinglist.core.storage.schema import MAX_NOTE_BYTES, STATUSES
from readinglist.core.storage.sql import chunks, papers_t, require_papers
from readinglist.core.store import Store


def _papers(count: int) -> str:
    return f"{count} Paper{'s' if count != 1 else ''}"



class PaperEdits:
    def __init__(self, store: Store, history: History):
        self._store = store
        self._history = history

    def set_status(self, ids: Sequence[int], status: str) -> None:
        if status not in STATUSES:
            raise InvalidInput(f"unknown status {status!r} (use one of {', '.join(STATUSES)})")

        def build(conn: Connection) -> Step:
            change = changes.status_change(conn, require_papers(conn, ids), status)
            return Step(f"Mark as {status.capitalize()}", [change])

        self._history.perform(build)

    def dismiss(self, ids: Sequence[int], dismissed: bool = True) -> int:
        """Mark papers "not interested" (or interested again); how many changed."""
        changed = [0]

        def build(conn: Connection) -> Step:
            change = changes.dismiss_change(conn, require_papers(conn, ids), dismissed)
            changed[0] = len(change["from"])
            label = "Not Interested" if dismissed else "Interested Again"
            return Step(f"{label} ({_papers(changed[0])})", [change])

        self._history.perform(build)
        return changed[0]

    def toggle_dismissed(self, ids: Sequence[int]) -> bool:
        """The X key: papers all marked "not interested" are interested again;
        otherwise they are all marked. Returns whether they are now dismissed
        (decided in the edit's own transaction)."""
        chosen = [True]

        def build(conn: Connection) -> Step:
            wanted = require_papers(conn, ids)
            marked = 0
            for chunk in chunks(wanted):
                marked += conn.execute(select(func.count()).select_from(papers_t).where(
                    papers_t.c.id.in_(chunk), papers_t.c.dismissed.is_not(None))).scalar_one()
            chosen[0] = marked < len(set(wanted))
            change = changes.dismiss_change(conn, wanted, chosen[0])
            label = "Not Interested" if chosen[0] else "Interested Again"
            return Step(f"{label} ({_papers(len(change['from']))})", [change])

        self._history.perform(build)
        return chosen[0]

    def set_note(self, paper_id: int, note: str) -> None:
        """Set a paper's note; an empty or blank note clears it. Typing on in
        the same note within minutes stays one undo step."""
        note = note if note.strip() else ""
        if len(note.encode("utf-8")) > MAX_NOTE_BYTES:
            raise InvalidInput(f"a note is at most {MAX_NOTE_BYTES // 1048576} MB "
                               f"(this one is {len(note.encode('utf-8')) // 1024} KB)")

        def build(conn: Connection) -> Step:
            require_papers(conn, [paper_id])
            old = conn.execute(select(papers_t.c.note).where(papers_t.c.id == paper_id)).scalar()
            return Step(NOTE_LABEL, [{"kind": "note", "paper": paper_id, "from": old or "",
                                      "to": note}])

        self._history.perform(build)

    def set_citekey(self, paper_id: int, key: str) -> None:
        """Give a paper a key by hand; refused if another paper holds it."""
        key = key.strip()
        if not valid_key(key):
            raise InvalidInput(
                f"invalid citation key {key!r}: use letters, digits and _:.+- "
                "(starting with a letter or digit)"
            )

        def build(conn: Connection) -> Step:
            require_papers(conn, [paper_id])
            holder = citekeys.owner(conn, key)
            if holder is not None and holder != paper_id:
                raise InvalidInput(f"citation key {key!r} is taken by paper {holder}")
            if citekeys.retired_for_another(conn, key, paper_id):
                raise InvalidInput(f"citation key {key!r} was given up by another paper "
                                   "(older documents that cite it mean that one)")
            old = conn.execute(
                select(papers_t.c.citekey).where(papers_t.c.id == paper_id)).scalar()
            return Step(f"Set Citation Key “{key}”",
                        [{"kind": "citekey", "paper": paper_id, "from": old, "to": key}])

        self._history.perform(build)

    def set_details(self, paper_id: int, values: dict[str, object]) -> list[str]:
        """Set metadata by hand (validated; an empty value clears a field). A value
        typed by hand is never overwritten by an import or a lookup. Returns the
        fields that changed; undoable as one step."""
        checked = check_details(values)
        changed: list[str] = []

        def build(conn: Connection) -> Step:
            require_papers(conn, [paper_id])
            change = changes.metadata_change(conn, paper_id, checked)
            changed[:] = sorted(change["fields"])
            names = ", ".join(FIELD_LABELS.get(n, n) for n in changed) or "nothing"
            return Step(f"Edit Details ({names})", [change] if change["fields"] else [])

        self._history.perform(build)
        return changed

    def regenerate_citekey(self, paper_id: int) -> str:
        """Give a paper the key the pattern makes of it now (a key it gave up
        before comes back to it first); undoable, and pinned as a hand key is."""
        chosen: list[str] = []

        def build(conn: Connection) -> Step:
            require_papers(conn, [paper_id])
            old, key = citekeys.pattern_key_for(conn, paper_id)
            chosen.append(key)
            return Step(f"Set Citation Key “{key}”",
                        [{"kind": "citekey", "paper": paper_id, "from": old, "to": key}])

        self._history.perform(build)
        return chosen[0]

    def delete(self, ids: Sequence[int]) -> int:
        """Remove papers with their tags, notes and appearances (undoable).
        Their citation keys are retired: never handed to another paper."""
        count = len(set(ids))

        def build(conn: Connection) -> Step:
            return Step(f"Delete {_papers(count)}",
                        [changes.delete_change(conn, require_papers(conn, ids))])

        self._history.perform(build)
        return count
