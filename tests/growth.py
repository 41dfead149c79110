"""How a cost grows with its input, measured on this machine in this run: the
time for an input twice as large, against the time for the input, never
against a figure in seconds (CI machines are shared and slow down)."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

GROWTH_LIMIT = 2.5  # twice the input: linear is 2, quadratic 4


def seconds(run: Callable[[object], object], argument: object, repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs (the others met a busy machine)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()  # the collector's passes grow with the heap, not with the input
        try:
            started = time.perf_counter()
            run(argument)
            best = min(best, time.perf_counter() - started)
        finally:
            gc.enable()
    return best


def assert_linear(make: Callable[[int], object], run: Callable[[object], object], size: int,
                  *, at_least: float = 0.1, largest: int = 1 << 26) -> tuple[float, float]:
    """Double ``size`` until ``run(make(size))`` takes ``at_least`` seconds (so
    noise is small against it), then check that twice the input takes at most
    `GROWTH_LIMIT` times as long. Returns the two times."""
    small = seconds(run, make(size))
    while small < at_least and size * 2 <= largest:
        size *= 2
        small = seconds(run, make(size))
    small_input, large_input = make(size), make(size * 2)
    large = seconds(run, large_input)
    for _ in range(2):  # a busy machine gets two more tries; real growth fails every time
        if large <= GROWTH_LIMIT * small:
            break
        small = min(small, seconds(run, small_input))
        large = min(large, seconds(run, large_input))
    assert large <= GROWTH_LIMIT * small, (
        f"{size:,} → {small:.3f} s, {2 * size:,} → {large:.3f} s: grows faster than linear")
    return small, large
