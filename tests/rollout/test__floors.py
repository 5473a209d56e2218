"""rollout/_floors.py against brute force: which floors can be met, the least peak,
reachable floors, the best effort and stretch goals."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from modelunit.rollout import Milestone, Region, RolloutProblem
from modelunit.rollout._compile import IntegerProblem, compile_problem
from modelunit.rollout._floors import (
    best_effort,
    floors_feasible,
    min_peak,
    reachable_floors,
    with_stretch,
)
from modelunit.rollout._flow import feasible, total_f
from tests.rollout.brute_force import every_plan, regions


def _integer_problem(
    rows: list[tuple[list[int], list[int]]], ncap: list[int | None]
) -> IntegerProblem:
    """Regions that must take on exactly their last floor (recognised 0, total d[n])."""
    n = len(ncap) - 1
    return IntegerProblem(
        ids=[f"R{i}" for i in range(len(rows))],
        years=list(range(2025, 2025 + n)),
        rec=[0] * len(rows),
        total=[d[n] for d, _ in rows],
        caps=[u for _, u in rows],
        floors=[d for d, _ in rows],
        ncap=ncap,
        stretch=[],
        past=[[] for _ in rows],
    )


@st.composite
def instances(draw):
    rows = draw(st.lists(regions(max_years=3, max_cap=3), min_size=1, max_size=3))
    n = min(len(u) - 1 for _, u in rows)
    rows = [(d[: n + 1], u[: n + 1]) for d, u in rows]
    ncap = [None] + [draw(st.one_of(st.none(), st.integers(0, 6))) for _ in range(n)]
    return rows, ncap


def _national_loads(rows, ncap):
    """Every combination of per-region plans within the national caps: its yearly loads."""
    n = len(ncap) - 1
    every = [list(every_plan(d, u)) for d, u in rows]
    for combo in itertools.product(*every):
        loads = [sum(p[t] for p in combo) for t in range(n)]
        if all(ncap[t + 1] is None or load <= ncap[t + 1] for t, load in enumerate(loads)):
            yield loads


@given(instances())
def test_floors_feasible_and_min_peak_against_every_plan(instance):
    rows, ncap = instance
    comp = _integer_problem(rows, ncap)
    loads = list(_national_loads(rows, ncap))
    assert floors_feasible(comp, comp.floors) == bool(loads)
    if loads:
        assert min_peak(comp, comp.floors) == min(max(x, default=0) for x in loads)


@given(instances())
def test_min_peak_is_the_plain_bisection_over_every_peak(instance):
    # min_peak gallops up from a lower bound; the answer is that of a bisection over
    # 0..demand (``demand`` itself when nothing lower is feasible, as for infeasible
    # floors), which the search must reproduce exactly.
    rows, ncap = instance
    comp = _integer_problem(rows, ncap)
    n, d = comp.n_years, comp.floors
    f_all = total_f(comp.f_rows(d), n)
    demand = sum(row[n] for row in d)
    lo, hi = 0, demand
    while lo < hi:
        mid = (lo + hi) // 2
        if feasible(f_all, [min(c, mid) for c in comp.ncap], n, demand):
            hi = mid
        else:
            lo = mid + 1
    assert min_peak(comp, d) == lo


@given(instances())
def test_reachable_floors_are_the_floors_capped_by_capacity(instance):
    rows, ncap = instance
    comp = _integer_problem(rows, ncap)
    lowered = reachable_floors(comp, comp.floors)
    n = comp.n_years
    for (d, u), row in zip(rows, lowered, strict=True):
        reach = list(itertools.accumulate(u))
        assert row == [min(v, reach[t], d[n]) for t, v in enumerate(d)]
    uncoupled = _integer_problem(rows, [None] * (n + 1))
    assert floors_feasible(uncoupled, reachable_floors(uncoupled, uncoupled.floors))


@given(instances())
def test_best_effort_respects_every_cap_and_goes_as_fast_as_allowed(instance):
    rows, ncap = instance
    comp = _integer_problem(rows, ncap)
    x = best_effort(comp)
    n = comp.n_years
    for r, (_, u) in enumerate(rows):
        assert all(0 <= x[r][t] <= u[t] for t in range(1, n + 1))
        assert sum(x[r]) <= comp.rem[r]
    for t in range(1, n + 1):
        assert ncap[t] is None or sum(row[t] for row in x) <= ncap[t]


def _two_regions(cap_a: int, cap_b: int, national_capacity: int | None = None) -> IntegerProblem:
    return compile_problem(
        RolloutProblem(
            regions=[Region("A", total=10, capacity=cap_a), Region("B", total=10, capacity=cap_b)],
            milestones=[Milestone(2026, "20%", stretch="60%"), Milestone(2027, 1)],
            start=2026,
            end=2027,
            national_capacity=national_capacity,
        )
    )


def test_stretch_goals_raise_the_floors_only_where_capacity_reaches() -> None:
    comp = _two_regions(2, 5)
    assert comp.stretch == [(1, 0, 6), (1, 1, 6)]
    # A reaches 2 in 2026 and B 5, both short of 6: the floors stay.
    assert with_stretch(comp, comp.floors).floors == comp.floors
    faster = _two_regions(2, 6)
    raised = with_stretch(faster, faster.floors)
    assert raised.floors[0] == faster.floors[0]
    assert raised.floors[1] == [0, 6, 10]
    assert (raised.chosen, raised.proven) == ((1,), True)
    # With a national capacity only one of the two fits in 2026's 10: the first in (year,
    # region) order is kept, and the maximum (one) is proven.
    capped = _two_regions(6, 6, national_capacity=10)
    choice = with_stretch(capped, capped.floors)
    assert choice.floors == [[0, 6, 10], [0, 2, 10]]
    assert (choice.chosen, choice.proven) == ((0,), True)


def test_several_stretch_goals_of_one_region_share_its_reach() -> None:
    comp = compile_problem(
        RolloutProblem(
            regions=[Region("A", total=10, capacity=3)],
            milestones=[
                Milestone(2026, "20%", stretch="30%"),
                Milestone(2027, "40%", stretch="60%"),
                Milestone(2028, "50%", stretch="100%"),
            ],
            start=2026,
            end=2028,
        )
    )
    assert comp.stretch == [(1, 0, 3), (2, 0, 6), (3, 0, 10)]
    # Capacity 3 a year reaches 3, 6, 9: the first two goals raise the floors, the
    # third (10 by 2028) is out of reach and leaves its floor (5).
    assert with_stretch(comp, comp.floors).floors == [[0, 3, 6, 6]]
