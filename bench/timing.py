"""The timing both runtime benchmarks share: sides take turns in short rounds, and figures
are medians, ratios taken round by round (``bench/runtime.py``, ``bench/rest_runtime.py``)."""

from __future__ import annotations

import dataclasses
import statistics
import time
from collections.abc import Callable, Mapping


def batch_size(work: Callable[[], object], seconds: float) -> int:
    """How many calls of ``work`` take about ``seconds``."""
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            work()
        elapsed = time.perf_counter() - start
        if elapsed >= seconds / 4:
            return max(1, int(calls * seconds / elapsed))
        calls *= 2


def ops_per_second(work: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        work()
    return calls / (time.perf_counter() - start)


@dataclasses.dataclass
class Figures:
    """Median ops/s of every side, and the median of ours / theirs taken round by round."""

    ops: dict[str, float]
    ratios: dict[str, float]


def measure(
    works: Mapping[str, Callable[[], object]], rounds: int, seconds: float, ours: str = "generated"
) -> Figures:
    """The sides' ``works`` take turns in short rounds, so that a change in the machine's
    load hits them alike; each round's ratio compares neighbours in time."""
    batches = {name: batch_size(work, seconds) for name, work in works.items()}
    samples: dict[str, list[float]] = {name: [] for name in works}
    for _ in range(rounds):
        for name, work in works.items():
            samples[name].append(ops_per_second(work, batches[name]))
    mine = samples[ours]
    return Figures(
        ops={name: statistics.median(values) for name, values in samples.items()},
        ratios={
            name: statistics.median(a / b for a, b in zip(mine, values, strict=True))
            for name, values in samples.items()
        },
    )
