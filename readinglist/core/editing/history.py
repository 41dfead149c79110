"""Undo and redo, kept in the library database.

Every user edit is recorded as one step (a label and its changes) in the
same transaction as the edit, so the history survives a restart and is
shared by every window and terminal using the library: ``readinglist undo``
undoes the last change whoever made it. A new edit clears the redo side.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.exc import DBAPIError

from readinglist.core.editing import changes as changes_
from readinglist.core.editing.effects import EffectLog, Measure
from readinglist.core.storage import db
from readinglist.core.storage.models import HistoryStep
from readinglist.core.storage.sql import now_iso
from readinglist.core.store import Store

steps_t = HistoryStep.__table__
KEEP_STEPS = 200  # the oldest steps beyond this are forgotten
NOTE_MERGE = timedelta(minutes=5)  # typing in one note is one step, not one per pause
NOTE_LABEL = "Edit Note"


@dataclass(frozen=True)
class Step:
    """One edit as the history keeps it: what Edit ▸ Undo calls it, and its changes."""

    label: str
    changes: list[dict]


@dataclass(frozen=True)
class HistoryResult:
    """What an undo or redo did."""

    action: str  # "Undone" or "Redone"
    label: str
    changed: int  # papers changed back
    skipped: int  # parts left alone because someone changed them since
    notes: tuple[str, ...] = ()  # what else a person should know
    failed: str | None = None  # why the step could not be applied (the history moved on)

    @property
    def message(self) -> str:
        if self.failed is not None:
            verb = "undo" if self.action == "Undone" else "redo"
            return (f"Cannot {verb} “{self.label}”: {self.failed}; the history "
                    f"moves on to the next step")
        text = f"{self.action}: {self.label}"
        if self.skipped:
            what = "change was" if self.skipped == 1 else "changes were"
            text += (f" — {self.skipped} {what} left as they are: "
                     "those papers were changed again since")
        return "; ".join([text, *self.notes])

    def to_json(self) -> dict:
        return {"action": self.action.lower(), "label": self.label, "changed": self.changed,
                "skipped": self.skipped, "notes": list(self.notes), "failed": self.failed}


def record(conn: Connection, label: str, step_changes: list[dict]) -> None:
    """Add a step to the history, in the caller's transaction."""
    step_changes = [c for c in step_changes if _is_change(c)]
    if not step_changes:
        return
    conn.execute(delete(steps_t).where(steps_t.c.undone == 1))  # the redo side is gone
    if label == NOTE_LABEL and _merge_note(conn, step_changes):
        return
    conn.execute(insert(steps_t).values(label=label, changes=json.dumps(step_changes),
                                        undone=0, created=now_iso()))
    newest = conn.execute(select(func.max(steps_t.c.id))).scalar_one()
    conn.execute(delete(steps_t).where(steps_t.c.id <= newest - KEEP_STEPS))


def _is_change(change: dict) -> bool:
    kind = change["kind"]
    if kind == "status":
        return bool(change["from"])
    if kind == "tag":
        return bool(change["added"] or change["removed"])
    if kind == "delete":
        return bool(change["papers"])
    if kind == "meta":
        return bool(change["fields"])
    return change["from"] != change["to"]


def _merge_note(conn: Connection, step_changes: list[dict]) -> bool:
    """Fold more typing in the same note into the step that began it."""
    [change] = step_changes
    last = conn.execute(select(steps_t).order_by(steps_t.c.id.desc()).limit(1)).first()
    if last is None or last.label != NOTE_LABEL:
        return False
    [previous] = json.loads(last.changes)
    started = datetime.fromisoformat(last.created)
    if previous["paper"] != change["paper"] or datetime.now(UTC) - started > NOTE_MERGE:
        return False
    previous["to"] = change["to"]
    if previous["from"] == previous["to"]:
        conn.execute(delete(steps_t).where(steps_t.c.id == last.id))  # typed back to the start
    else:
        conn.execute(update(steps_t).where(steps_t.c.id == last.id)
                     .values(changes=json.dumps([previous])))
    return True


class History:
    def __init__(self, store: Store):
        self._store = store
        # what each edit changed, for whoever collects it (a window shows it in place)
        self.effects = EffectLog()

    def perform(self, build: Callable[[Connection], Step]) -> changes_.Outcome:
        """Make a user edit: ``build`` reads the values before and returns the
        step (its label and changes); they are applied and recorded, all in the
        one write transaction ``build`` read in, so nothing another process
        writes in between is acted on from stale values."""
        with self._store.edit() as conn:
            step = build(conn)
            measure = Measure(conn, step.changes)
            outcome = changes_.Outcome()
            for change in step.changes:
                outcome.add(changes_.apply(conn, change))
            record(conn, step.label, step.changes)
            self._store.queue(conn, sorted(outcome.papers))
            effect = measure.effect()
        self.effects.add(effect)
        return outcome

    def labels(self) -> tuple[str | None, str | None]:
        """The labels of the step an undo and a redo would take (None: nothing)."""
        with self._store.read() as conn:
            undo = conn.execute(select(steps_t.c.label).where(steps_t.c.undone == 0)
                                .order_by(steps_t.c.id.desc()).limit(1)).scalar()
            redo = conn.execute(select(steps_t.c.label).where(steps_t.c.undone == 1)
                                .order_by(steps_t.c.id).limit(1)).scalar()
        return undo, redo

    def undo(self) -> HistoryResult | None:
        """Reverse the newest step; None when there is nothing to undo."""
        return self._move(backward=True)

    def redo(self) -> HistoryResult | None:
        """Apply again the step undone last; None when there is nothing to redo."""
        return self._move(backward=False)

    def _move(self, backward: bool) -> HistoryResult | None:
        try:
            return self._apply_step(backward)
        except _StepFailed as failed:
            # A step that cannot be applied must not stay on top for ever (every
            # later undo would fail on it): it moves to the other side, said so.
            with self._store.edit() as conn:
                conn.execute(update(steps_t).where(steps_t.c.id == failed.step_id)
                             .values(undone=1 if backward else 0))
            return HistoryResult("Undone" if backward else "Redone", failed.label, 0, 0,
                                 failed=str(failed))

    def _apply_step(self, backward: bool) -> HistoryResult | None:
        with self._store.edit() as conn:
            stmt = select(steps_t).where(steps_t.c.undone == (0 if backward else 1))
            stmt = stmt.order_by(steps_t.c.id.desc() if backward else steps_t.c.id).limit(1)
            step = conn.execute(stmt).first()
            if step is None:
                return None
            outcome = changes_.Outcome()
            step_changes = json.loads(step.changes)
            measure = Measure(conn, step_changes)
            conn.exec_driver_sql("SAVEPOINT step")  # a failure leaves nothing half done
            try:
                for change in reversed(step_changes) if backward else step_changes:
                    outcome.add((changes_.revert if backward else changes_.apply)(conn, change))
            except DBAPIError as exc:
                conn.exec_driver_sql("ROLLBACK TO step")
                raise _StepFailed(step.id, step.label, db.describe(exc)) from exc
            conn.exec_driver_sql("RELEASE step")
            # the changes as they are now (an undeleted paper may have a new id)
            conn.execute(update(steps_t).where(steps_t.c.id == step.id)
                         .values(undone=1 if backward else 0,
                                 changes=json.dumps(step_changes)))
            self._store.queue(conn, sorted(outcome.papers))
            effect = measure.effect()
        self.effects.add(effect)
        return HistoryResult("Undone" if backward else "Redone", step.label,
                             len(outcome.papers), outcome.skipped, tuple(outcome.notes))


class _StepFailed(Exception):
    def __init__(self, step_id: int, label: str, reason: str):
        super().__init__(reason)
        self.step_id = step_id
        self.label = label
