"""Small synthetic digests in the real format, for tests that need many files."""

from __future__ import annotations

import calendar
import random
from pathlib import Path

WORDS = ("model data training language vision robot policy reward transformer "
         "attention retrieval benchmark dataset scaling sparse graph diffusion agent "
         "planning memory token inference latency pruning adapter evaluation").split()


def abstract(rng: random.Random) -> str:
    sentences = []
    for _ in range(6):
        words = [rng.choice(WORDS) for _ in range(rng.randint(10, 16))]
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def write_digests(folder: Path, files: int, per_file: int, seed: int = 7) -> tuple[int, int]:
    """Write ``files`` digests; about a quarter of each are papers seen before.

    Returns (distinct papers, appearances) that importing them all must give.
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    seen: list[tuple[str, str]] = []
    distinct = appearances = 0
    for number in range(files):
        month, day = 1 + number // 28, 1 + number % 28
        chosen: list[tuple[str, str]] = []
        repeats = rng.sample(seen, min(len(seen), per_file // 4)) if seen else []
        chosen += repeats
        while len(chosen) < per_file:
            paper = (f"Synthetic Study {len(seen) + 1:05d} of {rng.choice(WORDS).title()} "
                     f"{rng.choice(WORDS).title()}", abstract(rng))
            seen.append(paper)
            chosen.append(paper)
            distinct += 1
        appearances += len(chosen)
        body = "\n\n".join(f"{title}\n\n{text}" for title, text in chosen)
        date_line = f"{calendar.month_abbr[month]} {day}, 2025"
        (folder / f"digest-{number:03d}.txt").write_text(
            f"new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\n{date_line}\n\n"
            f"{body}\n", encoding="utf-8")
    return distinct, appearances
