"""A library of papers on known topics, for measuring suggestions.

Each topic has its own words; every paper also draws on words all topics
share, so a topic is not a single word to match. Deterministic (a seed).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

TOPICS = {
    "robots": "robot grasping manipulation gripper embodied policy arm dexterous tactile",
    "speech": "speech acoustic phoneme speaker audio asr waveform prosody spectrogram",
    "code": "code program compiler repository function synthesis bug snippet programming",
    "proteins": "protein folding molecule amino residue binding enzyme structure drug",
    "weather": "weather climate forecast precipitation atmospheric storm temperature ocean",
    "chess": "chess game board move opening endgame engine search tactics",
    "medicine": "patient clinical diagnosis hospital radiology disease medical treatment",
    "finance": "stock market trading portfolio price risk asset volatility financial",
    "driving": "driving vehicle autonomous lidar lane traffic pedestrian road car",
    "graphs": "graph node edge message passing neighbourhood vertex link community",
    "math": "theorem proof lemma algebra geometry equation olympiad formal conjecture",
    "translation": "translation bilingual parallel corpus source target multilingual language",
}
SHARED = ("model learning data training method results performance benchmark large "
          "approach propose show task neural network evaluation dataset").split()


def topic_papers(per_topic: int = 20, seed: int = 7) -> list[tuple[str, str, str]]:
    """(topic, title, abstract) for each paper."""
    chooser = random.Random(seed)
    papers = []
    for topic, words in TOPICS.items():
        own = words.split()
        for number in range(per_topic):
            title = " ".join(chooser.sample(own, 3) + chooser.sample(SHARED, 2)).title()
            sentences = []
            others = [w for t, ws in TOPICS.items() if t != topic for w in ws.split()]
            for _ in range(5):
                # two words of the topic, two of other topics: topics overlap
                picked = chooser.sample(own, 2) + chooser.sample(others, 2) + chooser.sample(
                    SHARED, 6)
                chooser.shuffle(picked)
                sentences.append(" ".join(picked).capitalize() + ".")
            papers.append((topic, f"{title} {topic[:3].upper()}{number:03d}", " ".join(sentences)))
    chooser.shuffle(papers)
    return papers


def write_topic_digests(folder: Path, per_topic: int = 20, per_digest: int = 40) -> list[Path]:
    """The papers as digests of ``per_digest`` papers each; returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    papers = topic_papers(per_topic)
    files = []
    for number, start in enumerate(range(0, len(papers), per_digest)):
        day = date(2026, 1, 1) + timedelta(days=number)
        body = "\n\n".join(f"{title}\n\n{abstract}"
                           for _, title, abstract in papers[start:start + per_digest])
        path = folder / f"topics_{number:02d}.txt"
        path.write_text(f"Daily Papers\n\n{day.strftime('%b %d, %Y')}\n\n{body}\n",
                        encoding="utf-8")
        files.append(path)
    return files
