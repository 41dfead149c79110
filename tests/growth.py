"""How a cost grows with its input, measured on this machine in this run: the
time for an input twice as large, against the time for the input, never
against a figure in seconds (CI machines are shared and slow down). The
input grows four times: linear is 4 times the time, quadratic 16, so a
machine busy with other work (another test run beside this one) does not
pass for quadratic growth."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

STEP = 4  # how much larger the second input is
GROWTH_LIMIT = 8.0  # four times the input: linear is 4, n log n a little more, quadratic 16


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
                  *, at_least: float = 0.05, largest: int = 1 << 22) -> tuple[float, float]:
    """Double ``size`` until ``run(make(size))`` takes ``at_least`` seconds (so
    noise is small against it) or reaches ``largest``, then check that `STEP`
    times the input takes at most `GROWTH_LIMIT` times as long. Returns the
    two times."""
    small = seconds(run, make(size))
    while small < at_least and size * 2 <= largest:
        size *= 2
        small = seconds(run, make(size))
    small_input, large_input = make(size), make(size * STEP)
    large = seconds(run, large_input)
    for _ in range(2):  # a busy machine gets two more tries; real growth fails every time
        if large <= GROWTH_LIMIT * small:
            break
        small = min(small, seconds(run, small_input))
        large = min(large, seconds(run, large_input))
    assert large <= GROWTH_LIMIT * small, (
        f"{size:,} → {small:.3f} s, {STEP * size:,} → {large:.3f} s: grows faster than linear")
    return small, large
