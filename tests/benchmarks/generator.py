"""A seeded generator of realistic synthetic digests, at any size.

Realistic where it matters for search and import cost: titles of ~10 words
(often "Name: phrase"), abstracts of ~1,500 characters in 8–12 sentences,
function words at their usual share of the text, a content vocabulary with a
long tail of rare words (vocabulary grows with the corpus, as real text
does), a few URLs, and about a quarter of each digest made of papers
trending again from earlier digests.

Words are *topical*, as in real abstracts: a handful of words (model,
language, data, learning…) are in nearly every abstract, while a topic word
(vision, robot, diffusion, graph…) is in the few papers about that topic and
repeated there. Drawing every word independently (the first version) put
"robot" in 58% of the abstracts where the real digests have it in 3%, which
made nearly every query of the benchmark match most of the library.
``document_frequencies`` compares the two (the README's Performance section
has the figures).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from readinglist.core.sources.digest import title_key

FUNCTION_WORDS = (
    "the of and to in a is for that we with on as by this are our from be an which "
    "can it at these or their not has have both more than such its while also how into "
    "over between across through when only most each new show").split()

# Content words of machine-learning abstracts, most frequent first (Zipf by rank).
CONTENT_WORDS = (
    "model models language data learning training large performance tasks task method "
    "approach results based propose paper models vision benchmark dataset framework "
    "generation neural reasoning knowledge evaluation multimodal fine-tuning pretraining "
    "transformer attention diffusion image text instruction llms inference retrieval "
    "agent agents reinforcement policy robot robotic manipulation planning reward "
    "alignment preference human feedback survey experiments state-of-the-art efficient "
    "efficiency scaling parameters compute memory token tokens context long-context "
    "prompt prompting in-context zero-shot few-shot generalization robustness adversarial "
    "safety graph graphs network networks representation representations embedding "
    "embeddings contrastive self-supervised supervised unsupervised semi-supervised "
    "classification segmentation detection object video audio speech speaker code "
    "program synthesis mathematical math theorem proof chain-of-thought quantization "
    "pruning sparsity sparse distillation compression adapters lora mixture experts "
    "routing decoding sampling latency throughput hardware gpu training-free open-source "
    "multilingual translation cross-lingual low-resource tokenizer vocabulary corpus "
    "corpora web-scale curation filtering quality synthetic augmentation annotation "
    "labels noisy uncertainty calibration interpretability explanation causal "
    "counterfactual bias fairness privacy federated continual lifelong forgetting "
    "meta-learning optimization optimizer gradient convergence theoretical analysis "
    "empirical ablation baseline baselines outperforms achieves improves demonstrate "
    "significantly consistently extensive comprehensive novel simple effective "
    "scalable general-purpose foundation open challenge challenges limitations future "
    "world simulation physics 3d scene point cloud depth navigation embodied "
    "vision-language vision-language-action medical clinical biomedical protein molecule "
    "chemistry materials weather forecasting time-series tabular recommendation search "
    "ranking question answering summarization dialogue chat assistant tool tools "
    "memory-efficient kv cache prefill speculative serving deployment edge mobile").split()

PREFIX_SYLLABLES = "con pro re de in ex trans inter multi hyper meta neuro auto".split()
SYLLABLES = ("la ti mor gen vis dra ko fel sti pan quo ren dal mir sen tor vex lum "
             "cal bri nov zen pha ter gra mon sil").split()
TITLE_PATTERNS = (
    "{Name}: {Phrase} for {Phrase2}",
    "{Phrase} via {Phrase2}",
    "Towards {Phrase} with {Phrase2}",
    "{Name}: {Phrase}",
    "A Survey on {Phrase}",
    "{Phrase}: {Phrase2} and {Phrase3}",
    "Scaling {Phrase} for {Phrase2}",
    "On the {Phrase} of {Phrase2}",
    "{Phrase} Is All You Need for {Phrase2}",
    "Learning {Phrase} from {Phrase2}",
)


@dataclass(frozen=True)
class Paper:
    title: str
    abstract: str


# The words nearly every abstract of the field uses; the rest of
# CONTENT_WORDS are topic words.
GENERIC = 16
# Words that usually come as a phrase (the phrase queries of the benchmark
# need phrases that occur); each one stands for itself half of the time.
COLLOCATIONS = {
    "language": "language models", "large": "large language models",
    "reinforcement": "reinforcement learning", "instruction": "instruction tuning",
    "vision": "vision transformer", "graph": "graph neural networks",
    "retrieval": "retrieval augmented generation", "diffusion": "diffusion models",
    "chain-of-thought": "chain-of-thought reasoning", "mixture": "mixture of experts",
    "human": "reinforcement learning from human feedback", "question": "question answering",
    "point": "point cloud", "kv": "kv cache", "robot": "robot manipulation",
    "speech": "speech recognition", "multimodal": "multimodal reasoning",
}


class CorpusGenerator:
    def __init__(self, seed: int = 2026, tail_words: int = 30_000):
        self.rng = random.Random(seed)
        rng = self.rng
        # A long tail of rare words (names, compounds, typos, numbers in words).
        tail = set()
        while len(tail) < tail_words:
            word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
            if rng.random() < 0.3:
                word = rng.choice(PREFIX_SYLLABLES) + word
            tail.add(word)
        tail = sorted(tail)
        rng.shuffle(tail)
        self.generic = CONTENT_WORDS[:GENERIC]
        self.topics = CONTENT_WORDS[GENERIC:]
        self.tail = tail
        # Zipf–Mandelbrot weights, 1 / (r + 10)^1.2 for the r-th word of each
        # list: a few common words and a long tail, as in real abstracts.
        self._generic_cumulative = _zipf(len(self.generic))
        self._topic_cumulative = _zipf(len(self.topics))
        self._tail_cumulative = _zipf(len(self.tail))
        self._function_cumulative = list(
            _accumulate(1 / rank for rank in range(1, len(FUNCTION_WORDS) + 1)))
        self.counter = 0
        self.keys: set[str] = set()  # title keys given out: every title is a new paper
        self._topic: list[str] = []

    def _new_topic(self) -> None:
        """The topic words of the next paper: a few, common topics more often."""
        count = self.rng.randint(3, 6)
        self._topic = list(dict.fromkeys(
            self.rng.choices(self.topics, cum_weights=self._topic_cumulative, k=count)))

    def _word(self) -> str:
        rng = self.rng
        draw = rng.random()
        if draw < 0.35:
            word = rng.choices(self.generic, cum_weights=self._generic_cumulative)[0]
        elif draw < 0.80 and self._topic:
            word = rng.choice(self._topic)
        else:
            return rng.choices(self.tail, cum_weights=self._tail_cumulative)[0]
        if word in COLLOCATIONS and rng.random() < 0.5:
            return COLLOCATIONS[word]
        return word

    def _phrase(self, low: int = 2, high: int = 4) -> str:
        return " ".join(self._word().title() for _ in range(self.rng.randint(low, high)))

    def _name(self) -> str:
        rng = self.rng
        name = "".join(rng.choice(SYLLABLES).title() for _ in range(rng.randint(1, 2)))
        if rng.random() < 0.4:
            name = name.upper()[: rng.randint(3, 6)]
        if rng.random() < 0.3:
            name += f"-{rng.randint(1, 9)}"
        return name

    def title(self) -> str:
        while True:
            pattern = self.rng.choice(TITLE_PATTERNS)
            text = pattern.format(Name=self._name(), Phrase=self._phrase(),
                                  Phrase2=self._phrase(), Phrase3=self._phrase())[:140]
            key = title_key(text)
            if key not in self.keys:
                self.keys.add(key)
                self.counter += 1
                return text

    def sentence(self) -> str:
        rng = self.rng
        words = []
        for _ in range(max(8, int(rng.gauss(22, 6)))):
            if rng.random() < 0.42:
                words.append(rng.choices(FUNCTION_WORDS, cum_weights=self._function_cumulative)[0])
            else:
                words.append(self._word())
        if rng.random() < 0.15:
            words.insert(rng.randrange(len(words)), f"{rng.randint(2, 95)}%")
        return " ".join(words).capitalize() + "."

    def abstract(self) -> str:
        rng = self.rng
        sentences = [self.sentence() for _ in range(rng.randint(8, 12))]
        if rng.random() < 0.3:
            sentences.append(f"Code is available at https://github.com/{self._name().lower()}"
                             f"/{self._name().lower()}.")
        return " ".join(sentences)

    def paper(self) -> Paper:
        self._new_topic()
        return Paper(self.title(), self.abstract())


def _zipf(count: int) -> list[float]:
    return list(_accumulate(1 / ((rank + 10) ** 1.2) for rank in range(1, count + 1)))


def document_frequencies(texts, words) -> dict[str, float]:
    """The share of (title, abstract) pairs that contain each word (as a substring)."""
    lowered = [(title + " " + abstract).lower() for title, abstract in texts]
    return {w: sum(w in text for text in lowered) / max(1, len(lowered)) for w in words}


def _accumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total


def write_corpus(folder: Path, papers: int, per_digest: int = 80, seed: int = 2026,
                 start: date = date(2023, 1, 1)) -> dict:
    """Digest files holding ``papers`` distinct papers; returns what they contain."""
    generator = CorpusGenerator(seed)
    rng = random.Random(seed + 1)
    folder.mkdir(parents=True, exist_ok=True)
    seen: list[Paper] = []
    entries = files = 0
    day = start
    while len(seen) < papers:
        again = min(len(seen), per_digest // 4)
        # Papers trend again mostly while they are recent.
        recent = seen[-2000:]
        chosen = rng.sample(recent, min(again, len(recent))) if recent else []
        while len(chosen) < per_digest and len(seen) < papers:
            paper = generator.paper()
            seen.append(paper)
            chosen.append(paper)
        rng.shuffle(chosen)
        body = "\n\n".join(f"{p.title}\n\n{p.abstract}" for p in chosen)
        (folder / f"digest-{files:05d}.txt").write_text(
            "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"
            f"byAK and the research community\n\n{day.strftime('%b %d, %Y')}\n\n{body}\n",
            encoding="utf-8")
        entries += len(chosen)
        files += 1
        day += timedelta(days=1)
    return {"papers": len(seen), "entries": entries, "files": files,
            "texts": [(p.title, p.abstract) for p in seen], "keys": generator.keys}


def daily_digest(folder: Path, seed: int, day: date, taken: set[str],
                 papers: int = 80) -> Path:
    """One more day's digest of ``papers`` new papers (none of the ``taken`` titles)."""
    generator = CorpusGenerator(seed, tail_words=5000)
    generator.keys = set(taken)
    chosen = [generator.paper() for _ in range(papers)]
    body = "\n\n".join(f"{p.title}\n\n{p.abstract}" for p in chosen)
    path = folder / f"daily-{day.isoformat()}.txt"
    path.write_text(f"Daily Papers\n\n{day.strftime('%b %d, %Y')}\n\n{body}\n", encoding="utf-8")
    return path
