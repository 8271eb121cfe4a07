"""Where the test suite's time goes: the README's test command, run with a plugin that
records each test's wall time and CPU time, its child processes' included.

A test's CPU time is that of the pytest worker running it and of every process below the
worker (the fork server's commands, ``generate`` and ``mypy`` subprocesses), read from
``/proc`` before and after the test, so this runs on Linux only. A build shared by the run
(``tests/build_support.py``) counts in the test that asked for it first. The closing line
is pytest's own; then the CPU-seconds of the whole run, by tier, by file and the costliest
tests, the tests that waited longest (their wall time over their CPU time), the time
each worker spent in the cycle collector, the machine's CPU-seconds during the run, and
how long a fixed loop took before and after it (the machine's speed varies from day to
day).

    python bench/suite.py [pytest arguments ...]
"""

from __future__ import annotations

import gc
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RECORDS = "SUITE_RECORDS"
"""The folder each worker writes its records to (set by the command for the plugin)."""
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


# --- The plugin, loaded in every worker ----------------------------------------------------


def _descendants_cpu() -> float:
    """CPU-seconds of this process, of its children it has waited for, and of every live
    process below it (with the children those have waited for)."""
    parents: dict[int, list[tuple[int, float]]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as file:
                stat = file.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        cpu = sum(int(ticks) for ticks in fields[11:15]) / _TICKS
        parents.setdefault(int(fields[1]), []).append((int(entry), cpu))
    total = 0.0
    below = [os.getpid()]
    while below:
        for pid, cpu in parents.get(below.pop(), []):
            total += cpu
            below.append(pid)
    waited = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + waited.ru_utime + waited.ru_stime + total


class _Recorder:
    def __init__(self, folder: Path) -> None:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        self.file = open(folder / f"{worker}.tsv", "a", encoding="utf-8")  # noqa: SIM115
        self.started: dict[str, tuple[float, float]] = {}
        self.collecting = 0.0
        self.collected = 0.0
        gc.callbacks.append(self._collector)

    def _collector(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.collecting = time.process_time()
        else:
            self.collected += time.process_time() - self.collecting

    def start(self, nodeid: str) -> None:
        self.started[nodeid] = (time.perf_counter(), _descendants_cpu())

    def finish(self, nodeid: str) -> None:
        wall, cpu = self.started.pop(nodeid)
        wall, cpu = time.perf_counter() - wall, _descendants_cpu() - cpu
        self.file.write(f"test\t{nodeid}\t{wall:.3f}\t{cpu:.3f}\n")
        self.file.flush()

    def close(self) -> None:
        self.file.write(
            f"gc\t{os.environ.get('PYTEST_XDIST_WORKER', 'main')}\t{self.collected:.3f}\n"
        )
        self.file.close()


_recorder: _Recorder | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _recorder
    folder = os.environ.get(RECORDS)
    # pytest-xdist's controller hears of each test its workers run: only they record.
    controller = config.getoption("numprocesses", None) and not hasattr(config, "workerinput")
    if folder and not controller:
        _recorder = _Recorder(Path(folder))


def pytest_runtest_logstart(nodeid: str, location: object) -> None:
    if _recorder:
        _recorder.start(nodeid)


def pytest_runtest_logfinish(nodeid: str, location: object) -> None:
    if _recorder:
        _recorder.finish(nodeid)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _recorder:
        _recorder.close()


# --- The command ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Test:
    nodeid: str
    wall: float
    cpu: float

    @property
    def file(self) -> str:
        return self.nodeid.split("::")[0]

    @property
    def tier(self) -> str:
        parts = Path(self.file).parts
        return parts[1] if len(parts) > 2 else parts[0]


def _read(folder: Path) -> tuple[list[Test], dict[str, float]]:
    tests: list[Test] = []
    collector: dict[str, float] = {}
    for records in sorted(folder.glob("*.tsv")):
        for line in records.read_text(encoding="utf-8").splitlines():
            kind, name, *figures = line.split("\t")
            if kind == "test":
                tests.append(Test(name, float(figures[0]), float(figures[1])))
            else:
                collector[name] = float(figures[0])
    return tests, collector


def _report(tests: list[Test], collector: dict[str, float]) -> None:
    total = sum(t.cpu for t in tests)
    print(f"\n{len(tests)} tests, {total:.1f} CPU-s with their child processes")
    tiers: dict[str, float] = {}
    for test in tests:
        tiers[test.tier] = tiers.get(test.tier, 0.0) + test.cpu
    by_tier = sorted(tiers.items(), key=lambda item: -item[1])
    print("by tier: " + ", ".join(f"{tier} {cpu:.1f}" for tier, cpu in by_tier))
    files: dict[str, float] = {}
    for test in tests:
        files[test.file] = files.get(test.file, 0.0) + test.cpu
    print("\nCPU-s  file")
    for file, cpu in sorted(files.items(), key=lambda item: -item[1])[:15]:
        print(f"{cpu:5.1f}  {file}")
    print("\nCPU-s   wall  test")
    for test in sorted(tests, key=lambda t: -t.cpu)[:15]:
        print(f"{test.cpu:5.1f} {test.wall:6.1f}  {test.nodeid}")
    idle = sum(max(0.0, t.wall - t.cpu) for t in tests)
    print(f"\nwall over CPU, {idle:.1f} s in all (a build elsewhere, a lock, the disk, a sleep)")
    for test in sorted(tests, key=lambda t: t.cpu - t.wall)[:10]:
        print(f"{test.wall - test.cpu:5.1f} {test.wall:6.1f}  {test.nodeid}")
    print(
        "\nin the cycle collector: "
        + ", ".join(f"{w} {s:.1f} s" for w, s in sorted(collector.items()))
    )


def _reference_seconds() -> float:
    """The shortest of three runs of a fixed loop: how fast the machine is now. The same
    kind of machine has run the suite's work in 250 CPU-seconds one day and 450 the next;
    this tells such days apart."""
    times = []
    for _ in range(3):
        started = time.process_time()
        total = 0
        for number in range(3_000_000):
            total += number
        times.append(time.process_time() - started)
    return min(times)


def _machine_seconds() -> tuple[float, float, float]:
    """The machine's user, system and idle CPU-seconds so far, all cores (``/proc/stat``)."""
    with open("/proc/stat", encoding="ascii") as file:
        fields = file.readline().split()[1:]
    user, nice, system, idle = (int(ticks) / _TICKS for ticks in fields[:4])
    return user + nice, system, idle


def main(arguments: list[str]) -> int:
    reference = _reference_seconds()
    with tempfile.TemporaryDirectory() as folder:
        environment = {
            **os.environ,
            RECORDS: folder,
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(ROOT / "bench"), os.environ.get("PYTHONPATH")])
            ),
        }
        command = [sys.executable, "-m", "pytest", "-p", "suite", *arguments]
        before = _machine_seconds()
        code = subprocess.run(command, cwd=ROOT, env=environment, check=False).returncode
        user, system, idle = (b - a for a, b in zip(before, _machine_seconds()))
        _report(*_read(Path(folder)))
    print(f"the machine during the run (/proc/stat): user {user:.1f}, system {system:.1f}, ", end="")
    print(f"idle {idle:.1f} CPU-s")
    print(f"the reference loop: {reference:.3f} s before the run, {_reference_seconds():.3f} s after")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
