"""The benchmark's results as the table the README shows, and the machine
they were measured on."""

from __future__ import annotations

import os
import platform
import sqlite3
from pathlib import Path


def ratio(value, floor):
    return f"{value / floor:.1f}×" if floor else "-"


def table(results: list[dict]) -> str:
    lines = []
    header = "| measure | " + " | ".join(f"{r['size']:,} papers" for r in results) + " |"
    lines += [header, "|---" * (len(results) + 1) + "|"]

    def row(label, cells):
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row("import, papers/s (whole pipeline)", [
        f"{r['import']['papers_per_s']:.0f} (FTS5 {r['fts5_import']['papers_per_s']:.0f}; "
        f"{ratio(r['fts5_import']['papers_per_s'], r['import']['papers_per_s'])} slower)"
        for r in results])
    row("one daily digest (80 papers), s", [f"{r['daily_digest_s']:.2f}" for r in results])
    for key, label in (("search", "search top 50 + snippets"),
                       ("search_warm", "same, repeated (remembered)"),
                       ("search_first_page", "first 100 hits (window)"),
                       ("search_as_you_type", "typing 'language models'"),
                       ("search_full_list", "full hit list (window)")):
        row(f"{label}, p50 / p95 ms", [
            f"{r[key]['p50_ms']:.1f} / {r[key]['p95_ms']:.1f} "
            f"({ratio(r[key]['p95_ms'], r['fts5_search']['p95_ms'])} FTS5)" for r in results])
    row("FTS5 search, p50 / p95 ms", [
        f"{r['fts5_search']['p50_ms']:.2f} / {r['fts5_search']['p95_ms']:.2f}" for r in results])
    row("naive scan, p50 / p95 ms", [
        f"{r['naive_search']['p50_ms']:.0f} / {r['naive_search']['p95_ms']:.0f} "
        f"({ratio(r['naive_search']['p95_ms'], r['fts5_search']['p95_ms'])} FTS5)"
        for r in results])
    row("slowest sort / filter / first rows, ms", [f"{r['table_max_ms']:.0f}" for r in results])
    row("window start to first rows, s", [f"{r['window_first_rows_s']:.2f}" for r in results])
    row("first search right after the window opens, s",
        [f"{r.get('first_search_s', float('nan')):.2f}" for r in results])
    row("posting cache after the searches, MB",
        [f"{r.get('posting_cache_mb', float('nan')):.0f}" for r in results])
    row("BibTeX export of everything, s", [f"{r['bibtex_export_s']:.2f}" for r in results])
    auto = [r.get("automatic_export") or {} for r in results]
    row("automatic export of everything: an edit to the file written (1.5 s pause "
        "included), s", [f"{a.get('edit_to_written_s', float('nan')):.2f}" for a in auto])
    row("… meanwhile, the window's longest wait for its event loop, ms",
        [f"{a.get('longest_gap_ms', float('nan')):.0f}" for a in auto])
    for key, where in (("edit_in_window", "All papers"), ("edit_in_unread", "Unread")):
        edits = [r.get(key) or {} for r in results]
        row(f"R in {where} until the next paper is shown and the window idle, "
            "median / p95 ms", [f"{e.get('median_ms', float('nan')):.0f} / "
                                f"{e.get('p95_ms', float('nan')):.0f}" for e in edits])
    row("… until the search index has the edit too (an upkeep thread), median ms",
        [f"{(r.get('edit_in_window') or {}).get('indexed_median_ms', float('nan')):.0f}"
         for r in results])
    for command in ("--version", "stats", "list --limit 5", "show 1", "search", "similar 1",
                    "suggest"):
        row(f"`readinglist {command}`, exec to exit, s",
            [f"{(r.get('command_line_s') or {}).get(command, float('nan')):.2f}"
             for r in results])
    suggest = [r.get("suggestions") or {} for r in results]
    nan = float("nan")
    for key, label, unit in (
            ("fit_s", "suggestions: learning the features from nothing, s", 1),
            ("fit_added_peak_mb", "suggestions: peak memory that adds, MB", 1),
            ("cache_load_s", "suggestions: reading the feature cache, s", 1),
            ("daily_update_s", "suggestions: features after one more daily digest, s", 1),
            ("suggest_small_tag_ms", "suggest for a tag of 40 papers, s", 1000),
            ("suggest_tag_ms", "suggest for a tag of 5% of the library, s", 1000),
            ("suggest_for_you_ms", "suggest for you (half the library read), s", 1000),
            ("rank_unread_view_ms", "Unread best first (the whole view ranked), s", 1000)):
        row(label, [f"{s.get(key, nan) / unit:.2f}" for s in suggest])
    row("similar papers (5), p50 / max ms", [
        f"{s['similar_ms']['p50']:.0f} / {s['similar_ms']['max']:.0f}" if "similar_ms" in s
        else "-" for s in suggest])
    row("peak RSS of the app (window, search, sort, export), MB",
        [f"{r['app_peak_rss_mb']:.0f}" for r in results])
    row("peak RSS of the benchmark process after the import, MB",
        [f"{r['import']['peak_rss_mb']:.0f}" for r in results])
    row("peak RSS of the benchmark process (also FTS5 and the scan), MB",
        [f"{r['peak_rss_mb']:.0f}" for r in results])
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.release()}")
