"""The lanes ``schedule_support`` gives pytest-xdist's workers: each starts on its own builds,
no test ends up in a lane before the builds it needs, and no test is lost or doubled."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from schedule_support import WholeModuleStealing, in_lanes, module_start_near, needed, running


@dataclass
class _Item:
    """What ``in_lanes`` reads of a test: its name, its marks, its fixtures."""

    nodeid: str
    versions: tuple[int, ...] = ()
    fixturenames: tuple[str, ...] = ()
    marks: list[pytest.Mark] = field(init=False)

    def __post_init__(self) -> None:
        self.marks = [pytest.mark.build(*self.versions).mark] if self.versions else []

    def iter_markers(self, name: str) -> list[pytest.Mark]:
        return [mark for mark in self.marks if mark.name == name]


def _collection() -> list[_Item]:
    tests = [_Item(f"tests/e2e/test_a.py::test_{n}", fixturenames=("services86",)) for n in "ab"]
    tests.append(_Item("tests/e2e/test_a.py::test_plain"))
    tests += [_Item(f"tests/e2e/test_b.py::test[{v}]", (v,)) for v in (84, 85, 87)]
    tests.append(_Item("tests/e2e/test_c.py::test_both", (84,), ("services86",)))
    tests += [_Item(f"tests/golden/test_d.py::test_{n}") for n in range(4)]
    return tests + [_Item(f"tests/unit/test_e.py::test_{n}") for n in range(10)]


def _lanes(workers: int, collection: list[_Item] | None = None) -> list[list[str]]:
    """The nodeids of each worker's first share."""
    ordered = in_lanes(collection or _collection(), workers)  # type: ignore[arg-type]
    lanes, start, count = [], 0, len(ordered)
    for remaining in range(workers, 0, -1):
        share = count // remaining
        lanes.append([item.nodeid for item in ordered[start : start + share]])
        start, count = start + share, count - share
    return lanes


def test_each_worker_has_its_own_builds_and_the_unit_tier_ends_the_busiest_lane() -> None:
    first, second = _lanes(2)
    # A test that needs no build stays with its module's, whose fixtures it may share.
    assert first[:3] == [f"tests/e2e/test_a.py::test_{n}" for n in ("a", "b", "plain")]
    assert first[3:] == [f"tests/unit/test_e.py::test_{n}" for n in range(3, 10)]
    # While the first lane makes Services86, the second runs the golden tier, then makes
    # its builds from the first's cache.
    assert second[:4] == [f"tests/golden/test_d.py::test_{n}" for n in range(4)]
    assert second[4:7] == [f"tests/e2e/test_b.py::test[{v}]" for v in (84, 85, 87)]
    # It needs Services86 too, which the other lane makes: after this lane's own builds.
    assert second[7] == "tests/e2e/test_c.py::test_both"


@pytest.mark.parametrize("workers", [1, 2, 3, 4])
def test_every_test_runs_once_in_any_number_of_lanes(workers: int) -> None:
    lanes = _lanes(workers)
    assert sorted(n for lane in lanes for n in lane) == sorted(i.nodeid for i in _collection())
    assert lanes[0][0] == "tests/e2e/test_a.py::test_a"


@pytest.mark.parametrize("workers", [2, 3, 4])
def test_a_lane_longer_than_a_share_ends_the_order_rather_than_start_another_worker(
    workers: int,
) -> None:
    services86 = [_Item(f"tests/e2e/test_a.py::test_{n}", (86,)) for n in range(30)]
    collection = services86 + [_Item(f"tests/unit/test_e.py::test_{n}") for n in range(10)]
    first, *others = _lanes(workers, collection)
    assert first == [item.nodeid for item in services86[: len(first)]]
    ordered = [item.nodeid for item in in_lanes(collection, workers)]  # type: ignore[arg-type]
    assert ordered[-1] == services86[-1].nodeid
    # Another worker meets a test needing Services86 only after all the tests needing none.
    for lane in others:
        built = [n for n in lane if "test_a.py" in n]
        assert built == [] or lane.index(built[0]) >= len(lane) - len(built)


def test_a_test_asking_for_a_build_it_did_not_mark_fails_and_names_the_mark() -> None:
    running(_Item("tests/e2e/test_b.py::test[84]", (84,)))  # type: ignore[arg-type]
    needed(84)
    with pytest.raises(pytest.fail.Exception, match=r"pytest\.mark\.build\(87\)"):
        needed(87)


def test_a_steal_is_cut_at_the_nearest_start_of_a_module() -> None:
    queue = [f"tests/e2e/test_{m}.py::test_{n}" for m, n in zip("aaabbbbcc", range(9))]
    # Half of the queue would split b: the nearest start of a module is taken instead.
    assert module_start_near(queue, 5, 2, 8) == 3
    assert module_start_near(queue, 6, 2, 8) == 7
    # The end of the queue counts; out of bounds, or with one module only, the cut stays.
    assert module_start_near(queue, 9, 8, 9) == 9
    assert module_start_near(queue, 5, 4, 6) == 5
    assert module_start_near(queue[3:7], 2, 1, 3) == 2


class _Worker:
    """What the scheduler sees of a pytest-xdist worker, and what it was told."""

    def __init__(self, name: str) -> None:
        self.gateway = SimpleNamespace(id=name)
        self.shutting_down = False
        self.given: list[int] = []
        self.steals: list[list[int]] = []

    def send_runtest_some(self, indices: list[int]) -> None:
        self.given += indices

    def send_steal(self, indices: list[int]) -> None:
        self.steals.append(list(indices))

    def shutdown(self) -> None:
        self.shutting_down = True


def test_the_scheduler_steals_whole_modules_and_hands_out_equal_shares() -> None:
    modules = {"a": 7, "b": 6, "c": 5}
    collection = [f"tests/e2e/test_{m}.py::test_{n}" for m, k in modules.items() for n in range(k)]
    config = SimpleNamespace(getvalue=lambda name: ["2*popen"])
    scheduler = WholeModuleStealing(config)  # type: ignore[arg-type]
    first, second = _Worker("gw0"), _Worker("gw1")
    for worker in (first, second):
        scheduler.add_node(worker)
        scheduler.add_node_collection(worker, collection)
    scheduler.schedule()
    # The first shares are pytest-xdist's, which the lanes are laid out for.
    assert (first.given, second.given) == (list(range(9)), list(range(9, 18)))
    for index in second.given:
        scheduler.mark_test_complete(second, index)
    # Half of gw0's queue would take tests 5-8 and split a; it takes b's from 7 on.
    assert first.steals == [[7, 8]]
    scheduler.remove_pending_tests_from_node(first, [7, 8])
    assert second.given[-2:] == [7, 8]
