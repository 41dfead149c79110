"""Benchmarks at 1k, 10k and 100k papers, side by side with SQLite FTS5 and a naive scan.

    python -m tests.benchmarks.bench [--sizes 1000,10000,100000] [--json FILE]

Each size runs in its own process (so peak RSS is per size), on a corpus from
`generator.py`. Every figure is also given as a ratio to FTS5 on the same
corpus, so runs on noisy machines can be compared.
"""

from __future__ import annotations

import argparse
import heapq
import json
import random
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from tests.benchmarks.cli_bench import command_line
from tests.benchmarks.generator import daily_digest, document_frequencies, write_corpus
from tests.benchmarks.report import machine, table
from tests.benchmarks.window_bench import automatic_export, edit_round_trip, window_start

# 20 queries: broad two-word, phrases, field queries, negation, and queries
# combined with a tag or status filter — what a reader types.
QUERIES = [
    ("language models", {}),
    ("reinforcement learning", {}),
    ("diffusion image", {}),
    ("vision transformer", {}),
    ("graph neural", {}),
    ("retrieval augmented", {}),
    ("quantization latency", {}),
    ('"language models"', {}),
    ('"instruction tuning"', {}),
    ('"reinforcement learning from human feedback"', {}),
    ("title:survey", {}),
    ("title:benchmark", {}),
    ("abstract:robot manipulation", {}),
    ("language models -survey", {}),
    ("speech OR audio", {}),
    ("language models", {"status": "read"}),
    ("robot policy", {"status": "unread"}),
    ("transformer", {"tag": "to-read"}),
    ("survey", {"tag": "nlp"}),
    ("multimodal reasoning", {"tag": "nlp"}),
]
TYPED = ["la", "lan", "lang", "langua", "language", "language mo", "language mod",
         "language models"]
REPEATS = 5


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (VmHWM), in MB."""
    status = Path("/proc/self/status").read_text().split("VmHWM:")[1]
    return int(status.split()[0]) / 1024


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def latencies(fn, repeats=REPEATS):
    """Per-query times over ``repeats`` rounds, after one warm-up round."""
    fn(warmup=True)
    samples = []
    for _ in range(repeats):
        samples += fn(warmup=False)
    return {"p50_ms": 1000 * percentile(samples, 0.5), "p95_ms": 1000 * percentile(samples, 0.95),
            "max_ms": 1000 * max(samples), "samples": len(samples)}


# -- SQLite FTS5: the practical floor --------------------------------------------------
def fts5_query(text: str) -> str:
    text = text.replace("title:", "title : ").replace("abstract:", "abstract : ")
    text = re.sub(r"(?<!\w)-(\w+)", r"NOT \1", text)
    return text


class Fts5:
    def __init__(self, path: Path):
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, abstract, "
                        "tokenize = 'porter unicode61')")
        self.db.execute("CREATE TABLE meta (id INTEGER PRIMARY KEY, status TEXT)")
        self.db.execute("CREATE INDEX meta_status ON meta (status, id)")
        self.db.execute("CREATE TABLE doc_tags (tag TEXT, id INTEGER, PRIMARY KEY (tag, id))")

    def load(self, texts, statuses, tags):
        with self.db:
            self.db.executemany("INSERT INTO docs (rowid, title, abstract) VALUES (?, ?, ?)",
                                [(i + 1, t, a) for i, (t, a) in enumerate(texts)])
            self.db.executemany("INSERT INTO meta VALUES (?, ?)",
                                [(i + 1, statuses[i]) for i in range(len(texts))])
            self.db.executemany("INSERT INTO doc_tags VALUES (?, ?)",
                                [(tag, i + 1) for i in range(len(texts)) for tag in tags[i]])

    def search(self, query, filters, limit=50):
        # Filters as joins on indexed tables: the fair, fast way in SQLite.
        sql = "SELECT docs.rowid FROM docs"
        where, params = ["docs MATCH ?"], [fts5_query(query)]
        if "status" in filters:
            sql += " JOIN meta ON meta.id = docs.rowid"
            where.append("meta.status = ?")
            params.append(filters["status"])
        if "tag" in filters:
            sql += " JOIN doc_tags ON doc_tags.id = docs.rowid"
            where.append("doc_tags.tag = ?")
            params.append(filters["tag"])
        sql += " WHERE " + " AND ".join(where) + " ORDER BY bm25(docs, 2.5, 1.0) LIMIT ?"
        params.append(limit)
        try:
            return [row[0] for row in self.db.execute(sql, params)]
        except sqlite3.OperationalError:
            return []


# -- a naive Python scan ---------------------------------------------------------------------
class NaiveScan:
    def __init__(self, texts, statuses, tags):
        self.rows = [(i + 1, t.lower(), (t + " " + a).lower(), statuses[i], set(tags[i]))
                     for i, (t, a) in enumerate(texts)]

    def search(self, query, filters, limit=50):
        must, must_not, title_only, any_of = [], [], [], []
        for phrase in re.findall(r'"([^"]+)"', query):
            must.append(phrase.lower())
        rest = re.sub(r'"[^"]+"', " ", query)
        if " OR " in rest:
            any_of = [w.lower() for w in rest.split(" OR ")]
            rest = ""
        for word in rest.split():
            if word.startswith("-"):
                must_not.append(word[1:].lower())
            elif word.startswith("title:"):
                title_only.append(word[6:].lower())
            else:
                must.append(word.split(":")[-1].lower())
        hits = []
        for pid, title, text, status, tags in self.rows:
            if filters.get("status") and status != filters["status"]:
                continue
            if filters.get("tag") and filters["tag"] not in tags:
                continue
            if any(w not in text for w in must) or any(w in text for w in must_not):
                continue
            if any(w not in title for w in title_only):
                continue
            if any_of and not any(w.strip() in text for w in any_of):
                continue
            score = sum(text.count(w) for w in must + title_only + any_of)
            hits.append((score, pid))
        return [pid for _, pid in heapq.nlargest(limit, hits)]


# -- one size ---------------------------------------------------------------------------------
def run_size(size: int, workdir: Path) -> dict:
    from readinglist.core.library import Filter, Library
    from readinglist.core.reading.search import as_typed
    from readinglist.ui.paper_list.model import PaperTableModel

    out: dict = {"size": size}
    corpus = write_corpus(workdir / "digests", size)
    texts = corpus.pop("texts")
    files = sorted((workdir / "digests").glob("*.txt"))
    out["corpus"] = {k: corpus[k] for k in ("papers", "entries", "files")}

    # Import: the whole pipeline (parse, database, index), one transaction per file.
    library = Library.open(workdir / "lib")
    seconds, result = timed(library.import_files, files)
    assert result.new == size and not result.rejected, result.to_json()
    out["import"] = {"seconds": seconds, "papers_per_s": corpus["entries"] / seconds,
                     "peak_rss_mb": peak_rss_mb()}  # the corpus texts included

    # Tags and statuses, as a user's library has them, for the filtered queries.
    rng = random.Random(size)
    ids = library.papers.ids(sort="id")
    statuses = [rng.choice(("unread", "unread", "skimmed", "read")) for _ in ids]
    for status in ("skimmed", "read"):
        chosen = [i for i, s in zip(ids, statuses, strict=True) if s == status]
        library.edit.set_status(chosen, status)
    tags = [[] for _ in ids]
    for name, share in (("to-read", 0.05), ("nlp", 0.2)):
        chosen = [k for k in range(len(ids)) if rng.random() < share]
        library.tags.add([ids[k] for k in chosen], [name])
        for k in chosen:
            tags[k].append(name)

    day = date(2031, 1, 1)
    daily = daily_digest(workdir, seed=size, day=day, taken=corpus["keys"])
    seconds, _ = timed(library.import_files, [daily])
    out["daily_digest_s"] = seconds

    # Search: the library's ranked top 50 with snippets, and the window's paths.
    # Cold: the remembered results are dropped before every query, so each one
    # is really searched; warm: the same query again (the window re-running a
    # search after an edit elsewhere, Backspace while typing).
    def cold(call):
        def run(warmup):
            times = []
            for q, f in QUERIES:
                library.store.index.forget_results()
                times.append(timed(call, q, f)[0])
            return times
        return run

    out["search"] = latencies(cold(lambda q, f: library.search.hits(q, 50, **f)))
    # Each query's own cold time (median of 3) beside FTS5's, to see which are slow.
    out["search_by_query_ms"] = {}
    for q, f in QUERIES:
        mine = []
        for _ in range(3):
            library.store.index.forget_results()
            mine.append(timed(library.search.hits, q, 50, **f)[0])
        out["search_by_query_ms"][f"{q} {f or ''}".strip()] = 1000 * sorted(mine)[1]
    out["search_warm"] = latencies(
        lambda warmup: [timed(library.search.hits, q, 50, **f)[0] for q, f in QUERIES])
    out["search_first_page"] = latencies(cold(lambda q, f: library.search.ids(q, Filter(**f), 100)))

    def typing(warmup):  # as the window asks: the word being typed is a prefix
        library.store.index.forget_results()
        return [timed(library.search.ids, as_typed(q), None, 100)[0] for q in TYPED]

    out["search_as_you_type"] = latencies(typing)
    out["search_full_list"] = latencies(cold(lambda q, f: library.search.ids(q, Filter(**f))),
                                        repeats=2)
    out["posting_cache_mb"] = library.store.index.postings.size / 1048576

    fts = Fts5(workdir / "fts5.sqlite")
    seconds, _ = timed(fts.load, texts, statuses, tags)
    out["fts5_import"] = {"seconds": seconds, "papers_per_s": len(texts) / seconds}
    out["fts5_search"] = latencies(lambda warmup: [timed(fts.search, q, f)[0] for q, f in QUERIES])
    out["fts5_by_query_ms"] = {
        f"{q} {f or ''}".strip(): 1000 * sorted(timed(fts.search, q, f)[0] for _ in range(3))[1]
        for q, f in QUERIES}
    out["corpus"]["document_frequency"] = document_frequencies(
        texts, ["language", "models", "vision", "robot", "diffusion", "survey",
                "language models", "instruction tuning"])
    naive = NaiveScan(texts, statuses, tags)
    out["naive_search"] = latencies(
        lambda warmup: [timed(naive.search, q, f)[0] for q, f in QUERIES], repeats=1)

    # The table: sorts and filters in SQL, the model over the ids, the first block of rows.
    sorts = {}
    for key in ("first_seen", "title", "times_seen", "status", "tags", "code"):
        sorts[f"sort {key}"] = timed(library.papers.ids, None, sort=key)[0]
    newest = library.papers.digests()[-1].id
    for label, view in (("filter unread", Filter(status="unread")),
                        ("filter tag", Filter(tag="nlp")),
                        ("filter trending", Filter(min_seen=2)),
                        ("filter digest", Filter(digest=newest)),
                        ("filter new", Filter(batch=library.papers.last_import_batch()))):
        sorts[label] = timed(library.papers.ids, view, sort="first_seen")[0]
    model = PaperTableModel(library.papers.get_many)
    model.set_ids(library.papers.ids(sort="first_seen"))
    sorts["first 200 rows"] = timed(lambda: [model.paper_at(r) for r in range(200)])[0]
    out["table_ms"] = {k: 1000 * v for k, v in sorts.items()}
    out["table_max_ms"] = max(out["table_ms"].values())

    # What a user does: File ▸ Export of everything, written to a file.
    seconds, count = timed(library.export.write, workdir / "everything.bib")
    out["bibtex_export_s"] = seconds
    assert count == size + 80
    assert (workdir / "everything.bib").read_text().count("\n@misc{") == count
    library.close()

    # Suggestions first: the window then opens with their cache, as it does for
    # anyone who has opened the library before (the first opening learns the
    # features in the background: `suggestions` measures that).
    out["suggestions"] = suggestions(workdir / "lib")
    (out["window_first_rows_s"], out["first_search_s"],
     out["app_peak_rss_mb"]) = window_start(workdir / "lib")
    out["automatic_export"] = automatic_export(workdir / "lib")
    out["edit_in_window"] = edit_round_trip(workdir / "lib")
    out["edit_in_unread"] = edit_round_trip(workdir / "lib", "status:unread")
    out["command_line_s"] = command_line(workdir / "lib")
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def suggestions(folder: Path) -> dict:
    """`suggest_bench` in a process of its own (its peak memory is its own)."""
    done = subprocess.run([sys.executable, "-m", "tests.benchmarks.suggest_bench", str(folder)],
                          capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        print(f"suggestion benchmark failed: {done.stderr[-2000:]}", file=sys.stderr)
        return {}
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- report ----------------------------------------------------------------------------------
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--json", metavar="FILE")
    parser.add_argument("--keep", action="store_true",
                        help="keep each size's library and digests (for profiling); "
                             "their folders are named on stderr")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        workdir = Path(tempfile.mkdtemp(prefix=f"rl-bench-{args.one}-"))
        try:
            print(json.dumps(run_size(args.one, workdir)))
        finally:
            if args.keep:
                print(f"kept {workdir}", file=sys.stderr)
            else:
                shutil.rmtree(workdir, ignore_errors=True)
        return 0
    results = []
    for size in [int(s.replace("k", "000")) for s in args.sizes.split(",")]:
        print(f"… {size:,} papers", file=sys.stderr, flush=True)
        done = subprocess.run([sys.executable, "-m", "tests.benchmarks.bench", "--one",
                               str(size)] + ["--keep"] * args.keep, capture_output=True,
                              text=True)
        if args.keep or done.returncode != 0:
            print(done.stderr, file=sys.stderr)
        if done.returncode != 0:
            return 1
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    report = {"machine": machine(), "date": date.today().isoformat(), "results": results}
    print(f"Machine: {report['machine']}\n")
    print(table(results))
    for r in results:
        print(f"\nEach query at {r['size']:,} papers, cold, median of three (ms):\n")
        print("| query | Readinglist | FTS5 |\n|---|---|---|")
        for query, ms in r["search_by_query_ms"].items():
            fts5 = r["fts5_by_query_ms"].get(query, float("nan"))
            print(f"| `{query}` | {ms:.0f} | {fts5:.1f} |")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
