"""Suggestions at each benchmark size, in a process of their own.

    python -m tests.benchmarks.suggest_bench LIBRARY_FOLDER

Run by `bench.py` on the library it imported (statuses and tags as a user's,
a daily digest already in it). Prints one JSON object: the fit of the
features from nothing (seconds, and the peak memory it added to a process
that already had the library open), reading them back from the cache, the
update after one more daily digest, the rankings and similar papers.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path


def vm_hwm_mb() -> float:
    status = Path("/proc/self/status").read_text().split("VmHWM:")[1]
    return int(status.split()[0]) / 1024


def reset_peak() -> None:
    """Start counting the peak from now (Linux: writing 5 to clear_refs)."""
    Path("/proc/self/clear_refs").write_text("5")


def median_ms(fn, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def run(folder: Path) -> dict:
    import numpy  # noqa: F401  (imported before the baseline: every app has them)
    import sklearn.feature_extraction.text
    import sklearn.svm  # noqa: F401

    from readinglist.core.library import Filter, Library
    from readinglist.core.sources.digest import title_key
    from tests.benchmarks.generator import daily_digest

    out: dict = {}
    library = Library.open(folder, backup=False)
    library.suggester.cache.path.unlink(missing_ok=True)  # learnt from nothing, measured
    suggester, cache = library.suggester, library.suggester.cache
    suggester.refit_inline = False  # as the window runs
    small_tag = library.papers.ids(Filter(tag="nlp"), sort="id")[:40]
    library.tags.add(small_tag, ["bench-small"])

    reset_peak()
    before = vm_hwm_mb()
    start = time.perf_counter()
    features = cache.current()
    out["fit_s"] = time.perf_counter() - start
    out["fit_added_peak_mb"] = vm_hwm_mb() - before
    out["features"] = {"papers": int(features.matrix.shape[0]),
                       "terms": int(features.matrix.shape[1]),
                       "nonzeros": int(features.matrix.nnz),
                       "cache_mb": cache.path.stat().st_size / 1048576}
    library.close()

    library = Library.open(folder, backup=False)
    suggester, cache = library.suggester, library.suggester.cache
    suggester.refit_inline = False
    start = time.perf_counter()
    cache.current(refit=False)
    out["cache_load_s"] = time.perf_counter() - start

    taken = {title_key(p.title) for p in library.papers.list(limit=None)}
    daily = daily_digest(folder.parent, seed=7, day=date(2031, 1, 2), taken=taken)
    library.import_files([daily])
    start = time.perf_counter()
    cache.current(refit=False)
    out["daily_update_s"] = time.perf_counter() - start

    for label, tag in (("suggest_small_tag_ms", "bench-small"), ("suggest_tag_ms", "to-read")):
        out[label] = median_ms(lambda t=tag: suggester.suggest(tag=t, limit=50), 3)
    out["suggest_for_you_ms"] = median_ms(lambda: suggester.suggest(limit=50), 3)
    out["rank_unread_view_ms"] = median_ms(
        lambda: suggester.rank(Filter(status="unread"), include_chosen=True), 3)
    papers = library.papers.ids(sort="id")[:: max(1, len(library.papers.ids()) // 20)][:20]
    similar = []
    for paper in papers:
        start = time.perf_counter()
        library.similar(paper, 5)
        similar.append(1000 * (time.perf_counter() - start))
    out["similar_ms"] = {"p50": statistics.median(similar), "max": max(similar)}
    out["peak_rss_mb"] = vm_hwm_mb()
    library.close()
    return out


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1]))))
