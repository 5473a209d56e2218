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


def _stretch_on_four_years(
    regions: list[Region], milestones: list[Milestone], national_capacity: int
) -> IntegerProblem:
    return compile_problem(
        RolloutProblem(
            regions=regions,
            milestones=milestones,
            start=2026,
            end=2029,
            national_capacity=national_capacity,
        )
    )


def _two_sets_of_four() -> IntegerProblem:
    # Six goals under a national capacity of 2 a year; two sets of four fit ({0, 2, 4, 5}
    # and {0, 3, 4, 5}; {1, 3, 4, 5} too). Found by a random search over such problems.
    return _stretch_on_four_years(
        [Region("R0", total=4, capacity=5), Region("R1", total=3, capacity=2)],
        [
            Milestone(2026, "0%", stretch="50%"),
            Milestone(2028, "20%", stretch="80%"),
            Milestone(2029, "10%", stretch="60%"),
        ],
        2,
    )


def test_the_search_keeps_the_first_largest_set_in_goal_order() -> None:
    comp = _two_sets_of_four()
    assert comp.floors == [[0, 0, 0, 1, 1], [0, 0, 0, 1, 1]]
    assert comp.stretch == [(1, 0, 2), (1, 1, 2), (3, 0, 4), (3, 1, 3), (4, 0, 3), (4, 1, 2)]
    # Each trial adds only the goal's extra work to the demand: R0's 4 by 2028 on top of
    # its 2 by 2026 fits (4 + 1 of R1 within the 6 of three years), so {0, 2, 4, 5}, the
    # first of the largest sets in (year, region, target) order, is kept.
    choice = with_stretch(comp, comp.floors)
    assert choice.floors == [[0, 2, 2, 4, 4], [0, 0, 0, 1, 2]]
    assert (choice.chosen, choice.proven) == ((0, 2, 4, 5), True)


def test_the_search_bounds_prove_the_set_within_six_checks() -> None:
    # The bound of each branch (the floors' column sums kept up to date as goals are
    # tried, each region's goals grouped) proves the same set within 6 oracle checks;
    # 5 are too few.
    comp = _two_sets_of_four()
    exact = with_stretch(comp, comp.floors)
    within = with_stretch(comp, comp.floors, limit=6)
    assert (within.floors, within.chosen, within.proven) == (exact.floors, exact.chosen, True)
    assert with_stretch(comp, comp.floors, limit=5).proven is False


def test_the_search_restores_the_column_sums_when_it_backs_out() -> None:
    # Three goals, 3 a year nationally: R0's 5 and R1's 6 by 2028 do not fit together
    # (11 > 9), nor R0's 5 with R1's 8 by 2029 (13 > 12); R1's two (6 by 2028, 8 by 2029)
    # do. The search tries R0's goal first and backs out of it: its floors' work must
    # leave the column sums, or the bound wrongly prunes the only set of two.
    comp = _stretch_on_four_years(
        [Region("R0", total=10, capacity=3), Region("R1", total=11, capacity=3)],
        [Milestone(2028, "10%", stretch="50%"), Milestone(2029, "10%", stretch="70%", region="R1")],
        3,
    )
    assert comp.floors == [[0, 0, 0, 1, 1], [0, 0, 0, 2, 2]]
    assert comp.stretch == [(3, 0, 5), (3, 1, 6), (4, 1, 8)]
    choice = with_stretch(comp, comp.floors)
    assert choice.floors == [[0, 0, 0, 1, 1], [0, 0, 0, 6, 8]]
    assert (choice.chosen, choice.proven) == ((1, 2), True)


def test_min_peak_of_no_planned_year_is_zero() -> None:
    # No year, no floor: the lower bound over the years is empty and the peak is 0
    # (plan() always has a year; the helper takes any horizon).
    comp = _integer_problem([([0], [0])], [None])
    assert comp.n_years == 0
    assert min_peak(comp, comp.floors) == 0


def test_a_first_set_proven_by_the_yearly_bound_is_kept_without_a_search() -> None:
    # R1 can only work in 2026 (4 then 0), R0 only 1 in 2027, 6 a year nationally: of
    # the five goals at most three fit together. The first set by least extra work,
    # {1, 2, 4}, reaches the bound of the national work possible by 2027 (7, the floors
    # take 4; the cuts alone bound it at 4 goals), so it is kept as proven; a search
    # would have kept {0, 2, 3}, the first set of three in goal order. Found by a
    # random search over such problems.
    comp = compile_problem(
        RolloutProblem(
            regions=[
                Region("R0", total=5, capacity=5, capacity_by_year={2027: 1}),
                Region("R1", total=4, capacity=1, capacity_by_year={2026: 4, 2027: 0}),
            ],
            milestones=[
                Milestone(2026, "0%", stretch="80%"),
                Milestone(2027, "0%", stretch="100%", region="R0"),
                Milestone(2027, "30%", stretch="60%"),
            ],
            start=2026,
            end=2027,
            national_capacity=6,
        )
    )
    assert comp.floors == [[0, 0, 2], [0, 0, 2]]
    assert comp.stretch == [(1, 0, 4), (1, 1, 4), (2, 0, 3), (2, 0, 5), (2, 1, 3)]
    for limit in (0, 5_000):  # no oracle check of the search needed
        choice = with_stretch(comp, comp.floors, limit=limit)
        assert choice.floors == [[0, 0, 3], [0, 4, 4]]
        assert (choice.chosen, choice.proven) == ((1, 2, 4), True)


def test_the_yearly_bound_counts_a_goal_the_raised_floors_meet_once() -> None:
    # 4 a year nationally for three years: of the seven goals at most five fit together
    # ({0, 1, 3, 4, 5}: R0's 5 by 2027 and 6 by 2028, R1's 4 by 2028). Once R0's 3 by
    # 2027 is in, its 3 by 2028 is met by the raised floors: the bound of the branch
    # counts that goal once, which proves the set within 7 oracle checks (6 are too
    # few). Found by a random search over such problems.
    comp = compile_problem(
        RolloutProblem(
            regions=[Region("R0", total=6), Region("R1", total=8)],
            milestones=[
                Milestone(2028, "0%", stretch="100%"),
                Milestone(2027, "0%", stretch="40%"),
                Milestone(2028, "0%", stretch="40%"),
                Milestone(2027, "0%", stretch="70%", region="R0"),
            ],
            start=2026,
            end=2028,
            national_capacity=4,
        )
    )
    assert comp.floors == [[0, 0, 0, 0], [0, 0, 0, 0]]
    assert comp.stretch == [
        (2, 0, 3),
        (2, 0, 5),
        (2, 1, 4),
        (3, 0, 3),
        (3, 0, 6),
        (3, 1, 4),
        (3, 1, 8),
    ]
    exact = with_stretch(comp, comp.floors)
    assert exact.floors == [[0, 0, 5, 6], [0, 0, 0, 4]]
    assert (exact.chosen, exact.proven) == ((0, 1, 3, 4, 5), True)
    within = with_stretch(comp, comp.floors, limit=7)
    assert (within.floors, within.chosen, within.proven) == (exact.floors, exact.chosen, True)
    assert with_stretch(comp, comp.floors, limit=6).proven is False
