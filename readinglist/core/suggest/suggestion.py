"""One paper suggested or found alike, with what a person reads of it."""

from __future__ import annotations

import math
from dataclasses import dataclass

from readinglist.core.views import PaperView


@dataclass(frozen=True)
class Suggestion:
    paper: PaperView
    score: float  # the classifier's own value (a suggestion), the cosine (a similar paper)
    why: tuple[str, ...]
    # What a person can read: for a suggestion, the share of the library that
    # ranks below it (99.5: in the top 0.5%), comparable from one day to the
    # next; for a similar paper, its likeness in percent (the cosine).
    relevance: float = math.nan
    likeness: bool = False  # a similar paper's relevance is its likeness

    @property
    def relevance_text(self) -> str:
        if math.isnan(self.relevance):
            return ""
        if self.likeness:
            return f"{self.relevance:.0f}% alike"
        return f"top {max(100 - self.relevance, 0.1):.1f}%".replace(".0%", "%")

    def to_json(self) -> dict:
        return {**self.paper.to_json(), "score": round(self.score, 6),
                "relevance": None if math.isnan(self.relevance) else round(self.relevance, 2),
                "why": list(self.why)}
