"""The order pytest-xdist's workers get the tests in, so that no worker waits on a build
another worker is making.

The corpus builds of a run (``build_support``: Services86 read and generated, and
``generate --agent all`` of each other version) are made once, by the first worker to ask;
a worker asking while another makes it waits, its core idle. pytest-xdist's work stealing
hands each worker an equal, contiguous share of the collection, in its order, and an idle
worker then takes half of what is left of the busiest one, from the end. So the tests are
put in lanes, one per worker: each build and the tests that need it in one lane, the
costliest build alone, each lane making its builds first and coming to the tests that
also need another lane's build last; the lanes that do not make the first build begin with
the golden tier, so that their builds start from its cache. The tests that need no build
fill the lanes to equal shares: the tail of the collection (the unit tier, many small
tests, the best to steal) goes to the lane with the most build work.

A test says which builds it needs: ``pytest.mark.build(version)`` (``build_params`` makes
the parameters of a test or fixture parametrized by version), or the ``services86``
fixture. A test that asks for a build it has not said it needs fails, so the lanes cannot
drift from what the tests do. The order changes no outcome, only how long a run waits.

A worker that has run out then takes whole modules from another where it can
(``WholeModuleStealing``): a module whose tests two workers share has its module-scoped
fixtures set up in both.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pytest
from xdist.scheduler import WorkStealingScheduling
from xdist.scheduler.worksteal import MIN_PENDING

BUILD_MARK = "build"
GOLDEN = "tests/golden/"
_HEAVIEST = 86
"""Services86 is read and generated, then checked the most (black, mypy, verify)."""
_WEIGHT = {_HEAVIEST: 4}
"""What a build and the tests on it cost, against 1 for the others' (they are read and
generated, then verified and checked for their User agent)."""
_running: tuple[str, frozenset[int]] = ("", frozenset())
"""The test running in this process and the builds it said it needs."""


def build_params(*versions: int) -> list[object]:
    """``versions`` as parameters, each marked with the build of that version it needs."""
    return [pytest.param(v, marks=pytest.mark.build(v), id=str(v)) for v in versions]


def builds(item: pytest.Item) -> frozenset[int]:
    """The versions whose shared build ``item`` needs."""
    marked = {version for mark in item.iter_markers(BUILD_MARK) for version in mark.args}
    if "services86" in getattr(item, "fixturenames", ()):
        marked.add(_HEAVIEST)
    return frozenset(marked)


def running(item: pytest.Item) -> None:
    """``item`` is about to run: the builds it may ask for are those it said it needs."""
    global _running
    _running = (item.nodeid, builds(item))


def needed(version: int) -> None:
    """Fail the running test if it asks for a build it has not said it needs."""
    test, allowed = _running
    if test and version not in allowed:
        pytest.fail(
            f"{test} needs the build of Services{version}: mark it pytest.mark.build({version})"
            " (tests/schedule_support.py)",
            pytrace=False,
        )


def in_lanes(items: list[pytest.Item], workers: int) -> list[pytest.Item]:
    """``items`` in the order that gives each of ``workers`` its lane as its first share."""
    needs = {id(item): builds(item) for item in items}
    lane_of, weights = _builds_in_lanes({v for item in items for v in needs[id(item)]}, workers)
    position = {id(item): index for index, item in enumerate(items)}
    built: list[list[pytest.Item]] = [[] for _ in range(workers)]
    modules: dict[str, Counter[int]] = {}
    for item in items:
        if needs[id(item)]:
            # Where Services86 and another build are needed: the other's lane, which
            # makes its own builds first.
            lane = lane_of[min(needs[id(item)], key=lambda v: (v == _HEAVIEST, v))]
            built[lane].append(item)
            modules.setdefault(_module(item.nodeid), Counter())[lane] += 1
    golden: list[pytest.Item] = []
    rest: list[pytest.Item] = []
    for item in items:
        if not needs[id(item)]:
            # With most of its module's tests, whose module-scoped fixtures it may share.
            lanes_of_module = modules.get(_module(item.nodeid))
            if lanes_of_module:
                built[min(lanes_of_module, key=lambda i: (-lanes_of_module[i], i))].append(item)
            else:
                (golden if item.nodeid.startswith(GOLDEN) else rest).append(item)
    for lane, tests in enumerate(built):
        tests.sort(key=lambda t: (any(lane_of[v] != lane for v in needs[id(t)]), position[id(t)]))
    # The first build of a run reads the WebAPI pages, which every version shares; a build
    # started once it is done reads them from its cache. So the other lanes begin with the
    # golden tier, which needs no build, while the first lane makes Services86.
    later = [lane for lane in range(workers) if lane != lane_of.get(_HEAVIEST, 0)]
    rest = rest if later else golden + rest
    for index, lane in enumerate(later):
        part = golden[len(golden) * index // len(later) : len(golden) * (index + 1) // len(later)]
        built[lane] = part + built[lane]
    shares = _shares(len(items), workers)
    # What does not fit in a worker's first share would start the next worker's: it goes
    # last, to whoever takes it once the builds are made.
    overflow = [item for lane, tests in enumerate(built) for item in tests[shares[lane] :]]
    lanes = [tests[: shares[lane]] for lane, tests in enumerate(built)]
    for lane in sorted(range(workers), key=lambda i: (weights[i], i)):
        wanted = max(0, shares[lane] - len(lanes[lane]))
        lanes[lane] += rest[:wanted]
        rest = rest[wanted:]
    return [item for lane in lanes for item in lane] + rest + overflow


def _module(nodeid: str) -> str:
    return nodeid.split("::")[0]


def _builds_in_lanes(versions: set[int], workers: int) -> tuple[dict[int, int], list[int]]:
    """The lane of each build, the costliest first, each to the least loaded lane; and the
    load of each lane."""
    weights = [0] * workers
    lane_of: dict[int, int] = {}
    for version in sorted(versions, key=lambda v: (-_WEIGHT.get(v, 1), v)):
        lane = min(range(workers), key=lambda i: (weights[i], i))
        lane_of[version] = lane
        weights[lane] += _WEIGHT.get(version, 1)
    return lane_of, weights


def _shares(count: int, workers: int) -> list[int]:
    """How many of ``count`` tests work stealing hands each worker at first."""
    shares = []
    for remaining in range(workers, 0, -1):
        shares.append(count // remaining)
        count -= shares[-1]
    return shares


def module_start_near(nodeids: Sequence[str], cut: int, low: int, high: int) -> int:
    """The place between ``low`` and ``high`` (both included) nearest ``cut`` where a run of
    ``nodeids`` from one module starts, the lower one on a tie; ``cut`` if there is none.
    The end of ``nodeids`` counts as such a place."""
    starts = [
        place
        for place in range(max(low, 1), min(high, len(nodeids)) + 1)
        if place == len(nodeids) or _module(nodeids[place]) != _module(nodeids[place - 1])
    ]
    return min(starts, key=lambda place: (abs(place - cut), place), default=cut)


class WholeModuleStealing(WorkStealingScheduling):
    """pytest-xdist's work stealing, but what a worker takes from another starts where a
    module's tests do, if such a place is near half the queue: a module whose tests two
    workers share sets its module-scoped fixtures up in both (a package rendered and
    imported, a zeep client of a WSDL, a loopback server: a second or several each time).
    pytest-xdist's own ``check_schedule``, with only the steal's cut moved; the shares
    handed out (the lanes, at the start) are pytest-xdist's."""

    def check_schedule(self) -> None:
        queues = {
            node: pending for node, pending in self.node2pending.items() if not node.shutting_down
        }
        idle = [node for node, pending in queues.items() if len(pending) < MIN_PENDING]
        if idle and self.pending:
            for index, node in enumerate(idle):
                self._send_tests(node, len(self.pending) // (len(idle) - index))
            idle = [node for node, pending in queues.items() if len(pending) < MIN_PENDING]
        if not idle or self.steal_requested_from_node is not None:
            return
        # Half of the longest queue, its first tests left to its worker.
        victim, pending = max(queues.items(), key=lambda queue: len(queue[1]))
        most = max(0, len(pending) - MIN_PENDING)
        count = min(len(pending) // 2, most)
        if count == 0:
            for node in idle:
                node.shutdown()
            return
        # From half to twice as many as half, as the queue allows.
        low, high = len(pending) - min(2 * count, most), len(pending) - (count + 1) // 2
        cut = module_start_near(self._nodeids(pending), len(pending) - count, low, high)
        victim.send_steal(pending[cut:])
        self.steal_requested_from_node = victim

    def _nodeids(self, indices: Sequence[int]) -> list[str]:
        assert self.collection is not None
        return [self.collection[index] for index in indices]
