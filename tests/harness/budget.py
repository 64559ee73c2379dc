"""The suite's time budget: two minutes on the development machine (2 cores), as README.md
states.

Machines that run the suite differ in speed, and so does one machine from hour to hour when
it shares its host: the same fresh clone took 102 to 123 s here on one afternoon, idle, with
its CPU time rising with it (159 to 191 s). So the run times a fixed piece of
single-threaded Python work before it starts and after it ends, when the suite is not
running, and also counts its own time in the development machine's seconds: on a machine
half as fast, 200 s count as 100. A run is over budget when it is over on both clocks: a
machine measurably slower than the development machine is not blamed on the suite, and a
suite that has grown fails on any machine not slower than that one. (The benchmark drifts
by about 10% over an afternoon here, with the host's load, so it only excuses; it never
fails a run that finished in time.)
"""

from __future__ import annotations

import statistics
import time

BUDGET_SECONDS = 120
# benchmark() on the development machine (AMD EPYC, 2 cores), idle, on 2026-12-02: 21.3 to
# 22.4 ms in ten measurements at 15:16, 23.4 to 24.2 ms in nine at 15:20.
REFERENCE_SECONDS = 0.0216


def benchmark() -> float:
    """Seconds for a fixed piece of Python work: the median of 7 tries (about 0.15 s)."""

    def once() -> float:
        started, total = time.perf_counter(), 0
        for i in range(400_000):
            total += i * i % 7
        return time.perf_counter() - started

    return statistics.median(once() for _ in range(7))


def in_reference_seconds(elapsed: float, benchmarks: list[float]) -> float:
    """`elapsed` seconds of this machine as seconds of the development machine, by the mean
    of the benchmarks taken around the run."""
    return elapsed * REFERENCE_SECONDS / statistics.fmean(benchmarks)


def over_budget(elapsed: float, benchmarks: list[float]) -> bool:
    counted = in_reference_seconds(elapsed, benchmarks)
    return elapsed > BUDGET_SECONDS and counted > BUDGET_SECONDS
