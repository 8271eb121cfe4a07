"""How both runtime benchmarks measure (``bench/runtime.py``, ``bench/rest_runtime.py``):
ops/s with the sides taking turns in short rounds, medians and ratios taken round by round;
peak memory and import time, each in fresh processes; and how they show that the sides
did the same work before any of it is timed."""

from __future__ import annotations

import dataclasses
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path


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


KEPT = 1000


def peak_rss(setup: str, paths: Sequence[Path], data_file: Path) -> tuple[float, float, float]:
    """Peak RSS (MiB) of a fresh process whose ``setup`` defines ``work()`` over ``data``
    (``data_file``'s bytes), with ``paths`` importable: set up; after 2,000 calls; and the
    KiB each result adds when ``KEPT`` of them are kept.

    Read from ``VmHWM`` in ``/proc``: ``ru_maxrss`` would count the parent's memory too,
    being kept across the fork before the ``exec``.
    """
    script = (
        "import re, sys\n"
        "def peak():\n"
        "    status = open('/proc/self/status').read()\n"
        "    return int(re.search(r'VmHWM:\\s*(\\d+)', status)[1]) / 1024\n"
        f"sys.path[:0] = {[str(path) for path in paths]!r}\n"
        f"data = open({str(data_file)!r}, 'rb').read()\n"
        f"{setup}"
        "work()\n"
        "ready = peak()\n"
        "for _ in range(2000): work()\n"
        "parsed = peak()\n"
        f"kept = [work() for _ in range({KEPT})]\n"
        f"print(ready, parsed, (peak() - parsed) * 1024 / {KEPT})\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    ready, parsed, each = (float(figure) for figure in output.split())
    return ready, parsed, each


def import_seconds(statement: str, folder: Path, repeat: int = 5) -> float:
    """Median wall time of ``statement`` in fresh interpreters, bytecode cached: a first run
    writes it (``PYTHONDONTWRITEBYTECODE`` is lifted for these runs)."""
    script = (
        "import sys, time\n"
        f"sys.path.insert(0, {str(folder)!r})\n"
        "start = time.perf_counter()\n"
        f"{statement}\n"
        "print(time.perf_counter() - start)\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", script],
                check=True,
                capture_output=True,
                text=True,
                env=environment,
            ).stdout
        )
        for _ in range(repeat + 1)
    ]
    return statistics.median(runs[1:])


def leaves(value: object) -> int:
    """How many values a plain value holds: the work checked equal on every side."""
    if isinstance(value, dict):
        return sum(leaves(item) for item in value.values())
    if isinstance(value, list):
        return sum(leaves(item) for item in value)
    return 1


def first_difference(expected: str, found: str) -> str:
    """Where two sides' values first differ, with some text on either side."""
    at = next((i for i, (a, b) in enumerate(zip(expected, found)) if a != b), 0)
    return f"ours:  ...{expected[at - 80:at + 80]}...\nother: ...{found[at - 80:at + 80]}..."
