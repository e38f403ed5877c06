"""CPU-time guards against pathological blow-ups (not speed tests).

They measure `time.process_time`, the CPU time of this process, so a busy machine does not
make them fail; the budgets are an order of magnitude above what the code needs, and the
growth check compares sizes within one run."""

from __future__ import annotations

import time
from collections.abc import Callable


def cpu_seconds(fn: Callable[[], object], repeat: int = 1) -> float:
    """The least CPU time of `repeat` calls of `fn`."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def growth(fn: Callable[[object], object], make: Callable[[int], object], small: int,
           factor: int = 4, repeat: int = 3) -> float:
    """How many times more CPU `fn` takes on an input `factor` times larger: about `factor`
    for linear work, `factor`**2 for quadratic."""
    a, b = make(small), make(small * factor)
    fn(a)  # compile patterns and warm caches outside the measurement
    return cpu_seconds(lambda: fn(b), repeat) / max(cpu_seconds(lambda: fn(a), repeat), 1e-4)
