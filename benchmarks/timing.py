"""Small timing helpers shared by the benchmarks."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def once(fn: Callable[[], T], *, pause_gc: bool = True) -> tuple[T, float]:
    """Run ``fn`` once; its result and the seconds it took.

    The garbage collector is paused for hot loops (as ``timeit`` does); preparation
    steps that allocate millions of objects are timed with it running
    (``pause_gc=False``), as a user would run them.
    """
    enabled = gc.isenabled()
    if pause_gc:
        gc.disable()
    try:
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
    finally:
        if enabled:
            gc.enable()
    return result, elapsed


def repeat(fn: Callable[[], object], repeats: int) -> dict[str, float]:
    """Median, min and max seconds over ``repeats`` runs of ``fn``."""
    times = [once(fn)[1] for _ in range(repeats)]
    return {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "repeats": repeats,
    }


def fmt_ns(ns: float) -> str:
    return f"{ns:,.0f} ns" if ns >= 100 else f"{ns:.1f} ns"


def fmt_s(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"
