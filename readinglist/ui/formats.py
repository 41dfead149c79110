"""How the window writes dates and counts, the same in every pane."""

from __future__ import annotations

from datetime import date


def short_date(iso: str) -> str:
    """"06 Aug 2026" for "2026-08-06"; anything else as it is."""
    try:
        return date.fromisoformat(iso).strftime("%d %b %Y")
    except ValueError:
        return iso


def plural(count: int, word: str, many: str | None = None) -> str:
    """"1 paper", "3 papers" (``many`` for irregular plurals: "entries")."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
